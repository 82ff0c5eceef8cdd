import { describe, expect, it } from 'vitest';
import { ETA_MIN_SECONDS, formatDuration, RemainingTime } from '../../src/engine/eta';

describe('formatDuration', () => {
  it.each([
    [NaN, '--:--'],
    [0, '0:00'],
    [59.4, '0:59'],
    [59.6, '1:00'],
    [61, '1:01'],
    [3723, '1:02:03'],
  ])('formatDuration(%s) = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('RemainingTime', () => {
  it('says nothing for the first batches of a short run, however long loading took', () => {
    // A 10 s run of 100 batches after 6 s of loading: the first batch ends at 6.1 s. Counting from the start, its
    // ETA would read 6.1 / 0.01 = 10 minutes.
    const eta = new RemainingTime(100);
    expect(eta.update(1, 6.1)).toBeUndefined();
    expect(eta.update(2, 6.2)).toBeUndefined();
    expect(eta.update(4, 6.4)).toBeUndefined(); // 3 batches, but only 0.3 s of pace
    expect(eta.update(21, 6.1 + ETA_MIN_SECONDS)).toBeCloseTo((ETA_MIN_SECONDS / 20) * 79, 10);
  });

  it('extrapolates the pace since the first batch it saw', () => {
    const eta = new RemainingTime(400); // 4 epochs of 100 batches
    eta.update(1, 10);
    // Halfway through epoch 2 (step 150) 30 s later: 0.2 s a batch, 250 batches to go.
    expect(eta.update(150, 10 + 149 * 0.2)).toBeCloseTo(50, 10);
    expect(eta.update(400, 10 + 399 * 0.2)).toBe(0);
  });

  it('starts over when the steps go back (a new run through the same estimator)', () => {
    const eta = new RemainingTime(100);
    eta.update(50, 100);
    expect(eta.update(1, 0)).toBeUndefined();
    expect(eta.update(11, 5)).toBeCloseTo(0.5 * 89, 10);
  });
});
