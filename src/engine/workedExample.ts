import type { Activation } from './config/labConfig';
import { JsKernels, type JsMatrix } from './kernels/jsKernels';
import { backward, forward, type LayerParams } from './model/network';
import { outputLayer } from './model/outputLayer';

/** The worked example's network as stored in lessons/7-3-worked-example.json. */
export interface WorkedExampleData {
  input: number[];
  target: number[];
  layers: { activation: Activation; W: number[][]; b: number[] }[];
}

/** Every number of one forward and backward pass, per layer, in the lesson's names. */
export interface WorkedExampleLayer {
  activation: Activation;
  W: number[][];
  b: number[];
  z: number[];
  a: number[];
  delta: number[];
  dW: number[][];
  db: number[];
}

/** The whole worked example: what `dnn-lab example 7-3 --json` prints and the lesson shows. */
export interface WorkedExample {
  input: number[];
  target: number[];
  layers: WorkedExampleLayer[];
  /** y = softmax(z^L). */
  softmax: number[];
  loss: {
    /** C = -sum_i ŷ_i ln(y_i) with y unrounded. */
    value: number;
    /** The same with y first rounded to 3 decimals, as the source prints it: -ln(0.321) = 1.1363. */
    withRoundedProbabilities: number;
  };
}

/**
 * Runs the worked example through the engine's own forward and backward pass, in float64, so the lesson
 * shows exactly the numbers the engine computes.
 */
export function runWorkedExample(data: WorkedExampleData): WorkedExample {
  const k = new JsKernels();
  const layers = data.layers.map((l) => ({ units: l.b.length, activation: l.activation, alpha: 0.3, kernelInitializer: { type: 'zeros' as const } }));
  const params: LayerParams<JsMatrix>[] = data.layers.map((l) => ({
    W: k.fromArray(l.W.flat(), l.W.length, l.W[0].length),
    b: k.fromArray(l.b, 1, l.b.length),
  }));
  const x = k.fromArray(data.input, 1, data.input.length);
  const pass = forward(k, layers, params, x);
  const outputSpec = layers[layers.length - 1];
  const output = outputLayer(outputSpec.activation, outputSpec.alpha, 'categoricalCrossentropy', pass.zL.data, data.target, 1);
  const gradients = backward(k, layers, params, pass, k.fromArray(output.delta, 1, output.delta.length));
  const zs = [...pass.hidden.map((h) => h.z), pass.zL];
  const as = [...pass.hidden.map((h) => h.a.data), output.y];
  const y = Array.from(output.y);
  const rounded = y.map((p) => Math.round(p * 1000) / 1000);
  return {
    input: data.input,
    target: data.target,
    layers: data.layers.map((l, i) => ({
      activation: l.activation,
      W: l.W,
      b: l.b,
      z: Array.from(zs[i].data),
      a: Array.from(as[i]),
      delta: Array.from(gradients[i].delta.data),
      dW: rowsOf(gradients[i].dW),
      db: Array.from(gradients[i].db.data),
    })),
    softmax: y,
    loss: { value: output.lossSum, withRoundedProbabilities: crossEntropy(data.target, rounded) },
  };
}

function crossEntropy(target: number[], y: number[]): number {
  return -target.reduce((sum, t, i) => sum + (t === 0 ? 0 : t * Math.log(y[i])), 0);
}

function rowsOf(m: JsMatrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
}
