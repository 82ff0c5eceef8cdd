// The dnn-lab command: the engine without VS Code, for instructors and CI.
import { BACKENDS } from '../engine/kernels/backend';
import { PROBLEM_IDS } from '../engine/grading/problems';
import { optionsSynopsis, parseArgs, UsageError, type CommandOptions, type ParsedArgs } from './args';
import { autograderCommand } from './autograderCommand';
import { exampleCommand } from './exampleCommand';
import { exportCommand } from './exportCommand';
import { gradeCommand } from './gradeCommand';
import { exitWhenWritten, processIo, type CliIo } from './io';
import { gradeSubmissionCommand } from './gradeSubmissionCommand';
import { trainCommand } from './trainCommand';
import { verifyCommand } from './verifyCommand';

const DATA = { name: 'data', what: 'a folder', placeholder: 'DIR' };
const BACKEND = { name: 'backend', what: 'a backend', placeholder: BACKENDS.join('|') };

/** Each command: its arguments and options (which the parser and the usage both read), what it does, and its code. */
const COMMANDS: Record<
  string,
  CommandOptions & { args: string; help: string; run: (args: ParsedArgs, io: CliIo) => Promise<number> }
> = {
  train: {
    args: '<config.dnn.json>',
    valued: [
      DATA,
      { name: 'epochs', what: 'a number of epochs', placeholder: 'N' },
      BACKEND,
      { name: 'threads', what: 'a number of threads', placeholder: 'N' },
    ],
    switches: ['json'],
    help: `Train the config's network on MNIST. --data (or DNN_LAB_DATA) names a folder with the four
MNIST files; otherwise they are downloaded once into the user cache. --epochs replaces the config's
epochs. --threads splits the matrix products of DNN Lab's wasm kernels over N threads (default 0:
one per core, up to 4). --json prints one JSON object per line.`,
    run: trainCommand,
  },
  grade: {
    args: '<lab folder or config>...',
    valued: [
      { name: 'problem', what: 'a problem', placeholder: PROBLEM_IDS.join('|') },
      DATA,
      BACKEND,
      { name: 'out', what: 'a file', placeholder: 'FILE' },
    ],
    switches: ['json'],
    help: `Check each config against its Corelab problem (the config's "problem", or --problem), train the
ones that meet it, and write Gradescope's results.json (--out, default ./results.json).
Exit 0 when every test passed, 1 otherwise.`,
    run: gradeCommand,
  },
  autograder: {
    args: '<problem>...',
    valued: [
      { name: 'out', what: 'a file (a folder with --format github)', placeholder: 'FILE' },
      { name: 'format', what: 'a format', placeholder: 'gradescope|github' },
      DATA,
      { name: 'hidden-seeds', what: 'seeds separated by commas', placeholder: '7,11' },
      { name: 'node-tarball', what: 'a Node tarball for Linux x64', placeholder: 'FILE' },
      { name: 'node-version', what: 'a Node version', placeholder: 'X.Y.Z' },
      { name: 'node-sha256', what: "the tarball's SHA-256", placeholder: 'HEX' },
      { name: 'time-limit', what: 'a number of seconds', placeholder: 'S' },
    ],
    switches: ['require-record'],
    help: `Build a Gradescope autograder for the problems (corelab-1 ...): a zip (--out, default
./autograder.zip) with the CLI, MNIST (--data or DNN_LAB_DATA, checked by SHA-256) and a pinned Node
(bundled with --node-tarball, else downloaded by setup.sh and checked against its SHA-256). Each
requirement and each seed's threshold is a test; --hidden-seeds (default 7) are shown after the due date.
--time-limit (default 480) stops training so results.json is written inside Gradescope's 10 minutes.
--require-record asks for a run record that retrains to the same figures. --format github writes a
GitHub Actions workflow and its grader into the folder --out (default .) instead.`,
    run: autograderCommand,
  },
  'grade-submission': {
    args: '',
    valued: [
      { name: 'root', what: 'a folder', placeholder: 'DIR' },
      { name: 'source', what: 'a folder', placeholder: 'DIR' },
      { name: 'summary', what: 'a file', placeholder: 'FILE' },
      { name: 'exclude', what: 'paths separated by commas', placeholder: 'PATH,...' },
    ],
    switches: ['exit-code'],
    help: `What an autograder's run_autograder runs: grade DIR/submission (--root, else $AUTOGRADER_ROOT, else
/autograder) and write DIR/results/results.json. --summary appends its Markdown to FILE; --exit-code
exits 1 unless every test passed.`,
    run: gradeSubmissionCommand,
  },
  verify: {
    args: '<run.json>',
    valued: [
      DATA,
      BACKEND,
      { name: 'threads', what: 'a number of threads', placeholder: 'N' },
      { name: 'accuracy-tolerance', what: 'a fraction', placeholder: '0.005' },
      { name: 'loss-tolerance', what: 'a fraction', placeholder: '0.05' },
    ],
    switches: ['json'],
    help: `Retrain a run record (.dnnlab/runs/<id>.json) from its config and seed on its backend and compare
every epoch's losses and accuracies (default tolerance: 0.5 points, 5% of the loss). Exit 0 when they match.`,
    run: verifyCommand,
  },
  export: {
    args: '<config or run record>...',
    valued: [
      { name: 'format', what: 'a format', placeholder: 'pytorch|keras|csv|markdown|latex' },
      { name: 'table', what: 'a table', placeholder: 'epochs|layers|comparison' },
      { name: 'out', what: 'a file', placeholder: 'FILE' },
    ],
    switches: [],
    help: `A config as a PyTorch or Keras script (--data DIR, --epochs N; prints its final test accuracy last),
or a run record's epochs or per-layer statistics, or several records' comparison, as CSV, Markdown or LaTeX.`,
    run: exportCommand,
  },
  example: {
    args: '7-3',
    valued: [],
    switches: ['json'],
    help: "The chapter's worked example, forward and backward, with every number.",
    run: exampleCommand,
  },
};

/** One command's usage, built from COMMANDS: its synopsis (wrapped), then what it does. */
function commandUsage(name: string): string {
  const command = COMMANDS[name];
  const head = `  dnn-lab ${name} ${command.args}`;
  const lines = [head];
  for (const part of optionsSynopsis(command)) {
    if (lines[lines.length - 1].length + part.length + 1 > 100) lines.push(' '.repeat(head.length));
    lines[lines.length - 1] += ` ${part}`;
  }
  return [...lines, ...command.help.split('\n').map((line) => `      ${line}`)].join('\n');
}

/** Every command's usage. */
const USAGE = `Usage:\n${Object.keys(COMMANDS).map(commandUsage).join('\n')}\n`;

/** Runs one command line and resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command)
      throw new UsageError(`unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage:\n${commandUsage(name)}\n`);
      return 0;
    }
    return await command.run(parseArgs(rest, command), io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // The usage of the command given, which says what to write; all of them when the command itself is unknown.
    io.stderr(`dnn-lab: ${err.message}\n\n${command ? `Usage:\n${commandUsage(name)}\n` : USAGE}`);
    return 2;
  }
}

main(process.argv.slice(2), processIo()).then(exitWhenWritten, (err: unknown) => {
  process.stderr.write(`dnn-lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  exitWhenWritten(1);
});
