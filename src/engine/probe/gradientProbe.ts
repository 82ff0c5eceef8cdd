import type { Activation, ElementwiseActivation, LabConfig } from '../config/labConfig';
import type { BatchBuffers } from '../data';
import type { Kernels } from '../kernels/kernels';
import { scalarActivations } from '../model/activationFunctions';
import { computeGradients, initialParams, type LayerGradients, type LayerParams } from '../model/network';
import type { HiddenUnitTrace, LayerSignal, OutputUnitTrace, ProbeResult } from './layerSignal';

/**
 * The gradient probe: initializes the config's network with its seed, runs one forward and backward pass
 * of the lesson's backprop on `batch`, and measures every layer's error signal. Nothing is trained.
 */
export function probeGradients<M>(
  k: Kernels<M>,
  config: Pick<LabConfig, 'layers' | 'loss' | 'seed'>,
  batch: BatchBuffers,
  now: () => number = () => performance.now(),
): ProbeResult {
  const started = now();
  const n = batch.capacity;
  const params = initialParams(k, config.layers, batch.features, config.seed);
  try {
    return k.scope(() => {
      const x = k.fromArray(batch.x.subarray(0, n * batch.features), n, batch.features);
      const target = batch.y.subarray(0, n * batch.classes);
      const { pass, output, gradients } = computeGradients(k, config, params, x, target);
      const zs = [...pass.hidden.map((h) => h.z), pass.zL].map((z) => k.toArray(z));
      const deltas = gradients.map((g) => k.toArray(g.delta));
      const layers = config.layers.map((spec, i): LayerSignal => {
        const measured = measureLayer(k, gradients[i], params[i], deltas[i], n);
        const isOutput = i === config.layers.length - 1;
        const trace = isOutput
          ? outputTrace(zs[i], output.y, target, deltas[i], spec.units)
          : hiddenTrace(
              k,
              spec.activation,
              spec.alpha,
              zs[i],
              deltas[i],
              gradients[i + 1].delta,
              params[i + 1],
              spec.units,
            );
        const hidden = isOutput
          ? {}
          : hiddenFactors(k, spec.activation, spec.alpha, zs[i], gradients[i + 1].delta, params[i + 1]);
        return { layer: i + 1, units: spec.units, activation: spec.activation, ...measured, ...hidden, trace };
      });
      return { layers, loss: output.lossSum / n, batchSize: n, kernels: k.name, millis: now() - started };
    });
  } finally {
    for (const p of params) {
      k.dispose(p.W);
      k.dispose(p.b);
    }
  }
}

function measureLayer<M>(
  k: Kernels<M>,
  g: LayerGradients<M>,
  p: LayerParams<M>,
  delta: ArrayLike<number>,
  rows: number,
) {
  const deltaSquares = k.sumSquares(g.delta);
  const gradSquares = k.sumSquares(g.dW);
  return {
    deltaRms: Math.sqrt(deltaSquares / delta.length),
    gradNorm: Math.sqrt(gradSquares),
    weightNorm: Math.sqrt(k.sumSquares(p.W)),
    deadShare: deadShare(delta, rows),
    finite: Number.isFinite(deltaSquares) && Number.isFinite(gradSquares),
  };
}

/** Share of columns (units) of a rows x units matrix that are zero in every row. */
export function deadShare(delta: ArrayLike<number>, rows: number): number {
  const units = delta.length / rows;
  let dead = 0;
  for (let j = 0; j < units; j++) {
    let zero = true;
    for (let r = 0; r < rows && zero; r++) zero = delta[r * units + j] === 0;
    if (zero) dead++;
  }
  return units === 0 ? 0 : dead / units;
}

/** The layer-wide factors of delta^l = sigma'(z^l) ⊙ (W^(l+1))^T delta^(l+1): the mean of sigma' and the RMS of what flows back. */
function hiddenFactors<M>(
  k: Kernels<M>,
  activation: Activation,
  alpha: number,
  z: ArrayLike<number>,
  deltaNext: M,
  wNext: LayerParams<M>,
) {
  const back = k.matMul(deltaNext, wNext.W);
  const { f, df } = scalarActivations[elementwise(activation)];
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += df(z[i], f(z[i], alpha), alpha);
  return { meanSigmaPrime: sum / z.length, backpropRms: Math.sqrt(k.sumSquares(back) / z.length) };
}

/** Position of the largest |value| in the first row. */
function largestInFirstRow(values: ArrayLike<number>, units: number): number {
  let best = 0;
  for (let j = 1; j < units; j++) if (Math.abs(values[j]) > Math.abs(values[best])) best = j;
  return best;
}

function hiddenTrace<M>(
  k: Kernels<M>,
  activation: Activation,
  alpha: number,
  z: ArrayLike<number>,
  delta: ArrayLike<number>,
  deltaNext: M,
  wNext: LayerParams<M>,
  units: number,
): HiddenUnitTrace {
  const unit = largestInFirstRow(delta, units);
  const { f, df } = scalarActivations[elementwise(activation)];
  const zj = z[unit];
  // ((W^(l+1))^T delta^(l+1))_j for sample 0: column j of W^(l+1) against sample 0's delta^(l+1).
  const w = k.toArray(wNext.W);
  const d = k.toArray(deltaNext);
  const above = k.rows(wNext.W);
  let backprop = 0;
  for (let i = 0; i < above; i++) backprop += w[i * units + unit] * d[i];
  return {
    kind: 'hidden',
    sample: 0,
    unit,
    z: zj,
    sigmaPrime: df(zj, f(zj, alpha), alpha),
    backprop,
    delta: delta[unit],
  };
}

function outputTrace(
  z: ArrayLike<number>,
  y: ArrayLike<number>,
  target: ArrayLike<number>,
  delta: ArrayLike<number>,
  units: number,
): OutputUnitTrace {
  const unit = largestInFirstRow(delta, units);
  return { kind: 'output', sample: 0, unit, z: z[unit], y: y[unit], target: target[unit], delta: delta[unit] };
}

/** A hidden layer's activation; forward() has already refused softmax there, so this cannot throw after it. */
function elementwise(activation: Activation): ElementwiseActivation {
  if (activation === 'softmax') throw new Error('softmax is only allowed on the output layer');
  return activation;
}
