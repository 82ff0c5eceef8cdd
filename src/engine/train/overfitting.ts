/** The per-epoch losses overfitting is judged from. */
export interface EpochLosses {
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

/** Where overfitting shows: after `bestEpoch` the test loss rose while the training loss kept falling. */
export interface Overfitting {
  /** The epoch with the lowest test loss: the model to keep (early stopping would stop here). */
  bestEpoch: number;
  bestTestLoss: number;
  /** The last epoch's test loss, above the best. */
  lastTestLoss: number;
  /** Training loss at the best epoch and at the last. */
  trainLossAtBest: number;
  lastTrainLoss: number;
}

/** How much the test loss must rise above its minimum to count (relative), so noise is not called overfitting. */
export const MIN_RISE = 0.02;
/** Epochs after the minimum the rise must hold for, as Keras's EarlyStopping `patience`. */
export const PATIENCE = 2;

/**
 * Finds overfitting as lesson 7-2 defines it: the test loss has turned up — it stayed above its minimum by more
 * than MIN_RISE for at least PATIENCE epochs and ends higher — while the training loss kept falling.
 * Undefined while the curves do not show it.
 */
export function detectOverfitting(epochs: readonly EpochLosses[]): Overfitting | undefined {
  const finite = epochs.filter((e) => Number.isFinite(e.trainLoss) && Number.isFinite(e.testLoss));
  if (finite.length < PATIENCE + 1) return undefined;
  let best = 0;
  finite.forEach((e, i) => {
    if (e.testLoss < finite[best].testLoss) best = i;
  });
  const after = finite.slice(best + 1);
  const last = finite[finite.length - 1];
  const threshold = finite[best].testLoss * (1 + MIN_RISE);
  const testRose = after.length >= PATIENCE && after.slice(-PATIENCE).every((e) => e.testLoss > threshold);
  const trainFell = last.trainLoss < finite[best].trainLoss;
  if (!testRose || !trainFell) return undefined;
  return {
    bestEpoch: finite[best].epoch,
    bestTestLoss: finite[best].testLoss,
    lastTestLoss: last.testLoss,
    trainLossAtBest: finite[best].trainLoss,
    lastTrainLoss: last.trainLoss,
  };
}
