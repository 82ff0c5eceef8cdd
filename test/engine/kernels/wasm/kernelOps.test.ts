// Every Kernels op of every float32 implementation against float64 reference math on seeded random
// matrices of awkward sizes (non-multiples of the 4 x 8 tile, of the depth and column blocks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../../../src/engine/kernels/kernels';
import { ELEMENTWISE_ACTIVATIONS } from './activations';
import { KERNEL_CASES, ensureWasmBuilt, flavorSupported, type TestedKernels } from './kernelsUnderTest';
import { maxScaledError, randomMatrix, refMatMul, seededRandom, type RefMatrix } from './reference';

/** GEMM error bound, relative to Σ|a_ip·b_pj|: float32 rounding over k terms stays far below it. */
const GEMM_TOLERANCE = 1e-6;
/** Element-wise ops are correctly rounded float32 (≤ 6e-8 relative); exp-based ones are within a few ulps. */
const ELEMENTWISE_TOLERANCE = 1e-6;

const MATMUL_SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [7, 13, 5],
  [300, 784, 256],
  [640, 32, 10],
  [784, 300, 256],
  [130, 70, 257],
  [3, 700, 2],
  [9, 17, 23],
  [5, 0, 3],
  [0, 4, 5],
];
const ELEMENTWISE_SHAPES: Array<[number, number]> = [
  [1, 1],
  [7, 13],
  [3, 5],
  [300, 257],
];

beforeAll(ensureWasmBuilt, 120_000);

/** Operands and float64 product per shape, drawn and computed once for every implementation and flag combination. */
const products = new Map<string, { a: RefMatrix; b: RefMatrix } & ReturnType<typeof refMatMul>>();
function productFor(m: number, depth: number, n: number) {
  const key = `${m}x${depth}x${n}`;
  let entry = products.get(key);
  if (!entry) {
    const random = seededRandom(m * 1_000_003 + depth * 1_009 + n);
    const a = randomMatrix(random, m, depth);
    const b = randomMatrix(random, depth, n);
    entry = { a, b, ...refMatMul(a, b) };
    products.set(key, entry);
  }
  return entry;
}

