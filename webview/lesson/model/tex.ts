/**
 * TeX for the lessons' live numbers: the formula, then the same formula with the engine's numbers put in.
 * Pure strings, so tests check exactly what the page renders.
 */
import type { NetworkPass } from '../../../src/engine/lessonNetwork';

/** A number as the lessons print it: at most 4 decimals, trailing zeros dropped, tiny values in scientific form. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  // Float64 leaves ~1e-17 where exact arithmetic gives 0 (0.04 - 0.06 + 0.02); printing that would confuse, not inform.
  if (Math.abs(x) < 1e-12) return '0';
  if (Math.abs(x) < 5e-5) {
    const [mantissa, exponent] = x.toExponential(2).split('e');
    return `${mantissa}\\times10^{${Number(exponent)}}`;
  }
  const text = x.toFixed(4).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** A column vector. */
export function texVector(values: readonly number[]): string {
  return `\\begin{bmatrix} ${values.map(formatNumber).join(' \\\\ ')} \\end{bmatrix}`;
}

/** A matrix, row by row. */
export function texMatrix(rows: readonly (readonly number[])[]): string {
  return `\\begin{bmatrix} ${rows.map((r) => r.map(formatNumber).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
}

/** The transpose of a matrix given row by row. */
export function transpose(rows: readonly (readonly number[])[]): number[][] {
  return rows[0].map((_, c) => rows.map((r) => r[c]));
}

/** M v for a matrix given row by row. */
export function matVec(rows: readonly (readonly number[])[], v: readonly number[]): number[] {
  return rows.map((r) => r.reduce((sum, w, j) => sum + w * v[j], 0));
}

/** Where a step is in the walk through the network. */
export type StepPhase = 'forward' | 'loss' | 'backward' | 'gradient';

/** One step of 7-1's stepper: which layer it is about and its lines of math. */
export interface Step {
  phase: StepPhase;
  /** The lesson's l (1-based); 0 for the loss. */
  layer: number;
  lines: string[];
}

/** Activation names as the formulas write them. */
function sigmaName(activation: string): string {
  return activation === 'softmax' ? '\\mathrm{softmax}' : activation === 'relu' ? '\\mathrm{ReLU}' : '\\sigma';
}

/** The input of layer l: x for the first layer, a^(l-1) after. */
function inputOf(pass: NetworkPass, l: number): { symbol: string; values: number[] } {
  return l === 1 ? { symbol: 'x', values: pass.input } : { symbol: `a^{${l - 1}}`, values: pass.layers[l - 2].a };
}

/** z^l and a^l of layer l with the numbers in. */
export function forwardLines(pass: NetworkPass, l: number): string[] {
  const layer = pass.layers[l - 1];
  const input = inputOf(pass, l);
  const out = l === pass.layers.length ? `y = a^{${l}}` : `a^{${l}}`;
  return [
    `z^{${l}} = W^{${l}} ${input.symbol} + b^{${l}} = ${texMatrix(layer.W)} ${texVector(input.values)} + ${texVector(layer.b)} = ${texVector(layer.z)}`,
    `${out} = ${sigmaName(layer.activation)}(z^{${l}}) = ${sigmaName(layer.activation)}\\left(${texVector(layer.z)}\\right) = ${texVector(layer.a)}`,
  ];
}

/** The number formatNumber would print, as a number, or x with `decimals` decimals when that is more. */
function printedValue(x: number, decimals: number): { text: string; value: number } {
  const text = decimals <= 4 || Math.abs(x) < 5e-5 ? formatNumber(x) : x.toFixed(decimals).replace(/\.?0+$/, '');
  return { text, value: Number(text.replace(/\\times10\^\{(-?\d+)\}/, 'e$1')) };
}

/**
 * The outputs y printed with the fewest decimals (at least 4) at which the line, redone on a calculator from the
 * printed numbers, gives the printed C: -ln(0.3211) = 1.1360 would contradict C = 1.1362, -ln(0.32105) does not.
 */
function checkableOutputs(pass: NetworkPass, loss: (y: number[], target: number[]) => number): string[] {
  const target = pass.target.map((t) => printedValue(t, 4).value);
  let decimals = 4;
  while (
    decimals < 10 &&
    formatNumber(
      loss(
        pass.y.map((y) => printedValue(y, decimals).value),
        target,
      ),
    ) !== formatNumber(pass.cost)
  )
    decimals++;
  return pass.y.map((y) => printedValue(y, decimals).text);
}

/** The loss C with the numbers in, printed so that the line checks on a calculator. */
export function lossLines(pass: NetworkPass): string[] {
  const n = pass.y.length;
  if (pass.loss === 'meanSquaredError') {
    const y = checkableOutputs(pass, (ys, t) => ys.reduce((sum, v, i) => sum + (v - t[i]) ** 2, 0) / n);
    const terms = y.map((v, i) => `(${v} - ${formatNumber(pass.target[i])})^2`).join(' + ');
    return [
      `C = \\frac{1}{n}\\sum_i (y_i - \\hat{y}_i)^2 = \\frac{1}{${n}}\\left(${terms}\\right) = ${formatNumber(pass.cost)}`,
    ];
  }
  const y = checkableOutputs(
    pass,
    (ys, t) => -ys.reduce((sum, v, i) => sum + (t[i] === 0 ? 0 : t[i] * Math.log(v)), 0),
  );
  const terms = y.map((v, i) => `${formatNumber(pass.target[i])} \\cdot \\ln(${v})`).join(' - ');
  return [`C = -\\sum_i \\hat{y}_i \\ln(y_i) = -${terms} = ${formatNumber(pass.cost)}`];
}

/** delta^l: at the output from ∇C(y), below it from delta^(l+1), in matrix form and for its first unit. */
export function backwardLines(pass: NetworkPass, l: number): string[] {
  const L = pass.layers.length;
  const layer = pass.layers[l - 1];
  if (l === L) {
    if (!layer.sigmaPrime) {
      return [
        `\\delta^{${L}} = y - \\hat{y} = ${texVector(pass.y)} - ${texVector(pass.target)} = ${texVector(layer.delta)}`,
      ];
    }
    return [
      `\\delta^{${L}} = \\sigma'(z^{${L}}) \\odot \\nabla C(y) = ${texVector(layer.sigmaPrime)} \\odot ${texVector(pass.gradC)} = ${texVector(layer.delta)}`,
      `\\delta_1^{${L}} = \\sigma'(z_1^{${L}}) \\cdot \\frac{\\partial C}{\\partial y_1} = ${formatNumber(layer.sigmaPrime[0])} \\cdot ${paren(pass.gradC[0])} = ${formatNumber(layer.delta[0])}`,
    ];
  }
  const next = pass.layers[l];
  const sp = layer.sigmaPrime ?? [];
  const Wt = transpose(next.W);
  const back = matVec(Wt, next.delta);
  const sum = next.delta.map((d, k) => `${paren(next.W[k][0])} \\cdot ${paren(d)}`).join(' + ');
  return [
    `\\delta^{${l}} = \\sigma'(z^{${l}}) \\odot (W^{${l + 1}})^T \\delta^{${l + 1}} = ${texVector(sp)} \\odot ${texMatrix(Wt)} ${texVector(next.delta)} = ${texVector(sp)} \\odot ${texVector(back)} = ${texVector(layer.delta)}`,
    `\\delta_1^{${l}} = \\sigma'(z_1^{${l}}) \\sum_k w_{k1}^{${l + 1}} \\delta_k^{${l + 1}} = ${formatNumber(sp[0])} \\cdot \\left(${sum}\\right) = ${formatNumber(layer.delta[0])}`,
  ];
}

