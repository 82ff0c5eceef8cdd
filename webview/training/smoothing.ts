/**
 * Exponential moving average with bias correction, as TensorBoard smooths scalar curves: the first points are
 * not dragged toward zero. `weight` in [0, 1): 0 returns the values, 0.9 averages over roughly the last 10.
 */
export function smoothed(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const out: number[] = [];
  let average = 0;
  let debias = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) {
      // A NaN or Infinity would poison every later point; show it as a gap and carry on.
      out.push(Number.NaN);
      continue;
    }
    average = weight * average + (1 - weight) * value;
    debias = weight * debias + (1 - weight);
    out.push(average / debias);
  }
  return out;
}
