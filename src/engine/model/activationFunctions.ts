import type { ElementwiseActivation } from '../config/labConfig';

/** sigma and sigma' of one unit, in plain numbers: the reference every kernel is tested against. */
export interface ScalarActivation {
  /** a = sigma(z). */
  f(z: number, alpha: number): number;
  /** sigma'(z), given a = sigma(z) too since sigmoid and tanh derive from it. */
  df(z: number, a: number, alpha: number): number;
}

/** The element-wise activations of the lesson, unit by unit. relu'(0) is taken as 0, as tfjs does. */
export const scalarActivations: Record<ElementwiseActivation, ScalarActivation> = {
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), df: (_z, a) => a * (1 - a) },
  tanh: { f: (z) => Math.tanh(z), df: (_z, a) => 1 - a * a },
  relu: { f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) },
  leakyRelu: { f: (z, alpha) => (z > 0 ? z : alpha * z), df: (z, _a, alpha) => (z > 0 ? 1 : alpha) },
  linear: { f: (z) => z, df: () => 1 },
};
