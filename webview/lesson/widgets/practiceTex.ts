/**
 * TeX and plain-text symbols for the practice widget: the given numbers, each step's symbol, its answer and the
 * formula to use, in the lessons' notation. Pure strings, so tests check exactly what the page shows.
 */
import type { PracticeExercise, PracticeStep } from '../../../src/engine/practice/exercise';
import { formatNumber, texMatrix, texVector } from '../model/tex';

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUB = '₀₁₂₃₄₅₆₇₈₉';
const sup = (n: number) => String(n).replace(/\d/g, (d) => SUP[Number(d)]);
const sub = (n: number) => String(n).replace(/\d/g, (d) => SUB[Number(d)]);

/** Activation names as the formulas write them. */
function sigmaName(activation: string): string {
  return activation === 'softmax'
    ? '\\mathrm{softmax}'
    : activation === 'relu'
      ? '\\mathrm{ReLU}'
      : activation === 'tanh'
        ? '\\tanh'
        : '\\sigma';
}

/** The numbers an exercise starts from; the softmax output y only once its step is done. */
export function givenLines(e: PracticeExercise, showOutput: boolean): string[] {
  const n = e.printed;
  const lines = [`x = ${texVector(e.network.input)}, \\quad \\hat{y} = ${texVector(e.network.target)}`];
  e.network.layers.forEach((layer, k) => {
    const l = k + 1;
    const last = k === e.network.layers.length - 1;
    const a = last && layer.activation === 'softmax' && !showOutput ? '?' : texVector(n.a[k]);
    const out = last ? `y = a^{${l}}` : `a^{${l}}`;
    lines.push(
      `W^{${l}} = ${texMatrix(layer.W)}, \\quad b^{${l}} = ${texVector(layer.b)}, \\quad z^{${l}} = ${texVector(n.z[k])}, \\quad ${out} = ${sigmaName(layer.activation)}(z^{${l}}) = ${a}`,
    );
  });
  return lines;
}

/** The step's symbol in plain text, for titles and labels: "δ²", "∂C/∂w²₁₂", "∂C/∂b²₁", "y", "C". */
export function plainSymbol(step: PracticeStep): string {
  switch (step.kind) {
    case 'softmax':
      return 'y';
    case 'loss':
      return 'C';
    case 'delta':
      return `δ${sup(step.layer)}`;
    case 'weightGradient':
      return `∂C/∂w${sup(step.layer)}${sub((step.i ?? 0) + 1)}${sub((step.j ?? 0) + 1)}`;
    case 'biasGradient':
      return `∂C/∂b${sup(step.layer)}${sub((step.i ?? 0) + 1)}`;
  }
}

/** The plain symbol of one entry of a vector step: "δ²₁", "y₃"; a scalar step's own symbol. */
export function plainEntrySymbol(step: PracticeStep, entry: number): string {
  if (step.exact.length === 1) return plainSymbol(step);
  return step.kind === 'softmax' ? `y${sub(entry + 1)}` : `δ${sup(step.layer)}${sub(entry + 1)}`;
}

/** The step's symbol in TeX. */
export function texSymbol(step: PracticeStep, entry?: number): string {
  const i = entry === undefined ? '' : `_{${entry + 1}}`;
  switch (step.kind) {
    case 'softmax':
      return `y${i}`;
    case 'loss':
      return 'C';
    case 'delta':
      return `\\delta${i}^{${step.layer}}`;
    case 'weightGradient':
      return `\\frac{\\partial C}{\\partial w_{${(step.i ?? 0) + 1}${(step.j ?? 0) + 1}}^{${step.layer}}}`;
    case 'biasGradient':
      return `\\frac{\\partial C}{\\partial b_{${(step.i ?? 0) + 1}}^{${step.layer}}}`;
  }
}

/** "symbol = value" with the engine's number(s), as a finished step shows it. */
export function answerTex(step: PracticeStep): string {
  const value = step.exact.length === 1 ? formatNumber(step.exact[0]) : texVector(step.exact);
  return `${texSymbol(step)} = ${value}`;
}

/**
 * The printed numbers a step starts from, repeated beside it so the student need not scroll back to the given
 * block; the rest (x, every a^l) stays in that block.
 */
export function usesTex(step: PracticeStep, e: PracticeExercise): string {
  const n = e.printed;
  const L = e.network.layers.length;
  const l = step.layer;
  const y = `y = ${texVector(n.a[L - 1])}, \\quad \\hat{y} = ${texVector(e.network.target)}`;
  switch (step.kind) {
    case 'softmax':
      return `z^{${L}} = ${texVector(n.z[L - 1])}`;
    case 'loss':
    case 'delta':
      if (step.kind === 'loss' || l === L) return `${y}, \\quad n = ${e.network.target.length}`;
      return `z^{${l}} = ${texVector(n.z[l - 1])}, \\quad a^{${l}} = ${texVector(n.a[l - 1])}, \\quad W^{${l + 1}} = ${texMatrix(e.network.layers[l].W)}, \\quad \\delta^{${l + 1}} = ${texVector(n.delta[l])}`;
    case 'weightGradient':
    case 'biasGradient':
      return `\\delta^{${l}} = ${texVector(n.delta[l - 1])}`;
  }
}

/** The lesson's formula for the step, in its symbols. */
export function formulaTex(step: PracticeStep, e: PracticeExercise): string {
  const L = e.network.layers.length;
  const l = step.layer;
  const softmax = e.network.layers[L - 1].activation === 'softmax';
  switch (step.kind) {
    case 'softmax':
      return `y_i = \\mathrm{softmax}(z^{${L}})_i = \\frac{e^{z_i^{${L}}}}{\\sum_k e^{z_k^{${L}}}}`;
    case 'loss':
      return softmax ? 'C = -\\sum_i \\hat{y}_i \\ln(y_i)' : 'C = \\frac{1}{n}\\sum_i (y_i - \\hat{y}_i)^2';
    case 'delta':
      if (l === L)
        return softmax
          ? `\\delta^{${L}} = J^T \\nabla C(y), \\; J_{ik} = y_i([i = k] - y_k), \\; \\frac{\\partial C}{\\partial y_i} = -\\frac{\\hat{y}_i}{y_i} \\;\\Rightarrow\\; \\delta^{${L}} = y - \\hat{y}`
          : `\\delta^{${L}} = \\sigma'(z^{${L}}) \\odot \\nabla C(y), \\quad \\nabla C(y) = \\frac{2}{n}(y - \\hat{y}), \\quad \\sigma'(z) = a(1 - a)`;
      return `\\delta^{${l}} = \\sigma'(z^{${l}}) \\odot (W^{${l + 1}})^T \\delta^{${l + 1}}, \\quad \\delta_i^{${l}} = \\sigma'(z_i^{${l}}) \\sum_k w_{ki}^{${l + 1}} \\delta_k^{${l + 1}}, \\quad ${sigmaPrimeTex(e.network.layers[l - 1].activation)}`;
    case 'weightGradient': {
      const feed = l === 1 ? 'x_j' : `a_j^{${l - 1}}`;
      return `\\frac{\\partial C}{\\partial w_{ij}^{${l}}} = \\delta_i^{${l}} \\, ${feed}`;
    }
    case 'biasGradient':
      return `\\frac{\\partial C}{\\partial b_i^{${l}}} = \\delta_i^{${l}}`;
  }
}

function sigmaPrimeTex(activation: string): string {
  if (activation === 'tanh') return "\\tanh'(z) = 1 - a^2";
  if (activation === 'relu') return "\\mathrm{ReLU}'(z) = [z > 0]";
  return "\\sigma'(z) = a(1 - a)";
}
