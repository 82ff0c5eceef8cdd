// One Corelab 1 training step written against the Kernels interface the way the lesson teaches it
// (z^l, a^l kept from the forward pass; delta^L = softmax - y; delta^l = sigma'(z^l) ⊙ delta^{l+1}·W;
// dC/dW = aᵀ·delta; Adam), so the benchmark times what the engine will run, transposes and
// element-wise ops included. Weights are kept as Wt [fanIn x units], so the forward pass needs no
// transpose. Softmax and cross-entropy run in JS on the [batch x 10] output: the interface has no exp.
import type { Kernels } from '../../src/engine/kernels/kernels';
import type { AdamStepConfig } from '../../src/engine/kernels/wasm/wasmKernels';

/** The proposed extensions (as on WasmKernels): fused Adam and transpose flags on matMul. */
interface ProposedExtensions<M> {
  adamUpdate(w: M, g: M, m: M, v: M, config: AdamStepConfig): { w: M; m: M; v: M };
  matMul(a: M, b: M, transposeA?: boolean, transposeB?: boolean): M;
}

/** Parameters, Adam moments, and one fixed random batch. */
export interface StepState<M> {
  params: M[];
  m: M[];
  v: M[];
  x: M;
  labels: Int32Array;
  t: number;
}

const LEARNING_RATE = 0.02;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

function filled<M>(k: Kernels<M>, rows: number, cols: number, value: (i: number) => number): M {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = value(i);
  return k.fromArray(data, rows, cols);
}

/** The step, as init / run / dispose. */
export const trainingStep = {
  init<M>(k: Kernels<M>, sizes: number[], batch: number): StepState<M> {
    const params: M[] = [];
    for (let l = 1; l < sizes.length; l++) {
      const limit = Math.sqrt(6 / (sizes[l - 1] + sizes[l]));
      params.push(filled(k, sizes[l - 1], sizes[l], () => (Math.random() * 2 - 1) * limit));
      params.push(filled(k, 1, sizes[l], () => 0));
    }
    const zerosLike = (p: M) => filled(k, k.rows(p), k.cols(p), () => 0);
    const labels = new Int32Array(batch).map(() => Math.floor(Math.random() * 10));
    return { params, m: params.map(zerosLike), v: params.map(zerosLike), x: filled(k, batch, sizes[0], Math.random), labels, t: 0 };
  },

  /**
   * One step. With `extended` (kernels that have them), Adam is one adamUpdate call instead of 13
   * element-wise calls per parameter, and matMul reads aᵀ and W transposed instead of transpose().
   */
  run<M>(k: Kernels<M> & Partial<ProposedExtensions<M>>, s: StepState<M>, extended = false): void {
    const ext = extended && k.adamUpdate ? (k as Kernels<M> & ProposedExtensions<M>) : undefined;
    s.t++;
    const next = k.scope(() => {
      const layers = s.params.length / 2;
      const zs: M[] = [];
      const as: M[] = [s.x];
      for (let l = 0; l < layers; l++) {
        const z = k.addRow(k.matMul(as[l], s.params[2 * l]), s.params[2 * l + 1]);
        zs.push(z);
        if (l < layers - 1) as.push(k.activate('relu', z, 0));
      }
      let delta = softmaxMinusLabels(k, zs[layers - 1], s.labels);
      const grads: M[] = new Array<M>(s.params.length);
      for (let l = layers - 1; l >= 0; l--) {
        grads[2 * l] = ext ? ext.matMul(as[l], delta, true, false) : k.matMul(k.transpose(as[l]), delta);
        grads[2 * l + 1] = k.sumRows(delta);
        if (l > 0) {
          const back = ext ? ext.matMul(delta, s.params[2 * l], false, true) : k.matMul(delta, k.transpose(s.params[2 * l]));
          delta = k.mul(back, k.activationDerivative('relu', zs[l - 1], as[l], 0));
        }
      }
      const config = { learningRate: LEARNING_RATE, beta1: BETA1, beta2: BETA2, epsilon: EPSILON, step: s.t };
      if (ext) {
        return s.params.map((p, i) => {
          const { w, m, v } = ext.adamUpdate(p, grads[i], s.m[i], s.v[i], config);
          return { p: w, m, v };
        });
      }
      // tfjs' Adam: w -= lr · m̂ / (√v̂ + ε), with bias-corrected moments m̂, v̂.
      return s.params.map((p, i) => {
        const m = k.add(k.scale(s.m[i], BETA1), k.scale(grads[i], 1 - BETA1));
        const v = k.add(k.scale(s.v[i], BETA2), k.scale(k.square(grads[i]), 1 - BETA2));
        const mHat = k.scale(m, 1 / (1 - BETA1 ** s.t));
        const vHat = k.scale(v, 1 / (1 - BETA2 ** s.t));
        const update = k.scale(k.div(mHat, k.addScalar(k.sqrt(vHat), EPSILON)), LEARNING_RATE);
        return { p: k.sub(p, update), m, v };
      });
    });
    for (let i = 0; i < next.length; i++) {
      k.dispose(s.params[i]);
      k.dispose(s.m[i]);
      k.dispose(s.v[i]);
      s.params[i] = next[i].p;
      s.m[i] = next[i].m;
      s.v[i] = next[i].v;
    }
  },

  dispose<M>(k: Kernels<M>, s: StepState<M>): void {
    for (const m of [...s.params, ...s.m, ...s.v, s.x]) k.dispose(m);
  },
};

/** delta^L = (softmax(z) - y) / batch for cross-entropy, computed in JS on the small output. */
function softmaxMinusLabels<M>(k: Kernels<M>, z: M, labels: Int32Array): M {
  const rows = k.rows(z);
  const cols = k.cols(z);
  const out = k.toArray(z);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, out[i * cols + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += out[i * cols + j] = Math.exp(out[i * cols + j] - max);
    for (let j = 0; j < cols; j++) out[i * cols + j] = (out[i * cols + j] / sum - (labels[i] === j ? 1 : 0)) / rows;
  }
  return k.fromArray(out, rows, cols);
}
