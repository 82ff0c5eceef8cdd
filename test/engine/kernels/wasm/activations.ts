// Float64 reference definitions of the element-wise activations and their derivatives.
import type { ElementwiseActivation } from '../../../../src/engine/config/labConfig';

/** sigma(z) and sigma'(z) (given z and a = sigma(z)) for one activation. */
export interface ActivationReference {
  kind: ElementwiseActivation;
  value: (z: number, alpha: number) => number;
  derivative: (z: number, a: number, alpha: number) => number;
}

/** Every element-wise activation; the derivative at 0 follows tfjs (relu' = 0, leakyRelu' = alpha). */
export const ELEMENTWISE_ACTIVATIONS: ActivationReference[] = [
  { kind: 'relu', value: (z) => Math.max(z, 0), derivative: (z) => (z > 0 ? 1 : 0) },
  {
    kind: 'leakyRelu',
    value: (z, alpha) => (z > 0 ? z : Math.fround(alpha) * z),
    derivative: (z, _a, alpha) => (z > 0 ? 1 : Math.fround(alpha)),
  },
  { kind: 'sigmoid', value: (z) => 1 / (1 + Math.exp(-z)), derivative: (_z, a) => a * (1 - a) },
  { kind: 'tanh', value: (z) => Math.tanh(z), derivative: (_z, a) => 1 - a * a },
  { kind: 'linear', value: (z) => z, derivative: () => 1 },
];
