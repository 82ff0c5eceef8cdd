import { beforeAll, describe, expect, it } from 'vitest';
import { createBatchBuffers, fillBatch, fillPixels, scalePixels } from '../../../src/engine/data/batch';
import type { MnistData, MnistSplit } from '../../../src/engine/data/dataset';
import { loadIdxFolder } from '../../../src/engine/data/folder';
import { SHARED_MNIST } from './fixtures';

let mnist: MnistData;
beforeAll(async () => {
  mnist = await loadIdxFolder(SHARED_MNIST);
});

/** The batch computed the obvious way, to compare the fast path against. */
function naiveBatch(split: MnistSplit, indices: number[]): { x: Float32Array; y: Float32Array } {
  const f = split.rows * split.cols;
  const x = new Float32Array(indices.length * f);
  const y = new Float32Array(indices.length * 10);
  indices.forEach((i, b) => {
    for (let j = 0; j < f; j++) x[b * f + j] = split.images[i * f + j] / 255;
    y[b * 10 + split.labels[i]] = 1;
  });
  return { x, y };
}

/** A one-image split whose 16x16 pixels take every byte value once. */
const everyByte: MnistSplit = {
  images: Uint8Array.from({ length: 256 }, (_, p) => p),
  labels: Uint8Array.of(3),
  count: 1,
  rows: 16,
  cols: 16,
  classes: 10,
};

describe('fillBatch', () => {
  it.each([
    { split: 'train', indices: [0, 1, 2, 3] },
    { split: 'train', indices: [59999, 0, 31337, 59999] },
    { split: 'test', indices: [9999, 5000, 1] },
  ] as const)('$split $indices equals pixels/255 and one-hot labels', ({ split, indices }) => {
    const s = mnist[split];
    const out = createBatchBuffers(s, 8);
    expect(out.x.length).toBe(8 * 784);
    expect(out.y.length).toBe(8 * 10);
    const n = fillBatch(s, indices, out);
    expect(n).toBe(indices.length);
    const want = naiveBatch(s, [...indices]);
    expect(out.x.subarray(0, n * 784)).toEqual(want.x);
    expect(out.y.subarray(0, n * 10)).toEqual(want.y);
  });

  it('is fillPixels (the bytes, one-hot labels) then scalePixels (the floats)', () => {
    const s = mnist.train;
    const indices = [5, 59999, 123];
    const out = createBatchBuffers(s, 4);
    expect(fillPixels(s, indices, out)).toBe(3);
    for (let b = 0; b < 3; b++)
      expect(out.pixels.subarray(b * 784, (b + 1) * 784)).toEqual(
        s.images.subarray(indices[b] * 784, (indices[b] + 1) * 784),
      );
    expect(out.x.every((v) => v === 0)).toBe(true);
    const want = naiveBatch(s, indices);
    expect(out.y.subarray(0, 30)).toEqual(want.y);
    expect(scalePixels(out, 3)).toEqual(want.x);
  });

  it('maps every byte p to exactly Math.fround(p / 255)', () => {
    const out = createBatchBuffers(everyByte, 1);
    fillBatch(everyByte, [0], out);
    for (let p = 0; p < 256; p++) expect(out.x[p]).toBe(Math.fround(p / 255));
    expect(Array.from(out.y)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('reuses the same buffers batch after batch, clearing old one-hots and accepting typed-array index views', () => {
    const s = mnist.train;
    const out = createBatchBuffers(s, 4);
    const { x, y } = out;
    const order = Uint32Array.of(0, 1, 2, 3, 4, 5, 6);
    fillBatch(s, order.subarray(0, 4), out);
    const n = fillBatch(s, order.subarray(4, 7), out);
    expect(n).toBe(3);
    expect(out.x).toBe(x);
    expect(out.y).toBe(y);
    expect(out.y.subarray(0, 30)).toEqual(naiveBatch(s, [4, 5, 6]).y);
    // Labels of samples 4..6 are 9, 2, 1: exactly one 1 per row, nothing left from the first batch.
    for (let b = 0; b < 3; b++) expect(out.y.subarray(b * 10, b * 10 + 10).reduce((a, v) => a + v, 0)).toBe(1);
  });

  it.each([
    { what: 'negative index', indices: [0, -1], says: 'batch index 1 is -1' },
    { what: 'index = count', indices: [60000], says: 'batch index 0 is 60000' },
    { what: 'fractional index', indices: [1.5], says: 'is 1.5' },
    { what: 'NaN index', indices: [Number.NaN], says: 'is NaN' },
    {
      what: 'more indices than capacity',
      indices: [0, 1, 2, 3, 4],
      says: 'a batch of 5 samples does not fit buffers made for 4',
    },
  ])('$what -> bad-index ("$says")', ({ indices, says }) => {
    const out = createBatchBuffers(mnist.train, 4);
    expect(() => fillBatch(mnist.train, indices, out)).toThrow(expect.objectContaining({ code: 'bad-index' }));
    expect(() => fillBatch(mnist.train, indices, out)).toThrow(says);
  });

  it.each([0, -3, 2.5])('capacity %s is rejected', (capacity) => {
    expect(() => createBatchBuffers(mnist.train, capacity)).toThrow('batch capacity must be a positive integer');
  });

  it('rejects buffers made for another image size', () => {
    const out = createBatchBuffers(everyByte, 4);
    expect(() => fillBatch(mnist.train, [0], out)).toThrow(expect.objectContaining({ code: 'shape-mismatch' }));
  });

  it('fills a whole epoch of 128-sample batches in well under a second', () => {
    const s = mnist.train;
    const out = createBatchBuffers(s, 128);
    const order = Uint32Array.from({ length: s.count }, (_, i) => (i * 7919) % s.count);
    const start = performance.now();
    for (let at = 0; at < s.count; at += 128) fillBatch(s, order.subarray(at, Math.min(at + 128, s.count)), out);
    const ms = performance.now() - start;
    // About 0.2 s on a 2-core CI machine; the bound only catches an accidental per-pixel slowdown.
    expect(ms).toBeLessThan(2000);
  });
});
