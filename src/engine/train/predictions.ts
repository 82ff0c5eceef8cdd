import { argmax } from '../model/outputLayer';
import type { MnistSplit } from '../data';
import type { PredictionSample } from './metrics';

export type { PredictedDigit, PredictionSample } from './metrics';

/** Images in a sample unless the caller asks otherwise: a grid of 8 x 6. */
export const DEFAULT_SAMPLE_SIZE = 48;
/** At most this share of a sample is mistakes when there are correct images to fill the rest. */
export const MISTAKE_SHARE = 2 / 3;

/**
 * Gathers predictions chunk by chunk during a test-set evaluation: the confusion matrix over every image,
 * and the mistakes and first correct images a sample is drawn from (bounded, so memory stays flat).
 */
export class PredictionCollector {
  private readonly confusion: number[][];
  private readonly mistakes: { index: number; confidence: number; predicted: number; probabilities: number[] }[] = [];
  private readonly correct: { index: number; predicted: number; probabilities: number[] }[] = [];
  private count = 0;

  constructor(
    private readonly split: MnistSplit,
    private readonly size: number = DEFAULT_SAMPLE_SIZE,
  ) {
    this.confusion = Array.from({ length: split.classes }, () => new Array<number>(split.classes).fill(0));
  }

  /** Adds one chunk: `y` holds `rows` output rows for test images `start` .. `start + rows - 1`. */
  add(start: number, y: ArrayLike<number>, rows: number): void {
    const cols = y.length / rows;
    for (let r = 0; r < rows; r++) {
      const index = start + r;
      const label = this.split.labels[index];
      const predicted = argmax(y, r * cols, cols);
      this.confusion[label][predicted]++;
      this.count++;
      const keepCorrect = predicted === label && this.correct.length < this.size;
      if (predicted !== label || keepCorrect) {
        const probabilities = Array.from({ length: cols }, (_, i) => y[r * cols + i]);
        if (keepCorrect) this.correct.push({ index, predicted, probabilities });
        else this.keepMistake({ index, confidence: probabilities[predicted], predicted, probabilities });
      }
    }
  }

  /** The sample and confusion matrix gathered so far. */
  result(epoch: number): PredictionSample {
    // Mistakes teach most, but a few correct digits beside them show what the network does get right.
    const mistakesShown = Math.min(
      this.mistakes.length,
      Math.max(Math.ceil(MISTAKE_SHARE * this.size), this.size - this.correct.length),
    );
    const chosen = [...this.mistakes.slice(0, mistakesShown), ...this.correct.slice(0, this.size - mistakesShown)];
    const { rows, cols } = this.split;
    const pixelsPerImage = rows * cols;
    const digits = chosen.map(({ index, predicted, probabilities }) => ({
      index,
      pixels: Array.from(this.split.images.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage)),
      rows,
      cols,
      label: this.split.labels[index],
      predicted,
      probabilities,
    }));
    return { epoch, digits, confusion: this.confusion.map((row) => [...row]), testCount: this.count };
  }

  // Keeps the `size` most confident mistakes, sorted most confident first; ties keep test order.
  private keepMistake(mistake: (typeof this.mistakes)[number]): void {
    const list = this.mistakes;
    if (list.length === this.size && mistake.confidence <= list[list.length - 1].confidence) return;
    let at = list.length;
    while (at > 0 && list[at - 1].confidence < mistake.confidence) at--;
    list.splice(at, 0, mistake);
    if (list.length > this.size) list.pop();
  }
}
