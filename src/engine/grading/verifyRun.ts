import type { LabConfig } from '../config/labConfig';
import type { EpochMetrics } from '../train/metrics';

/**
 * How far a retrained epoch may be from the recorded one and still verify. The same config, seed and backend repeat
 * bit for bit on one machine; other CPUs, thread counts and Node versions (relaxed SIMD) drift in the last digits,
 * and the drift grows over the epochs: the defaults are far above that drift and far below what any edit to the
 * config or the figures changes.
 */
export interface VerifyTolerance {
  /** Largest difference of a training or test accuracy, as a fraction (0.005 is half a point). */
  accuracy: number;
  /** Largest relative difference of a training or test loss. */
  loss: number;
}

/** Half a point of accuracy and 5 % of the loss. */
export const DEFAULT_TOLERANCE: VerifyTolerance = { accuracy: 0.005, loss: 0.05 };

/** Whether a record's epochs match a retraining, with one line per epoch that does not, naming the figure. */
export interface VerifyOutcome {
  verified: boolean;
  /** One line for the whole check, e.g. "20 of 20 epochs match within 0.5 points of accuracy and 5% of loss". */
  summary: string;
  mismatches: string[];
}

const FIGURES = [
  ['trainAccuracy', 'training accuracy', 'accuracy'],
  ['testAccuracy', 'test accuracy', 'accuracy'],
  ['trainLoss', 'training loss', 'loss'],
  ['testLoss', 'test loss', 'loss'],
] as const;

/** Compares the recorded epochs with the retrained ones, epoch by epoch, within `tolerance`. */
export function compareEpochs(
  recorded: readonly EpochMetrics[],
  retrained: readonly EpochMetrics[],
  tolerance: VerifyTolerance = DEFAULT_TOLERANCE,
): VerifyOutcome {
  const mismatches: string[] = [];
  if (recorded.length === 0) mismatches.push('the record holds no finished epoch to compare');
  if (retrained.length < recorded.length)
    mismatches.push(`the retraining finished ${retrained.length} epochs, the record ${recorded.length}`);
  let matching = 0;
  for (const [i, want] of recorded.entries()) {
    const got = retrained[i];
    if (!got) break;
    const off: string[] = [];
    for (const [key, label, kind] of FIGURES) {
      const a = want[key];
      const b = got[key];
      const ok =
        Number.isFinite(a) &&
        Number.isFinite(b) &&
        (kind === 'accuracy'
          ? Math.abs(a - b) <= tolerance.accuracy
          : Math.abs(a - b) <= tolerance.loss * Math.max(Math.abs(a), 1e-12));
      if (!ok) off.push(`${label} recorded ${show(a, kind)}, retrained ${show(b, kind)}`);
    }
    if (off.length === 0) matching++;
    else mismatches.push(`epoch ${want.epoch}: ${off.join('; ')}`);
  }
  const within = `within ${+(100 * tolerance.accuracy).toPrecision(3)} points of accuracy and ${+(100 * tolerance.loss).toPrecision(3)}% of loss`;
  const verified = mismatches.length === 0;
  const summary = verified
    ? `${matching} of ${recorded.length} epochs match ${within}`
    : `${matching} of ${recorded.length} epochs match ${within}; ${mismatches.length} do not`;
  return { verified, summary, mismatches };
}

function show(x: number, kind: 'accuracy' | 'loss'): string {
  return kind === 'accuracy' ? `${(100 * x).toFixed(2)}%` : x.toPrecision(6);
}

/** The fields that decide what a training computes; two configs with the same key train the same way. */
export function trainingKey(config: LabConfig): string {
  const { layers, loss, optimizer, batchSize, epochs, seed, trainSamples, testSamples } = config;
  return JSON.stringify({ layers, loss, optimizer, batchSize, epochs, seed, trainSamples, testSamples });
}

/**
 * A note when a retraining ran other kernels than the record's ("SIMD" against "relaxed SIMD, FMA", or another
 * backend): they round differently, and the difference grows over the epochs. Thread counts are not compared.
 */
export function kernelsNote(recorded: string | undefined, retrained: string): string | undefined {
  const kernels = (name: string) => name.replace(/, \d+ threads?\)/, ')');
  if (recorded === undefined || kernels(recorded) === kernels(retrained)) return undefined;
  return `note: recorded on ${recorded}, retrained on ${retrained}; other kernels round differently and the figures drift apart over the epochs`;
}
