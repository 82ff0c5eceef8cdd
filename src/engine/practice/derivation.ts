/**
 * The derivations a practice exercise asks for, written step by step as lessons 7-1 and 7-3 write them, each
 * with a switch for one of the usual mistakes. A wrong answer is recognised by actually doing the wrong
 * derivation on the same numbers, never by a table of typed-in wrong values. Pure: no DOM, no vscode.
 */
import { DEFAULT_ALPHA } from '../config/labConfigFormat';
import type { LessonNetworkData, NetworkPass } from '../lessonNetwork';
import { scalarActivations } from '../model/activationFunctions';

/** The usual mistakes of a backprop derivation by hand. */
export const MISTAKE_IDS = [
  /** σ′(z) left out: δ^L = ∇C(y), or δ^l = (W^(l+1))ᵀ δ^(l+1). */
  'noSigmaPrime',
  /** W^(l+1) δ^(l+1) instead of (W^(l+1))ᵀ δ^(l+1) (only possible where W is square). */
  'noTranspose',
  /** ∂C/∂w_ij^l = δ_i^l a_j^l instead of δ_i^l a_j^(l−1). */
  'wrongActivation',
  /** The softmax derivative taken element-wise: δ_i^L = y_i(1 − y_i) ∂C/∂y_i instead of the full Jacobian. */
  'elementwiseSoftmax',
  /** ŷ − y instead of y − ŷ. */
  'flippedSign',
  /** log₁₀ instead of ln in the cross-entropy. */
  'log10',
  /** Each probability rounded to 3 decimals before the logarithm. */
  'roundedEarly',
  /** The mean squared error summed over the outputs without dividing by n. */
  'sumNotMean',
] as const;
export type MistakeId = (typeof MISTAKE_IDS)[number];

/**
 * The numbers a derivation starts from: the exercise's network, the forward pass (z^l, a^l, y) and the error
 * signals of the layers above. Either the engine's exact float64 numbers, or the same rounded as the page
 * shows them, so that a student who computes from the printed numbers is checked against what they saw.
 */
export interface DerivationNumbers {
  network: LessonNetworkData;
  /** z^l for l = 1..L (index l − 1). */
  z: number[][];
  /** a^l for l = 1..L (index l − 1); a^L = y. */
  a: number[][];
  /** δ^l for l = 1..L (index l − 1), as known once that step is done. */
  delta: number[][];
}

/** The engine's pass as derivation numbers; `decimals` rounds every computed number as the page prints it. */
export function derivationNumbers(network: LessonNetworkData, pass: NetworkPass, decimals?: number): DerivationNumbers {
  const r = (v: number[]) => (decimals === undefined ? [...v] : v.map((x) => roundTo(x, decimals)));
  return {
    network,
    z: pass.layers.map((l) => r(l.z)),
    a: pass.layers.map((l) => r(l.a)),
    delta: pass.layers.map((l) => r(l.delta)),
  };
}

/** x rounded half away from zero to `decimals` places, as a student's calculator does. */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9)) / f;
}

/** y = softmax(z^L). */
export function deriveSoftmax(n: DerivationNumbers): number[] {
  return softmax(n.z[n.z.length - 1]);
}

/** The loss C of the one sample; `mistake` does it the wrong way. */
export function deriveLoss(n: DerivationNumbers, mistake?: MistakeId): number[] {
  const y = output(n);
  const target = n.network.target;
  if (n.network.loss === 'categoricalCrossentropy') {
    const log = mistake === 'log10' ? Math.log10 : Math.log;
    const p = mistake === 'roundedEarly' ? y.map((v) => roundTo(v, 3)) : y;
    return [-target.reduce((sum, t, i) => sum + (t === 0 ? 0 : t * log(p[i])), 0)];
  }
  const sum = y.reduce((s, v, i) => s + (v - target[i]) ** 2, 0);
  return [mistake === 'sumNotMean' ? sum : sum / y.length];
}

/** ∇C(y) = ∂C/∂y_i; `flipped` writes ŷ − y for y − ŷ. */
function gradC(n: DerivationNumbers, flipped: boolean): number[] {
  const y = output(n);
  const t = n.network.target;
  const s = flipped ? -1 : 1;
  return n.network.loss === 'categoricalCrossentropy'
    ? y.map((v, i) => (s * -t[i]) / v)
    : y.map((v, i) => (s * 2 * (v - t[i])) / y.length);
}

