import type { LabConfig } from '../config/labConfig';
import {
  createBatchBuffers,
  fillPixels,
  scalePixels,
  type BatchBuffers,
  type MnistData,
  type MnistSplit,
} from '../data';
import type { Kernels } from '../kernels/kernels';
import { computeGradients, forward, initialParams, type LayerGradients, type LayerParams } from '../model/network';
import { createOptimizer } from '../model/optimizers';
import { outputLayer } from '../model/outputLayer';
import { seededRandom, shuffleInto } from '../model/random';
import { DeathWatch, type DeadLayer, initializationOverflow, overflowed } from './divergence';
import { TrainingConfigError, type TrainingDivergedError } from './errors';
import { evaluationRows, memoryMessage, memoryProblem, oversizedBatchMessage } from './memoryEstimate';
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
  /**
   * Awaited after every batch when set. A Web Worker yields to its event loop here, so that a cancel message gets
   * through: without SharedArrayBuffer nothing else can flip what `shouldStop` reads in the middle of an epoch.
   */
  betweenBatches?: () => Promise<void>;
  /** Milliseconds; injectable so tests need no real clock. */
  now?: () => number;
  /** Copy the final weights into the result (for "your own digit" in the training panel). */
  keepWeights?: boolean;
}

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
  checkTrainable(config, features, trainSet.count, testSet.count);

  let params = initialParams(k, config.layers, features, config.seed);
  // Sum of squares of each W^l and b^l, kept from one step to the next: checked finite after every update.
  let weightSquares = params.map((p) => k.sumSquares(p.W));
  const initialOverflow = params.findIndex((p, i) => !Number.isFinite(weightSquares[i] + k.sumSquares(p.b)));
  const optimizer = createOptimizer(k, config.optimizer);
  const shuffling = seededRandom(config.seed, 1);
  const order = new Int32Array(trainSet.count);
  const buffers = createBatchBuffers(trainSet, config.batchSize);
  const batches = Math.ceil(trainSet.count / config.batchSize);
  const epochs: EpochMetrics[] = [];
  const result = (status: TrainResult['status']): TrainResult => ({
    status,
    epochs,
    backend: k.name,
    seconds: (now() - started) / 1000,
    ...(options.keepWeights && {
      weights: params.map((p, i) => ({
        units: config.layers[i].units,
        fanIn: i === 0 ? features : config.layers[i - 1].units,
        W: Float32Array.from(k.toArray(p.W)),
        b: Float32Array.from(k.toArray(p.b)),
      })),
    }),
  });
  const deaths = new DeathWatch(config, trainSet.count);
  let updates = 0;
  const failed = (failure: StepFailure, epoch: number, batch: number, n: number): TrainingDivergedError => {
    if (failure.kind === 'initialization') return initializationOverflow(config, features, failure.layer);
    if (failure.kind === 'loss') return diverged(k, config, params, epoch, batch, buffers, n);
    return overflowed(config, epoch, batch, failure.layer, 'gradient');
  };

  try {
    if (initialOverflow >= 0) throw initializationOverflow(config, features, initialOverflow + 1);
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const epochStart = now();
      shuffleInto(order, shuffling);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let layers: LayerStats[] = [];
      for (let batch = 1; batch <= batches; batch++) {
        if (options.shouldStop?.()) return result('cancelled');
        const n = fillPixels(
          trainSet,
          order.subarray((batch - 1) * config.batchSize, batch * config.batchSize),
          buffers,
        );
        const every = options.batchStatsEvery ?? 0;
        const withStats = batch === batches || (every > 0 && batch % every === 0);
        const step = trainStep(k, config, params, buffers, n, updates === 0);
        if (step.failure) throw failed(step.failure, epoch, batch, n);
        const before = weightSquares;
        const stats = withStats ? step.stats : undefined;
        ({ params, weightSquares } = optimizerStep(k, optimizer, params, step.grads, before, stats));
        updates++;
        const badWeights = weightSquares.findIndex((squares) => !Number.isFinite(squares));
        if (badWeights >= 0) throw overflowed(config, epoch, batch, badWeights + 1, 'weights');
        deaths.afterStep(step.dead, weightSquares, step.lossSum / n, n, epoch, batch);
        lossSum += step.lossSum;
        correct += step.correct;
        seen += n;
        // The figures go out as JSON, where Infinity would become null: one past float32 means the run blew up.
        const badStat = stats?.findIndex((s) => !Object.values(s).every(Number.isFinite)) ?? -1;
        if (badStat >= 0) throw overflowed(config, epoch, batch, badStat + 1, 'weights');
        if (stats) layers = stats;
        options.onBatchEnd?.({
          epoch,
          batch,
          batches,
          loss: step.lossSum / n,
          accuracy: step.correct / n,
          layers: stats,
        });
        if (options.betweenBatches) await options.betweenBatches();
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

/** Why a batch could not be used: which number went past float32, and at which layer l. */
type StepFailure = { kind: 'initialization' | 'gradient'; layer: number } | { kind: 'loss' };

/** What one batch gives: its gradients (kept), its figures, which hidden layers were dead on it, or why it failed. */
interface StepResult<M> {
  grads: M[];
  lossSum: number;
  correct: number;
  /** Per layer, how it was dead on every image of the batch, if it was (see DeadLayer). */
  dead: (DeadLayer | undefined)[];
  /** delta and gradient figures of every layer; the weight figures are filled in after the update. */
  stats: LayerStats[];
  failure?: StepFailure;
}

/** One batch's gradients and figures; every intermediate of the pass is freed, and the gradients too when it failed. */
function trainStep<M>(
  k: Kernels<M>,
  config: LabConfig,
  params: LayerParams<M>[],
  buffers: BatchBuffers,
  n: number,
  firstStep: boolean,
): StepResult<M> {
  let lossSum = 0;
  let correct = 0;
  let dead: (DeadLayer | undefined)[] = [];
  let stats: LayerStats[] = [];
  let overflowAt = -1;
  const grads = k.scope(() => {
    const x = inputMatrix(k, buffers, n);
    const { pass, output, gradients } = computeGradients(
      k,
      config,
      params,
      x,
      buffers.y.subarray(0, n * buffers.classes),
    );
    lossSum = output.lossSum;
    correct = output.correct;
    // Before any update only the initial weights can make z overflow; ReLU would hide it (relu(NaN) is 0), so look.
    if (firstStep)
      overflowAt = [...pass.hidden.map((h) => h.z), pass.zL].findIndex((z) => !Number.isFinite(k.sumSquares(z)));
    stats = gradients.map((g, i) => layerFigures(k, g, i));
    const outputSignal = stats[stats.length - 1].deltaRms > 0;
    const outputActivation = config.layers[config.layers.length - 1].activation;
    dead = gradients.map((g, i) => {
      // The output layer: delta^L = sigma'(z^L) ⊙ dC/dy is 0 on every image when a sigmoid or tanh output saturated.
      if (g.sigmaPrime === undefined)
        return outputSignal
          ? undefined
          : outputActivation === 'sigmoid' || outputActivation === 'tanh'
            ? 'flat'
            : 'silent';
      if (k.sumSquares(g.sigmaPrime) === 0) return 'flat';
      // delta^l squares to 0 in float32 (every value below ~1e-19) while the output still has an error to send back.
      return outputSignal && stats[i].deltaRms === 0 ? 'silent' : undefined;
    });
    return gradients.flatMap((g) => [g.dW, g.db]);
  });
  const result = { grads, lossSum, correct, dead, stats };
  const badFigure = stats.findIndex((s) => !Number.isFinite(s.deltaRms) || !Number.isFinite(s.gradNorm));
  const failure: StepFailure | undefined =
    overflowAt >= 0 || (firstStep && !Number.isFinite(lossSum))
      ? { kind: 'initialization', layer: overflowAt >= 0 ? overflowAt + 1 : config.layers.length }
      : !Number.isFinite(lossSum)
        ? { kind: 'loss' }
        : badFigure >= 0
          ? { kind: 'gradient', layer: badFigure + 1 }
          : undefined;
  if (failure === undefined) return result;
  for (const g of grads) k.dispose(g);
  return { ...result, grads: [], failure };
}

/** The lesson's figures of one layer from its gradients: RMS of delta^l and ||dC/dW^l|| (the weights' come later). */
function layerFigures<M>(k: Kernels<M>, g: LayerGradients<M>, index: number): LayerStats {
  return {
    layer: index + 1,
    deltaRms: Math.sqrt(k.sumSquares(g.delta) / (k.rows(g.delta) * k.cols(g.delta))),
    gradNorm: Math.sqrt(k.sumSquares(g.dW)),
    weightNorm: 0,
    updateRatio: 0,
  };
}

/**
 * Applies the optimizer and frees the old parameters and the gradients. Returns the new parameters with the sum of
 * squares of each W^l (Infinity when W^l or b^l is no longer finite), and fills in `stats`' weight figures.
 */
function optimizerStep<M>(
  k: Kernels<M>,
  optimizer: ReturnType<typeof createOptimizer<M>>,
  params: LayerParams<M>[],
  grads: M[],
  before: number[],
  stats: LayerStats[] | undefined,
): { params: LayerParams<M>[]; weightSquares: number[] } {
  const old = params.flatMap((p) => [p.W, p.b]);
  const next = optimizer.step(old, grads);
  const updated = params.map((_, i) => ({ W: next[2 * i], b: next[2 * i + 1] }));
  const weightSquares = updated.map((p) => {
    const squares = k.sumSquares(p.W);
    return Number.isFinite(squares + k.sumSquares(p.b)) ? squares : Infinity;
  });
  stats?.forEach((s, i) => {
    s.weightNorm = Math.sqrt(weightSquares[i]);
    const change = k.scope(() => Math.sqrt(k.sumSquares(k.sub(updated[i].W, params[i].W))));
    // From all-zero weights (the zeros initializer) any change is the whole of W: a ratio of 1, or 0 for none.
    s.updateRatio = before[i] > 0 ? change / Math.sqrt(before[i]) : change > 0 ? 1 : 0;
  });
  for (const m of [...old, ...grads]) k.dispose(m);
  return { params: updated, weightSquares };
}

/** Mean loss and accuracy over a whole split, forward only, in chunks; `collector` also sees every output row. */
export function evaluate<M>(
  k: Kernels<M>,
  config: LabConfig,
  params: LayerParams<M>[],
  split: MnistSplit,
  collector?: PredictionCollector,
): { loss: number; accuracy: number } {
  const units = config.layers.map((layer) => layer.units);
  const buffers = createBatchBuffers(split, evaluationRows(split.rows * split.cols, units, split.count));
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
    const result = outputLayer(
      output.activation,
      output.alpha,
      config.loss,
      zL,
      buffers.y.subarray(0, n * buffers.classes),
      n,
    );
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
  const badWeights = params.findIndex(
    (p) => !Number.isFinite(k.sumSquares(p.W)) || !Number.isFinite(k.sumSquares(p.b)),
  );
  if (badWeights >= 0) return overflowed(config, epoch, batch, badWeights + 1, 'weights');
  const rows = Math.min(n, buffers.capacity);
  const badZ = k.scope(() => {
    const x = inputMatrix(k, buffers, rows);
    const pass = forward(k, config.layers, params, x);
    return [...pass.hidden.map((h) => h.z), pass.zL].findIndex((z) => !Number.isFinite(k.sumSquares(z)));
  });
  return badZ >= 0
    ? overflowed(config, epoch, batch, badZ + 1, 'z')
    : overflowed(config, epoch, batch, config.layers.length, 'loss');
}

/**
 * Refuses, before anything is allocated, what the config checker could not judge without the data (a folder's
 * image size and counts): a batch larger than the training set, and training past the memory budget.
 */
function checkTrainable(config: LabConfig, inputs: number, trainCount: number, testCount: number): void {
  const units = config.layers.map((layer) => layer.units);
  const tooLarge = config.batchSize > trainCount;
  const batchSize = Math.min(config.batchSize, trainCount);
  const problem = memoryProblem({ inputs, units, batchSize, trainCount, testCount, optimizer: config.optimizer });
  if (tooLarge) {
    throw new TrainingConfigError(
      'batchSize',
      oversizedBatchMessage('batchSize', config.batchSize, `the ${trainCount} training images`, trainCount, problem),
    );
  }
  if (problem?.field === 'batchSize')
    throw new TrainingConfigError('batchSize', memoryMessage(problem, 'batchSize', config.batchSize));
  if (problem?.field === 'units') {
    const path = `layers[${problem.layer}].units`;
    throw new TrainingConfigError(path, memoryMessage(problem, path, units[problem.layer]));
  }
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
  return {
    ...split,
    count: limit,
    images: split.images.subarray(0, limit * pixels),
    labels: split.labels.subarray(0, limit),
  };
}
