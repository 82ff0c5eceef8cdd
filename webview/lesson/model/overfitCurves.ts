/** What 7-2 reads off its curves: the same overfitting rule as the training panel's (src/engine/train/overfitting.ts). */
import { detectOverfitting } from '../../../src/engine/train/overfitting';
import type { OverfitResult } from '../../../src/protocol/lessonProtocol';

/** The turning point: the epoch of the lowest test loss, if the run overfits after it. */
export interface TurningPoint {
  epoch: number;
  testLoss: number;
}

/** The epoch where the test loss stops falling and turns up while the training loss keeps falling, or undefined. */
export function turningPoint(epochs: OverfitResult['epochs']): TurningPoint | undefined {
  const overfitting = detectOverfitting(epochs);
  return overfitting && { epoch: overfitting.bestEpoch, testLoss: overfitting.bestTestLoss };
}

/** The lowest test loss and when it happened (whether or not the run overfits). */
export function lowestTestLoss(epochs: OverfitResult['epochs']): TurningPoint {
  let best = epochs[0];
  for (const e of epochs) if (e.testLoss < best.testLoss) best = e;
  return { epoch: best.epoch, testLoss: best.testLoss };
}
