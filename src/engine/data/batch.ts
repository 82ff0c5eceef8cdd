import { DataError } from './errors';
import type { MnistSplit } from './dataset';

/** Reusable inputs and one-hot targets for up to `capacity` samples, allocated once per training run. */
export interface BatchBuffers {
  readonly capacity: number;
  /** Pixels per sample (rows x cols): 784 for MNIST. */
  readonly features: number;
  readonly classes: number;
  /** capacity x features pixels as stored (0-255), row-major: what fillPixels writes. */
  readonly pixels: Uint8Array;
  /** capacity x features inputs, pixel / 255, row-major: what scalePixels makes of the pixels. */
  readonly x: Float32Array;
  /** capacity x classes one-hot targets, row-major. */
  readonly y: Float32Array;
}

// Multiplying by 1/255 is faster than dividing (and than a lookup table) and, rounded to float32, equals p / 255
// for every byte p; the batch tests check all 256.
const INV_255 = 1 / 255;

/** Allocates the buffers for batches of up to `capacity` samples of this split's shape. */
export function createBatchBuffers(
  split: Pick<MnistSplit, 'rows' | 'cols' | 'classes'>,
  capacity: number,
): BatchBuffers {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new DataError('bad-index', `batch capacity must be a positive integer, got ${capacity}.`);
  }
  const features = split.rows * split.cols;
  return {
    capacity,
    features,
    classes: split.classes,
    pixels: new Uint8Array(capacity * features),
    x: new Float32Array(capacity * features),
    y: new Float32Array(capacity * split.classes),
  };
}

/**
 * Writes the samples `indices` into the first rows of `out.x` (pixels / 255) and `out.y` (one-hot)
 * and returns how many rows were written; rows past that keep stale values. Allocates nothing.
 */
export function fillBatch(split: MnistSplit, indices: ArrayLike<number>, out: BatchBuffers): number {
  const n = fillPixels(split, indices, out);
  scalePixels(out, n);
  return n;
}

/**
 * Like fillBatch, but leaves `out.x` alone: the pixels are copied as bytes into `out.pixels`, for kernels
 * that scale them themselves (Kernels.fromBytes), and scalePixels makes the floats when wanted.
 */
export function fillPixels(split: MnistSplit, indices: ArrayLike<number>, out: BatchBuffers): number {
  const n = indices.length;
  const { features, classes, pixels, y } = out;
  if (n > out.capacity) {
    throw new DataError('bad-index', `a batch of ${n} samples does not fit buffers made for ${out.capacity}.`);
  }
  if (features !== split.rows * split.cols || classes !== split.classes) {
    throw new DataError(
      'shape-mismatch',
      `batch buffers are for ${features} pixels and ${classes} classes, the split has ${split.rows * split.cols} and ${split.classes}.`,
    );
  }
  const { images, labels } = split;
  y.fill(0, 0, n * classes);
  checkAndTouchRows(split, indices, n, features);
  for (let b = 0; b < n; b++) {
    const i = indices[b];
    pixels.set(images.subarray(i * features, (i + 1) * features), b * features);
    y[b * classes + labels[i]] = 1;
  }
  return n;
}

/** Where checkAndTouchRows leaves the bytes it read, so that the compiler keeps the reads. */
let _touched = 0;

/**
 * Checks that the first `n` of `indices` name samples of the split (once per sample, not per pixel: an out-of-range
 * index would read past the images) and reads one byte of every 64-byte cache line of each sample's `width` bytes,
 * so that the lines arrive together before fillPixels copies them: these loads are independent, and the CPU keeps a
 * couple of dozen misses in flight, where a row-by-row copy waits for each row's first lines before the prefetcher
 * takes over. A shuffled batch of 300 MNIST images is ~235 KB scattered over 47 MB, so after the products have filled
 * the caches every line comes from memory: fillPixels took 34.5 ms for 200 such batches, 25-27 ms touching them
 * first (cold caches, Node 24).
 */
function checkAndTouchRows(split: MnistSplit, indices: ArrayLike<number>, n: number, width: number): void {
  const { images, count } = split;
  let sum = 0;
  for (let b = 0; b < n; b++) {
    const i = indices[b];
    if (i >>> 0 !== i || i >= count) {
      throw new DataError(
        'bad-index',
        `batch index ${b} is ${i}, but sample indices must be integers in 0..${count - 1}.`,
      );
    }
    const start = i * width;
    for (let at = start; at < start + width; at += 64) sum += images[at];
    sum += images[start + width - 1];
  }
  _touched ^= sum;
}

/** Fills the first n rows of `out.x` with the pixels fillPixels wrote, / 255, and returns them. */
export function scalePixels(out: BatchBuffers, n: number): Float32Array {
  const { pixels, x } = out;
  const end = n * out.features;
  for (let j = 0; j < end; j++) x[j] = pixels[j] * INV_255;
  return x.subarray(0, end);
}
