import * as tf from '@tensorflow/tfjs-core';
// tfjs-core ships its gradient functions separately; autodiff needs them registered.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import type { Activation, LayerSpec, LossName } from '../../../src/engine/config/labConfig';
import { createBatchBuffers, fillBatch } from '../../../src/engine/data';
import { chooseKernels } from '../../../src/engine/kernels/backend';
import { JsKernels, type JsMatrix } from '../../../src/engine/kernels/jsKernels';
import { WasmKernels } from '../../../src/engine/kernels/wasm/wasmKernels';
import { computeGradients, forward, initialParams, type LayerParams } from '../../../src/engine/model/network';
import { outputLayer } from '../../../src/engine/model/outputLayer';
import { sharedMnist } from '../../support/mnist';
import { layer, oneHotRows, randomValues } from '../../support/nets';

const HIDDEN: Activation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];
const OUTPUTS: [Activation, LossName][] = [
  ['softmax', 'categoricalCrossentropy'],
  ['softmax', 'meanSquaredError'],
  ['sigmoid', 'categoricalCrossentropy'],
  ['sigmoid', 'meanSquaredError'],
  ['tanh', 'meanSquaredError'],
  ['linear', 'meanSquaredError'],
];
const CASES = HIDDEN.flatMap((hidden) => OUTPUTS.map(([output, loss]) => ({ hidden, output, loss })));

/** The same network written with tfjs ops only, so that tf.variableGrads differentiates it on its own. */
function autodiffLoss(
  layers: LayerSpec[],
  W: tf.Variable[],
  b: tf.Variable[],
  x: tf.Tensor2D,
  target: tf.Tensor2D,
  loss: LossName,
): tf.Scalar {
  let a: tf.Tensor2D = x;
  layers.forEach((spec, i) => {
    const z = tf.add(tf.matMul(a, W[i], false, true), b[i]) as tf.Tensor2D;
    const act: Record<Activation, () => tf.Tensor2D> = {
      sigmoid: () => tf.sigmoid(z),
      tanh: () => tf.tanh(z),
      relu: () => tf.relu(z),
      leakyRelu: () => tf.leakyRelu(z, spec.alpha),
      linear: () => z,
      softmax: () => tf.softmax(z),
    };
    a = act[spec.activation]();
  });
  if (loss === 'categoricalCrossentropy') {
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(tf.clipByValue(a, 1e-7, 1 - 1e-7))), 1))) as tf.Scalar;
  }
  return tf.mean(tf.mean(tf.square(tf.sub(a, target)), 1)) as tf.Scalar;
}

// The kernels under test compute backprop; tfjs autodiff on its own backend (cpu or wasm) is the reference.
describe.each(['cpu', 'wasm', 'dnn-wasm'] as const)(
  'explicit backprop on the %s kernels equals tfjs autodiff',
  (backend) => {
    it.each(CASES)('hidden $hidden, output $output, loss $loss', async ({ hidden, output, loss }) => {
      const { kernels: k } = await chooseKernels(backend);
      const layers = [layer(7, hidden), layer(5, hidden), layer(4, output)];
      const rows = 6;
      const xData = randomValues(rows * 9, 3);
      const targetData = oneHotRows(rows, 4, 4);
      const params = initialParams(k, layers, 9, 11);

      const explicit = k.scope(() => {
        const x = k.fromArray(xData, rows, 9);
        return computeGradients(k, { layers, loss }, params, x, targetData).gradients.flatMap((g) => [g.dW, g.db]);
      });
      const ours = explicit.map((m) => k.toArray(m));
      const variable = (m: unknown) =>
        tf.variable(tf.tensor2d(Float32Array.from(k.toArray(m)), [k.rows(m), k.cols(m)]));
      const W = params.map((p) => variable(p.W));
      const b = params.map((p) => variable(p.b));
      const x = tf.tensor2d(Float32Array.from(xData), [rows, 9]);
      const target = tf.tensor2d(Float32Array.from(targetData), [rows, 4]);
      const { grads } = tf.variableGrads(() => autodiffLoss(layers, W, b, x, target, loss), [...W, ...b]);
      const ordered = params.flatMap((_, i) => [grads[W[i].name], grads[b[i].name]]);

      ordered.forEach((ref, i) => {
        const theirs = ref.dataSync();
        const scale = Math.max(1e-3, ...Array.from(theirs, Math.abs));
        const worst = Math.max(...Array.from(ours[i], (v, j) => Math.abs(v - theirs[j])));
        // float32 with the same products in a different order; measured worst 5e-7 of the gradient's size (6e-8 absolute).
        expect(worst / scale, `parameter ${i}`).toBeLessThan(2e-6);
      });
      tf.dispose([...Object.values(grads), ...W, ...b, x, target]);
      for (const m of [...explicit, ...params.flatMap((p) => [p.W, p.b])]) k.dispose(m);
    });
  },
);

