// Gradescope's results.json for one submission, as the autograder built by `dnn-lab autograder` writes it: one test
// per requirement, one per seed's threshold (hidden seeds after the due date), the curves and each layer's δ as
// Markdown, a leaderboard and the execution time. The GitHub job summary prints the same Markdown (resultsMarkdown).
import { formatConfigErrors, type ConfigError } from '../config/configError';
import { deltaCells, epochCells, formatTable } from '../export/tables';
import type { EpochMetrics } from '../train/metrics';
import type { AutograderSpec } from './autograderSpec';
import { sum, test, type GradescopeResults, type GradescopeTest } from './gradescope';
import type { CorelabProblem } from './problems';
import { REQUIREMENTS, type RequirementIssue, type RequirementName } from './requirements';
import { judgeRuns, type GradedRun } from './verdict';
import type { VerifyOutcome } from './verifyRun';

/** Points of a threshold test; every other test is worth one. */
export const THRESHOLD_POINTS = 2;

/** The runs of one seed: the config's own (visible) or a hidden one. Empty `runs` when nothing was trained. */
export interface SeedRuns {
  seed: number;
  hidden: boolean;
  runs: GradedRun[];
  /** Why `runs` is empty when the config was fine, e.g. the time budget ran out. */
  skipped?: string;
}

/** What grading found in the submission. */
export type SubmissionGrading =
  /** No single config to grade: none, several, or unreadable; `message` says what to upload. */
  | { kind: 'rejected'; problem?: CorelabProblem; message: string }
  /** A config that does not parse or names no problem of this autograder; `text` is its source. */
  | { kind: 'invalid'; file: string; text: string; problem?: CorelabProblem; errors: ConfigError[] }
  /** A config of `problem`: its requirement issues and, when it met them, the seeds' runs. */
  | {
      kind: 'graded';
      file: string;
      text: string;
      problem: CorelabProblem;
      issues: RequirementIssue[];
      seeds: SeedRuns[];
      record?: VerifyOutcome;
    };

/** Everything results.json says besides the grading itself. */
export interface ResultsContext {
  spec: AutograderSpec;
  executionSeconds: number;
  /** Training images per run when the grader was told to use a subset (tests only); 0 or absent is all of MNIST. */
  subset?: number;
}

