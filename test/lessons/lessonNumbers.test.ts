import { readFileSync } from 'node:fs';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { runWorkedExample, type WorkedExampleData } from '../../src/engine/workedExample';
import { checkLessonNetwork, LessonContentError } from '../../src/lessons/lessonNetworkCheck';
import type { LessonNetworkData } from '../../src/protocol/lessonProtocol';
import { gradientStep, runLessonNetwork, type NetworkPass } from '../../src/engine/lessonNetwork';
import { backwardLines, formatNumber, forwardLines, gradientLines, lossLines, stepperSteps } from '../../webview/lesson/model/tex';

const load = (file: string, loss: LessonNetworkData['loss']) => checkLessonNetwork(JSON.parse(readFileSync(`lessons/${file}`, 'utf8')), file, loss);
const worked = load('7-3-worked-example.json', 'categoricalCrossentropy');
const stepperNet = load('7-1-stepper.json', 'meanSquaredError');
const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;
/** The numbers in a line of TeX, in order (scientific ones as printed by formatNumber). */
const numbersIn = (tex: string) =>
  [...tex.replace(/\\times10\^\{(-?\d+)\}/g, 'e$1').replace(/[a-zA-Z]\^\{?\d|_\{?\d|_[ijk]|\\frac\{\d\}/g, '').matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)].map((m) => Number(m[0]) + 0); // + 0: "-0 · ln" is an operator, not a negative zero

describe('lesson 7-3 shows the engine\'s numbers', () => {
  const engine = runWorkedExample(JSON.parse(readFileSync('lessons/7-3-worked-example.json', 'utf8')) as WorkedExampleData);
  const pass = runLessonNetwork(worked);

  it('matches the numbers the lesson text prints in both languages', () => {
    expect(engine.input).toEqual([0.6, 0.2]);
    expect(engine.target).toEqual([0, 1, 0]);
    expect(engine.layers[1].z.map((z) => round(z, 4))).toEqual([0, 0.006, 0.12]);
    expect(engine.softmax.map((y) => round(y, 3))).toEqual([0.319, 0.321, 0.36]);
    expect(round(engine.loss.withRoundedProbabilities, 4)).toBe(1.1363);
    expect(round(engine.loss.value, 4)).toBe(1.1362);
    expect(round(engine.softmax[1], 5)).toBe(0.32105);
    const parameters = worked.layers.reduce((sum, l) => sum + l.W.flat().length + l.b.length, 0);
    expect(parameters).toBe(21);
    expect(pass.predicted).toBe(2); // "the untrained network guesses class 3"
    for (const language of ['en', 'zh-tw']) {
      const text = readFileSync(`lessons/7-3.${language}.md`, 'utf8');
      for (const printed of ['0.6, 0.2', '0, 0.006, 0.12', '0.319', '0.321', '0.36', '1.1363', '1.1362', '0.32105', '= 21']) expect(text).toContain(printed);
    }
  });

  it.each([
    ['forward, layer 1', (p: NetworkPass) => forwardLines(p, 1), (p: NetworkPass) => [...p.layers[0].W.flat(), ...p.input, ...p.layers[0].b, ...p.layers[0].z, ...p.layers[0].z, ...p.layers[0].a]],
    ['forward, layer 2', (p: NetworkPass) => forwardLines(p, 2), (p: NetworkPass) => [...p.layers[1].W.flat(), ...p.layers[0].a, ...p.layers[1].b, ...p.layers[1].z, ...p.layers[1].z, ...p.y]],
    ['delta^2 = y - ŷ', (p: NetworkPass) => backwardLines(p, 2), (p: NetworkPass) => [...p.y, ...p.target, ...p.layers[1].delta]],
    ['gradients of layer 2', (p: NetworkPass) => gradientLines(p, 2), (p: NetworkPass) => [...p.layers[1].delta, ...p.layers[0].a, ...p.layers[1].dW.flat(), ...p.layers[1].db]],
    ['gradients of layer 1', (p: NetworkPass) => gradientLines(p, 1), (p: NetworkPass) => [...p.layers[0].delta, ...p.input, ...p.layers[0].dW.flat(), ...p.layers[0].db]],
  ])('the %s line prints the engine\'s numbers, rounded to 4 decimals', (_name, lines, expected) => {
    const printed = lines(pass).flatMap(numbersIn);
    expect(printed).toEqual(expected(pass).map((x) => Number(formatNumber(x).replace(/\\times10\^\{(-?\d+)\}/, 'e$1'))));
  });

  it('prints the cross-entropy line so that it checks on a calculator: -ln(0.32105), not -ln(0.3211) = 1.1360', () => {
    const [line] = lossLines(pass);
    expect(line).toContain('1 \\cdot \\ln(0.32105)');
    expect(line).toMatch(/= 1\.1362$/);
    expect(formatNumber(-Math.log(0.3211))).toBe('1.136'); // the 4-decimal chain would contradict the printed C
  });

  it.each([
    ['the lesson\'s numbers', (d: LessonNetworkData) => d],
    ['target [0.5, 0.5, 0]', (d: LessonNetworkData) => ({ ...d, target: [0.5, 0.5, 0] })],
    ['target [0.2, 0.3, 0.5]', (d: LessonNetworkData) => ({ ...d, target: [0.2, 0.3, 0.5] })],
    ['W^2[2][1] = 1', (d: LessonNetworkData) => { const e = structuredClone(d); e.layers[1].W[1][0] = 1; return e; }],
    ['input (3, -2)', (d: LessonNetworkData) => ({ ...d, input: [3, -2] })],
  ])('with %s, -sum ŷ ln(y) redone from the printed numbers gives the printed C', (_name, change) => {
    const p = runLessonNetwork(change(worked));
    const [line] = lossLines(p);
    const [, chain, printedC] = line.match(/= (-.*) = ([\d.]+)$/)!;
    // The line is C = -ŷ_1 · ln(y_1) - ŷ_2 · ln(y_2) - ŷ_3 · ln(y_3) = C: every term is subtracted.
    const terms = [...chain.matchAll(/([\d.]+) \\cdot \\ln\(([\d.e-]+)\)/g)].map((m) => Number(m[1]) * Math.log(Number(m[2])));
    expect(terms).toHaveLength(3);
    expect(formatNumber(-terms.reduce((a, b) => a + b, 0))).toBe(printedC);
    expect(printedC).toBe(formatNumber(p.cost));
  });

  it('gives delta^L = J^T ∇C(y) = y - ŷ for softmax, not the element-wise sigma\'(z^L) ⊙ ∇C(y) = [0, -0.679, 0] (the lesson\'s old statement)', () => {
    const y = pass.y;
    const gradC = pass.target.map((t, i) => -t / y[i]);
    const jacobian = y.map((yi, i) => y.map((yk, k) => yi * ((i === k ? 1 : 0) - yk)));
    const jtGrad = y.map((_, k) => jacobian.reduce((sum, row, i) => sum + row[k] * gradC[i], 0));
    jtGrad.forEach((d, k) => expect(d).toBeCloseTo(pass.layers[1].delta[k], 14));
    expect(pass.layers[1].delta.map((d) => round(d, 3))).toEqual([0.319, -0.679, 0.36]);
    const elementWise = y.map((yi, i) => yi * (1 - yi) * gradC[i]).map((d) => round(d, 3) + 0);
    expect(elementWise).toEqual([0, -0.679, 0]);
    for (const language of ['en', 'zh-tw']) {
      const text = readFileSync(`lessons/7-3.${language}.md`, 'utf8');
      expect(text).toContain('[0, -0.679, 0]');
      expect(text).toContain('[0.319, -0.679, 0.360]');
    }
  });

  it('prints the hidden layer the lesson text states: z^1 = a^1 = [0.2, 0.2, 0.1]', () => {
    expect(pass.layers[0].z.map((z) => round(z, 4))).toEqual([0.2, 0.2, 0.1]);
    expect(pass.layers[0].a.map((a) => round(a, 4))).toEqual([0.2, 0.2, 0.1]);
  });

  it('prints delta^1 = relu\'(z^1) ⊙ (W^2)^T delta^2 with the engine\'s delta^1', () => {
    const [matrix] = backwardLines(pass, 1);
    const printed = numbersIn(matrix);
    expect(printed.slice(-3)).toEqual(engine.layers[0].delta.map((d) => Number(formatNumber(d).replace(/\\times10\^\{(-?\d+)\}/, 'e$1'))));
  });

  it.each([0.1, 0.5, 1])('one gradient-descent step with learning rate %s lowers the loss', (eta) => {
    const after = runLessonNetwork(gradientStep(worked, pass, eta));
    expect(after.cost).toBeLessThan(pass.cost);
    expect(after.layers[1].W[0][0]).toBeCloseTo(worked.layers[1].W[0][0] - eta * pass.layers[1].dW[0][0], 15);
  });

  it('follows an edited weight: raising W^2[2][1] raises z^2_2, y_2 and lowers the loss', () => {
    const edited = structuredClone(worked);
    edited.layers[1].W[1][0] = 1;
    const after = runLessonNetwork(edited);
    expect(after.layers[1].z[1]).toBeGreaterThan(pass.layers[1].z[1]);
    expect(after.cost).toBeLessThan(pass.cost);
    expect(after.cost).toBe(runWorkedExample(edited).loss.value);
  });
});

describe('lesson 7-1 stepper', () => {
  const pass = runLessonNetwork(stepperNet);

  it('walks forward 3 layers, the loss, 3 deltas backward, then 3 gradients, all rendering in KaTeX', () => {
    const steps = stepperSteps(pass);
    expect(steps.map((s) => `${s.phase}${s.layer}`)).toEqual(['forward1', 'forward2', 'forward3', 'loss0', 'backward3', 'backward2', 'backward1', 'gradient3', 'gradient2', 'gradient1']);
    for (const line of steps.flatMap((s) => s.lines)) expect(() => katex.renderToString(line, { throwOnError: true, displayMode: true })).not.toThrow();
  });

  it('prints the mean-squared-error line so that it checks on a calculator', () => {
    const [line] = lossLines(pass);
    const [, chain, printedC] = line.match(/\\left\((.*)\\right\) = ([\d.]+)$/)!;
    const squares = [...chain.matchAll(/\((-?[\d.]+) - (-?[\d.]+)\)\^2/g)].map((m) => (Number(m[1]) - Number(m[2])) ** 2);
    expect(squares).toHaveLength(2);
    expect(formatNumber(squares.reduce((a, b) => a + b, 0) / 2)).toBe(printedC);
  });

  it('delta^L = sigma\'(z^L) ⊙ ∇C(y) with ∇C(y) = 2(y - ŷ)/n gives the engine\'s delta^L', () => {
    const out = pass.layers[2];
    out.delta.forEach((d, i) => expect(out.sigmaPrime![i] * pass.gradC[i]).toBeCloseTo(d, 15));
  });

  it.each([1, 2])('delta^%i = sigma\'(z) ⊙ (W^(l+1))^T delta^(l+1) from the numbers shown equals the engine\'s', (l) => {
    const layer = pass.layers[l - 1];
    const next = pass.layers[l];
    layer.delta.forEach((d, i) => {
      const sum = next.delta.reduce((s, dk, k) => s + next.W[k][i] * dk, 0);
      expect(layer.sigmaPrime![i] * sum).toBeCloseTo(d, 15);
    });
  });

  it('shows gradients that are the true derivatives of the loss (central finite differences, within 1e-8)', () => {
    const h = 1e-6;
    pass.layers.forEach((layer, l) =>
      layer.W.forEach((row, i) =>
        row.forEach((_, j) => {
          const nudged = (delta: number) => {
            const net = structuredClone(stepperNet);
            net.layers[l].W[i][j] += delta;
            return runLessonNetwork(net).cost;
          };
          expect(Math.abs((nudged(h) - nudged(-h)) / (2 * h) - layer.dW[i][j])).toBeLessThan(1e-8);
        }),
      ),
    );
  });
});

describe('lesson network files are checked before use', () => {
  it.each([
    [{ input: [1], target: [1], layers: [{ activation: 'relu', W: [[1, 2]], b: [0] }] }, 'layers[0].W[0] must have 1 numbers, got 2'],
    [{ input: [1], target: [1], layers: [{ activation: 'swish', W: [[1]], b: [0] }] }, 'layers[0].activation must be sigmoid, tanh, relu, linear or softmax, got "swish"'],
    [{ input: [1, 'a'], target: [1], layers: [{ activation: 'relu', W: [[1]], b: [0] }] }, 'input must be a non-empty array of numbers, got [1,"a"]'],
    [{ input: [1], target: [1, 0], layers: [{ activation: 'relu', W: [[1]], b: [0] }] }, 'target must have 1 numbers, got 2'],
  ])('%j is refused: %s', (json, message) => {
    expect(() => checkLessonNetwork(json, 'net.json', 'meanSquaredError')).toThrow(new LessonContentError(`net.json: ${message}`));
  });
});
