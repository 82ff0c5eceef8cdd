// The proposed fused Adam step against tfjs' Adam formula in float64, over a few steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmKernels, type WasmKernels } from '../../../../src/engine/kernels/wasm/wasmKernels';
import { ensureWasmBuilt } from './kernelsUnderTest';
import { maxScaledError, randomMatrix, seededRandom } from './reference';

/**
 * Float32 rounding of a handful of operations per element: w within 1e-5 of |w| + lr; the moments
 * within 1e-6 of the size of their terms (|g| ≤ 1 for m, (1-β2)·g² ≤ 1e-3 for v), since a moment that
 * cancels to near zero has no relative accuracy to speak of.
 */
const TOLERANCE = 1e-5;
const MOMENT_TOLERANCE = 1e-6;

beforeAll(ensureWasmBuilt, 120_000);

describe('WasmKernels.adamUpdate', () => {
  let k: WasmKernels;
  beforeAll(async () => {
    k = await createWasmKernels();
  });
  afterAll(() => k.close());

  it.each([
    [1, 1],
    [7, 13],
    [300, 257],
  ])('matches tfjs Adam in float64 over 3 steps on %ix%i, inputs untouched', (rows, cols) => {
    const random = seededRandom(11);
    const config = { learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const w0 = randomMatrix(random, rows, cols);
    let w = k.fromArray(w0.data, rows, cols);
    let m = k.fromArray(new Float32Array(rows * cols), rows, cols);
    let v = k.fromArray(new Float32Array(rows * cols), rows, cols);
    const ref = { w: Float64Array.from(w0.data), m: new Float64Array(rows * cols), v: new Float64Array(rows * cols) };
    for (let step = 1; step <= 3; step++) {
      const g = randomMatrix(random, rows, cols);
      const gm = k.fromArray(g.data, rows, cols);
      const wBefore = k.toArray(w);
      const next = k.adamUpdate(w, gm, m, v, { ...config, step });
      expect(k.toArray(w).every((x, i) => x === wBefore[i])).toBe(true);
      for (let i = 0; i < rows * cols; i++) {
        ref.m[i] = config.beta1 * ref.m[i] + (1 - config.beta1) * g.data[i];
        ref.v[i] = config.beta2 * ref.v[i] + (1 - config.beta2) * g.data[i] ** 2;
        const mHat = ref.m[i] / (1 - config.beta1 ** step);
        const vHat = ref.v[i] / (1 - config.beta2 ** step);
        ref.w[i] -= (config.learningRate * mHat) / (Math.sqrt(vHat) + config.epsilon);
      }
      for (const old of [w, m, v, gm]) k.dispose(old);
      ({ w, m, v } = next);
    }
    expect(maxScaledError(k.toArray(w), ref.w, (i) => Math.abs(ref.w[i]) + config.learningRate)).toBeLessThan(TOLERANCE);
    expect(maxScaledError(k.toArray(m), ref.m, () => 1)).toBeLessThan(MOMENT_TOLERANCE);
    expect(maxScaledError(k.toArray(v), ref.v, () => 1e-3)).toBeLessThan(MOMENT_TOLERANCE);
  });
});
