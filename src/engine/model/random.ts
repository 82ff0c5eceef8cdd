/** A seeded random stream: the same seed gives the same numbers on every machine and kernel. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, variance 1). */
  normal(): number;
}

/**
 * mulberry32 (Tommy Ettinger's public-domain generator), with Box-Muller for normals. `stream` picks an
 * independent sequence for the same seed, so that shuffling does not shift the initial weights.
 */
export function seededRandom(seed: number, stream = 0): Random {
  // The seed's bits above 32 are mixed in too (they are 0, changing nothing, below 2^32): seed 2^32 + 1 is not seed 1.
  const high = Math.floor(seed / 4294967296) >>> 0;
  let state =
    (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(high, 0xc2b2ae35) ^ Math.imul(stream + 1, 0x85ebca77)) >>> 0;
  let spare: number | undefined;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = 1 - next(); // in (0, 1], so the log is finite
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}

/** Fisher-Yates shuffle of 0..n-1 into `order`, in place. */
export function shuffleInto(order: Int32Array, random: Random): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
}
