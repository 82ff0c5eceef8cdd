// The output layer's softmax with cross-entropy, the case every lab trains with, against the lesson's formulas
// written out plainly: y = e^(z - max) / Σ, C = -Σ ŷ ln(clip(y)), δ^L = y - ŷ, the prediction the first largest y.
import { describe, expect, it } from 'vitest';
import { outputLayer } from '../../../src/engine/model/outputLayer';

function reference(z: Float32Array, target: Float32Array, rows: number) {
  const cols = z.length / rows;
  const y = new Float64Array(z.length);
  const delta = new Float64Array(z.length);
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const row = Array.from(z.subarray(r * cols, (r + 1) * cols));
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    let c = 0;
    for (let i = 0; i < cols; i++) {
      y[r * cols + i] = e[i] / sum;
      const t = target[r * cols + i];
      if (t !== 0) c -= t * Math.log(Math.min(Math.max(y[r * cols + i], 1e-7), 1 - 1e-7));
      delta[r * cols + i] = y[r * cols + i] - t;
    }
    lossSum += c;
    const first = (values: ArrayLike<number>) => {
      let best = 0;
      for (let i = 1; i < cols; i++) if (values[r * cols + i] > values[r * cols + best]) best = i;
      return best;
    };
    if (first(y) === first(target)) correct++;
  }
  return { y, delta, lossSum, correct };
}

describe('outputLayer, softmax with categorical cross-entropy', () => {
  it('gives the formulas’ exact bits on one-hot rows, ties, confident rows (clipped) and soft targets', () => {
    const rows = 7;
    const cols = 10;
    const z = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 12.9898) * 4);
    z.fill(1.5, 10, 20); // row 1: all tied, predicts class 0
    z[25] = 60; // row 2: y ≈ 1 for class 5, clipped below 1
    z[38] = -60; // row 3: y ≈ 0 for the target's class 8, clipped above 0
    const labels = [1, 0, 5, 8, 9, 6];
    const target = new Float32Array(rows * cols);
    labels.forEach((label, r) => (target[r * cols + label] = 1));
    target.set([0.25, 0.75], 63); // row 6: a soft target
    const got = outputLayer('softmax', 0, 'categoricalCrossentropy', z, target, rows);
    const want = reference(z, target, rows);
    expect(got.y).toEqual(want.y);
    expect(got.delta).toEqual(want.delta);
    expect(got.lossSum).toBe(want.lossSum);
    expect(got.correct).toBe(want.correct);
    // The confident right row costs the clip's 1e-7, the confident wrong one ln(1e7) ≈ 16.1.
    expect(got.y[25]).toBeGreaterThan(1 - 1e-7);
    expect(-Math.log(Math.max(got.y[38], 1e-7))).toBeCloseTo(16.118, 3);
    // Rows 1 (a tie, so class 0) and 2 are right.
    expect(got.correct).toBeGreaterThanOrEqual(2);
  });

  it('a row with NaN gives NaN outputs and loss and counts as wrong, as the loss check expects', () => {
    const z = Float32Array.from([NaN, 1, 2, 0.5, 1, 2]);
    const target = Float32Array.from([0, 0, 1, 0, 0, 1]);
    const got = outputLayer('softmax', 0, 'categoricalCrossentropy', z, target, 2);
    expect(Number.isNaN(got.lossSum)).toBe(true);
    expect(Array.from(got.y.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expect(got.correct).toBe(1);
    expect(reference(z, target, 2).correct).toBe(1);
  });
});