describe('explicit backprop equals float64 finite differences', () => {
  const k = new JsKernels();

  it.each(CASES)('hidden $hidden, output $output, loss $loss', ({ hidden, output, loss }) => {
    const layers = [layer(4, hidden), layer(3, hidden), layer(3, output)];
    const rows = 5;
    const x = k.fromArray(randomValues(rows * 2, 5), rows, 2);
    const target = oneHotRows(rows, 3, 6);
    const params = initialParams(k, layers, 2, 13);
    const meanLoss = (p: LayerParams<JsMatrix>[]): number => {
      const spec = layers[layers.length - 1];
      return (
        outputLayer(spec.activation, spec.alpha, loss, forward(k, layers, p, x).zL.data, target, rows).lossSum / rows
      );
    };
    const { gradients } = computeGradients(k, { layers, loss }, params, x, target);
    // Truncation (h^2) and rounding (1e-16 / h) balance near h = 1e-5; measured worst error 7e-8.
    const h = 1e-5;
    let worst = 0;
    params.forEach((p, l) => {
      for (const [name, matrix, analytic] of [
        ['W', p.W, gradients[l].dW],
        ['b', p.b, gradients[l].db],
      ] as const) {
        for (let i = 0; i < matrix.data.length; i++) {
          const saved = matrix.data[i];
          matrix.data[i] = saved + h;
          const up = meanLoss(params);
          matrix.data[i] = saved - h;
          const down = meanLoss(params);
          matrix.data[i] = saved;
          const numeric = (up - down) / (2 * h);
          const error = Math.abs(numeric - analytic.data[i]) / (1e-4 + Math.abs(numeric));
          worst = Math.max(worst, error);
          if (error > 1e-6)
            throw new Error(`dC/d${name}^${l + 1}[${i}]: backprop ${analytic.data[i]}, finite difference ${numeric}`);
        }
      }
    });
    expect(worst).toBeLessThan(1e-6);
  });
});

// The wasm kernels multiply MNIST's mostly-zero pixels with their sparse products; tfjs autodiff and
// the tfjs cpu kernels (dense) are the references, on Corelab 1's network and a real batch.
describe('explicit backprop on MNIST images, first layer through the sparse products', () => {
  it('dnn-wasm equals tfjs autodiff (dC/dW, dC/db) and the tfjs cpu kernels (every delta)', async () => {
    const mnist = await sharedMnist();
    const rows = 300;
    const buffers = createBatchBuffers(mnist.train, rows);
    fillBatch(
      mnist.train,
      Int32Array.from({ length: rows }, (_, i) => 17 * i),
      buffers,
    );
    const xData = buffers.x.slice(0, rows * 784);
    const targetData = buffers.y.slice(0, rows * 10);
    const layers = [layer(256, 'relu'), layer(128, 'relu'), layer(64, 'relu'), layer(32, 'relu'), layer(10, 'softmax')];
    const loss = 'categoricalCrossentropy';

    const run = async (backend: 'dnn-wasm' | 'cpu') => {
      const { kernels: k } = await chooseKernels(backend);
      const params = initialParams(k, layers, 784, 5);
      const sparseBefore = k instanceof WasmKernels ? k.productCounts.sparse : 0;
      const { gradients } = k.scope(() =>
        computeGradients(k, { layers, loss }, params, k.fromArray(xData, rows, 784), targetData),
      );
      const read = (m: unknown) => Float32Array.from(k.toArray(m));
      return {
        sparseProducts: k instanceof WasmKernels ? k.productCounts.sparse - sparseBefore : 0,
        params: params.map((p) => ({ W: read(p.W), b: read(p.b) })),
        deltas: gradients.map((g) => read(g.delta)),
        grads: gradients.flatMap((g) => [read(g.dW), read(g.db)]),
      };
    };
    const ours = await run('dnn-wasm');
    const reference = await run('cpu');
    // Forward X·(W¹)ᵀ and backward δ¹ᵀ·X: the two products with the image batch.
    expect(ours.sparseProducts).toBe(2);

    const relative = (a: Float32Array, b: ArrayLike<number>) => {
      let worst = 0;
      let scale = 1e-3;
      for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]));
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      return worst / scale;
    };
    ours.deltas.forEach((delta, l) =>
      expect(relative(delta, reference.deltas[l]), `delta^${l + 1}`).toBeLessThan(2e-6),
    );

    const W = ours.params.map((p, i) =>
      tf.variable(tf.tensor2d(p.W, [layers[i].units, i === 0 ? 784 : layers[i - 1].units])),
    );
    const b = ours.params.map((p, i) => tf.variable(tf.tensor2d(p.b, [1, layers[i].units])));
    const x = tf.tensor2d(xData, [rows, 784]);
    const target = tf.tensor2d(targetData, [rows, 10]);
    const { grads } = tf.variableGrads(() => autodiffLoss(layers, W, b, x, target, loss), [...W, ...b]);
    const autodiff = layers.flatMap((_, i) => [grads[W[i].name], grads[b[i].name]]);
    autodiff.forEach((g, i) => expect(relative(ours.grads[i], g.dataSync()), `parameter ${i}`).toBeLessThan(2e-6));
    tf.dispose([...Object.values(grads), ...W, ...b, x, target]);
  });
});