/** δ^L: σ′(z^L) ⊙ ∇C(y) for an element-wise output, Jᵀ ∇C(y) with J_ik = y_i([i = k] − y_k) for softmax. */
export function deriveOutputDelta(n: DerivationNumbers, mistake?: MistakeId): number[] {
  const L = n.network.layers.length;
  const g = gradC(n, mistake === 'flippedSign');
  if (mistake === 'noSigmaPrime') return g;
  const layer = n.network.layers[L - 1];
  if (layer.activation === 'softmax') {
    const y = output(n);
    const J = (i: number, k: number) => y[i] * ((i === k ? 1 : 0) - y[k]);
    if (mistake === 'elementwiseSoftmax') return y.map((_, k) => J(k, k) * g[k]);
    return y.map((_, k) => y.reduce((sum, _yi, i) => sum + J(i, k) * g[i], 0));
  }
  const sp = sigmaPrime(n, L);
  return g.map((v, i) => sp[i] * v);
}

/** δ^l = σ′(z^l) ⊙ (W^(l+1))ᵀ δ^(l+1) for a hidden layer l (1-based), from the known δ^(l+1). */
export function deriveHiddenDelta(n: DerivationNumbers, l: number, mistake?: MistakeId): number[] {
  const W = n.network.layers[l].W; // W^(l+1): rows are units of layer l+1, columns units of layer l
  const next = n.delta[l];
  const units = n.network.layers[l - 1].b.length;
  const back =
    mistake === 'noTranspose'
      ? W.map((row) => row.reduce((sum, w, k) => sum + w * next[k], 0))
      : Array.from({ length: units }, (_, i) => W.reduce((sum, row, k) => sum + row[i] * next[k], 0));
  if (mistake === 'noSigmaPrime') return back;
  const sp = sigmaPrime(n, l);
  return back.map((v, i) => sp[i] * v);
}

/** ∂C/∂w_ij^l = δ_i^l a_j^(l−1), with a^0 = x. */
export function deriveWeightGradient(
  n: DerivationNumbers,
  l: number,
  i: number,
  j: number,
  mistake?: MistakeId,
): number[] {
  const feed = mistake === 'wrongActivation' ? n.a[l - 1] : l === 1 ? n.network.input : n.a[l - 2];
  return [n.delta[l - 1][i] * feed[j]];
}

/** ∂C/∂b_i^l = δ_i^l. */
export function deriveBiasGradient(n: DerivationNumbers, l: number, i: number): number[] {
  return [n.delta[l - 1][i]];
}

/** Whether the mistake can be made at all in a step: W must be square to multiply by it untransposed, and so on. */
export function mistakeApplies(n: DerivationNumbers, step: StepShape, mistake: MistakeId): boolean {
  const ce = n.network.loss === 'categoricalCrossentropy';
  const L = n.network.layers.length;
  switch (step.kind) {
    case 'softmax':
    case 'biasGradient':
      return false;
    case 'loss':
      return ce ? mistake === 'log10' || mistake === 'roundedEarly' : mistake === 'sumNotMean';
    case 'delta':
      if (step.layer === L) {
        if (mistake === 'elementwiseSoftmax') return n.network.layers[L - 1].activation === 'softmax';
        return mistake === 'noSigmaPrime' || mistake === 'flippedSign';
      }
      if (mistake === 'noTranspose') {
        const W = n.network.layers[step.layer].W;
        return W.length === W[0].length;
      }
      return mistake === 'noSigmaPrime';
    case 'weightGradient':
      return mistake === 'wrongActivation' && (step.j ?? 0) < n.network.layers[step.layer - 1].b.length;
  }
}

/** What a step asks for, without its numbers. */
export interface StepShape {
  kind: 'softmax' | 'loss' | 'delta' | 'weightGradient' | 'biasGradient';
  /** The lesson's l (1-based); the output layer L for softmax and loss. */
  layer: number;
  /** The unit i (0-based) of a gradient entry. */
  i?: number;
  /** The unit j (0-based) of the previous layer, for a weight's gradient. */
  j?: number;
}

/** Does the step the right way, or with `mistake`. */
export function derive(n: DerivationNumbers, step: StepShape, mistake?: MistakeId): number[] {
  switch (step.kind) {
    case 'softmax':
      return deriveSoftmax(n);
    case 'loss':
      return deriveLoss(n, mistake);
    case 'delta':
      return step.layer === n.network.layers.length
        ? deriveOutputDelta(n, mistake)
        : deriveHiddenDelta(n, step.layer, mistake);
    case 'weightGradient':
      return deriveWeightGradient(n, step.layer, step.i ?? 0, step.j ?? 0, mistake);
    case 'biasGradient':
      return deriveBiasGradient(n, step.layer, step.i ?? 0);
  }
}

function output(n: DerivationNumbers): number[] {
  return n.a[n.a.length - 1];
}

/** σ′(z^l) unit by unit, with the engine's own derivatives. */
function sigmaPrime(n: DerivationNumbers, l: number): number[] {
  const activation = n.network.layers[l - 1].activation;
  if (activation === 'softmax') throw new Error('softmax has no element-wise derivative');
  const f = scalarActivations[activation];
  return n.z[l - 1].map((z, i) => f.df(z, n.a[l - 1][i], DEFAULT_ALPHA));
}

function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}