/** dC/dW^l = delta^l (a^(l-1))^T and dC/db^l = delta^l with the numbers in. */
export function gradientLines(pass: NetworkPass, l: number): string[] {
  const layer = pass.layers[l - 1];
  const input = inputOf(pass, l);
  return [
    `\\frac{\\partial C}{\\partial W^{${l}}} = \\delta^{${l}} (${input.symbol})^T = ${texVector(layer.delta)} ${texMatrix([input.values])} = ${texMatrix(layer.dW)}, \\quad \\frac{\\partial C}{\\partial b^{${l}}} = \\delta^{${l}} = ${texVector(layer.db)}`,
  ];
}

/** 7-1's walk: forward layer by layer, the loss, then each delta from the one after it, then the gradients. */
export function stepperSteps(pass: NetworkPass): Step[] {
  const L = pass.layers.length;
  const layers = Array.from({ length: L }, (_, i) => i + 1);
  return [
    ...layers.map((l): Step => ({ phase: 'forward', layer: l, lines: forwardLines(pass, l) })),
    { phase: 'loss', layer: 0, lines: lossLines(pass) },
    ...[...layers].reverse().map((l): Step => ({ phase: 'backward', layer: l, lines: backwardLines(pass, l) })),
    ...[...layers].reverse().map((l): Step => ({ phase: 'gradient', layer: l, lines: gradientLines(pass, l) })),
  ];
}

function paren(x: number): string {
  return x < 0 ? `(${formatNumber(x)})` : formatNumber(x);
}
