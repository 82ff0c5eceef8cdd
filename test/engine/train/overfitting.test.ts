import { describe, expect, it } from 'vitest';
import { detectOverfitting, type EpochLosses } from '../../../src/engine/train/overfitting';

const epochs = (train: number[], test: number[]): EpochLosses[] =>
  train.map((t, i) => ({ epoch: i + 1, trainLoss: t, testLoss: test[i] }));

describe('detectOverfitting', () => {
  it('marks the epoch of the lowest test loss when the test loss then rises while training loss keeps falling', () => {
    const found = detectOverfitting(epochs([0.9, 0.5, 0.3, 0.2, 0.12, 0.08], [0.8, 0.5, 0.4, 0.45, 0.52, 0.6]));
    expect(found).toEqual({
      bestEpoch: 3,
      bestTestLoss: 0.4,
      lastTestLoss: 0.6,
      trainLossAtBest: 0.3,
      lastTrainLoss: 0.08,
    });
  });

  it.each([
    ['both curves still falling', [0.9, 0.5, 0.3, 0.2], [0.8, 0.6, 0.5, 0.45]],
    ['one bad epoch only (noise, not a trend)', [0.9, 0.5, 0.3, 0.2], [0.8, 0.6, 0.5, 0.55]],
    ['a rise within 2% of the minimum', [0.9, 0.5, 0.3, 0.2, 0.1], [0.8, 0.5, 0.4, 0.405, 0.406]],
    ['test loss rising with training loss (divergence, not overfitting)', [0.9, 0.5, 0.6, 0.7], [0.8, 0.5, 0.6, 0.7]],
    ['too few epochs to tell', [0.9, 0.5], [0.8, 0.9]],
  ])('finds nothing: %s', (_name, train, test) => {
    expect(detectOverfitting(epochs(train, test))).toBeUndefined();
  });

  it('ignores non-finite epochs instead of calling them the minimum', () => {
    const found = detectOverfitting(epochs([0.9, 0.5, 0.3, 0.2, 0.1], [0.8, Number.NaN, 0.4, 0.5, 0.6]));
    expect(found?.bestEpoch).toBe(3);
  });
});
