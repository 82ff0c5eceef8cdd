import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/engine/model/random';

const draws = (seed: number, stream = 0) => {
  const random = seededRandom(seed, stream);
  return Array.from({ length: 4 }, () => random.next());
};

describe('seededRandom', () => {
  it.each([
    [1, 2 ** 32 + 1],
    [0, 2 ** 32],
    [7, 2 ** 53 - 2 ** 32 + 7],
  ])('seed %d and seed %d (both valid seeds) give different streams', (a, b) => {
    expect(draws(b)).not.toEqual(draws(a));
  });

  it('seeds below 2^32 keep the stream they always had (mulberry32 seeded with imul(seed, 0x9e3779b1) ^ imul(stream + 1, 0x85ebca77))', () => {
    // The first draw of seed 1, stream 0, computed by the formula above before the high bits were mixed in.
    let state = (Math.imul(1, 0x9e3779b1) ^ Math.imul(1, 0x85ebca77)) >>> 0;
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    expect(draws(1)[0]).toBe(((t ^ (t >>> 14)) >>> 0) / 4294967296);
  });
});
