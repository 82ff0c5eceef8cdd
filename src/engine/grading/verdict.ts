import type { TrainResult } from '../train/metrics';
import type { CorelabProblem } from './problems';

/** How one graded run ended: trained (completed or stopped), or failed with the run's own message (e.g. divergence). */
export type GradedOutcome =
  { kind: 'trained'; result: TrainResult } | { kind: 'failed'; message: string; diverged?: boolean };

/** One run of a graded config and its outcome. */
export interface GradedRun {
  /** "" for a single run, else the sweep label, e.g. "learningRate=0.01". */
  label: string;
  learningRate: number;
  epochs: number;
  outcome: GradedOutcome;
}

/** The judgement on a problem's runs: pass or fail, one line saying why, and the figures behind it. */
export interface Verdict {
  passed: boolean;
  summary: string;
  /** One line per run, then for problem 3 the comparison of the learning rates. */
  details: string[];
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Judges the runs of `problem` against its accuracy floor; problem 3 also says which learning rate gave the higher accuracy. */
export function judgeRuns(problem: CorelabProblem, runs: readonly GradedRun[]): Verdict {
  const name = problem.title.split(':')[0];
  const floor = problem.minTrainAccuracy;
  const details: string[] = [];
  const failures: string[] = [];
  const finals: { learningRate: number; accuracy: number }[] = [];
  for (const run of runs) {
    const who = run.label ? `${run.label}: ` : '';
    if (run.outcome.kind === 'failed') {
      details.push(`${who}the run failed: ${run.outcome.message}`);
      failures.push(`${who}the run failed`);
      continue;
    }
    const { result } = run.outcome;
    const last = result.epochs.at(-1);
    const done = result.epochs.length;
    const time =
      done > 0
        ? `, ${done} epoch${done === 1 ? '' : 's'} in ${result.seconds.toFixed(0)} s (${(result.seconds / done).toFixed(1)} s per epoch)`
        : '';
    if (result.status === 'cancelled' || last === undefined || done < run.epochs) {
      details.push(`${who}stopped after ${done} of ${run.epochs} epochs${time}`);
      failures.push(`${who}stopped after ${done} of ${run.epochs} epochs; grading needs the whole run`);
      continue;
    }
    const reached = last.trainAccuracy >= floor;
    details.push(
      `${who}training accuracy ${percent(last.trainAccuracy)} (test ${percent(last.testAccuracy)}) after ${done} epochs, ` +
        `at least ${percent(floor)} needed: ${reached ? 'passed' : 'not reached'}${time}`,
    );
    if (!reached)
      failures.push(`${who}training accuracy ${percent(last.trainAccuracy)} is below the ${percent(floor)} needed`);
    finals.push({ learningRate: run.learningRate, accuracy: last.trainAccuracy });
  }
  if (problem.learningRates && finals.length === runs.length && finals.length >= 2) details.push(compareRates(finals));
  const passed = failures.length === 0 && runs.length > 0;
  // For problem 3 the headline is the comparison the problem asks about; the runs' figures follow in the details.
  const headline = problem.learningRates ? details.at(-1) : details[0];
  const summary = passed
    ? `${name} passed: ${headline}`
    : `${name} failed: ${failures.join('; ') || 'nothing was trained'}`;
  return { passed, summary, details };
}

/** "learning rate 0.001 gave the higher training accuracy: 97.80% against 96.10% with 0.01 (1.70 points more)". */
function compareRates(finals: { learningRate: number; accuracy: number }[]): string {
  const sorted = [...finals].sort((a, b) => b.accuracy - a.accuracy);
  const [best, ...rest] = sorted;
  const others = rest.map((r) => `${percent(r.accuracy)} with ${r.learningRate}`).join(', ');
  const gap = (100 * (best.accuracy - rest[0].accuracy)).toFixed(2);
  return `learning rate ${best.learningRate} gave the higher training accuracy: ${percent(best.accuracy)} against ${others} (${gap} points more)`;
}
