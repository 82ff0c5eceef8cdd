import { DataError } from './errors';
import type { IdxArray } from './idx';

/** Number of classes (digits 0-9); labels must be below it. */
export const CLASSES = 10;

/** One split of an image dataset, kept as bytes (47 MB for MNIST's training images instead of 188 MB as floats). */
export interface MnistSplit {
  /** count x rows x cols pixels, 0-255, row-major. */
  readonly images: Uint8Array;
  /** count labels, each below `classes`. */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly classes: typeof CLASSES;
}

/** The training and test splits the engine trains and evaluates on. */
export interface MnistData {
  readonly train: MnistSplit;
  readonly test: MnistSplit;
}

/** Pairs an images file with its labels file, checking that the counts agree and that every label is a digit. */
export function makeSplit(images: IdxArray, labels: IdxArray, imagesFile: string, labelsFile: string): MnistSplit {
  const [count, rows, cols] = images.dims;
  const labelCount = labels.dims[0];
  if (count !== labelCount) {
    throw new DataError(
      'count-mismatch',
      `${imagesFile} has ${count} images but ${labelsFile} has ${labelCount} labels; the two files must come from the same split.`,
      labelsFile,
    );
  }
  const at = labels.data.findIndex((label) => label >= CLASSES);
  if (at >= 0) {
    throw new DataError(
      'bad-label',
      `${labelsFile}: label ${at} is ${labels.data[at]}, but labels must be digits 0-${CLASSES - 1}.`,
      labelsFile,
    );
  }
  return { images: images.data, labels: labels.data, count, rows, cols, classes: CLASSES };
}

/** Bundles the two splits, checking that their images have the same size (the network's input width depends on it). */
export function makeMnistData(train: MnistSplit, test: MnistSplit, testImagesFile: string): MnistData {
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new DataError(
      'shape-mismatch',
      `${testImagesFile} has ${test.rows}x${test.cols} images but the training images are ${train.rows}x${train.cols}; ` +
        'use test and training files from the same dataset.',
      testImagesFile,
    );
  }
  return { train, test };
}
