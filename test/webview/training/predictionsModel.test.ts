import { describe, expect, it } from 'vitest';
import { MAX_PREDICTED_DIGITS } from '../../../src/engine/record/runRecord';
import { predictionsView } from '../../../webview/training/predictionsModel';
import { mnistPredictions } from '../../support/records';

type Json = Record<string, unknown>;

/** Real MNIST predictions with one change made, as a stored record or a message might carry them. */
async function sample(change: (s: Json, digits: Json[]) => void = () => {}): Promise<Json> {
  const s = JSON.parse(JSON.stringify(await mnistPredictions(3))) as Json;
  change(s, s.digits as Json[]);
  return s;
}

describe('predictionsView', () => {
  it('draws every digit of a real sample with its pixels, outputs and confusion matrix', async () => {
    const real = await mnistPredictions(3);
    const view = predictionsView(real)!;
    expect(view.digits).toHaveLength(3);
    expect(view.skipped).toBe(0);
    expect(Array.from(view.digits[1].pixels)).toEqual(real.digits[1].pixels);
    expect(view.digits[0]).toMatchObject({
      rows: 28,
      cols: 28,
      label: real.digits[0].label,
      predicted: real.digits[0].predicted,
      confidence: 0.91,
    });
    expect(view.confusion).toEqual(real.confusion);
    expect(view.testCount).toBe(1040);
  });

  it.each([undefined, null, 'text', 7, [1, 2]])('has nothing to draw for %j', (value) => {
    expect(predictionsView(value)).toBeUndefined();
  });

  it.each<[string, (s: Json, d: Json[]) => void, number, number]>([
    ['digits that are not an array', (s) => (s.digits = 'many'), 0, 0],
    ['digits that are not objects', (s, d) => (s.digits = [null, 5, 'x', d[1]]), 1, 3],
    ['a 1e5 × 1e5 digit', (_, d) => Object.assign(d[0], { rows: 1e5, cols: 1e5 }), 2, 1],
    ['a digit of 0 rows', (_, d) => (d[0].rows = 0), 2, 1],
    ['pixels that do not fill the digit', (_, d) => (d[2].pixels = [0, 255]), 2, 1],
    ['pixels that are not an array', (_, d) => (d[2].pixels = 'ink'), 2, 1],
  ])('leaves out what cannot be drawn: %s', async (_what, change, drawn, skipped) => {
    const view = predictionsView(await sample(change))!;
    expect(view.digits).toHaveLength(drawn);
    expect(view.skipped).toBe(skipped);
    for (const d of view.digits) expect(d.pixels).toHaveLength(d.rows * d.cols);
  });

  it('clamps pixels to 0..255 and reads odd outputs as NaN, with no confidence where there is none', async () => {
    const view = predictionsView(
      await sample((_, d) => {
        (d[0].pixels as unknown[]).splice(0, 4, 300, -5, 'x', 127.6);
        d[0].probabilities = 'high';
        d[1].probabilities = [null, 'x', 0.5];
        d[1].predicted = 1;
      }),
    )!;
    expect(Array.from(view.digits[0].pixels.subarray(0, 4))).toEqual([255, 0, 0, 128]);
    expect(view.digits[0]).toMatchObject({ probabilities: [], confidence: 0 });
    expect(view.digits[1].probabilities).toEqual([NaN, NaN, 0.5]);
    expect(view.digits[1].confidence).toBe(0);
  });

  it.each<[string, unknown, number[][]]>([
    ['not an array', 'diagonal', []],
    ['a row that is a number', [[1, 2], 3], []],
    ['rows of different lengths', [[1, 2], [3]], []],
    [
      'counts that are not counts',
      [
        [1, -2],
        ['x', 2.5],
      ],
      [
        [1, 0],
        [0, 0],
      ],
    ],
  ])('reads a confusion matrix that is %s without throwing', async (_what, confusion, expected) => {
    expect(predictionsView(await sample((s) => (s.confusion = confusion)))!.confusion).toEqual(expected);
  });

  it(`draws at most ${MAX_PREDICTED_DIGITS} digits`, async () => {
    const view = predictionsView(
      await sample((s, d) => (s.digits = Array.from({ length: MAX_PREDICTED_DIGITS + 500 }, () => d[1]))),
    )!;
    expect(view.digits).toHaveLength(MAX_PREDICTED_DIGITS);
  });
});