/** results.json for one graded submission. */
export function autograderResults(grading: SubmissionGrading, context: ResultsContext): GradescopeResults {
  const problem = grading.problem;
  const seeds = seedList(grading, context.spec);
  const tests: GradescopeTest[] = [];
  const notes: string[] = [];

  const submissionOk = grading.kind !== 'rejected' && grading.kind !== 'invalid';
  const submissionOutput =
    grading.kind === 'rejected'
      ? grading.message
      : grading.kind === 'invalid'
        ? formatConfigErrors(grading.file, grading.text, grading.errors)
        : `Graded ${grading.file}.`;
  tests.push(test('Submission: one valid lab config', submissionOk, submissionOutput));

  if (problem) {
    const issues = grading.kind === 'graded' ? grading.issues : undefined;
    for (const requirement of requirementsOf(problem)) {
      const mine = issues?.filter((i) => i.requirement === requirement) ?? [];
      const output =
        issues === undefined
          ? 'Not checked: fix the submission first.'
          : mine.length === 0
            ? 'Met.'
            : formatConfigErrors(
                grading.kind === 'graded' ? grading.file : '',
                grading.kind === 'graded' ? grading.text : '',
                mine,
              );
      tests.push(
        test(
          `Requirement: ${requirementTitle(problem, requirement)}`,
          issues !== undefined && mine.length === 0,
          output,
        ),
      );
    }
    for (const seed of seeds) {
      const name = `Training accuracy at least ${(100 * problem.minTrainAccuracy).toFixed(0)}% (${seed.hidden ? 'hidden seed' : 'your seed'} ${seed.seed})`;
      let passed = false;
      let output =
        grading.kind !== 'graded'
          ? 'Not trained: fix the submission first.'
          : grading.issues.length > 0
            ? 'Not trained: meet every requirement first.'
            : (seed.skipped ?? 'Not trained: the run on your seed diverged, so this seed was not tried.');
      if (seed.runs.length > 0) {
        const verdict = judgeRuns(problem, seed.runs);
        passed = verdict.passed;
        // A passed single run's one detail is its summary already; failures and sweeps list each run (and the comparison).
        const details =
          verdict.details.length > 1 || !verdict.passed ? ['', ...verdict.details.map((d) => `- ${d}`)] : [];
        output = [verdict.summary, ...details, '', ...seed.runs.flatMap(runFigures)].join('\n');
      }
      tests.push({
        ...test(name, passed, output, THRESHOLD_POINTS),
        ...(seed.hidden && { visibility: 'after_due_date' as const }),
      });
    }
  } else if (grading.kind !== 'rejected') {
    notes.push(
      `This autograder grades ${context.spec.problems.join(', ')}: write "problem": "${context.spec.problems[0]}" in your config.`,
    );
  }
  if (context.spec.requireRecord) {
    const record = grading.kind === 'graded' ? grading.record : undefined;
    tests.push(
      test(
        'Run record: your .dnnlab/runs record retrains to the same figures',
        record?.verified === true,
        record
          ? [record.summary, ...record.mismatches.map((m) => `- ${m}`)].join('\n')
          : 'No run record was checked: submit the .dnnlab/runs/<id>.json of your run with your config.',
      ),
    );
  }

  const diverged = seeds.flatMap((s) => s.runs).find((r) => r.outcome.kind === 'failed' && r.outcome.diverged);
  const visible = seeds.find((s) => !s.hidden)?.runs ?? [];
  const trained = visible
    .flatMap((r) => (r.outcome.kind === 'trained' ? [r.outcome.result.epochs] : []))
    .filter((e) => e.length > 0);
  const score = submissionOk && !diverged ? sum(tests.map((t) => t.score)) : 0;
  const heading = `## ${problem ? problem.title : 'DNN Lab autograder'}${grading.kind === 'rejected' ? '' : ` — ${grading.file}`}`;
  if (!submissionOk)
    notes.push(
      `**Score 0: ${grading.kind === 'rejected' ? grading.message : `${grading.file} is not a valid lab config; fix the errors below and submit again.`}**`,
    );
  if (diverged && diverged.outcome.kind === 'failed') {
    notes.push(`**Score 0: training diverged (a number became NaN or infinite).** ${diverged.outcome.message}`);
  }
  const stopped = seeds.some(
    (s) => s.skipped || s.runs.some((r) => r.outcome.kind === 'trained' && r.outcome.result.status === 'cancelled'),
  );
  if (stopped) {
    notes.push(
      `**Training was stopped after the autograder's ${context.spec.timeLimitSeconds} s:** a run must finish every epoch to be judged; make the network smaller (fewer units) so it trains in time.`,
    );
  }
  if (context.subset)
    notes.push(`_Test mode: every run trained on the first ${context.subset} training and test images only._`);
  const figures = visible.flatMap(runFigures);
  const output = [
    heading,
    '',
    `Score ${score} / ${sum(tests.map((t) => t.max_score))}.`,
    ...notes.flatMap((n) => ['', n]),
    ...(figures.length > 0 ? ['', ...figures] : []),
  ].join('\n');

  const leaderboard = trained.length > 0 ? leaderboardOf(visible) : undefined;
  return {
    score,
    max_score: sum(tests.map((t) => t.max_score)),
    output,
    output_format: 'md',
    test_output_format: 'md',
    stdout_visibility: 'hidden',
    execution_time: Math.round(context.executionSeconds),
    ...(leaderboard && { leaderboard }),
    tests,
  };
}

