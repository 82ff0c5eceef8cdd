// The numerics side of the benchmark: how far our fast kernels' error signals δ^l and gradients are from
// the reference path (the same backprop on the tfjs cpu kernels, dense float32 products), on Corelab 1
// after some training, when the ReLU outputs have gone sparse and every sparse product is in use.
import type { LabConfig } from '../src/engine/config/labConfig';
import { createBatchBuffers, fillBatch, type MnistSplit } from '../src/engine/data';
import { chooseKernels } from '../src/engine/kernels/backend';
import { createWasmKernels } from '../src/engine/kernels/wasm/wasmKernels';
import type { Kernels } from '../src/engine/kernels/kernels';
import { computeGradients, initialParams } from '../src/engine/model/network';
import { createOptimizer } from '../src/engine/model/optimizers';

/** Per layer: max |ours − reference| / max |reference| of δ^l over the batch, and of ∂C/∂W^l. */
export interface NumericsReport {
  trainedBatches: number;
  /** Multiply-adds our kernels performed in the training batches, as a share of the dense products'. */
  performedShare: number;
  deltas: number[];
  weightGradients: number[];
}

/** Trains `steps` batches on our kernels, then runs one more batch through both and compares. */
export async function compareWithReference(
  config: LabConfig,
  train: MnistSplit,
  steps: number,
): Promise<NumericsReport> {
  const ours = await createWasmKernels();
  const reference = (await chooseKernels('cpu')).kernels;
  const batch = config.batchSize;
  const buffers = createBatchBuffers(train, batch);
  const load = <M>(k: Kernels<M>, start: number): M => {
    fillBatch(
      train,
      Int32Array.from({ length: batch }, (_, i) => (start + i) % train.count),
      buffers,
    );
    return k.fromArray(buffers.x.subarray(0, batch * buffers.features), batch, buffers.features);
  };

  let params = initialParams(ours, config.layers, 784, config.seed);
  const optimizer = createOptimizer(ours, config.optimizer);
  for (let step = 0; step < steps; step++) {
    const grads = ours.scope(() =>
      computeGradients(ours, config, params, load(ours, step * batch), buffers.y).gradients.flatMap((g) => [
        g.dW,
        g.db,
      ]),
    );
    const next = optimizer.step(
      params.flatMap((p) => [p.W, p.b]),
      grads,
    );
    params = params.map((_, i) => ({ W: next[2 * i], b: next[2 * i + 1] }));
  }

  const fanIns = config.layers.map((_, i) => (i === 0 ? 784 : config.layers[i - 1].units));
  const signals = <M>(k: Kernels<M>, weights: { W: ArrayLike<number>; b: ArrayLike<number> }[]) =>
    k.scope(() => {
      const p = weights.map((w, i) => ({
        W: k.fromArray(w.W, config.layers[i].units, fanIns[i]),
        b: k.fromArray(w.b, 1, config.layers[i].units),
      }));
      const { gradients } = computeGradients(k, config, p, load(k, steps * batch), buffers.y);
      return { deltas: gradients.map((g) => k.toArray(g.delta)), dW: gradients.map((g) => k.toArray(g.dW)) };
    });
  const weights = params.map((p) => ({ W: ours.toArray(p.W), b: ours.toArray(p.b) }));
  const { multiplyAdds, denseMultiplyAdds } = ours.productCounts;
  for (const p of params) [p.W, p.b].forEach((m) => ours.dispose(m));
  optimizer.dispose();
  const fast = signals(ours, weights);
  const slow = signals(reference, weights);
  const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / scale;
  };
  return {
    trainedBatches: steps,
    performedShare: multiplyAdds / denseMultiplyAdds,
    deltas: fast.deltas.map((d, l) => worst(d, slow.deltas[l])),
    weightGradients: fast.dW.map((d, l) => worst(d, slow.dW[l])),
  };
}
