/** Per-layer numbers a student watches to see backprop at work; `layer` is the lesson's l (1 = first). */
export interface LayerStats {
  layer: number;
  /** Root mean square of delta^l over the batch and the layer's units. */
  deltaRms: number;
  /** ||dC/dW^l||, the Frobenius norm of the batch's weight gradient. */
  gradNorm: number;
  /** ||W^l|| after the update. */
  weightNorm: number;
  /** ||W^l after - W^l before|| / ||W^l before||: how hard one step pushes the weights. */
  updateRatio: number;
}

/** Sent after each epoch. Training figures are running means over the epoch's batches, as Keras reports them. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Wall time of the epoch including the test evaluation. */
  seconds: number;
  /** Layer statistics of the epoch's last batch. */
  layers: LayerStats[];
}

/** Sent after every batch: its loss and accuracy, and layer statistics when they were asked for. */
export interface BatchMetrics {
  epoch: number;
  /** 1-based index of the batch within the epoch. */
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  layers?: LayerStats[];
}

/** How a training run ended. */
export interface TrainResult {
  status: 'completed' | 'cancelled';
  epochs: EpochMetrics[];
  /** The kernels that ran, e.g. "tfjs wasm (SIMD, 1 thread)". */
  backend: string;
  seconds: number;
}
