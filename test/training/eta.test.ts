import { describe, expect, it } from 'vitest';
import { estimateRemaining, formatDuration } from '../../src/training/eta';

describe('ETA', () => {
  it.each([
    [0, '0:00'],
    [59.4, '0:59'],
    [61, '1:01'],
    [3723, '1:02:03'],
  ])('formatDuration(%s) = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('extrapolates from the fraction of batches done', () => {
    // Halfway through epoch 2 of 4 after 30 s: 37.5% done, so 50 s remain.
    expect(estimateRemaining(30, 2, 50, 100, 4)).toBeCloseTo(50, 10);
    expect(estimateRemaining(0, 1, 0, 100, 4)).toBeUndefined();
  });
});
