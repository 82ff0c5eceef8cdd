import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { LabConfig } from '../engine/config/labConfig';
import {
  autograderResults,
  resultsMarkdown,
  type SeedRuns,
  type SubmissionGrading,
} from '../engine/grading/autograderResults';
import { checkSpec, type AutograderSpec } from '../engine/grading/autograderSpec';
import type { GradescopeResults } from '../engine/grading/gradescope';
import { planGrading } from '../engine/grading/planGrading';
import { PROBLEMS } from '../engine/grading/problems';
import type { GradedRun } from '../engine/grading/verdict';
import { compareEpochs, kernelsNote, trainingKey, type VerifyOutcome } from '../engine/grading/verifyRun';
import { readRunRecordFile, runIdOfFile } from '../engine/record/runHistory';
import { expandSweep } from '../engine/sweep/expandSweep';
import { atMostPositionals, type ParsedArgs } from './args';
import { submissionFiles } from './autograderCommand';
import { trainOutcome } from './gradedTraining';
import { MAX_CONFIG_BYTES, readBoundedFile, type CliIo } from './io';

/** Environment variable for tests: train every run on the first N training and test images only. */
export const SUBSET_ENV = 'DNN_LAB_GRADER_SUBSET';

/**
 * `dnn-lab grade-submission [--root DIR] [--source DIR] [--summary FILE] [--exit-code] [--exclude PATH,...]`: what
 * run_autograder runs. Grades DIR/submission (DIR: --root, else $AUTOGRADER_ROOT, else /autograder) with the spec
 * and MNIST of --source (default DIR/source) and writes DIR/results/results.json, whatever the submission holds.
 * Resolves to 0, or with --exit-code to 1 unless every test passed; 1 when the autograder itself is broken.
 */
export async function gradeSubmissionCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  atMostPositionals(args, 0, 'grade-submission takes no files: it grades DIR/submission (--root DIR)');
  const started = performance.now();
  const root = resolve(
    io.cwd,
    (args.options.get('root') as string | undefined) ?? process.env.AUTOGRADER_ROOT ?? '/autograder',
  );
  const source = resolve(io.cwd, (args.options.get('source') as string | undefined) ?? join(root, 'source'));
  const resultsPath = join(root, 'results', 'results.json');
  const write = async (results: GradescopeResults) => {
    await mkdir(dirname(resultsPath), { recursive: true });
    await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
    const summary = args.options.get('summary');
    if (typeof summary === 'string') await appendFile(summary, resultsMarkdown(results));
    io.stdout(`Score ${results.score}/${results.max_score}; results written to ${resultsPath}\n`);
  };
  let spec: AutograderSpec;
  try {
    spec = checkSpec(JSON.parse(await readFile(join(source, 'autograder.json'), 'utf8')));
    await checkMnist(join(source, spec.mnist.folder), spec);
  } catch (err) {
    const message = `The autograder is broken, not your submission: ${(err as Error).message}. Tell your instructor.`;
    io.stderr(`Error: ${message}\n`);
    await write({ score: 0, max_score: 0, output: message, output_format: 'md', tests: [] });
    return 1;
  }
  const subset = Number(process.env[SUBSET_ENV] ?? 0);
  const exclude = ((args.options.get('exclude') as string | undefined) ?? '').split(',').filter(Boolean);
  try {
    const deadline = started + 1000 * spec.timeLimitSeconds;
    const grading = await gradeFolder(join(root, 'submission'), spec, {
      dataFolder: join(source, spec.mnist.folder),
      subset,
      exclude,
      io,
      deadline,
    });
    const results = autograderResults(grading, {
      spec,
      executionSeconds: (performance.now() - started) / 1000,
      subset,
    });
    await write(results);
    return args.options.has('exit-code') && results.score < results.max_score ? 1 : 0;
  } catch (err) {
    // A bug of ours must still leave a results.json that says so, never a crashed autograder.
    const message = `The autograder failed: ${(err as Error).stack ?? String(err)}. Tell your instructor; your submission may be fine.`;
    io.stderr(`Error: ${message}\n`);
    await write({ score: 0, max_score: 0, output: message, tests: [] });
    return 1;
  }
}