/** The seeds a submission is (or would be) graded on: the config's own, then the hidden ones. */
function seedList(grading: SubmissionGrading, spec: AutograderSpec): SeedRuns[] {
  const graded = grading.kind === 'graded' ? grading.seeds : [];
  const own = graded[0]?.seed ?? (grading.kind === 'graded' ? ownSeed(grading.text) : 1);
  const hidden = spec.hiddenSeeds.filter((s) => s !== own);
  // Seeds left untrained (after a divergence) still count, so max_score is the same for every submission.
  return [own, ...hidden].map((seed, i) => graded.find((g) => g.seed === seed) ?? { seed, hidden: i > 0, runs: [] });
}

/** The seed a config's text names, 1 (the default) when it names none. */
function ownSeed(text: string): number {
  const match = /"seed"\s*:\s*(\d+)/.exec(text);
  return match ? Number(match[1]) : 1;
}

/** The requirements `problem` fixes, in the order of the config. */
export function requirementsOf(problem: CorelabProblem): RequirementName[] {
  return REQUIREMENTS.filter((r) =>
    r === 'epochs' ? problem.epochs !== undefined : r === 'batchSize' ? problem.batchSize !== undefined : true,
  );
}

function requirementTitle(problem: CorelabProblem, requirement: RequirementName): string {
  switch (requirement) {
    case 'layers':
      return `${problem.layers} Dense layers`;
    case 'data':
      return 'all of MNIST';
    case 'epochs':
      return `${problem.epochs} epochs`;
    case 'batchSize':
      return `batch size ${problem.batchSize}`;
    case 'optimizer':
      return `optimizer ${problem.optimizer}`;
    case 'learningRate':
      return problem.learningRates
        ? `a sweep of learning rates ${problem.learningRates.join(' and ')}`
        : `learning rate ${problem.learningRate}`;
  }
}

/** A run's curves and each layer's δ, per epoch, as Markdown tables. */
export function runFigures(run: GradedRun): string[] {
  if (run.outcome.kind !== 'trained' || run.outcome.result.epochs.length === 0) return [];
  const { epochs, backend } = run.outcome.result;
  const title = `${run.label ? `${run.label}: ` : ''}${epochs.length} epoch${epochs.length === 1 ? '' : 's'} on ${backend}`;
  return [
    `### ${title}`,
    '',
    formatTable(epochCells(epochs), 'markdown').trimEnd(),
    '',
    "Error signal of each layer (RMS of δ over the epoch's last batch):",
    '',
    formatTable(deltaCells(epochs), 'markdown').trimEnd(),
    '',
  ];
}

/** The best test accuracy among the runs and the mean seconds per epoch. */
function leaderboardOf(runs: readonly GradedRun[]): NonNullable<GradescopeResults['leaderboard']> {
  const epochs: EpochMetrics[][] = runs.flatMap((r) => (r.outcome.kind === 'trained' ? [r.outcome.result.epochs] : []));
  const best = Math.max(...epochs.map((e) => e.at(-1)?.testAccuracy ?? 0));
  const all = epochs.flat();
  const secondsPerEpoch = all.length > 0 ? sum(all.map((e) => e.seconds)) / all.length : 0;
  return [
    { name: 'Test accuracy (%)', value: Number((100 * best).toFixed(2)), order: 'desc' },
    { name: 'Seconds per epoch', value: Number(secondsPerEpoch.toFixed(2)), order: 'asc' },
  ];
}

/** The whole of results.json as one Markdown document: the output, then each test with its score (for $GITHUB_STEP_SUMMARY). */
export function resultsMarkdown(results: GradescopeResults): string {
  const tests = results.tests.map(
    (t) =>
      `<details${t.status === 'failed' ? ' open' : ''}><summary>${t.status === 'passed' ? '✅' : '❌'} ${escapeHtml(t.name)}: ${t.score} / ${t.max_score}</summary>\n\n${t.output}\n\n</details>`,
  );
  return [results.output ?? `Score ${results.score} / ${results.max_score}.`, '', '### Tests', '', ...tests, ''].join(
    '\n',
  );
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
