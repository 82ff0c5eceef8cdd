/** What 7-2 reads off its curves. Pure, so tests check it on real runs. */
import type { OverfitResult } from '../../../src/lessons/protocol';

/** The turning point: the epoch of the lowest test loss, if the test loss clearly rose after it. */
export interface TurningPoint {
  epoch: number;
  testLoss: number;
}

/** How much the final test loss must exceed its minimum (relative) to call the run overfitted: past noise from epoch to epoch. */
const RISE = 0.05;

/** The epoch where the test error stops falling and starts rising, or undefined if it never clearly rises. */
export function turningPoint(epochs: OverfitResult['epochs']): TurningPoint | undefined {
  if (epochs.length < 3) return undefined;
  let best = epochs[0];
  for (const e of epochs) if (e.testLoss < best.testLoss) best = e;
  const last = epochs[epochs.length - 1];
  return best !== last && last.testLoss > best.testLoss * (1 + RISE) ? { epoch: best.epoch, testLoss: best.testLoss } : undefined;
}

/** The lowest test loss and when it happened (whether or not the run overfits). */
export function lowestTestLoss(epochs: OverfitResult['epochs']): TurningPoint {
  let best = epochs[0];
  for (const e of epochs) if (e.testLoss < best.testLoss) best = e;
  return { epoch: best.epoch, testLoss: best.testLoss };
}
