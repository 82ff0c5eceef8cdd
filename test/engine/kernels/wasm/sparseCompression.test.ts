// Compressing an operand into CSR form on the pool's threads (count each row's nonzeros, sum them into row
// starts, compress each block of rows into its place) gives byte for byte what the single-thread compressRows
// gives, on 1, 2 and 3 threads: random matrices with rows of all zeros (last rows included, where a block's
// whole-vector stores would reach into the next block), widths off the 4-float vector, -0 and NaN, and MNIST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchBuffers, fillBatch } from '../../../../src/engine/data';
import { createWasmKernels, type WasmKernels } from '../../../../src/engine/kernels/wasm/wasmKernels';
import { sharedMnist } from '../../../support/mnist';
import { ensureWasmBuilt } from './kernelsUnderTest';
import { seededRandom } from './reference';

beforeAll(ensureWasmBuilt, 120_000);

interface Csr {
  nonzeros: number;
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Uint32Array; // the floats' bits: -0 and NaN compare as themselves
}

/** m's CSR form as the kernels' SparseProducts make it (threaded when the pool has more than one thread). */
function compressed(k: WasmKernels, data: Float32Array, rows: number, cols: number): Csr | null {
  return k.scope(() => {
    const m = k.fromArray(data, rows, cols);
    const csr = k['sparse']!['compress'](m);
    return csr && read(k, csr.nonzeros, rows, csr.rowStart, csr.colIndex, csr.values);
  });
}

/** Byte-for-byte equality, or both null (toEqual walks 1.6 M elements one by one). */
function expectSame(ours: Csr | null, expected: Csr | null): void {
  expect(ours === null).toBe(expected === null);
  if (!ours || !expected) return;
  expect(ours.nonzeros).toBe(expected.nonzeros);
  for (const key of ['rowStart', 'colIndex', 'values'] as const) {
    const [a, b] = [ours[key], expected[key]];
    expect(a.length, key).toBe(b.length);
    const same = Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    );
    if (!same) expect(Array.from(a), key).toEqual(Array.from(b)); // names the first difference
  }
}

/** The same matrix through the single-thread compressRows export, the reference. */
function reference(k: WasmKernels, data: Float32Array, rows: number, cols: number, limit: number): Csr | null {
  const heap = k['heap'];
  const a = heap.alloc(rows * cols);
  heap.f32.set(data, a / 4);
  const [rowStart, colIndex, values] = [heap.alloc(rows + 1), heap.alloc(rows * cols + 3), heap.alloc(rows * cols + 3)];
  const nonzeros = k['k'].compressRows(a, rows, cols, rowStart, colIndex, values, limit);
  const csr = nonzeros < 0 ? null : read(k, nonzeros, rows, rowStart, colIndex, values);
  heap.free(a, rows * cols);
  heap.free(rowStart, rows + 1);
  heap.free(colIndex, rows * cols + 3);
  heap.free(values, rows * cols + 3);
  return csr;
}

/**
 * The threaded scheme's blocks run on this thread last to first, the order in which a block's stores past its end
 * would land on entries the next block already wrote: the pool's threads can interleave that way, but rarely do.
 */
function blocksBackwards(k: WasmKernels, data: Float32Array, rows: number, cols: number, span: number): Csr {
  const [heap, kernels] = [k['heap'], k['k']];
  const a = heap.alloc(rows * cols);
  heap.f32.set(data, a / 4);
  const [rowStart, colIndex, values] = [heap.alloc(rows + 1), heap.alloc(rows * cols + 3), heap.alloc(rows * cols + 3)];
  const blocks = Math.ceil(rows / span);
  for (let b = 0; b < blocks; b++) kernels.countRowsBlock(b, b, b + 1, 0, a, rows, cols, span, rowStart);
  const starts = heap.i32;
  starts[rowStart / 4] = 0;
  for (let i = 1; i <= rows; i++) starts[rowStart / 4 + i] += starts[rowStart / 4 + i - 1];
  for (let b = blocks - 1; b >= 0; b--)
    kernels.compressBlock(b, b, b + 1, 0, a, rows, cols, span, rowStart, colIndex, values);
  const csr = read(k, starts[rowStart / 4 + rows], rows, rowStart, colIndex, values);
  heap.free(a, rows * cols);
  heap.free(rowStart, rows + 1);
  heap.free(colIndex, rows * cols + 3);
  heap.free(values, rows * cols + 3);
  return csr;
}

