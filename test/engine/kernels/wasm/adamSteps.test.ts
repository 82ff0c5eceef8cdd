// The fused Adam step of the wasm kernels against Keras's Adam (the engine's) in float64, over a few
// steps; every tensor of a step in one call against the update composed op by op on the same kernels, bit for bit;
// and the Adam optimizer on it against the same optimizer composed on the float64 JS kernels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../../../src/engine/kernels/kernels';
import { JsKernels } from '../../../../src/engine/kernels/jsKernels';
import { adamFloors, createWasmKernels, type WasmKernels } from '../../../../src/engine/kernels/wasm/wasmKernels';
import { createOptimizer } from '../../../../src/engine/model/optimizers';
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

describe('WasmKernels.adamSteps', () => {
  let k: WasmKernels;
  beforeAll(async () => {
    k = await createWasmKernels();
  });
  afterAll(() => k.close());

  it.each([
    [1, 1],
    [7, 13],
    [300, 257],
  ])('matches the Keras Adam formula in float64 over 3 steps on %ix%i, inputs untouched', (rows, cols) => {
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
      const stepSize = (config.learningRate * Math.sqrt(1 - config.beta2 ** step)) / (1 - config.beta1 ** step);
      const [next] = k.adamSteps([{ theta: w, g: gm, m, v }], {
        stepSize,
        beta1: config.beta1,
        beta2: config.beta2,
        epsilon: config.epsilon,
      });
      expect(k.toArray(w).every((x, i) => x === wBefore[i])).toBe(true);
      for (let i = 0; i < rows * cols; i++) {
        ref.m[i] = config.beta1 * ref.m[i] + (1 - config.beta1) * g.data[i];
        ref.v[i] = config.beta2 * ref.v[i] + (1 - config.beta2) * g.data[i] ** 2;
        const alpha = (config.learningRate * Math.sqrt(1 - config.beta2 ** step)) / (1 - config.beta1 ** step);
        ref.w[i] -= (alpha * ref.m[i]) / (Math.sqrt(ref.v[i]) + config.epsilon);
      }
      for (const old of [w, m, v, gm]) k.dispose(old);
      ({ theta: w, m, v } = next);
    }
    expect(maxScaledError(k.toArray(w), ref.w, (i) => Math.abs(ref.w[i]) + config.learningRate)).toBeLessThan(
      TOLERANCE,
    );
    expect(maxScaledError(k.toArray(m), ref.m, () => 1)).toBeLessThan(MOMENT_TOLERANCE);
    expect(maxScaledError(k.toArray(v), ref.v, () => 1e-3)).toBeLessThan(MOMENT_TOLERANCE);
  });
});