/** Every MNIST file of the spec, checked against its SHA-256 before anything trains on it. */
async function checkMnist(folder: string, spec: AutograderSpec): Promise<void> {
  for (const [name, sha] of Object.entries(spec.mnist.sha256)) {
    const data = await readFile(join(folder, name)).catch(() => {
      throw new Error(`MNIST file ${join(folder, name)} is missing from the autograder's source`);
    });
    const got = createHash('sha256').update(data).digest('hex');
    if (got !== sha) throw new Error(`MNIST file ${name} has SHA-256 ${got}, expected ${sha}`);
  }
}

interface FolderContext {
  dataFolder: string;
  subset: number;
  exclude: string[];
  io: CliIo;
  /** performance.now() when training must have stopped. */
  deadline: number;
}

/** Finds the one config of the submission, checks it, and trains it on its seed and the hidden ones. */
async function gradeFolder(folder: string, spec: AutograderSpec, context: FolderContext): Promise<SubmissionGrading> {
  const single = spec.problems.length === 1 ? PROBLEMS[spec.problems[0]] : undefined;
  const files = await submissionFiles(folder, context.exclude);
  const records = await runRecords(folder, files);
  const jsons = files.filter(
    (f) => /\.jsonc?$/.test(f) && ![...records.found, ...records.refused].some((r) => r.file === f),
  );
  // A config is a .dnn.json; failing that, any JSON outside dot-folders (.vscode/settings.json is no lab config).
  const configs = jsons.some((f) => f.endsWith('.dnn.json'))
    ? jsons.filter((f) => f.endsWith('.dnn.json'))
    : jsons.filter((f) => !/(^|\/)\./.test(f));
  const example = `${spec.problems[0]}.dnn.json`;
  if (configs.length === 0) {
    const seen =
      files.length === 0
        ? 'the submission is empty'
        : `the submission holds ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''} but no lab config`;
    return {
      kind: 'rejected',
      problem: single,
      message: `No lab config to grade: ${seen}. Upload your ${example} (the .dnn.json file you trained in VS Code).`,
    };
  }
  if (configs.length > 1) {
    return {
      kind: 'rejected',
      problem: single,
      message: `${configs.length} lab configs were submitted (${configs.join(', ')}): upload exactly one, your ${example}.`,
    };
  }
  const [file] = configs;
  let text: string;
  try {
    // The same bounded reader as train's: a submitted FIFO or a gigabyte file is refused, never read without end.
    const bytes = await readBoundedFile(join(folder, file), MAX_CONFIG_BYTES, {
      fix: `upload your ${example} as a plain file`,
      what: 'a lab config is a few KB',
    });
    text = new TextDecoder().decode(bytes);
  } catch (err) {
    return { kind: 'rejected', problem: single, message: `${file} cannot be read: ${(err as Error).message}.` };
  }
  const plan = planGrading(text);
  if (plan.kind === 'invalid')
    return { kind: 'invalid', file, text, problem: plan.problem ?? single, errors: plan.errors };
  if (!spec.problems.includes(plan.problem.id)) {
    const range = plan.parse.ranges.fields.get('problem') ?? { offset: 0, length: 1 };
    const message = `problem is "${plan.problem.id}", but this assignment grades ${spec.problems.join(', ')}: write "problem": "${spec.problems[0]}"`;
    return { kind: 'invalid', file, text, problem: single, errors: [{ path: 'problem', message, range }] };
  }
  const config = plan.parse.config as LabConfig;
  // A network too big for the memory is an invalid config already (the config's memory rule), never trained here.
  if (plan.kind === 'unmet')
    return { kind: 'graded', file, text, problem: plan.problem, issues: plan.issues, seeds: [] };

  const seeds: SeedRuns[] = [];
  const hidden = spec.hiddenSeeds.filter((s) => s !== config.seed);
  for (const [i, seed] of [config.seed, ...hidden].entries()) {
    if (performance.now() >= context.deadline) {
      seeds.push({
        seed,
        hidden: i > 0,
        runs: [],
        skipped: `Not trained: the autograder's ${spec.timeLimitSeconds} s of training ran out before this seed.`,
      });
      continue;
    }
    const runs: GradedRun[] = [];
    for (const run of expandSweep({ ...config, seed })) {
      const trained =
        context.subset > 0 ? { ...run.config, trainSamples: context.subset, testSamples: context.subset } : run.config;
      context.io.stdout(`Seed ${seed}${run.label ? `, ${run.label}` : ''}: training...\n`);
      const outcome = await trainOutcome(trained, {
        backend: 'dnn-wasm',
        threads: spec.threads,
        dataFolder: context.dataFolder,
        deadline: context.deadline,
        onEpoch: (m) =>
          context.io.stdout(
            `  epoch ${m.epoch}: train ${(100 * m.trainAccuracy).toFixed(2)}% test ${(100 * m.testAccuracy).toFixed(2)}% ${m.seconds.toFixed(1)} s\n`,
          ),
      });
      runs.push({ label: run.label, learningRate: trained.optimizer.learningRate, epochs: trained.epochs, outcome });
    }
    seeds.push({ seed, hidden: i > 0, runs });
    // A run that diverged scores 0 whatever the other seeds do: no need to spend their minutes.
    if (runs.some((r) => r.outcome.kind === 'failed' && r.outcome.diverged)) break;
  }
  const record = spec.requireRecord
    ? checkRecords(
        records,
        seeds[0].runs,
        expandSweep(config).map((r) => r.config),
      )
    : undefined;
  return { kind: 'graded', file, text, problem: plan.problem, issues: [], seeds, record };
}

