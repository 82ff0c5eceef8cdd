// One image through a trained run's network, forward and back: the ten outputs, the prediction, and δ^l of every
// layer for the target the student picks, by the engine's own backprop (network.ts) on the float64 reference kernels.
import type { LabConfig } from '../config/labConfig';
import { JsKernels } from '../kernels/jsKernels';
import { computeGradients } from '../model/network';
import type { LayerWeights } from '../train/metrics';

/** What one image gives. */
export interface DigitProbe {
  /** y = a^L: the ten outputs (probabilities for a softmax output). */
  outputs: number[];
  /** The digit with the largest output. */
  predicted: number;
  /** The digit taken as the right answer for C and δ. */
  target: number;
  /** C(y, target) of this one image. */
  loss: number;
  /** δ^l = ∂C/∂z^l of layer l = 1 .. L, one number per unit (index 0 is layer 1). */
  deltas: number[][];
}

/**
 * `pixels` (the network's input size, 0..255 as MNIST stores them, scaled by 1/255 as in training) through the
 * network of `config` with the run's `weights`, and back from `target` (0 .. outputs − 1).
 */
export function probeDigit(
  config: Pick<LabConfig, 'layers' | 'loss'>,
  weights: readonly LayerWeights[],
  pixels: ArrayLike<number>,
  target: number,
): DigitProbe {
  const inputs = weights[0]?.fanIn ?? 0;
  if (pixels.length !== inputs)
    throw new RangeError(`the image has ${pixels.length} pixels, but the network's first layer takes ${inputs}`);
  const classes = config.layers[config.layers.length - 1].units;
  if (!Number.isInteger(target) || target < 0 || target >= classes)
    throw new RangeError(`target must be a whole number from 0 to ${classes - 1}, got ${target}`);
  const k = new JsKernels();
  const params = weights.map((l) => ({ W: k.fromArray(l.W, l.units, l.fanIn), b: k.fromArray(l.b, 1, l.units) }));
  const x = k.fromArray(
    Float64Array.from(pixels, (p) => p / 255),
    1,
    inputs,
  );
  const oneHot = new Float64Array(classes);
  oneHot[target] = 1;
  const { output, gradients } = computeGradients(k, config, params, x, oneHot);
  const outputs = [...output.y];
  return {
    outputs,
    predicted: outputs.indexOf(Math.max(...outputs)),
    target,
    loss: output.lossSum,
    deltas: gradients.map((g) => [...k.toArray(g.delta)]),
  };
}
