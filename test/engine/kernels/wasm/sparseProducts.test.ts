// The sparse (CSR) products of the wasm kernels: exact on mostly-zero operands with empty rows and
// columns, chosen by the default policy for MNIST's first layer and not for dense operands, and
// leaving no memory behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchBuffers, fillBatch } from '../../../../src/engine/data';
import { createWasmKernels, type WasmKernels, type WasmMatrix } from '../../../../src/engine/kernels/wasm/wasmKernels';
import { sharedMnist } from '../../../support/mnist';
import { ensureWasmBuilt } from './kernelsUnderTest';
import { maxScaledError, randomMatrix, refMatMul, seededRandom, type RefMatrix } from './reference';

const GEMM_TOLERANCE = 1e-6;

/** A random matrix with about `density` nonzeros, one all-zero row and one all-zero column. */
function sparseMatrix(random: () => number, rows: number, cols: number, density: number): RefMatrix {
  const m = randomMatrix(random, rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (random() >= density || i === rows >> 1 || j === cols >> 1) m.data[i * cols + j] = 0;
    }
  }
  return m;
}

function transposed(m: RefMatrix): RefMatrix {
  const data = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) data[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data };
}

beforeAll(ensureWasmBuilt, 120_000);

describe.each([1, 2])('sparse products, forced onto every product, %i thread(s)', (threads) => {
  let k: WasmKernels;
  beforeAll(async () => {
    k = await createWasmKernels({
      flavor: 'simd',
      threads,
      minThreadedMultiplyAdds: 0,
      sparsity: { maxDensity: 1, minElements: 0 },
    });
  });
  afterAll(() => k.close());

  // Widths around the 32-column strip and depths off the 4 x 4 transpose blocks.
  const shapes: Array<[number, number, number]> = [
    [5, 9, 33],
    [300, 784, 256],
    [31, 70, 65],
    [64, 3, 10],
  ];
  const flags: Array<[boolean, boolean]> = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ];
  const cases = shapes.flatMap(([m, depth, n]) => flags.map(([ta, tb]) => [m, depth, n, ta, tb] as const));

  it.each(cases)(
    '%ix%i · (…)x%i, transposeA=%s transposeB=%s, one in five nonzero, matches float64',
    (m, depth, n, transposeA, transposeB) => {
      const random = seededRandom(m * 7 + depth * 13 + n);
      const a = sparseMatrix(random, m, depth, 0.2);
      const b = sparseMatrix(random, depth, n, 0.2);
      const { product, magnitude } = refMatMul(a, b);
      const before = { ...k.productCounts };
      const c = k.scope(() => {
        const stored = (x: RefMatrix, t: boolean) => (t ? transposed(x) : x);
        const [sa, sb] = [stored(a, transposeA), stored(b, transposeB)];
        return k.matMul(
          k.fromArray(sa.data, sa.rows, sa.cols),
          k.fromArray(sb.data, sb.rows, sb.cols),
          transposeA,
          transposeB,
        );
      });
      // Both operands sparse is the usual case here: only aᵀ·bᵀ has no sparse form and stays dense.
      expect(k.productCounts.sparse - before.sparse).toBe(transposeA && transposeB ? 0 : 1);
      // Scaled by Σ|a·b|, plus a floor for the elements that are exactly zero.
      expect(maxScaledError(k.toArray(c), product.data, (i) => magnitude[i] + 1e-30)).toBeLessThan(GEMM_TOLERANCE);
      const zeroRow = m >> 1;
      expect(Array.from(k.toArray(c).subarray(zeroRow * n, zeroRow * n + n)).every((x) => x === 0)).toBe(true);
      k.dispose(c);
    },
  );
});