for (const kernelsCase of KERNEL_CASES) {
  const supported = !kernelsCase.label.includes('relaxed') || flavorSupported('relaxed-simd');
  describe.skipIf(!supported)(kernelsCase.label, () => {
    let k: TestedKernels;
    let random: () => number;
    beforeAll(async () => {
      k = await kernelsCase.make();
      random = seededRandom(7);
    });
    afterAll(() => k.close());

    const load = (m: RefMatrix) => k.fromArray(m.data, m.rows, m.cols);

    it.each(MATMUL_SHAPES)('matMul %ix%i · (…)x%i matches float64', (m, depth, n) => {
      const { a, b, product, magnitude } = productFor(m, depth, n);
      const c = k.matMul(load(a), load(b));
      expect([k.rows(c), k.cols(c)]).toEqual([m, n]);
      expect(maxScaledError(k.toArray(c), product.data, (i) => magnitude[i])).toBeLessThan(GEMM_TOLERANCE);
    });

    const transposed = (m: RefMatrix): RefMatrix => {
      const data = new Float64Array(m.data.length);
      for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) data[j * m.rows + i] = m.data[i * m.cols + j];
      return { rows: m.cols, cols: m.rows, data };
    };
    // Flags on the awkward shapes only: the big ones add seconds and no new code path.
    const flagCases = MATMUL_SHAPES.filter(([m, depth, n]) => m * depth * n < 1e7).flatMap(([m, depth, n]) => [
      [m, depth, n, true, false],
      [m, depth, n, false, true],
      [m, depth, n, true, true],
    ]) as Array<[number, number, number, boolean, boolean]>;
    it.each(flagCases)(
      'matMul %ix%i · (…)x%i with transposeA=%s transposeB=%s matches float64',
      (m, depth, n, transposeA, transposeB) => {
        const { a, b, product, magnitude } = productFor(m, depth, n);
        // The operands are handed over stored transposed; the flags say so.
        const c = k.matMul(
          load(transposeA ? transposed(a) : a),
          load(transposeB ? transposed(b) : b),
          transposeA,
          transposeB,
        );
        expect([k.rows(c), k.cols(c)]).toEqual([m, n]);
        expect(maxScaledError(k.toArray(c), product.data, (i) => magnitude[i])).toBeLessThan(GEMM_TOLERANCE);
      },
    );

    it('matMul rejects mismatched shapes, naming them', () => {
      expect(() => k.matMul(k.fromArray([1, 2, 3], 1, 3), k.fromArray([1, 2, 3], 1, 3), false, true)).not.toThrow();
      expect(() => k.matMul(k.fromArray([1, 2, 3], 3, 1), k.fromArray([1, 2], 2, 1), true, false)).toThrow(
        'matMul: the inner dimensions must match, got aᵀ 1x3 · b 2x1',
      );
      expect(() => k.matMul(k.fromArray([1, 2, 3], 1, 3), k.fromArray([1, 2], 2, 1))).toThrow(
        'matMul: a.cols must equal b.rows, got a 1x3 · b 2x1',
      );
    });

    it.each(ELEMENTWISE_SHAPES)('transpose %ix%i is exact', (rows, cols) => {
      const a = randomMatrix(random, rows, cols);
      const t = k.toArray(k.transpose(load(a)));
      const expected = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expected[j * rows + i] = a.data[i * cols + j];
      // A count of mismatches rather than toEqual on 77k numbers, which is slow to diff.
      expect(t.filter((x, i) => x !== expected[i]).length).toBe(0);
    });

    // δ (batch x units) and a^(l-1) (batch x fanIn), a with zeros as MNIST's pixels and ReLU outputs have them, so
    // the sparse cases take the sparse product; the sizes end mid-vector and mid-tile.
    const GRADIENT_SHAPES: Array<[number, number, number]> = [
      [1, 1, 1],
      [7, 13, 5],
      [32, 256, 784],
      [300, 10, 33],
    ];
    it.skipIf(kernelsCase.label.includes('js')).each(GRADIENT_SHAPES)(
      'weightGradient of δ %ix%i and a (…)x%i is bit for bit scale(matMul(δ, a, true), 1/batch), with its Σ²',
      (batch, units, fanIn) => {
        if (!k.weightGradient) throw new Error(`${kernelsCase.label} has no weightGradient`);
        const delta = load(randomMatrix(random, batch, units));
        const raw = randomMatrix(random, batch, fanIn);
        const a = load({ ...raw, data: raw.data.map((x) => (x < 0.4 ? 0 : x)) });
        const fused = k.weightGradient(delta, a);
        const composed = k.scale(k.matMul(delta, a, true, false), 1 / batch);
        expect([k.rows(fused), k.cols(fused)]).toEqual([units, fanIn]);
        const [f, c] = [k.toArray(fused), k.toArray(composed)];
        expect(f.filter((x, i) => x !== c[i]).length).toBe(0);
        // Added in another order, and sumSquares squares its last 1-3 elements in float64: float32 rounding apart.
        const squares = k.sumSquares(k.addScalar(fused, 0));
        expect(Math.abs(k.sumSquares(fused) - squares)).toBeLessThanOrEqual(2 ** -23 * squares);
      },
    );

    type Binary = 'add' | 'sub' | 'mul' | 'div';
    const binaries: Array<[Binary, (x: number, y: number) => number]> = [
      ['add', (x, y) => x + y],
      ['sub', (x, y) => x - y],
      ['mul', (x, y) => x * y],
      ['div', (x, y) => x / y],
    ];
    describe.each(binaries)('%s', (op, f) => {
      it.each(ELEMENTWISE_SHAPES)('on %ix%i matches float64', (rows, cols) => {
        const a = randomMatrix(random, rows, cols);
        // Divisors kept away from zero, where a relative error bound means nothing.
        const b = randomMatrix(random, rows, cols, 0.5, 2);
        const expected = a.data.map((x, i) => f(x, b.data[i]));
        const out = k[op](load(a), load(b));
        expect(
          maxScaledError(k.toArray(out), expected, (i) => Math.abs(expected[i]) + Math.abs(a.data[i])),
        ).toBeLessThan(ELEMENTWISE_TOLERANCE);
      });
    });

    const unaries: Array<[string, (k: Kernels, m: unknown) => unknown, (x: number) => number, number, number]> = [
      ['scale by -0.37', (k, m) => k.scale(m, -0.37), (x) => x * Math.fround(-0.37), -1, 1],
      ['addScalar 2.5', (k, m) => k.addScalar(m, 2.5), (x) => x + 2.5, -1, 1],
      ['sqrt', (k, m) => k.sqrt(m), Math.sqrt, 0, 4],
      ['square', (k, m) => k.square(m), (x) => x * x, -3, 3],
    ];
    describe.each(unaries)('%s', (_name, run, f, lo, hi) => {
      it.each(ELEMENTWISE_SHAPES)('on %ix%i matches float64', (rows, cols) => {
        const a = randomMatrix(random, rows, cols, lo, hi);
        const expected = a.data.map(f);
        const out = run(k, load(a));
        expect(
          maxScaledError(k.toArray(out), expected, (i) => Math.abs(expected[i]) + Math.abs(a.data[i])),
        ).toBeLessThan(ELEMENTWISE_TOLERANCE);
      });
    });

    it.each(ELEMENTWISE_SHAPES)('addRow on %ix%i adds the bias to every row', (rows, cols) => {
      const a = randomMatrix(random, rows, cols);
      const row = randomMatrix(random, 1, cols);
      const expected = a.data.map((x, i) => x + row.data[i % cols]);
      const out = k.addRow(load(a), load(row));
      expect(
        maxScaledError(k.toArray(out), expected, (i) => Math.abs(a.data[i]) + Math.abs(row.data[i % cols])),
      ).toBeLessThan(ELEMENTWISE_TOLERANCE);
    });

    it('addRow rejects a row of the wrong width', () => {
      expect(() => k.addRow(k.fromArray([1, 2, 3, 4], 2, 2), k.fromArray([1, 2, 3], 1, 3))).toThrow(
        'addRow: row must be 1x2, got 1x3',
      );
    });

    describe.each(ELEMENTWISE_ACTIVATIONS)('$kind', ({ kind, value, derivative }) => {
      it.each(ELEMENTWISE_SHAPES)('activate and derivative on %ix%i match float64', (rows, cols) => {
        const alpha = 0.3;
        const z = randomMatrix(random, rows, cols, -6, 6);
        z.data[0] = 0; // the kink of relu and leakyRelu: derivative 0 and alpha there, as tfjs
        const zm = load(z);
        const a = k.activate(kind, zm, alpha);
        const aValues = k.toArray(a);
        const expectedA = z.data.map((x) => value(x, alpha));
        expect(maxScaledError(aValues, expectedA, (i) => Math.abs(expectedA[i]) + 1)).toBeLessThan(
          ELEMENTWISE_TOLERANCE,
        );
        // The derivative of sigmoid and tanh is computed from a; the reference uses the same float32 a.
        const expectedD = z.data.map((x, i) => derivative(x, aValues[i], alpha));
        const d = k.toArray(k.activationDerivative(kind, zm, a, alpha));
        expect(maxScaledError(d, expectedD, (i) => Math.abs(expectedD[i]) + 1)).toBeLessThan(ELEMENTWISE_TOLERANCE);
      });

      // The fused passes run the same per-lane math as the separate ops, so they must agree bit for bit.
      const layerShapes: Array<[number, number, number]> = [
        [1, 1, 1],
        [7, 13, 5],
        [300, 64, 257],
        [33, 9, 130],
      ];
      it.each(layerShapes)(
        'layerForward and layerBackward on %ix%i -> %i equal the separate ops',
        (rows, fanIn, units) => {
          if (!k.layerForward || !k.layerBackward) return;
          const alpha = 0.3;
          const x = load(randomMatrix(random, rows, fanIn, -2, 2));
          const W = load(randomMatrix(random, units, fanIn, -1, 1));
          const b = load(randomMatrix(random, 1, units, -1, 1));
          const fused = k.layerForward(kind, x, W, b, alpha);
          const z = k.addRow(k.matMul(x, W, false, true), b);
          expect(k.toArray(fused.z)).toEqual(k.toArray(z));
          expect(k.toArray(fused.a)).toEqual(k.toArray(k.activate(kind, z, alpha)));
          const deltaNext = load(randomMatrix(random, rows, 3, -1, 1));
          const WNext = load(randomMatrix(random, 3, units, -1, 1));
          const back = k.layerBackward(kind, deltaNext, WNext, fused.z, fused.a, alpha);
          const sigmaPrime = k.activationDerivative(kind, fused.z, fused.a, alpha);
          expect(k.toArray(back.sigmaPrime)).toEqual(k.toArray(sigmaPrime));
          expect(k.toArray(back.delta)).toEqual(k.toArray(k.mul(sigmaPrime, k.matMul(deltaNext, WNext))));
          // The fused figures a step asks for next are the ones sumSquares computes: exactly on one thread.
          // Split over threads, each block squares its rows' last 1-3 elements in float64 where sumSquares,
          // running over the whole matrix, squared some of them in float32 (2^-24 relative each): within
          // 2^-23 of it, block sums added in block order (as Adam's).
          const squares = k.sumSquares(k.mul(sigmaPrime, k.matMul(deltaNext, WNext)));
          const squaresOfSigmaPrime = k.sumSquares(k.addScalar(sigmaPrime, 0));
          if (kernelsCase.label.includes('2 threads')) {
            expect(Math.abs(k.sumSquares(back.delta) - squares)).toBeLessThanOrEqual(2 ** -23 * squares);
            expect(Math.abs(k.sumSquares(back.sigmaPrime) - squaresOfSigmaPrime)).toBeLessThanOrEqual(
              2 ** -23 * squaresOfSigmaPrime,
            );
          } else {
            expect(k.sumSquares(back.delta)).toBe(squares);
            expect(k.sumSquares(back.sigmaPrime)).toBe(squaresOfSigmaPrime);
          }
        },
      );
    });

    it.each(ELEMENTWISE_SHAPES)(
      'sums of squares that scale and adamSteps compute on the way on %ix%i equal sumSquares of a copy',
      (rows, cols) => {
        const x = load(randomMatrix(random, rows, cols, -3, 3));
        // x + 0 is an exact copy made by a pass that computes no squares.
        const squaresOfCopy = (m: unknown) => k.sumSquares(k.addScalar(m, 0));
        const scaled = k.scale(x, 1 / 300);
        expect(k.sumSquares(scaled)).toBe(squaresOfCopy(scaled));
        if (!k.adamSteps) return;
        const g = load(randomMatrix(random, rows, cols, -1, 1));
        const m = load(randomMatrix(random, rows, cols, -1, 1));
        const v = load(randomMatrix(random, rows, cols, 0, 1));
        const [step] = k.adamSteps([{ theta: x, g, m, v }], {
          stepSize: 0.02,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
        });
        // Adam adds its blocks' sums (16384 parameters each) in block order: float64 rounding apart.
        const recomputed = squaresOfCopy(step.theta);
        expect(Math.abs(k.sumSquares(step.theta) - recomputed)).toBeLessThanOrEqual(1e-12 * recomputed);
      },
    );

    it.skipIf(kernelsCase.label.includes('js'))('activations keep NaN and saturate at ±Infinity', () => {
      const z = k.fromArray([NaN, Infinity, -Infinity, 0, 1e-30, -100, 100], 1, 7);
      const tanh = k.toArray(k.activate('tanh', z, 0));
      expect(Array.from(tanh.slice(0, 5))).toEqual([NaN, 1, -1, 0, Math.fround(1e-30)]);
      expect(Array.from(tanh.slice(5))).toEqual([-1, 1]);
      const sigmoid = k.toArray(k.activate('sigmoid', z, 0));
      expect(sigmoid[0]).toBeNaN();
      expect([sigmoid[1], sigmoid[3], sigmoid[4], sigmoid[6]]).toEqual([1, 0.5, 0.5, 1]);
      // e^-z saturates at e^88.3 instead of overflowing, so the far negative side is a tiny positive number.
      expect(sigmoid[2]).toBeLessThan(1e-38);
      expect(sigmoid[5]).toBeLessThan(1e-38);
    });

    it.each(ELEMENTWISE_SHAPES)('sumRows on %ix%i sums the batch', (rows, cols) => {
      const a = randomMatrix(random, rows, cols);
      const expected = new Float64Array(cols);
      const magnitude = new Float64Array(cols);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          expected[j] += a.data[i * cols + j];
          magnitude[j] += Math.abs(a.data[i * cols + j]);
        }
      }
      const out = k.sumRows(load(a));
      expect([k.rows(out), k.cols(out)]).toEqual([1, cols]);
      expect(maxScaledError(k.toArray(out), expected, (j) => magnitude[j])).toBeLessThan(ELEMENTWISE_TOLERANCE);
    });

    it.each(ELEMENTWISE_SHAPES)('sumSquares on %ix%i matches float64', (rows, cols) => {
      const a = randomMatrix(random, rows, cols);
      const expected = a.data.reduce((s, x) => s + x * x, 0);
      expect(Math.abs(k.sumSquares(load(a)) - expected) / expected).toBeLessThan(ELEMENTWISE_TOLERANCE);
    });

    it.skipIf(kernelsCase.label.includes('js'))(
      'fromBytes maps every byte p to exactly Math.fround(p / 255), in any row shape',
      () => {
        // 259 = 16 x 16 + 3: whole vectors of 16 bytes and a ragged tail.
        const bytes = Uint8Array.from({ length: 7 * 259 }, (_, i) => (i * 37) % 256);
        const m = k.fromBytes!(bytes, 7, 259, 255);
        expect([k.rows(m), k.cols(m)]).toEqual([7, 259]);
        const values = k.toArray(m);
        expect(Array.from(values).filter((v, i) => v !== Math.fround(bytes[i] / 255)).length).toBe(0);
        expect(() => k.fromBytes!(bytes, 7, 258, 255)).toThrow(
          'fromArray: data.length must be rows * cols = 1806, got 1813',
        );
      },
    );

    it('fromArray and toArray round-trip, and fromArray checks the length', () => {
      const m = k.fromArray([1, 2, 3, 4, 5, 6], 2, 3);
      expect(Array.from(k.toArray(m))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(k.precision).toBe('float32');
      expect(() => k.fromArray([1, 2, 3], 2, 2)).toThrow('fromArray: data.length must be rows * cols = 4, got 3');
    });
  });
}