describe('the Adam optimizer on the fused step', () => {
  it('follows the composed update on the float64 JS kernels over 5 steps', async () => {
    const wasm = await createWasmKernels();
    const js = new JsKernels();
    const spec = { type: 'adam', learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;
    const random = seededRandom(5);
    const theta0 = randomMatrix(random, 30, 17);
    const gradients = Array.from({ length: 5 }, () => randomMatrix(random, 30, 17));
    const run = <M>(k: Kernels<M>): Float32Array | Float64Array => {
      const optimizer = createOptimizer(k, spec);
      let theta = k.fromArray(theta0.data, 30, 17);
      for (const g of gradients) {
        const gm = k.fromArray(g.data, 30, 17);
        const [next] = optimizer.step([theta], [gm]);
        k.dispose(theta);
        k.dispose(gm);
        theta = next;
      }
      optimizer.dispose();
      return k.toArray(theta);
    };
    expect(wasm.adamSteps).toBeDefined();
    const fused = run(wasm);
    const composed = run(js);
    expect(maxScaledError(fused, composed, (i) => Math.abs(composed[i]) + spec.learningRate)).toBeLessThan(TOLERANCE);
    // Five steps of up to 0.02 moved the weights: the comparison is not between two unchanged copies.
    const meanMove =
      Array.from(composed, (x, i) => Math.abs(x - theta0.data[i])).reduce((sum, d) => sum + d, 0) / composed.length;
    expect(meanMove).toBeGreaterThan(0.01);
    await wasm.close();
  });
});

describe('the fused step split over threads', () => {
  // 784 x 300 = 14.4 blocks of 16384 parameters: the pool shares them out, the last one partial.
  it('gives the same θ, moments and Σθ² on 1 and 2 threads, Σθ² within float64 rounding of sumSquares', async () => {
    const one = await createWasmKernels({ threads: 1 });
    const two = await createWasmKernels({ threads: 2 });
    try {
      const random = seededRandom(5);
      const inputs = ['theta', 'g', 'm', 'v'].map((name) => randomMatrix(random, 784, 300, name === 'v' ? 0 : -1, 1));
      const step = { stepSize: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
      const run = (k: WasmKernels) => {
        const [theta, g, m, v] = inputs.map((x) => k.fromArray(x.data, x.rows, x.cols));
        const [out] = k.adamSteps([{ theta, g, m, v }], step);
        return {
          theta: k.toArray(out.theta),
          m: k.toArray(out.m),
          v: k.toArray(out.v),
          squares: k.sumSquares(out.theta),
          recomputed: k.sumSquares(k.addScalar(out.theta, 0)),
        };
      };
      const [a, b] = [run(one), run(two)];
      expect(b.theta).toEqual(a.theta);
      expect(b.m).toEqual(a.m);
      expect(b.v).toEqual(a.v);
      expect(b.squares).toBe(a.squares);
      expect(Math.abs(a.squares - a.recomputed) / a.recomputed).toBeLessThan(1e-12);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('every tensor of a step in one call', () => {
  // Corelab 1's tensors (784-256-128-64-32-10): W¹ is 12.25 spans of 16384, the rest one span or less; plus
  // sizes that end mid-vector.
  const SHAPES: Array<[number, number]> = [
    [256, 784],
    [1, 256],
    [128, 256],
    [1, 128],
    [64, 128],
    [1, 64],
    [32, 64],
    [1, 32],
    [10, 32],
    [1, 10],
    [7, 13],
    [1, 1],
  ];
  const constants = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

  /** Three Adam steps of every tensor: one adamSteps call per step, or the update composed op by op per tensor. */
  function run(k: WasmKernels, fused: boolean) {
    const random = seededRandom(23);
    const load = (rows: number, cols: number, low: number) => {
      const x = randomMatrix(random, rows, cols, low, 1);
      return k.fromArray(x.data, rows, cols);
    };
    let state = SHAPES.map(([rows, cols]) => ({
      theta: load(rows, cols, -1),
      m: load(rows, cols, -1),
      v: load(rows, cols, 0),
    }));
    const initial = k.toArray(state[0].theta);
    const squares: number[] = [];
    for (let t = 1; t <= 3; t++) {
      const grads = SHAPES.map(([rows, cols]) => load(rows, cols, -1));
      const stepSize = (0.02 * Math.sqrt(1 - constants.beta2 ** t)) / (1 - constants.beta1 ** t);
      const { beta1, beta2, epsilon } = constants;
      const next = fused
        ? k.adamSteps(
            state.map((s, i) => ({ ...s, g: grads[i] })),
            { stepSize, ...constants },
          )
        : state.map(({ theta, m, v }, i) =>
            k.scope(() => {
              const g = grads[i];
              const mNew = k.add(k.scale(m, beta1), k.scale(g, 1 - beta1));
              const vNew = k.add(k.scale(v, beta2), k.scale(k.square(g), 1 - beta2));
              const step = k.div(k.scale(mNew, stepSize), k.addScalar(k.sqrt(vNew), epsilon));
              return { theta: k.sub(theta, step), m: mNew, v: vNew };
            }),
          );
      for (const s of state) for (const old of [s.theta, s.m, s.v]) k.dispose(old);
      for (const g of grads) k.dispose(g);
      state = next;
      if (fused) squares.push(...state.map((s) => k.sumSquares(s.theta)));
    }
    return {
      initial,
      theta: state.map((s) => k.toArray(s.theta)),
      m: state.map((s) => k.toArray(s.m)),
      v: state.map((s) => k.toArray(s.v)),
      squares,
      recomputed: state.map((s) => k.sumSquares(k.addScalar(s.theta, 0))),
    };
  }

  it('gives, on 1 and 2 threads, bit for bit the composed update, and Σθ² the same on both', async () => {
    const one = await createWasmKernels({ threads: 1 });
    const two = await createWasmKernels({ threads: 2 });
    try {
      const composed = run(one, false);
      const onOne = run(one, true);
      const onTwo = run(two, true);
      for (const fused of [onOne, onTwo]) {
        SHAPES.forEach((_, i) => {
          expect(fused.theta[i]).toEqual(composed.theta[i]);
          expect(fused.m[i]).toEqual(composed.m[i]);
          expect(fused.v[i]).toEqual(composed.v[i]);
        });
      }
      expect(onTwo.squares).toEqual(onOne.squares);
      // The last step's Σθ², span by span, within float64 rounding of sumSquares over the whole tensor.
      const last = onOne.squares.slice(-SHAPES.length);
      last.forEach((squares, i) =>
        expect(Math.abs(squares - onOne.recomputed[i])).toBeLessThanOrEqual(1e-12 * onOne.recomputed[i]),
      );
      // Three steps of up to 0.02 moved W¹: the comparison is not between unchanged copies.
      const moved = composed.theta[0].reduce((sum, x, i) => sum + Math.abs(x - composed.initial[i]), 0);
      expect(moved / composed.theta[0].length).toBeGreaterThan(0.005);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('moments too small to matter', () => {
  it('floors m at ε·2^-80 and v at (ε·2^-30)², between 2^-126 and 2^-100, and not at all for a tiny ε', () => {
    const [mFloor, vFloor] = adamFloors(1e-7);
    expect(mFloor).toBe(1e-7 * 2 ** -80);
    expect(vFloor).toBe((1e-7 * 2 ** -30) ** 2);
    expect(adamFloors(1)).toEqual([2 ** -100, 2 ** -100]);
    // ε = 1e-30: the floors would be subnormal, so nothing is flushed.
    expect(adamFloors(1e-30)).toEqual([0, 0]);
  });

  it.each([[1e-7], [1e-30]])(
    'with ε = %s stores the moments the floors reach as 0, keeps NaN, and leaves this step\u2019s θ as composed',
    async (epsilon) => {
      const k = await createWasmKernels({ threads: 1 });
      try {
        // A weight whose gradient stopped (m decaying under the floor), one whose v decays, a NaN moment, a normal one.
        const theta = k.fromArray([0.5, -0.25, 0.125, 0.3, 1e-3], 1, 5);
        const g = k.fromArray([0, 0, 0.01, 0.02, 0], 1, 5);
        const m = k.fromArray([5e-32, 0, NaN, 0.01, -7e-32], 1, 5);
        const v = k.fromArray([1e-6, 5e-33, 1e-4, 1e-4, 0], 1, 5);
        const step = { stepSize: 0.02, beta1: 0.9, beta2: 0.999, epsilon };
        const [out] = k.adamSteps([{ theta, g, m, v }], step);
        const mNew = k.scope(() => k.add(k.scale(m, 0.9), k.scale(g, 1 - 0.9)));
        const vNew = k.scope(() => k.add(k.scale(v, 0.999), k.scale(k.square(g), 1 - 0.999)));
        const thetaNew = k.scope(() =>
          k.sub(theta, k.div(k.scale(mNew, step.stepSize), k.addScalar(k.sqrt(vNew), epsilon))),
        );
        const [mc, vc] = [k.toArray(mNew), k.toArray(vNew)];
        expect(Array.from(k.toArray(out.theta))).toEqual(Array.from(k.toArray(thetaNew)));
        const flushed = epsilon === 1e-7;
        expect(mc[0]).toBeGreaterThan(0); // 4.5e-32: a normal float32, under ε·2^-80 = 8.3e-32
        expect(Array.from(k.toArray(out.m))).toEqual([flushed ? 0 : mc[0], 0, NaN, mc[3], flushed ? 0 : mc[4]]);
        expect(vc[1]).toBeGreaterThan(0); // 5.0e-33, under (ε·2^-30)² = 8.7e-33
        expect(Array.from(k.toArray(out.v))).toEqual([vc[0], flushed ? 0 : vc[1], vc[2], vc[3], 0]);
      } finally {
        await k.close();
      }
    },
  );
});
