import type { LabConfig } from '../config/labConfig';
import { createBatchBuffers, fillPixels, scalePixels, type BatchBuffers, type MnistData, type MnistSplit } from '../data';
import type { Kernels } from '../kernels/kernels';
import { computeGradients, forward, initialParams, type LayerParams } from '../model/network';
import { createOptimizer } from '../model/optimizers';
import { outputLayer } from '../model/outputLayer';
import { seededRandom, shuffleInto } from '../model/random';
import { TrainingDivergedError } from './errors';
import type { BatchMetrics, EpochMetrics, LayerStats, TrainResult } from './metrics';
import { PredictionCollector, type PredictionSample } from './predictions';

/** A training run: what to train, on what, with which kernels, and whom to tell. */
export interface TrainOptions<M> {
  config: LabConfig;
  data: MnistData;
  kernels: Kernels<M>;
  /** Layer statistics on every Nth batch as well as at each epoch's end (0 or absent: epoch ends only). */
  batchStatsEvery?: number;
  onBatchEnd?: (metrics: BatchMetrics) => void;
  onEpochEnd?: (metrics: EpochMetrics) => void;
  /** After each epoch's metrics: a sample of test predictions and the confusion matrix (gathered only when set). */
  onPredictions?: (sample: PredictionSample) => void;
  /** How many test images the predictions sample holds (default 48). */
  predictionSampleSize?: number;
  /** Asked before every batch; true cancels the run, which then ends with the epochs completed so far. */
  shouldStop?: () => boolean;
  /** Milliseconds; injectable so tests need no real clock. */
  now?: () => number;
}

// Rows per evaluation chunk: large enough for fast products, small enough to keep memory flat.
const EVAL_CHUNK = 1000;

/**
 * Trains the config's network with mini-batch gradient descent: seeded initialization and shuffling,
 * the lesson's backprop for every batch, the test set evaluated after every epoch.
 */
export async function train<M>(options: TrainOptions<M>): Promise<TrainResult> {
  const { config, kernels: k } = options;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const trainSet = firstSamples(options.data.train, config.trainSamples);
  const testSet = firstSamples(options.data.test, config.testSamples);
  const features = trainSet.rows * trainSet.cols;

  let params = initialParams(k, config.layers, features, config.seed);
  const optimizer = createOptimizer(k, config.optimizer);
  const shuffling = seededRandom(config.seed, 1);
  const order = new Int32Array(trainSet.count);
  const buffers = createBatchBuffers(trainSet, config.batchSize);
  const batches = Math.ceil(trainSet.count / config.batchSize);
  const epochs: EpochMetrics[] = [];
  const result = (status: TrainResult['status']): TrainResult => ({ status, epochs, backend: k.name, seconds: (now() - started) / 1000 });

  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const epochStart = now();
      shuffleInto(order, shuffling);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let layers: LayerStats[] = [];
      for (let batch = 1; batch <= batches; batch++) {
        if (options.shouldStop?.()) return result('cancelled');
        const n = fillPixels(trainSet, order.subarray((batch - 1) * config.batchSize, batch * config.batchSize), buffers);
        const every = options.batchStatsEvery ?? 0;
        const withStats = batch === batches || (every > 0 && batch % every === 0);
        const step = trainStep(k, config, params, buffers, n, withStats, epoch, batch);
        params = optimizerStep(k, optimizer, params, step.grads, step.stats);
        lossSum += step.lossSum;
        correct += step.correct;
        seen += n;
        if (step.stats) layers = step.stats;
        options.onBatchEnd?.({ epoch, batch, batches, loss: step.lossSum / n, accuracy: step.correct / n, layers: step.stats });
      }
      const collector = options.onPredictions && new PredictionCollector(testSet, options.predictionSampleSize);
      const test = evaluate(k, config, params, testSet, collector);
      if (!Number.isFinite(test.loss)) throw diverged(k, config, params, epoch, batches, buffers, trainSet.count);
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        seconds: (now() - epochStart) / 1000,
        layers,
      };
      epochs.push(metrics);
      options.onEpochEnd?.(metrics);
      if (collector) options.onPredictions?.(collector.result(epoch));
      // Let messages (progress, cancel) through between epochs when training runs on the caller's thread.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return result('completed');
  } finally {
    for (const p of params) {
      k.dispose(p.W);
      k.dispose(p.b);
    }
    optimizer.dispose();
  }
}

/** One batch's gradients (kept) and figures; every intermediate of the pass is freed. */
function trainStep<M>(
  k: Kernels<M>,
  config: LabConfig,
  params: LayerParams<M>[],
  buffers: BatchBuffers,
  n: number,
  withStats: boolean,
  epoch: number,
  batch: number,
): { grads: M[]; lossSum: number; correct: number; stats?: LayerStats[] } {
  let lossSum = 0;
  let correct = 0;
  let partial: Pick<LayerStats, 'layer' | 'deltaRms' | 'gradNorm'>[] | undefined;
  const grads = k.scope(() => {
    const x = inputMatrix(k, buffers, n);
    const { output, gradients } = computeGradients(k, config, params, x, buffers.y.subarray(0, n * buffers.classes));
    lossSum = output.lossSum;
    correct = output.correct;
    if (withStats) {
      partial = gradients.map((g, i) => ({
        layer: i + 1,
        deltaRms: Math.sqrt(k.sumSquares(g.delta) / (k.rows(g.delta) * k.cols(g.delta))),
        gradNorm: Math.sqrt(k.sumSquares(g.dW)),
      }));
    }
    return gradients.flatMap((g) => [g.dW, g.db]);
  });
  if (!Number.isFinite(lossSum)) {
    for (const g of grads) k.dispose(g);
    throw diverged(k, config, params, epoch, batch, buffers, n);
  }
  const stats = partial?.map((s) => ({ ...s, weightNorm: 0, updateRatio: 0 }));
  return { grads, lossSum, correct, stats };
}

