import { createBatchBuffers, fillBatch, type BatchBuffers, type MnistSplit } from '../data';
import { seededRandom, shuffleInto } from '../model/random';

/** Images in the probe's batch: enough for stable RMS figures, few enough for a sub-second probe. */
export const PROBE_BATCH_SIZE = 256;

// A seed of the probe's own, so the batch stays the same whatever seed the student's config uses.
const PROBE_BATCH_SEED = 7_31;

/**
 * The probe's fixed batch: the same `size` training images, drawn at random once with a constant seed,
 * so that two probes differ only by what the student changed in the config.
 */
export function probeBatch(split: MnistSplit, size: number = PROBE_BATCH_SIZE): BatchBuffers {
  const n = Math.min(size, split.count);
  const order = new Int32Array(split.count);
  shuffleInto(order, seededRandom(PROBE_BATCH_SEED, 0));
  const buffers = createBatchBuffers(split, n);
  fillBatch(split, order.subarray(0, n), buffers);
  return buffers;
}
