/** A command line split into positionals and `--flag [value]` options. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

/** Thrown for a command line that cannot be understood; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An option that takes a value: `--data DIR` or `--data=DIR`. */
export interface ValuedOption {
  name: string;
  /** What the value is, for messages: "a folder" in "--data needs a folder". */
  what: string;
  /** The value as the usage shows it: DIR, N, auto|dnn-wasm|... */
  placeholder: string;
}

/** The options one command takes; the usage synopsis and the parser both read this, so they cannot disagree. */
export interface CommandOptions {
  valued: readonly ValuedOption[];
  switches: readonly string[];
}

/** "[--data DIR] [--epochs N] [--json]": a command's options as the usage lists them. */
export function optionsSynopsis({ valued, switches }: CommandOptions): string[] {
  return [...valued.map((o) => `[--${o.name} ${o.placeholder}]`), ...switches.map((s) => `[--${s}]`)];
}

/**
 * Splits argv. Options in `valued` take a value, which may not be another option (`--data --json` is a missing
 * folder, not a folder named --json; `--data=--odd` still names one); `switches` take none. Unknown options, options
 * given twice and single-dash options are errors rather than silently ignored.
 */
export function parseArgs(argv: readonly string[], { valued, switches }: CommandOptions): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const known = () => [...valued.map((o) => `--${o.name}`), ...switches.map((s) => `--${s}`)].join(', ') || 'none';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--'))
      throw new UsageError(`unknown option ${arg}; options start with --, and the ones here are ${known()}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const option = valued.find((o) => o.name === name);
    if (options.has(name)) throw new UsageError(`--${name} is given twice; give it once`);
    if (option) {
      const example = `e.g. --${name} ${option.placeholder}`;
      const value = inline ?? argv[i + 1];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs ${option.what}, ${example}`);
      if (inline === undefined && value.startsWith('--'))
        throw new UsageError(`--${name} needs ${option.what}, got ${value}; ${example}`);
      if (inline === undefined) i++;
      options.set(name, value);
    } else if (switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value, got ${arg}; write --${name}`);
      options.set(name, true);
    } else {
      throw new UsageError(`unknown option ${arg}; the options here are ${known()}`);
    }
  }
  return { positionals, options };
}

/** The one value of a valued option, if given (parseArgs stores values of valued options as strings). */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * A whole number written in decimal digits, or a UsageError naming the flag, the value and the fix: Number() would
 * take 0x10, 1e9, " 5" and 5.0, which no one means on a command line.
 */
export function integerOption(name: string, value: string, what: string, example: number): number {
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(
      `--${name} must be ${what}, got ${value}; write it in decimal digits, e.g. --${name} ${example}`,
    );
  }
  return Number(value);
}

/** Refuses positionals past the first `max`, which would otherwise be ignored. */
export function atMostPositionals(args: ParsedArgs, max: number, what: string): void {
  const extra = args.positionals.slice(max);
  if (extra.length > 0) throw new UsageError(`${what}; remove ${extra.join(' ')}`);
}
