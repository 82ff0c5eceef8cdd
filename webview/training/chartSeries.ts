import type { LayerStats } from '../../src/engine/train/metrics';
import type { RunRecord } from '../../src/engine/record/runRecord';
import { smoothed } from './smoothing';

/** One point of a curve. */
export interface Point {
  x: number;
  y: number;
}

/** A run's curves, ready for the charts; x is the epoch for per-epoch curves and the batch step otherwise. */
export interface RunSeries {
  trainLoss: Point[];
  testLoss: Point[];
  trainAccuracy: Point[];
  testAccuracy: Point[];
  /** Per-batch loss, raw and smoothed; x in epochs (fractional), so it lines up with the epoch charts. */
  batchLoss: Point[];
  batchLossSmoothed: Point[];
  /** Per layer l (index l-1): RMS of delta^l and ||dC/dW^l|| over time, x in epochs (fractional). */
  deltaRms: Point[][];
  gradNorm: Point[][];
}

/** Smoothing of the per-batch loss curve. */
export const BATCH_SMOOTHING = 0.9;

/** The curves of a run, from its record. */
export function runSeries(record: Pick<RunRecord, 'epochs' | 'batchLosses' | 'layerSnapshots' | 'config'>): RunSeries {
  const perEpoch = (pick: (e: RunRecord['epochs'][number]) => number) =>
    record.epochs.map((e) => ({ x: e.epoch, y: pick(e) }));
  const batchX = record.batchLosses.map((b) => b.epoch - 1 + b.batch / b.batches);
  const smooth = smoothed(
    record.batchLosses.map((b) => b.loss),
    BATCH_SMOOTHING,
  );
  const layers = record.config.layers.length;
  const perLayer = (pick: (s: LayerStats) => number): Point[][] =>
    Array.from({ length: layers }, (_, i) =>
      record.layerSnapshots.flatMap((snap) => {
        const stats = snap.layers[i];
        // A step is a global batch index; the batches per epoch come from the step within its epoch.
        return stats ? [{ x: snapshotX(record, snap.step, snap.epoch), y: pick(stats) }] : [];
      }),
    );
  return {
    trainLoss: perEpoch((e) => e.trainLoss),
    testLoss: perEpoch((e) => e.testLoss),
    trainAccuracy: perEpoch((e) => e.trainAccuracy),
    testAccuracy: perEpoch((e) => e.testAccuracy),
    batchLoss: record.batchLosses.map((b, i) => ({ x: batchX[i], y: b.loss })),
    batchLossSmoothed: smooth.map((y, i) => ({ x: batchX[i], y })),
    deltaRms: perLayer((s) => s.deltaRms),
    gradNorm: perLayer((s) => s.gradNorm),
  };
}

// Batches per epoch are known once a batch of the run has been seen; before that the step stands alone.
function snapshotX(record: Pick<RunRecord, 'batchLosses'>, step: number, epoch: number): number {
  const batches = record.batchLosses[0]?.batches;
  return batches ? step / batches : epoch;
}
