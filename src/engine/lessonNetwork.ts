/**
 * The lesson networks (7-1's stepper, 7-3's worked example) computed with the engine's own forward, output
 * layer and backward pass in float64, so every number a lesson, its page and `dnn-lab example` show is the
 * engine's. Pure: no DOM, no vscode.
 */
import type { LayerSpec } from './config/labConfig';
import { DEFAULT_ALPHA } from './config/labConfigFormat';
import { JsKernels, type JsMatrix } from './kernels/jsKernels';
import { scalarActivations } from './model/activationFunctions';
import { backward, forward, type LayerParams } from './model/network';
import { argmax, outputLayer } from './model/outputLayer';

/** A small lesson network as stored in lessons/ (7-1-stepper.json, 7-3-worked-example.json). */
export interface LessonNetworkData {
  input: number[];
  target: number[];
  /** The loss the network is trained with; softmax outputs use categorical cross-entropy. */
  loss: 'categoricalCrossentropy' | 'meanSquaredError';
  /** W[i][j] connects unit j of the previous layer to unit i. */
  layers: { activation: 'sigmoid' | 'tanh' | 'relu' | 'linear' | 'softmax'; W: number[][]; b: number[] }[];
}

/** Every number of one layer l after a forward and a backward pass, in the lesson's symbols. */
export interface LayerNumbers {
  activation: LessonNetworkData['layers'][number]['activation'];
  W: number[][];
  b: number[];
  z: number[];
  a: number[];
  /** sigma'(z^l) unit by unit; undefined for softmax, whose delta^L comes straight from y - ŷ. */
  sigmaPrime?: number[];
  delta: number[];
  dW: number[][];
  db: number[];
}

/** A whole pass: the layers, the output y, the loss C and ∇C(y). */
export interface NetworkPass {
  input: number[];
  target: number[];
  loss: LessonNetworkData['loss'];
  layers: LayerNumbers[];
  y: number[];
  /** C for this one sample, as the engine computes it. */
  cost: number;
  /** ∇C(y) = dC/dy_i: 2(y - ŷ)/n for mean squared error, -ŷ_i / y_i for cross-entropy. */
  gradC: number[];
  /** The predicted class: the position of the largest output (0-based). */
  predicted: number;
}

/** Runs `data` forward and backward through the engine. */
export function runLessonNetwork(data: LessonNetworkData): NetworkPass {
  const k = new JsKernels();
  const specs: LayerSpec[] = data.layers.map((l) => ({
    units: l.b.length,
    activation: l.activation,
    alpha: DEFAULT_ALPHA,
    kernelInitializer: { type: 'zeros' },
  }));
  const params: LayerParams<JsMatrix>[] = data.layers.map((l) => ({
    W: k.fromArray(l.W.flat(), l.W.length, l.W[0].length),
    b: k.fromArray(l.b, 1, l.b.length),
  }));
  const pass = forward(k, specs, params, k.fromArray(data.input, 1, data.input.length));
  const last = specs[specs.length - 1];
  const output = outputLayer(last.activation, last.alpha, data.loss, pass.zL.data, data.target, 1);
  const gradients = backward(k, specs, params, pass, k.fromArray(output.delta, 1, output.delta.length));
  const zs = [...pass.hidden.map((h) => Array.from(h.z.data)), Array.from(pass.zL.data)];
  const as = [...pass.hidden.map((h) => Array.from(h.a.data)), Array.from(output.y)];
  const y = Array.from(output.y);
  const n = y.length;
  return {
    input: data.input,
    target: data.target,
    loss: data.loss,
    layers: data.layers.map((l, i) => {
      const activation = l.activation;
      return {
        activation,
        W: l.W,
        b: l.b,
        z: zs[i],
        a: as[i],
        sigmaPrime:
          activation === 'softmax'
            ? undefined
            : zs[i].map((z, u) => scalarActivations[activation].df(z, as[i][u], DEFAULT_ALPHA)),
        delta: Array.from(gradients[i].delta.data),
        dW: rows(gradients[i].dW),
        db: Array.from(gradients[i].db.data),
      };
    }),
    y,
    cost: output.lossSum,
    gradC:
      data.loss === 'meanSquaredError'
        ? y.map((yi, i) => (2 * (yi - data.target[i])) / n)
        : y.map((yi, i) => -data.target[i] / yi),
    predicted: argmax(y, 0, n),
  };
}

/** One step of gradient descent, W^l <- W^l - eta dC/dW^l and b^l <- b^l - eta dC/db^l, as new data. */
export function gradientStep(data: LessonNetworkData, pass: NetworkPass, learningRate: number): LessonNetworkData {
  return {
    ...data,
    layers: data.layers.map((l, i) => ({
      activation: l.activation,
      W: l.W.map((row, r) => row.map((w, c) => w - learningRate * pass.layers[i].dW[r][c])),
      b: l.b.map((b, r) => b - learningRate * pass.layers[i].db[r]),
    })),
  };
}

/** Layer sizes from input to output, e.g. [2, 3, 3]. */
export function layerSizes(data: LessonNetworkData): number[] {
  return [data.input.length, ...data.layers.map((l) => l.b.length)];
}

function rows(m: JsMatrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
}
