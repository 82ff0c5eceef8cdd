import type { Activation } from '../config/labConfig';

/**
 * One unit's numbers in the lesson's recursion, for a hidden layer:
 * delta^l_j = sigma'(z^l_j) * ((W^(l+1))^T delta^(l+1))_j.
 */
export interface HiddenUnitTrace {
  kind: 'hidden';
  /** Row of the batch (0-based). */
  sample: number;
  /** The unit j (0-based). */
  unit: number;
  z: number;
  sigmaPrime: number;
  /** ((W^(l+1))^T delta^(l+1))_j: what flows back from the layer above. */
  backprop: number;
  delta: number;
}

/** One unit of the output layer: delta^L_j = sigma'(z^L_j) * dC/dy_j, which is y_j - target_j for softmax with cross-entropy. */
export interface OutputUnitTrace {
  kind: 'output';
  sample: number;
  unit: number;
  z: number;
  y: number;
  target: number;
  delta: number;
}

/** What a probe measured of one layer l (1-based, as in the lesson). */
export interface LayerSignal {
  layer: number;
  units: number;
  activation: Activation;
  /** RMS of delta^l over the batch and the layer's units. */
  deltaRms: number;
  /** ||dC/dW^l||, Frobenius norm of the batch-mean weight gradient. */
  gradNorm: number;
  /** ||W^l||. */
  weightNorm: number;
  /** Share of the layer's units whose delta is zero for every sample in the batch, so their weights never move. */
  deadShare: number;
  /** False when delta^l or dC/dW^l holds NaN or Infinity. */
  finite: boolean;
  /** Mean of sigma'(z^l) over the batch and units (hidden layers only). */
  meanSigmaPrime?: number;
  /** RMS of (W^(l+1))^T delta^(l+1) (hidden layers only): the signal before sigma' scales it. */
  backpropRms?: number;
  /** The unit with the largest |delta| in the batch's first sample, with the numbers of its formula (probes only). */
  trace?: HiddenUnitTrace | OutputUnitTrace;
}

/** A whole probe: every layer's signal, and the batch's loss. */
export interface ProbeResult {
  layers: LayerSignal[];
  /** Mean loss over the probe's batch. */
  loss: number;
  /** Images in the batch. */
  batchSize: number;
  /** Kernels that computed it. */
  kernels: string;
  /** Milliseconds spent in forward and backward. */
  millis: number;
}
