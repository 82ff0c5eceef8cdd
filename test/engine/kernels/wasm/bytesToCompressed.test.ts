// assembly/sparse.ts bytesToCompressed: converting bytes to floats and compressing them in one pass gives exactly
// what bytesToFloats then compressRows give, floats and CSR alike, on real MNIST batches and on awkward shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { createBatchBuffers, fillPixels } from '../../../../src/engine/data';
import { instantiateKernels, type KernelExports } from '../../../../src/engine/kernels/wasm/kernelExports';
import {
  loadKernelModule,
  MAXIMUM_MEMORY_PAGES,
  type WasmFlavor,
} from '../../../../src/engine/kernels/wasm/wasmBinaries';
import { webAssembly, type WasmMemory } from '../../../../src/engine/kernels/wasm/webAssemblyApi';
import { sharedMnist } from '../../../support/mnist';
import { ensureWasmBuilt, flavorSupported } from './kernelsUnderTest';
import { seededRandom } from './reference';

beforeAll(ensureWasmBuilt, 120_000);

interface Csr {
  nonzeros: number;
  floats: Float32Array;
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Float32Array;
}

/** Both routes over the same bytes in one instance's memory, read back. */
function bothRoutes(
  k: KernelExports,
  memory: WasmMemory,
  bytes: Uint8Array,
  rows: number,
  cols: number,
  limit: number,
  divisor = 255,
): { fused: Csr; separate: Csr } {
  const n = rows * cols;
  const room = n + 3;
  // Byte offsets laid out above the module's data, each 16-byte aligned.
  let next = (k.HEAP_BASE.value + 15) & ~15;
  const take = (bytesWanted: number) => {
    const at = next;
    next = (next + bytesWanted + 15) & ~15;
    return at;
  };
  const input = take(n);
  const parts = () => ({
    floats: take(4 * n),
    rowStart: take(4 * (rows + 1)),
    colIndex: take(4 * room),
    values: take(4 * room),
  });
  const a = parts();
  const b = parts();
  const needed = next - memory.buffer.byteLength;
  if (needed > 0) memory.grow(Math.ceil(needed / 65536));
  new Uint8Array(memory.buffer).set(bytes, input);
  const fusedCount = k.bytesToCompressed(input, rows, cols, divisor, a.floats, a.rowStart, a.colIndex, a.values, limit);
  k.bytesToFloats(input, n, divisor, b.floats);
  const separateCount = k.compressRows(b.floats, rows, cols, b.rowStart, b.colIndex, b.values, limit);
  const read = (p: typeof a, count: number): Csr => {
    const kept = Math.max(count, 0);
    return {
      nonzeros: count,
      floats: new Float32Array(memory.buffer, p.floats, n).slice(),
      rowStart: count < 0 ? new Int32Array(0) : new Int32Array(memory.buffer, p.rowStart, rows + 1).slice(),
      colIndex: new Int32Array(memory.buffer, p.colIndex, kept).slice(),
      values: new Float32Array(memory.buffer, p.values, kept).slice(),
    };
  };
  return { fused: read(a, fusedCount), separate: read(b, separateCount) };
}

const flavors = (['simd', 'relaxed-simd'] as WasmFlavor[]).filter(flavorSupported);

describe.each(flavors)('bytesToCompressed (%s build)', (flavor) => {
  let k: KernelExports;
  let memory: WasmMemory;
  beforeAll(() => {
    memory = new webAssembly.Memory({ initial: 64, maximum: MAXIMUM_MEMORY_PAGES, shared: true });
    k = instantiateKernels(loadKernelModule({ flavor }).module, memory);
  });

  it('matches bytesToFloats + compressRows on a shuffled batch of 300 MNIST training images', async () => {
    const mnist = await sharedMnist();
    const buffers = createBatchBuffers(mnist.train, 300);
    const random = seededRandom(11);
    const indices = Int32Array.from({ length: 300 }, () => Math.floor(random() * mnist.train.count));
    fillPixels(mnist.train, indices, buffers);
    const { fused, separate } = bothRoutes(k, memory, buffers.pixels, 300, 784, 300 * 784);
    // About a fifth of MNIST's pixels are nonzero.
    expect(fused.nonzeros / (300 * 784)).toBeGreaterThan(0.1);
    expect(fused.nonzeros / (300 * 784)).toBeLessThan(0.3);
    expect(fused).toEqual(separate);
    // The floats are the correctly rounded quotients, and the CSR lists exactly the nonzero ones.
    for (let i = 0; i < 300 * 784; i += 97) expect(fused.floats[i]).toBe(Math.fround(buffers.pixels[i] / 255));
    expect(fused.values.every((v) => v !== 0)).toBe(true);
  });

  // Widths off the 16-byte step (tails of 1-15 bytes), one column, all-zero and all-nonzero rows.
  it.each([
    [4, 16],
    [7, 259],
    [5, 1],
    [9, 17],
    [3, 47],
    [64, 784],
  ])('matches on a random %ix%i of bytes with empty and full rows', (rows, cols) => {
    const random = seededRandom(rows * 31 + cols);
    const bytes = Uint8Array.from({ length: rows * cols }, (_, i) => {
      const row = Math.floor(i / cols);
      if (row === 1) return 0;
      if (row === 2) return 1 + Math.floor(random() * 255);
      return random() < 0.25 ? 1 + Math.floor(random() * 255) : 0;
    });
    const { fused, separate } = bothRoutes(k, memory, bytes, rows, cols, rows * cols);
    expect(fused).toEqual(separate);
    expect(fused.nonzeros).toBe(bytes.reduce((count, v) => count + (v !== 0 ? 1 : 0), 0));
  });

  it('gives up the CSR past the limit, as compressRows does, but still converts every byte', () => {
    const rows = 6;
    const cols = 50;
    const random = seededRandom(5);
    const bytes = Uint8Array.from({ length: rows * cols }, () => (random() < 0.5 ? 200 : 0));
    const nonzeros = bytes.reduce((count, v) => count + (v !== 0 ? 1 : 0), 0);
    const atLimit = bothRoutes(k, memory, bytes, rows, cols, nonzeros);
    expect(atLimit.fused.nonzeros).toBe(nonzeros);
    expect(atLimit.fused).toEqual(atLimit.separate);
    const past = bothRoutes(k, memory, bytes, rows, cols, nonzeros - 1);
    expect(past.fused.nonzeros).toBe(-1);
    expect(past.separate.nonzeros).toBe(-1);
    expect(past.fused.floats).toEqual(past.separate.floats);
    expect(past.fused.floats[bytes.indexOf(200)]).toBe(Math.fround(200 / 255));
  });

  it('divides by any divisor of at least 1 (the bytes themselves at 1)', () => {
    const bytes = Uint8Array.from({ length: 3 * 40 }, (_, i) => (i % 3 === 0 ? i : 0));
    for (const divisor of [1, 7, 1e30]) {
      const { fused, separate } = bothRoutes(k, memory, bytes, 3, 40, 120, divisor);
      expect(fused).toEqual(separate);
    }
  });
});
