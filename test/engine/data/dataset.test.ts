import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSES, makeMnistData, makeSplit, type MnistData, type MnistSplit } from '../../../src/engine/data/dataset';
import { DataError } from '../../../src/engine/data/errors';
import { loadIdxFolder } from '../../../src/engine/data/folder';
import type { IdxArray } from '../../../src/engine/data/idx';
import { SHARED_MNIST } from './fixtures';

let mnist: MnistData;
beforeAll(async () => {
  mnist = await loadIdxFolder(SHARED_MNIST);
});

function classCounts(split: MnistSplit): number[] {
  const counts = new Array<number>(CLASSES).fill(0);
  for (const label of split.labels) counts[label]++;
  return counts;
}

describe('MNIST from ../shared/datasets/mnist', () => {
  it.each([
    {
      split: 'train',
      count: 60000,
      firstLabels: [5, 0, 4, 1, 9, 2, 1, 3, 1, 4],
      // Published per-class counts of the MNIST training and test sets.
      perClass: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    },
    {
      split: 'test',
      count: 10000,
      firstLabels: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9],
      perClass: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
    },
  ] as const)(
    '$split: $count images of 28x28, labels start $firstLabels',
    ({ split, count, firstLabels, perClass }) => {
      const s = mnist[split];
      expect({ count: s.count, rows: s.rows, cols: s.cols, classes: s.classes }).toEqual({
        count,
        rows: 28,
        cols: 28,
        classes: 10,
      });
      expect(s.images.length).toBe(count * 28 * 28);
      expect(s.labels.length).toBe(count);
      expect(Array.from(s.labels.subarray(0, 10))).toEqual(firstLabels);
      expect(classCounts(s)).toEqual(perClass);
    },
  );

  it.each(['train', 'test'] as const)(
    '%s pixels span 0..255 with the known mean (about 0.13 of 255) and dark corners',
    (split) => {
      const { images, count } = mnist[split];
      let min = 255;
      let max = 0;
      let sum = 0;
      for (let i = 0; i < images.length; i++) {
        const p = images[i];
        if (p < min) min = p;
        if (p > max) max = p;
        sum += p;
      }
      expect([min, max]).toEqual([0, 255]);
      // 0.1307 / 0.1325 are the usual normalisation means of the MNIST train / test pixels.
      expect(sum / images.length / 255).toBeCloseTo(split === 'train' ? 0.1307 : 0.1325, 3);
      // The digits are centred: the top-left pixel is blank in every image.
      let litCorners = 0;
      for (let i = 0; i < count; i++) if (images[i * 784] !== 0) litCorners++;
      expect(litCorners).toBe(0);
    },
  );
});

describe('makeSplit and makeMnistData check that the files belong together', () => {
  const idx = (dims: number[], data: number[] | Uint8Array): IdxArray => ({ dims, data: Uint8Array.from(data) });
  const images2x2 = (count: number): IdxArray => idx([count, 2, 2], new Uint8Array(count * 4));

  it.each([
    {
      what: '3 images with 2 labels',
      images: images2x2(3),
      labels: idx([2], [1, 2]),
      code: 'count-mismatch',
      says: 'has 3 images but lab.idx has 2 labels',
    },
    { what: 'label 10', images: images2x2(3), labels: idx([3], [0, 10, 1]), code: 'bad-label', says: 'label 1 is 10' },
    { what: 'label 255', images: images2x2(2), labels: idx([2], [9, 255]), code: 'bad-label', says: 'label 1 is 255' },
  ])('$what -> $code', ({ images, labels, code, says }) => {
    const run = (): MnistSplit => makeSplit(images, labels, 'img.idx', 'lab.idx');
    expect(run).toThrow(DataError);
    expect(run).toThrow(says);
    try {
      run();
    } catch (err) {
      expect((err as DataError).code).toBe(code);
      expect((err as DataError).file).toBe('lab.idx');
    }
  });

  it('accepts labels 0..9 and keeps the bytes without copying', () => {
    const images = images2x2(10);
    const labels = idx([10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const split = makeSplit(images, labels, 'img', 'lab');
    expect(split.images).toBe(images.data);
    expect(split.labels).toBe(labels.data);
    expect(split).toMatchObject({ count: 10, rows: 2, cols: 2, classes: 10 });
  });

  it.each([
    { train: [2, 2], test: [2, 3] },
    { train: [28, 28], test: [14, 56] },
  ])('train $train with test $test -> shape-mismatch', ({ train, test }) => {
    const split = ([rows, cols]: number[]): MnistSplit =>
      makeSplit(idx([1, rows, cols], new Uint8Array(rows * cols)), idx([1], [0]), 'img', 'lab');
    expect(() => makeMnistData(split(train), split(test), 't10k-images')).toThrow(
      expect.objectContaining({ code: 'shape-mismatch', file: 't10k-images' }),
    );
  });
});
