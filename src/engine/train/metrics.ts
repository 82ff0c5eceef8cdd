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
  /** The network's final W^l and b^l, layer 1 first, when the run was asked to keep them (TrainOptions.keepWeights). */
  weights?: LayerWeights[];
}

/** One Dense layer's trained parameters as plain arrays: W^l is `units` rows of `fanIn`, row-major; b^l has `units`. */
export interface LayerWeights {
  units: number;
  fanIn: number;
  W: Float32Array;
  b: Float32Array;
}

/** One test image with what the network made of it; plain numbers so it crosses threads and into a webview. */
export interface PredictedDigit {
  /** Position in the (possibly cut) test split. */
  index: number;
  /** rows x cols pixels, 0-255, row-major. */
  pixels: number[];
  rows: number;
  cols: number;
  label: number;
  predicted: number;
  /** y = a^L for this image: probabilities when the output layer is softmax. */
  probabilities: number[];
}

/** What the network predicts on the test set after an epoch. */
export interface PredictionSample {
  epoch: number;
  /** The sample: misclassified images first (most confident mistakes first, up to 2/3), then correct ones in test order. */
  digits: PredictedDigit[];
  /** confusion[label][predicted] counts over the whole evaluated test set. */
  confusion: number[][];
  /** How many test images the confusion matrix counts. */
  testCount: number;
}