function read(k: WasmKernels, nonzeros: number, rows: number, rowStart: number, colIndex: number, values: number): Csr {
  const heap = k['heap'];
  return {
    nonzeros,
    rowStart: heap.i32.slice(rowStart / 4, rowStart / 4 + rows + 1),
    colIndex: heap.i32.slice(colIndex / 4, colIndex / 4 + nonzeros),
    values: heap.u32.slice(values / 4, values / 4 + nonzeros),
  };
}

/** About `density` nonzeros; rows `zeroRows` picks are all zero; some zeros are -0, one value NaN. */
function matrix(seed: number, rows: number, cols: number, density: number, zeroRows: (i: number) => boolean) {
  const random = seededRandom(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const r = random();
      if (zeroRows(i)) data[i * cols + j] = r < 0.5 ? -0 : 0;
      else if (r < density) data[i * cols + j] = random() * 2 - 1;
      else if (r < density + 0.05) data[i * cols + j] = -0;
    }
  }
  if (rows * cols > 10) data[7] = NaN;
  return data;
}

const shapes: Array<[rows: number, cols: number]> = [
  [1, 784],
  [2, 5],
  [5, 9],
  [13, 3],
  [31, 70],
  [64, 1],
  [300, 784],
  [97, 257],
];
const rowPatterns: Array<[string, (i: number, rows: number) => boolean]> = [
  ['no zero rows', () => false],
  ['every third row and the last two rows zero', (i, rows) => i % 3 === 1 || i >= rows - 2],
  ['the first half zero', (i, rows) => i < rows / 2],
  ['all zero', () => true],
];
const cases = shapes.flatMap(([rows, cols]) => rowPatterns.map(([label, zero]) => [rows, cols, label, zero] as const));

describe('CSR compression by blocks, on the calling thread', () => {
  let k: WasmKernels;
  beforeAll(async () => {
    k = await createWasmKernels({ flavor: 'simd' });
  });
  afterAll(() => k.close());

  it.each(cases)(
    '%ix%i, %s: blocks of 1, 2 and 7 rows compressed last to first, the same bytes',
    (rows, cols, _l, zero) => {
      const data = matrix(rows * 17 + cols, rows, cols, 0.15, (i) => zero(i, rows));
      const expected = reference(k, data, rows, cols, rows * cols);
      for (const span of [1, 2, 7]) expectSame(blocksBackwards(k, data, rows, cols, span), expected);
    },
  );
});

describe.each([1, 2, 3])('CSR compression, %i thread(s)', (threads) => {
  let k: WasmKernels;
  beforeAll(async () => {
    k = await createWasmKernels({
      flavor: 'simd',
      threads,
      minThreadedMultiplyAdds: 0, // every matrix takes the threaded path
      sparsity: { maxDensity: 0.3, minElements: 0 },
    });
  });
  afterAll(() => k.close());

  it.each(cases)('%ix%i, %s: the same bytes as compressRows', (rows, cols, _label, zero) => {
    const data = matrix(rows * 31 + cols, rows, cols, 0.15, (i) => zero(i, rows));
    const limit = Math.floor(rows * cols * 0.3);
    const ours = compressed(k, data, rows, cols);
    expect(ours).not.toBeNull();
    expectSame(ours, reference(k, data, rows, cols, limit));
    // The row starts count every nonzero, NaN included and -0 not.
    const nonzeros = data.reduce((n, v) => (v !== 0 ? n + 1 : n), 0);
    expect(ours!.nonzeros).toBe(nonzeros);
  });

  it.each([
    [300, 784, 0.29],
    [300, 784, 0.32],
    [31, 70, 0.5],
  ])('%ix%i with %f nonzero: too dense exactly when compressRows says so', (rows, cols, density) => {
    const data = matrix(rows + cols, rows, cols, density - 0.03, () => false);
    const limit = Math.floor(rows * cols * 0.3);
    const expected = reference(k, data, rows, cols, limit);
    const ours = compressed(k, data, rows, cols);
    expectSame(ours, expected);
    expect(ours === null).toBe(data.reduce((n, v) => (v !== 0 ? n + 1 : n), 0) > limit);
  });

  it.each([300, 301, 2048])('a batch of %i MNIST images: the same bytes as compressRows', async (batch) => {
    const mnist = await sharedMnist();
    const buffers = createBatchBuffers(mnist.train, batch);
    fillBatch(
      mnist.train,
      Int32Array.from({ length: batch }, (_, i) => (i * 13) % mnist.train.count),
      buffers,
    );
    const x = buffers.x.slice(0, batch * 784);
    const ours = compressed(k, x, batch, 784);
    expect(ours!.nonzeros).toBeGreaterThan(0.1 * x.length);
    expectSame(ours, reference(k, x, batch, 784, Math.floor(x.length * 0.3)));
  });
});