describe('the default policy on the first layer of an MNIST network', () => {
  let sparse: WasmKernels;
  let dense: WasmKernels;
  let x: Float32Array;
  let pixels: Uint8Array;
  const batch = 300;
  beforeAll(async () => {
    [sparse, dense] = await Promise.all([
      createWasmKernels({ flavor: 'simd' }),
      createWasmKernels({ flavor: 'simd', sparsity: false }),
    ]);
    const mnist = await sharedMnist();
    const buffers = createBatchBuffers(mnist.train, batch);
    fillBatch(
      mnist.train,
      Int32Array.from({ length: batch }, (_, i) => i * 7),
      buffers,
    );
    x = buffers.x.slice(0, batch * 784);
    pixels = buffers.pixels.slice(0, batch * 784);
  });
  afterAll(() => Promise.all([sparse.close(), dense.close()]));

  /** X·Wᵀ and δᵀ·X on the given kernels, read back; X from floats, or from the pixels' bytes / 255. */
  function firstLayer(k: WasmKernels, input: Float32Array | Uint8Array): Float32Array[] {
    const random = seededRandom(3);
    const W = randomMatrix(random, 256, 784);
    const delta = randomMatrix(random, batch, 256);
    return k.scope(() => {
      const xm = input instanceof Uint8Array ? k.fromBytes(input, batch, 784, 255) : k.fromArray(input, batch, 784);
      const forward = k.matMul(xm, k.fromArray(W.data, 256, 784), false, true);
      const gradient = k.matMul(k.fromArray(delta.data, batch, 256), xm, true, false);
      return [k.toArray(forward), k.toArray(gradient)];
    });
  }

  it('skips the zero pixels (~81% of them) in both products and agrees with the dense GEMM', () => {
    const before = { ...sparse.productCounts };
    const [forward, gradient] = firstLayer(sparse, x);
    expect(sparse.productCounts.sparse - before.sparse).toBe(2);
    // Each product did one multiply-add per nonzero pixel and output column: the dense count times the density.
    const nonzeros = x.reduce((count, v) => count + (v !== 0 ? 1 : 0), 0);
    expect(sparse.productCounts.denseMultiplyAdds - before.denseMultiplyAdds).toBe(2 * batch * 784 * 256);
    expect(sparse.productCounts.multiplyAdds - before.multiplyAdds).toBe(2 * nonzeros * 256);
    expect(nonzeros / x.length).toBeLessThan(0.25);
    const [denseForward, denseGradient] = firstLayer(dense, x);
    // Relative to the largest element: the two sum the same terms in different orders.
    const largest = (values: Float32Array) => values.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    const [forwardScale, gradientScale] = [largest(denseForward), largest(denseGradient)];
    expect(maxScaledError(forward, denseForward, () => forwardScale)).toBeLessThan(1e-6);
    expect(maxScaledError(gradient, denseGradient, () => gradientScale)).toBeLessThan(1e-6);
  });

  it('compresses pixels from fromBytes as it converts them: the same bits, and no second pass over X', () => {
    const fromFloats = firstLayer(sparse, x);
    const compressions = sparse.sparseCompressions;
    const before = { ...sparse.productCounts };
    const fromBytes = firstLayer(sparse, pixels);
    // One compression (fromBytes' own) for both products, where floats are compressed by the first product.
    expect(sparse.sparseCompressions - compressions).toBe(1);
    expect(sparse.productCounts.sparse - before.sparse).toBe(2);
    expect(fromBytes).toEqual(fromFloats);
    // Dense pixels (no zero among them) are converted whole and the products stay on the GEMM.
    const dense = pixels.map((p) => p | 1);
    const denseBefore = { ...sparse.productCounts };
    const products = firstLayer(sparse, dense);
    expect(sparse.productCounts.dense - denseBefore.dense).toBe(2);
    expect(products).toEqual(
      firstLayer(
        sparse,
        Float32Array.from(dense, (p) => Math.fround(p / 255)),
      ),
    );
  });

  it('keeps dense inputs on the GEMM', () => {
    const before = { ...sparse.productCounts };
    firstLayer(
      sparse,
      Float32Array.from(x, (v, i) => v + ((i % 5) + 1) / 10),
    );
    expect(sparse.productCounts.sparse - before.sparse).toBe(0);
    expect(sparse.productCounts.dense - before.dense).toBe(2);
  });

  it('frees the compressed forms with their matrix: memory is flat over repeated batches', () => {
    firstLayer(sparse, x);
    const reserved = sparse.reservedBytes;
    const live = sparse.liveMatrices();
    for (let i = 0; i < 5; i++) firstLayer(sparse, x);
    expect(sparse.reservedBytes).toBe(reserved);
    expect(sparse.liveMatrices()).toBe(live);
  });
});

