import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatConfigErrors, locateErrors } from '../engine/config/configError';
import { explicitDataFolder } from '../engine/data';
import { gradescopeResults, type GradedSubmission } from '../engine/grading/gradescope';
import { planGrading } from '../engine/grading/planGrading';
import { isProblemId, PROBLEM_IDS } from '../engine/grading/problems';
import { judgeRuns, type GradedRun } from '../engine/grading/verdict';
import type { BackendPreference } from '../engine/kernels/backend';
import type { SweepRun } from '../engine/sweep/expandSweep';
import { optionValue, UsageError, type ParsedArgs } from './args';
import { outputFileProblem, readConfigText, shownPath, writeOutputFile, type CliIo } from './io';
import { trainOutcome } from './gradedTraining';
import { backendOption, epochLine } from './trainCommand';

/**
 * `dnn-lab grade <lab folder or config>... [--problem corelab-N] [--data DIR] [--backend B] [--out FILE] [--json]`:
 * checks each config against its Corelab problem, trains the ones that meet it, writes Gradescope's results.json and
 * resolves to 0 when every test passed, 1 otherwise.
 */
export async function gradeCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length === 0)
    throw new UsageError('grade needs a lab folder or config, e.g. dnn-lab grade corelab-1/');
  const problemId = optionValue(args, 'problem');
  if (problemId !== undefined && !isProblemId(problemId)) {
    throw new UsageError(`--problem must be one of ${PROBLEM_IDS.join(', ')}, got ${problemId}`);
  }
  const json = args.options.has('json');
  const say = (text: string, value: object) =>
    json ? io.stdout(`${JSON.stringify(value)}\n`) : io.stdout(`${text}\n`);
  const backend = backendOption(args);
  const dataFlag = explicitDataFolder({ flag: optionValue(args, 'data') });
  const dataFolder = dataFlag && resolve(io.cwd, dataFlag);
  const outShown = optionValue(args, 'out') ?? 'results.json';
  const outPath = resolve(io.cwd, outShown);
  // Before any training: a results.json that cannot be written would waste every minute of it.
  const outProblem = await outputFileProblem('out', outPath, outShown);
  if (outProblem) {
    io.stderr(`Error: ${outProblem}\n`);
    if (json) say('', { event: 'error', message: outProblem });
    return 1;
  }

  const submissions: GradedSubmission[] = [];
  for (const target of args.positionals) {
    const files = await configFiles(resolve(io.cwd, target));
    if (typeof files === 'string') {
      io.stderr(`Error: ${files}\n`);
      return 1;
    }
    for (const file of files) {
      const shown = shownPath(io.cwd, file);
      const submission = await gradeFile(file, shown, problemId, { backend, dataFolder, say });
      if (submission) submissions.push(submission);
      else return 1;
    }
  }
  const results = gradescopeResults(submissions);
  try {
    await writeOutputFile('out', outPath, outShown, `${JSON.stringify(results, null, 2)}\n`);
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n`);
    if (json) say('', { event: 'error', message: (err as Error).message });
    return 1;
  }
  say(`Score ${results.score}/${results.max_score}; Gradescope results written to ${shownPath(io.cwd, outPath)}`, {
    event: 'results',
    path: outPath,
    score: results.score,
    max_score: results.max_score,
  });
  return results.score === results.max_score ? 0 : 1;
}

interface GradeContext {
  backend: BackendPreference;
  dataFolder: string | undefined;
  say: (text: string, value: object) => void;
}

/** The configs to grade: the file itself, or the `*.dnn.json` files of a folder (the instructor's reference.dnn.json aside); a string says why there are none. */
async function configFiles(target: string): Promise<string[] | string> {
  const info = await stat(target).catch(() => undefined);
  if (!info) return `${target} does not exist: name a lab folder or a .dnn.json config`;
  if (!info.isDirectory()) return [target];
  const names = (await readdir(target))
    .filter((name) => name.endsWith('.dnn.json') && name !== 'reference.dnn.json')
    .sort();
  if (names.length === 0)
    return `${target} holds no .dnn.json config to grade (reference.dnn.json is graded only when named)`;
  return names.map((name) => join(target, name));
}

/** Grades one config; undefined when it could not be read (already reported). */
async function gradeFile(
  file: string,
  shown: string,
  problemId: string | undefined,
  context: GradeContext,
): Promise<GradedSubmission | undefined> {
  const { say } = context;
  let text: string;
  try {
    text = await readConfigText(file);
  } catch (err) {
    say(`Error: cannot read ${shown}: ${(err as Error).message}`, {
      event: 'error',
      file: shown,
      message: (err as Error).message,
    });
    return undefined;
  }
  const plan = planGrading(text, problemId);
  if (plan.kind !== 'ready') {
    const lines = formatConfigErrors(shown, text, plan.errors).split('\n');
    const errors = locateErrors(text, plan.errors);
    say(
      `${shown}: ${plan.problem?.title ?? 'not graded'}\n${lines.join('\n')}\nNot trained: fix ${plan.errors.length === 1 ? 'this' : 'these'} first.`,
      {
        event: 'requirements',
        file: shown,
        problem: plan.problem?.id,
        passed: false,
        errors,
      },
    );
    return { file: shown, problem: plan.problem, requirementIssues: lines };
  }
  const { problem, runs } = plan;
  say(`${shown}: ${problem.title}\nRequirements met; training ${runs.length === 1 ? 'it' : `${runs.length} runs`}...`, {
    event: 'requirements',
    file: shown,
    problem: problem.id,
    passed: true,
  });
  const graded: GradedRun[] = [];
  for (const run of runs) graded.push(await trainRun(run, context));
  const verdict = judgeRuns(problem, graded);
  say([verdict.summary, ...verdict.details.map((d) => `  ${d}`)].join('\n'), {
    event: 'verdict',
    file: shown,
    problem: problem.id,
    ...verdict,
  });
  return { file: shown, problem, requirementIssues: [], verdict };
}

/** Trains one run in the training worker, printing each epoch. */
async function trainRun(run: SweepRun, { backend, dataFolder, say }: GradeContext): Promise<GradedRun> {
  const { config } = run;
  const prefix = run.label ? `[${run.label}] ` : '';
  const outcome = await trainOutcome(config, {
    backend,
    dataFolder,
    onEpoch: (metrics) =>
      say(`${prefix}${epochLine(metrics, config.epochs)}`, { event: 'epoch', run: run.label, ...metrics }),
  });
  return { label: run.label, learningRate: config.optimizer.learningRate, epochs: config.epochs, outcome };
}
