import { describe, expect, it } from 'vitest';
import { smoothed } from '../../../webview/training/smoothing';

describe('smoothed (debiased exponential moving average)', () => {
  it('returns the values unchanged with weight 0', () => {
    expect(smoothed([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
  });

  it('starts at the first value instead of being pulled toward zero', () => {
    expect(smoothed([2, 2, 2], 0.9)).toEqual([2, 2, 2].map((v) => expect.closeTo(v, 12)));
  });

  it('matches the formula by hand for weight 0.5', () => {
    // a1 = 0.5*1 / 0.5 = 1; a2 = (0.25 + 0.5*3) / 0.75 = 7/3
    const [a1, a2] = smoothed([1, 3], 0.5);
    expect(a1).toBeCloseTo(1, 12);
    expect(a2).toBeCloseTo(7 / 3, 12);
  });

  it('shows NaN as a gap and keeps smoothing the finite values around it', () => {
    const out = smoothed([1, Number.NaN, 1], 0.9);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });

  it.each([-0.1, 1, Number.NaN])('rejects weight %s with the allowed range', (weight) => {
    expect(() => smoothed([1], weight)).toThrow(/\[0, 1\)/);
  });
});