describe('compressed forms follow their matrix', () => {
  it('a matrix made where a disposed one was is compressed afresh, not read from the old form', async () => {
    const k = await createWasmKernels({ flavor: 'simd', sparsity: { maxDensity: 0.5, minElements: 0 } });
    const identity = k.fromArray(
      Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0)),
      4,
      4,
    );
    const first = k.fromArray([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4], 4, 4);
    expect(Array.from(k.toArray(k.matMul(first, identity)))).toEqual([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4]);
    k.dispose(first);
    // Same size, so the heap hands out the same block.
    const second = k.fromArray([0, 5, 0, 0, 0, 0, 0, 6, 7, 0, 0, 0, 0, 0, 8, 0], 4, 4);
    expect((second as WasmMatrix).ptr).toBe((first as WasmMatrix).ptr);
    expect(Array.from(k.toArray(k.matMul(second, identity)))).toEqual([0, 5, 0, 0, 0, 0, 0, 6, 7, 0, 0, 0, 0, 0, 8, 0]);
    await k.close();
  });
});

describe('the fused layer passes count nonzeros, so dense operands skip compression', () => {
  // maxDensity 0.5 on 64 x 130 outputs (tail columns): at most 4160 nonzeros may go sparse. The other
  // operands (130 x 3) stay under minElements, so only the layer's output is ever compressed.
  const policy = { maxDensity: 0.5, minElements: 1000 };
  let k: WasmKernels;
  beforeAll(async () => {
    k = await createWasmKernels({ flavor: 'simd', sparsity: policy });
  });
  afterAll(() => k.close());

  /** relu(1 · w) with the first `positive` of 130 units +1 and the rest -1: exactly 64 x positive nonzeros. */
  function layerWith(positive: number, kind: 'relu' | 'tanh' | 'sigmoid') {
    const x = k.fromArray(new Float32Array(64).fill(1), 64, 1);
    const W = k.fromArray(
      Float32Array.from({ length: 130 }, (_, i) => (i < positive ? 1 : -1)),
      130,
      1,
    );
    return k.layerForward(kind, x, W, k.fromArray(new Float32Array(130), 1, 130), 0);
  }

  /** Which path the product a · B took: sparse or dense. */
  function pathOf(a: WasmMatrix): 'sparse' | 'dense' {
    const before = { ...k.productCounts };
    const B = k.fromArray(new Float32Array(130 * 3).fill(0.5), 130, 3);
    k.scope(() => k.matMul(a, B));
    return k.productCounts.sparse > before.sparse ? 'sparse' : 'dense';
  }

  it.each([
    [65, 'relu', 'sparse'], // 4160 nonzeros: at the limit, compressed
    [66, 'relu', 'dense'], // 4224: one row past it, never compressed
    [0, 'tanh', 'dense'], // tanh(-1) is nonzero everywhere
    [0, 'sigmoid', 'dense'],
  ] as const)('%i positive units of 130, %s: a · B runs %s', (positive, kind, path) => {
    k.scope(() => {
      const compressed = k.sparseCompressions;
      expect(pathOf(layerWith(positive, kind).a)).toBe(path);
      // A dense operand known to be dense costs no compression attempt at all.
      if (path === 'dense') expect(k.sparseCompressions).toBe(compressed);
    });
  });

  it('layerBackward counts δ: relu′ zeros make it sparse, and its sums of squares are exact', () => {
    k.scope(() => {
      const { z, a } = layerWith(65, 'relu');
      const deltaNext = k.fromArray(new Float32Array(64 * 2).fill(1), 64, 2);
      const WNext = k.fromArray(new Float32Array(2 * 130).fill(0.25), 2, 130);
      const { sigmaPrime, delta } = k.layerBackward('relu', deltaNext, WNext, z, a, 0);
      // δ = relu′(z) ⊙ 0.5: 4160 nonzeros of 0.5 each.
      expect(k.sumSquares(delta)).toBe(4160 * 0.25);
      expect(k.sumSquares(sigmaPrime)).toBe(4160);
      expect(pathOf(delta)).toBe('sparse');
    });
    k.scope(() => {
      const { z, a } = layerWith(66, 'relu');
      const deltaNext = k.fromArray(new Float32Array(64 * 2).fill(1), 64, 2);
      const WNext = k.fromArray(new Float32Array(2 * 130).fill(0.25), 2, 130);
      const compressed = k.sparseCompressions;
      expect(pathOf(k.layerBackward('relu', deltaNext, WNext, z, a, 0).delta)).toBe('dense');
      expect(k.sparseCompressions).toBe(compressed);
    });
  });
});