interface SubmittedRecord {
  file: string;
  config: LabConfig;
  epochs: Parameters<typeof compareEpochs>[0];
  /** The kernels it trained on, e.g. "DNN Lab wasm (relaxed SIMD, FMA, 2 threads)". */
  backend?: string;
}

/** The run records of a submission, and the files that should have been records but are not, with the reason. */
interface SubmittedRecords {
  found: SubmittedRecord[];
  refused: { file: string; problem: string }[];
}

/**
 * The run records of a submission, read as the extension's run history and `dnn-lab export`/`verify` read them
 * (readRunRecordFile: a regular file, never through a link, at most MAX_RECORD_BYTES, checked by checkRunRecord).
 * A file in a runs folder or named like a run that fails the check is refused with its reason, never graded.
 */
async function runRecords(folder: string, files: readonly string[]): Promise<SubmittedRecords> {
  const found: SubmittedRecord[] = [];
  const refused: SubmittedRecords['refused'] = [];
  for (const file of files.filter((f) => f.endsWith('.json') && !f.endsWith('.dnn.json'))) {
    const read = await readRunRecordFile(join(folder, file), { noFollow: true });
    if ('record' in read) {
      const { config, epochs, environment } = read.record;
      found.push({ file, config, epochs, backend: environment.backend });
    } else if (/(^|\/)runs\//.test(file) || runIdOfFile(basename(file))) {
      refused.push({ file, problem: read.problem });
    }
    // Any other JSON that is no record may be the config (a broken config is reported as the config).
  }
  return { found, refused };
}

/** Each run of the submitted config against the record of the same training, epoch by epoch. */
function checkRecords(
  { found: records, refused }: SubmittedRecords,
  runs: readonly GradedRun[],
  configs: readonly LabConfig[],
): VerifyOutcome {
  const refusedNote = refused.map((r) => `\n${r.file} was left out: ${r.problem}`).join('');
  if (records.length === 0)
    return {
      verified: false,
      summary: `No run record was submitted: add the .dnnlab/runs/<id>.json of your run beside your config.${refusedNote}`,
      mismatches: [],
    };
  const outcomes = runs.map((run, i) => {
    const record = records.find((r) => trainingKey(r.config) === trainingKey(configs[i]));
    const who = run.label ? `${run.label}: ` : '';
    if (!record)
      return {
        verified: false,
        summary: `${who}no submitted record trained this config (layers, optimizer, batch size, epochs and seed must match)`,
        mismatches: [],
      };
    if (run.outcome.kind !== 'trained')
      return { verified: false, summary: `${who}the retraining failed`, mismatches: [] };
    const outcome = compareEpochs(record.epochs, run.outcome.result.epochs);
    const note = outcome.verified ? undefined : kernelsNote(record.backend, run.outcome.result.backend);
    return { ...outcome, summary: `${who}${record.file}: ${outcome.summary}${note ? ` (${note})` : ''}` };
  });
  return {
    verified: outcomes.every((o) => o.verified),
    summary: outcomes.map((o) => o.summary).join('\n') + refusedNote,
    mismatches: outcomes.flatMap((o) => o.mismatches),
  };
}
