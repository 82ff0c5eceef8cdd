import { describe, expect, it } from 'vitest';
import type { MnistSplit } from '../../../src/engine/data';
import { chooseKernels } from '../../../src/engine/kernels/backend';
import { runTraining, type RunEvent } from '../../../src/engine/run';
import { PredictionCollector } from '../../../src/engine/train/predictions';
import { train } from '../../../src/engine/train/trainer';
import { labConfig } from '../../support/nets';
import { SHARED_MNIST, sharedMnist } from '../../support/mnist';

/** A 2x2-pixel, 10-class split whose image i has every pixel equal to i. */
function tinySplit(labels: number[]): MnistSplit {
  const images = new Uint8Array(labels.length * 4);
  labels.forEach((_, i) => images.fill(i, i * 4, i * 4 + 4));
  return { images, labels: Uint8Array.from(labels), count: labels.length, rows: 2, cols: 2, classes: 10 };
}

/** One output row that puts `confidence` on `predicted` and spreads the rest evenly. */
function outputRow(predicted: number, confidence: number): number[] {
  return Array.from({ length: 10 }, (_, i) => (i === predicted ? confidence : (1 - confidence) / 9));
}

describe('PredictionCollector', () => {
  it('counts the confusion matrix as [label][predicted] across chunks', () => {
    const collector = new PredictionCollector(tinySplit([3, 3, 5, 7]), 4);
    collector.add(0, [...outputRow(3, 0.9), ...outputRow(5, 0.6)], 2);
    collector.add(2, [...outputRow(5, 0.8), ...outputRow(1, 0.7)], 2);
    const { confusion, testCount } = collector.result(1);
    expect(testCount).toBe(4);
    expect(confusion[3][3]).toBe(1);
    expect(confusion[3][5]).toBe(1);
    expect(confusion[5][5]).toBe(1);
    expect(confusion[7][1]).toBe(1);
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('puts mistakes first, most confident first, then correct images in test order, with their pixels', () => {
    const collector = new PredictionCollector(tinySplit([0, 1, 2, 3, 4]), 4);
    collector.add(
      0,
      [...outputRow(0, 0.9), ...outputRow(7, 0.4), ...outputRow(2, 0.8), ...outputRow(8, 0.95), ...outputRow(4, 0.5)],
      5,
    );
    const { digits } = collector.result(2);
    expect(digits.map((d) => d.index)).toEqual([3, 1, 0, 2]);
    expect(digits[0]).toMatchObject({ label: 3, predicted: 8, rows: 2, cols: 2, pixels: [3, 3, 3, 3] });
    expect(digits[0].probabilities[8]).toBeCloseTo(0.95);
  });

  it('keeps only the `size` most confident mistakes when there are more', () => {
    const collector = new PredictionCollector(tinySplit([0, 0, 0, 0, 0]), 2);
    const confidences = [0.3, 0.9, 0.5, 0.7, 0.2];
    collector.add(
      0,
      confidences.flatMap((c) => outputRow(1, c)),
      5,
    );
    expect(collector.result(1).digits.map((d) => d.index)).toEqual([1, 3]);
  });

  it('leaves a third of the sample to correct images when there are plenty of both', () => {
    const collector = new PredictionCollector(tinySplit([0, 0, 0, 0, 0, 0, 0, 0, 0]), 6);
    // Images 0-4 wrong, 5-8 right.
    collector.add(
      0,
      [0, 1, 2, 3, 4, 5, 6, 7, 8].flatMap((i) => outputRow(i < 5 ? 1 : 0, 0.9 - i / 100)),
      9,
    );
    expect(collector.result(1).digits.map((d) => d.index)).toEqual([0, 1, 2, 3, 5, 6]);
  });
});

describe('predictions from a real training run (MNIST subset)', () => {
  it('agree with the epoch metrics: the diagonal over the count is the test accuracy', async () => {
    const { kernels } = await chooseKernels('cpu');
    const samples: ReturnType<PredictionCollector['result']>[] = [];
    const result = await train({
      config: labConfig({ epochs: 2, trainSamples: 2000, testSamples: 500, batchSize: 50 }),
      data: await sharedMnist(),
      kernels,
      onPredictions: (sample) => samples.push(sample),
      predictionSampleSize: 24,
    });
    expect(samples.map((s) => s.epoch)).toEqual([1, 2]);
    samples.forEach((sample, i) => {
      const diagonal = sample.confusion.reduce((sum, row, label) => sum + row[label], 0);
      expect(sample.testCount).toBe(500);
      expect(diagonal / sample.testCount).toBeCloseTo(result.epochs[i].testAccuracy, 10);
      expect(sample.digits).toHaveLength(24);
      const mistakes = sample.testCount - diagonal;
      const shownMistakes = sample.digits.filter((d) => d.label !== d.predicted).length;
      expect(shownMistakes).toBe(Math.min(16, mistakes));
      expect(sample.digits.slice(0, shownMistakes).every((d) => d.label !== d.predicted)).toBe(true);
      for (const digit of sample.digits) {
        expect(digit.pixels).toHaveLength(784);
        expect(digit.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    });
  });

  it('reach the run events as run/predicted after each run/epochEnded, only when asked for', async () => {
    const config = labConfig({ epochs: 2, trainSamples: 500, testSamples: 200, batchSize: 100 });
    const types = async (predictionSampleSize?: number) => {
      const events: RunEvent['type'][] = [];
      await runTraining(
        { config, dataFolder: SHARED_MNIST, cacheDir: SHARED_MNIST, backend: 'cpu', predictionSampleSize },
        (e) => events.push(e.type),
        () => false,
      );
      return events.filter((t) => t === 'run/epochEnded' || t === 'run/predicted');
    };
    expect(await types(16)).toEqual(['run/epochEnded', 'run/predicted', 'run/epochEnded', 'run/predicted']);
    expect(await types()).toEqual(['run/epochEnded', 'run/epochEnded']);
  });
});