/** Applies the optimizer, fills in the weight statistics, and frees the old parameters and the gradients. */
function optimizerStep<M>(
  k: Kernels<M>,
  optimizer: ReturnType<typeof createOptimizer<M>>,
  params: LayerParams<M>[],
  grads: M[],
  stats: LayerStats[] | undefined,
): LayerParams<M>[] {
  const old = params.flatMap((p) => [p.W, p.b]);
  const next = optimizer.step(old, grads);
  const updated = params.map((_, i) => ({ W: next[2 * i], b: next[2 * i + 1] }));
  stats?.forEach((s, i) => {
    const before = Math.sqrt(k.sumSquares(params[i].W));
    s.weightNorm = Math.sqrt(k.sumSquares(updated[i].W));
    s.updateRatio = k.scope(() => Math.sqrt(k.sumSquares(k.sub(updated[i].W, params[i].W)))) / before;
  });
  for (const m of [...old, ...grads]) k.dispose(m);
  return updated;
}

/** Mean loss and accuracy over a whole split, forward only, in chunks; `collector` also sees every output row. */
export function evaluate<M>(
  k: Kernels<M>,
  config: LabConfig,
  params: LayerParams<M>[],
  split: MnistSplit,
  collector?: PredictionCollector,
): { loss: number; accuracy: number } {
  const buffers = createBatchBuffers(split, Math.min(EVAL_CHUNK, split.count));
  const output = config.layers[config.layers.length - 1];
  const indices = new Int32Array(buffers.capacity);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += buffers.capacity) {
    const n = Math.min(buffers.capacity, split.count - start);
    for (let i = 0; i < n; i++) indices[i] = start + i;
    fillPixels(split, indices.subarray(0, n), buffers);
    let zL: ArrayLike<number> = [];
    k.scope(() => {
      const x = inputMatrix(k, buffers, n);
      zL = k.toArray(forward(k, config.layers, params, x).zL);
    });
    const result = outputLayer(output.activation, output.alpha, config.loss, zL, buffers.y.subarray(0, n * buffers.classes), n);
    lossSum += result.lossSum;
    correct += result.correct;
    collector?.add(start, result.y, n);
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count };
}

/** Finds the first layer whose weights, or else whose z on the failing batch, are no longer finite. */
function diverged<M>(
  k: Kernels<M>,
  config: LabConfig,
  params: LayerParams<M>[],
  epoch: number,
  batch: number,
  buffers: BatchBuffers,
  n: number,
): TrainingDivergedError {
  const advice = `lower optimizer.learningRate (now ${config.optimizer.learningRate}) or use an initializer that suits the activation.`;
  const badWeights = params.findIndex((p) => !Number.isFinite(k.sumSquares(p.W)) || !Number.isFinite(k.sumSquares(p.b)));
  if (badWeights >= 0) {
    const l = badWeights + 1;
    return new TrainingDivergedError(epoch, batch, l, `the weights of layer ${l} (W^${l} or b^${l}) became NaN or Infinity: the updates grew too large; ${advice}`);
  }
  const rows = Math.min(n, buffers.capacity);
  const badZ = k.scope(() => {
    const x = inputMatrix(k, buffers, rows);
    const pass = forward(k, config.layers, params, x);
    return [...pass.hidden.map((h) => h.z), pass.zL].findIndex((z) => !Number.isFinite(k.sumSquares(z)));
  });
  const l = (badZ >= 0 ? badZ : config.layers.length - 1) + 1;
  const what = badZ >= 0 ? `z^${l} of layer ${l} overflowed to NaN or Infinity` : `the loss of the output layer ${l} became NaN or Infinity`;
  return new TrainingDivergedError(epoch, batch, l, `${what}; ${advice}`);
}

/** The first n rows of a batch fillPixels wrote, as the kernels' matrix of pixels / 255. */
function inputMatrix<M>(k: Kernels<M>, buffers: BatchBuffers, n: number): M {
  const { features } = buffers;
  if (k.fromBytes) return k.fromBytes(buffers.pixels.subarray(0, n * features), n, features, 255);
  return k.fromArray(scalePixels(buffers, n), n, features);
}

/** The split cut to its first `limit` samples (0 keeps them all). */
function firstSamples(split: MnistSplit, limit: number): MnistSplit {
  if (limit <= 0 || limit >= split.count) return split;
  const pixels = split.rows * split.cols;
  return { ...split, count: limit, images: split.images.subarray(0, limit * pixels), labels: split.labels.subarray(0, limit) };
}
