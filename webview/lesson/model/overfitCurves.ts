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

/** How a run ends: the last epoch's figures a remedy is compared with its baseline by. */
export interface RunEnd {
  testLoss: number;
  testAccuracy: number;
  /** Test loss minus training loss at the last epoch: how much worse the network does on images it never saw. */
  gap: number;
}

/** The last epoch's test loss, test accuracy and train/test gap. */
export function runEnd(epochs: OverfitResult['epochs']): RunEnd {
  const last = epochs[epochs.length - 1];
  return { testLoss: last.testLoss, testAccuracy: last.testAccuracy, gap: last.testLoss - last.trainLoss };
}

/** What a remedy changed against the baseline, each check true when it is the better way. */
export interface RemedyEffect {
  baseline: RunEnd;
  remedy: RunEnd;
  /** The remedy ends with a lower test loss. */
  lowerTestLoss: boolean;
  /** Its train/test gap is smaller. */
  smallerGap: boolean;
  /** Its test accuracy is at least the baseline's. */
  accuracyNotWorse: boolean;
  /** All three: the remedy visibly reduced overfitting. */
  reducesOverfitting: boolean;
}

/**
 * Lesson 7-2's claim for a remedy, checked on two finished runs: it ends with a lower test loss and a smaller
 * train/test gap than the baseline, with no lower test accuracy. The page states it, and the tests and the
 * sweep (scripts/overfitSweep.ts) hold the shipped experiments to it.
 */
export function remedyEffect(baseline: OverfitResult['epochs'], remedy: OverfitResult['epochs']): RemedyEffect {
  const b = runEnd(baseline);
  const r = runEnd(remedy);
  const lowerTestLoss = r.testLoss < b.testLoss;
  const smallerGap = r.gap < b.gap;
  const accuracyNotWorse = r.testAccuracy >= b.testAccuracy;
  return {
    baseline: b,
    remedy: r,
    lowerTestLoss,
    smallerGap,
    accuracyNotWorse,
    reducesOverfitting: lowerTestLoss && smallerGap && accuracyNotWorse,
  };
}
