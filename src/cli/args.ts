/** A command line split into positionals and `--flag [value]` options. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

/** Thrown for a command line that cannot be understood; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Splits argv. `valued` lists the options that take a value (`--data DIR` or `--data=DIR`); every other
 * `--name` is a switch. Unknown options are errors rather than silently ignored.
 */
export function parseArgs(argv: readonly string[], valued: readonly string[], switches: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value, e.g. --${name} ${name === 'epochs' ? '1' : 'DIR'}`);
      options.set(name, value);
    } else if (switches.includes(name) && inline === undefined) {
      options.set(name, true);
    } else {
      throw new UsageError(`unknown option ${arg}; the options here are ${[...valued, ...switches].map((o) => `--${o}`).join(', ')}`);
    }
  }
  return { positionals, options };
}
