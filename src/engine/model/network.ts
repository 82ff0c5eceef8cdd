import type { ElementwiseActivation, LabConfig, LayerSpec } from '../config/labConfig';
import type { Kernels } from '../kernels/kernels';
import { initialWeights } from './initializers';
import { outputLayer, type OutputBatch } from './outputLayer';
import { seededRandom } from './random';

/** Weights and biases of one Dense layer l, named as in the lesson. */
export interface LayerParams<M> {
  /** W^l: `units` rows by `fanIn` columns. */
  W: M;
  /** b^l: one row of `units`. */
  b: M;
}

/** What the forward pass keeps for backprop. Layer l of the lesson is index l-1 here. */
export interface ForwardPass<M> {
  /** a^0 = x: the batch of inputs, one sample per row. */
  x: M;
  /** z^l = a^(l-1) (W^l)^T + b^l and a^l = sigma(z^l) of the hidden layers l = 1 .. L-1. */
  hidden: { z: M; a: M }[];
  /** z^L of the output layer; its a^L = y comes from `outputLayer`, which also does softmax. */
  zL: M;
}

/** dC/dz, dC/dW and dC/db of one layer, from the backward pass. */
export interface LayerGradients<M> {
  /** delta^l: the error signal of every sample, one per row. */
  delta: M;
  /** dC/dW^l = delta^l (a^(l-1))^T, averaged over the batch. */
  dW: M;
  /** dC/db^l = delta^l, averaged over the batch. */
  db: M;
  /** sigma'(z^l) of a hidden layer (absent on the output layer): where it is 0 for every unit and image, no error reaches the layer. */
  sigmaPrime?: M;
}

/** The network's initial parameters; the same seed gives the same numbers on every kernel. */
export function initialParams<M>(
  k: Kernels<M>,
  layers: readonly LayerSpec[],
  inputSize: number,
  seed: number,
): LayerParams<M>[] {
  const random = seededRandom(seed, 0);
  let fanIn = inputSize;
  return layers.map((layer) => {
    const W = k.fromArray(initialWeights(layer.kernelInitializer, fanIn, layer.units, random), layer.units, fanIn);
    const b = k.fromArray(new Float64Array(layer.units), 1, layer.units);
    fanIn = layer.units;
    return { W, b };
  });
}

/**
 * The forward pass, keeping z^l and a^l of every layer. With one sample per row the lesson's
 * z^l = W^l a^(l-1) + b^l reads z^l = a^(l-1) (W^l)^T + b^l; W^l stays in the lesson's layout and the
 * kernels read it transposed.
 * The output layer's a^L is left to `outputLayer`, which also needs softmax.
 */
export function forward<M>(
  k: Kernels<M>,
  layers: readonly LayerSpec[],
  params: readonly LayerParams<M>[],
  x: M,
): ForwardPass<M> {
  const hidden: { z: M; a: M }[] = [];
  let a = x;
  for (let i = 0; i < layers.length - 1; i++) {
    const kind = hiddenActivation(layers, i);
    const { W, b } = params[i];
    if (k.layerForward) {
      const layer = k.layerForward(kind, a, W, b, layers[i].alpha);
      a = layer.a;
      hidden.push(layer);
      continue;
    }
    const z = k.addRow(k.matMul(a, W, false, true), b);
    a = k.activate(kind, z, layers[i].alpha);
    hidden.push({ z, a });
  }
  const L = layers.length - 1;
  return { x, hidden, zL: k.addRow(k.matMul(a, params[L].W, false, true), params[L].b) };
}

/**
 * Backpropagation as the lesson derives it, from delta^L at the output back to layer 1:
 *   delta^(l-1) = sigma'(z^(l-1)) ⊙ (W^l)^T delta^l      (one sample per row: (delta^l W^l) ⊙ sigma'(z^(l-1)))
 *   dC/dW^l = delta^l (a^(l-1))^T,   dC/db^l = delta^l   (averaged over the batch)
 */
export function backward<M>(
  k: Kernels<M>,
  layers: readonly LayerSpec[],
  params: readonly LayerParams<M>[],
  pass: ForwardPass<M>,
  deltaL: M,
): LayerGradients<M>[] {
  const L = layers.length;
  const batch = k.rows(deltaL);
  const gradients: LayerGradients<M>[] = new Array(L);
  let delta = deltaL;
  let sigmaPrime: M | undefined;
  for (let l = L; l >= 1; l--) {
    const aPrev = l === 1 ? pass.x : pass.hidden[l - 2].a;
    const dW = k.weightGradient
      ? k.weightGradient(delta, aPrev)
      : k.scale(k.matMul(delta, aPrev, true, false), 1 / batch);
    const db = k.scale(k.sumRows(delta), 1 / batch);
    gradients[l - 1] = sigmaPrime === undefined ? { delta, dW, db } : { delta, dW, db, sigmaPrime };
    if (l > 1) {
      const { z, a } = pass.hidden[l - 2];
      // sigma'(z^(l-1)) goes into layer l-1's gradients, written on the next turn.
      const kind = hiddenActivation(layers, l - 2);
      const { alpha } = layers[l - 2];
      if (k.layerBackward) {
        ({ sigmaPrime, delta } = k.layerBackward(kind, delta, params[l - 1].W, z, a, alpha));
      } else {
        sigmaPrime = k.activationDerivative(kind, z, a, alpha);
        delta = k.mul(sigmaPrime, k.matMul(delta, params[l - 1].W));
      }
    }
  }
  return gradients;
}

/** A hidden layer's activation; the config validator already keeps softmax to the output layer. */
function hiddenActivation(layers: readonly LayerSpec[], index: number): ElementwiseActivation {
  const { activation } = layers[index];
  if (activation === 'softmax')
    throw new Error(`layers[${index}].activation: softmax is only allowed on the output layer`);
  return activation;
}

/** One batch through the whole network: forward, the output layer on the host, then backward. */
export interface BatchGradients<M> {
  pass: ForwardPass<M>;
  output: OutputBatch;
  gradients: LayerGradients<M>[];
}

/** Forward, loss and backward for one batch; call inside `k.scope` and keep only what you need. */
export function computeGradients<M>(
  k: Kernels<M>,
  config: Pick<LabConfig, 'layers' | 'loss'>,
  params: readonly LayerParams<M>[],
  x: M,
  target: ArrayLike<number>,
): BatchGradients<M> {
  const pass = forward(k, config.layers, params, x);
  const outputSpec = config.layers[config.layers.length - 1];
  const { zL } = pass;
  const output = outputLayer(outputSpec.activation, outputSpec.alpha, config.loss, k.toArray(zL), target, k.rows(x));
  const deltaL = k.fromArray(output.delta, k.rows(zL), k.cols(zL));
  return { pass, output, gradients: backward(k, config.layers, params, pass, deltaL) };
}
