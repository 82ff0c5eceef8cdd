// Fused optimizer updates: one pass over the parameters instead of a dozen element-wise kernels,
// each of which would stream the whole parameter set through memory again.

import { finishSquares, squaresHigh, squaresLow } from './activations';

/**
 * Adam, in Keras's formulation (the engine's, model/optimizers.ts): m' = β1·m + (1-β1)·g,
 * v' = β2·v + (1-β2)·g², w' = w - α·m'/(√v' + ε), where the host folds both bias corrections into
 * the step size α. Writes w', m', v' to separate outputs; the inputs are left alone. The host passes
 * 1-β1 and 1-β2 computed in float64: 1 - f32(0.999) in float32 is off by 1.3e-5 relative.
 * Returns Σw'², the value sumSquares(w') would give.
 *
 * Moments too small to matter are stored as 0: |m'| below `mFloor`, v' below `vFloor` (the host's adamFloors, from ε).
 * Where g is 0 step after step (the weights of a pixel blank in every image of a batch, of a dead unit), m decays
 * by β1 a step into float32's subnormal range (below 2^-126) and stays there for ~150 steps, and every operation
 * on a subnormal costs the CPU a microcode assist of ~100 cycles: at batch 32 that doubled Adam's time. This step's
 * w' is computed from the moments as they came out, so it is unchanged; later steps differ by what the floors allow.
 */
export function adam(w: usize, g: usize, m: usize, v: usize, wOut: usize, mOut: usize, vOut: usize, n: i32, stepSize: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, epsilon: f32, mFloor: f32, vFloor: f32): f64 {
  const b1 = f32x4.splat(beta1), b1c = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), b2c = f32x4.splat(oneMinusBeta2);
  const alpha = f32x4.splat(stepSize), eps = f32x4.splat(epsilon);
  const mMin = f32x4.splat(mFloor), vMin = f32x4.splat(vFloor);
  const w0 = wOut;
  // Σw'² as sumSquares computes it (elementwise.ts): the trainer checks every step's weights are finite.
  let low = f64x2.splat(0), high = f64x2.splat(0);
  // Whole vectors, as in elementwise.ts: allocations are padded to 64-byte lines.
  const full = wOut + <usize>(n & ~3) * 4;
  const end = wOut + (<usize>(n + 3) & ~3) * 4;
  for (; wOut < end; w += 16, g += 16, m += 16, v += 16, wOut += 16, mOut += 16, vOut += 16) {
    const gv = v128.load(g);
    const m2 = f32x4.add(f32x4.mul(b1, v128.load(m)), f32x4.mul(b1c, gv));
    const v2 = f32x4.add(f32x4.mul(b2, v128.load(v)), f32x4.mul(b2c, f32x4.mul(gv, gv)));
    const step = f32x4.div(f32x4.mul(alpha, m2), f32x4.add(f32x4.sqrt(v2), eps));
    const w2 = f32x4.sub(v128.load(w), step);
    // |m'| < mFloor (false for NaN, which stays) to 0; v' is never negative.
    v128.store(mOut, v128.andnot(m2, f32x4.lt(f32x4.abs(m2), mMin)));
    v128.store(vOut, v128.andnot(v2, f32x4.lt(v2, vMin)));
    v128.store(wOut, w2);
    if (wOut < full) {
      low = f64x2.add(low, squaresLow(w2));
      high = f64x2.add(high, squaresHigh(w2));
    }
  }
  return finishSquares(low, high, w0, n);
}

/** Elements per span of an Adam table, at most: a tensor is cut into spans of ADAM_BLOCK so that threads can share it. */
export const ADAM_BLOCK: i32 = 16384;

/** Bytes of one Adam table entry: w, g, m, v, wOut, mOut, vOut (u32 addresses), n (i32), then the f64 address of Σw'². */
export const ADAM_ENTRY_BYTES: i32 = 36;

/**
 * adam over entries [from, to) of a table of spans, so that one job updates every parameter tensor of a step on all
 * threads: each entry is a span of at most ADAM_BLOCK elements of one tensor (ADAM_ENTRY_BYTES: its seven addresses,
 * its length, and where its Σw'² goes). `params` holds stepSize, beta1, 1-beta1, beta2, 1-beta2, epsilon, mFloor,
 * vFloor (f32 at 0..28). The host cuts each tensor at the same multiples of ADAM_BLOCK on any number of threads and adds a tensor's
 * spans in order, so results and sums are the same whatever the threads.
 */
export function adamTable(table: usize, params: usize, from: i32, to: i32): void {
  const stepSize = load<f32>(params), beta1 = load<f32>(params, 4), oneMinusBeta1 = load<f32>(params, 8);
  const beta2 = load<f32>(params, 12), oneMinusBeta2 = load<f32>(params, 16), epsilon = load<f32>(params, 20);
  const mFloor = load<f32>(params, 24), vFloor = load<f32>(params, 28);
  for (let entry = from; entry < to; entry++) {
    const at = table + <usize>entry * ADAM_ENTRY_BYTES;
    const squares = adam(<usize>load<u32>(at), <usize>load<u32>(at, 4), <usize>load<u32>(at, 8), <usize>load<u32>(at, 12),
      <usize>load<u32>(at, 16), <usize>load<u32>(at, 20), <usize>load<u32>(at, 24), load<i32>(at, 28),
      stepSize, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, mFloor, vFloor);
    store<f64>(<usize>load<u32>(at, 32), squares);
  }
}
