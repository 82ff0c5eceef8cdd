import type { EpochMetrics } from '../train/metrics';
import type { SweepRun } from './expandSweep';

/** How one run of a comparison ended so far. */
export type ComparisonStatus = 'waiting' | 'running' | 'completed' | 'cancelled' | 'failed';

/** One run's epochs and end, as a comparison collects them. */
export interface ComparedRun {
  run: Pick<SweepRun, 'index' | 'label' | 'settings'>;
  status: ComparisonStatus;
  epochs: EpochMetrics[];
  /** Why the run failed, e.g. the divergence message. */
  error?: string;
}

/** One row of the comparison table: the figures a student compares across runs. */
export interface ComparisonRow {
  label: string;
  status: ComparisonStatus;
  epochsDone: number;
  finalTrainAccuracy?: number;
  finalTestAccuracy?: number;
  secondsPerEpoch?: number;
  /** RMS of delta^l per layer at the end of the first epoch: vanishing or zero deltas show here. */
  firstEpochDeltaRms: number[];
  error?: string;
}

/** The table rows of a comparison, in run order. */
export function comparisonRows(runs: readonly ComparedRun[]): ComparisonRow[] {
  return runs.map(({ run, status, epochs, error }) => {
    const last = epochs.at(-1);
    const seconds = epochs.reduce((sum, e) => sum + e.seconds, 0);
    return {
      label: run.label,
      status,
      epochsDone: epochs.length,
      finalTrainAccuracy: last?.trainAccuracy,
      finalTestAccuracy: last?.testAccuracy,
      secondsPerEpoch: epochs.length > 0 ? seconds / epochs.length : undefined,
      firstEpochDeltaRms: epochs[0]?.layers.map((l) => l.deltaRms) ?? [],
      ...(error !== undefined && { error }),
    };
  });
}

/**
 * Column headings and cells of the rows as text, for a Markdown table or a terminal; layers are δ¹, δ², ...
 * `statusText` words a status in the reader's language (default: the status itself).
 */
export function comparisonTable(
  rows: readonly ComparisonRow[],
  headings: { run: string; status: string; train: string; test: string; time: string },
  statusText: (status: ComparisonStatus) => string = (status) => status,
): string[][] {
  const layers = Math.max(0, ...rows.map((r) => r.firstEpochDeltaRms.length));
  const percent = (x: number | undefined) => (x === undefined ? '' : `${(100 * x).toFixed(2)}%`);
  const header = [
    headings.run,
    headings.status,
    headings.train,
    headings.test,
    headings.time,
    ...Array.from({ length: layers }, (_, i) => `δ${superscript(i + 1)} rms`),
  ];
  const body = rows.map((r) => [
    r.label || '—',
    r.error ? `${statusText(r.status)}: ${r.error}` : statusText(r.status),
    percent(r.finalTrainAccuracy),
    percent(r.finalTestAccuracy),
    // Two decimals below a second, where a small sweep's epochs are: "0.0" would say nothing.
    r.secondsPerEpoch === undefined ? '' : r.secondsPerEpoch.toFixed(r.secondsPerEpoch < 1 ? 2 : 1),
    ...Array.from({ length: layers }, (_, i) =>
      r.firstEpochDeltaRms[i] === undefined ? '' : r.firstEpochDeltaRms[i].toExponential(1),
    ),
  ]);
  return [header, ...body];
}

/** A GitHub-flavoured Markdown table of `cells` (first row the heading), with pipes in cells escaped. */
export function markdownTable(cells: readonly string[][]): string {
  const line = (row: readonly string[]) =>
    `| ${row.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  const [header, ...body] = cells;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

function superscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
}
