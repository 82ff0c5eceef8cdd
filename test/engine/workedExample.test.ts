import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkedExample, type WorkedExampleData } from '../../src/engine/workedExample';

const data = JSON.parse(
  readFileSync(join(__dirname, '../../lessons/7-3-worked-example.json'), 'utf8'),
) as WorkedExampleData;
const example = runWorkedExample(data);
const [hidden, output] = example.layers;

describe('the 7-3 worked example', () => {
  it('is the 2-3-3 network of the source: 21 parameters, input (0.6, 0.2), target [0, 1, 0]', () => {
    const parameters = example.layers.reduce((n, l) => n + l.W.flat().length + l.b.length, 0);
    expect(parameters).toBe(21);
    expect(example.input).toEqual([0.6, 0.2]);
    expect(example.target).toEqual([0, 1, 0]);
    expect(example.layers.map((l) => l.z.length)).toEqual([3, 3]);
  });

  it('gives the source output layer z = [0, 0.006, 0.12] before softmax', () => {
    output.z.forEach((z, i) => expect(z).toBeCloseTo([0, 0.006, 0.12][i], 12));
  });

  it.each([
    [0, 0.319],
    [1, 0.321],
    [2, 0.36],
  ])('softmax output %i rounds to %f as printed', (i, printed) => {
    expect(Math.round(example.softmax[i] * 1000) / 1000).toBe(printed);
  });

  it('gives cross-entropy 1.1363 from the rounded probability and 1.1362 unrounded', () => {
    expect(example.loss.withRoundedProbabilities.toFixed(4)).toBe('1.1363');
    expect(example.loss.value.toFixed(4)).toBe('1.1362');
    expect(example.loss.value).toBeCloseTo(-Math.log(example.softmax[1]), 14);
  });

  it("has delta^L = softmax - target at the output, and delta^1 = sigma'(z^1) ⊙ (W^2)^T delta^2", () => {
    output.delta.forEach((d, i) => expect(d).toBeCloseTo(example.softmax[i] - example.target[i], 14));
    hidden.delta.forEach((d, j) => {
      const back = output.W.reduce((sum, row, k) => sum + row[j] * output.delta[k], 0);
      const sigmaPrime = hidden.z[j] > 0 ? 1 : 0;
      expect(d).toBeCloseTo(sigmaPrime * back, 14);
    });
  });

  it('has dC/dW^l = delta^l (a^(l-1))^T and dC/db^l = delta^l', () => {
    const inputs = [example.input, hidden.a];
    example.layers.forEach((l, n) => {
      l.dW.forEach((row, i) => row.forEach((g, j) => expect(g).toBeCloseTo(l.delta[i] * inputs[n][j], 14)));
      expect(l.db).toEqual(l.delta);
    });
  });
});
