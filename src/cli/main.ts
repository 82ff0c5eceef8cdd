// The dnn-lab command: the engine without VS Code, for instructors and CI.
import { parseArgs, UsageError } from './args';
import { exampleCommand } from './exampleCommand';
import { gradeCommand } from './gradeCommand';
import { processIo, type CliIo } from './io';
import { trainCommand } from './trainCommand';

const USAGE = `Usage:
  dnn-lab train <config.dnn.json> [--data DIR] [--epochs N] [--backend auto|dnn-wasm|wasm|tfjs-node|cpu|js]
                [--threads N] [--json]
      Train the config's network on MNIST. --data (or DNN_LAB_DATA) names a folder with the four
      MNIST files; otherwise they are downloaded once into the user cache. --threads splits the
      matrix products of DNN Lab's wasm kernels over N threads (default 0: one per core, up to 4).
  dnn-lab grade <lab folder or config>... [--problem corelab-1|corelab-2|corelab-3] [--data DIR] [--out FILE] [--json]
      Check each config against its Corelab problem (the config's "problem", or --problem), train the
      ones that meet it, and write Gradescope's results.json (--out, default ./results.json).
      Exit 0 when every test passed, 1 otherwise.
  dnn-lab example 7-3 [--json]
      The chapter's worked example, forward and backward, with every number.
`;

const COMMANDS: Record<string, { valued: string[]; switches: string[]; run: typeof trainCommand }> = {
  train: { valued: ['data', 'epochs', 'backend', 'threads'], switches: ['json'], run: trainCommand },
  grade: { valued: ['problem', 'data', 'backend', 'out'], switches: ['json'], run: gradeCommand },
  example: { valued: [], switches: ['json'], run: exampleCommand },
};

/** Runs one command line and resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command.run(parseArgs(rest, command.valued, command.switches), io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`dnn-lab: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}

main(process.argv.slice(2), processIo()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dnn-lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
