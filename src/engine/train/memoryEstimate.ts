import type { OptimizerSpec } from '../config/labConfig';

/**
 * The memory a training run may take: 512 MiB. Gradescope's container has 768 MB for everything, and Node, the
 * bundle and MNIST (55 MB) take ~150 MB of it (measured: RSS minus the kernels' heap); VS Code's extension host
 * shares its process with the window's other extensions. wasm32 could address 4 GiB, our build declares 2 GiB.
 */
export const MEMORY_BUDGET_BYTES = 512 * 2 ** 20;

/** The largest evaluation chunk, in rows: large enough for fast products. */
export const EVAL_CHUNK_ROWS = 1000;
/** What one evaluation chunk may take, so wide layers evaluate in fewer rows instead of growing the heap. */
const EVAL_CHUNK_BYTES = 64 * 2 ** 20;

const FLOAT_BYTES = 4;
/**
 * Floats kept per training row (one image of a batch), per input and per unit of every layer: measured with the
 * DNN Lab wasm kernels' heap (WasmKernels.reservedBytes) on 784-100-10, 784-1000-10 and 784-1000-1000-10 at batch
 * 4000, 5.1-7.9 thousand floats less than these give. Per unit: the product, z, a, sigma', (W)^T delta and delta
 * of the forward and backward pass, plus the sparse products' compressed copies; per input: x, its bytes and
 * its compressed forms.
 */
const TRAIN_FLOATS_PER_INPUT = 6;
const TRAIN_FLOATS_PER_UNIT = 9;
/**
 * Per evaluation row: x and its compressed forms, and each layer's product, z and a with room for their compressed
 * forms (measured 7.5k floats on 784-1000-10 at 1000 rows, 66k on 784-13000-10 at 383 rows; these give 9.8k and 70k).
 */
const EVAL_FLOATS_PER_INPUT = 6;
const EVAL_FLOATS_PER_UNIT = 5;
/** Host (JavaScript) bytes per row of a batch buffer: the pixels as bytes and as float32 (data/batch.ts). */
const HOST_BYTES_PER_INPUT = 5;

/** What the estimate looks at: the network's shape, the rows per product and the optimizer. */
export interface TrainingShape {
  /** Features per image: 784 for MNIST. */
  inputs: number;
  /** units of every layer, the output layer last. */
  units: readonly number[];
  batchSize: number;
  /** Images trained on per epoch; the last batch holds the remainder, a shape of its own. */
  trainCount: number;
  /** Images evaluated after every epoch. */
  testCount: number;
  optimizer: OptimizerSpec;
}

/** The estimate in bytes, by what takes them. */
export interface MemoryEstimate {
  /** W and b of every layer times the copies alive during an update (parameters, gradients, optimizer state, new values), and W^1 packed. */
  weights: number;
  /** Everything kept per image of a batch (inputs, z, a, delta), for the full and the last batch. */
  batches: number;
  /** The evaluation chunks. */
  evaluation: number;
  /** Batch buffers in JavaScript, and the float64 initial weights of the largest layer while they are copied in. */
  host: number;
  total: number;
}

/**
 * Copies of every parameter matrix alive at once during an optimizer step: the parameters, their gradients, the
 * optimizer's slots and the new values of both, and the temporaries of the update (model/optimizers.ts). Measured
 * as the heap's growth over the parameters' size on a 784-2000-10 net at batch 1: 4.0, 9.0, 10.0, 15.0 and 7.0.
 */
export function parameterCopies(optimizer: OptimizerSpec): number {
  switch (optimizer.type) {
    case 'sgd':
      return 4;
    case 'momentum':
      return optimizer.nesterov ? 9 : 7;
    case 'adagrad':
      return 10;
    case 'rmsprop':
      return optimizer.momentum > 0 ? 15 : 13;
    case 'adam':
      return 7;
  }
}

/** Rows per evaluation chunk: EVAL_CHUNK_ROWS, fewer for wide layers so one chunk stays within 64 MiB. */
export function evaluationRows(inputs: number, units: readonly number[], testCount: number): number {
  const perRow = FLOAT_BYTES * (EVAL_FLOATS_PER_INPUT * inputs + EVAL_FLOATS_PER_UNIT * sum(units));
  return Math.max(1, Math.min(EVAL_CHUNK_ROWS, testCount, Math.floor(EVAL_CHUNK_BYTES / perRow)));
}

/**
 * The memory training `shape` takes with DNN Lab's wasm kernels, from the sizes of the matrices they keep: pure
 * arithmetic, so configs can be refused before anything is allocated. The heap pools blocks by size, so each
 * distinct number of rows (full batch, last batch, evaluation chunk and its remainder) costs its own blocks.
 */
export function estimateTrainingMemory(shape: TrainingShape): MemoryEstimate {
  return estimate(shape, shape.trainCount % Math.min(shape.batchSize, shape.trainCount));
}

/** The estimate with a last batch of `lastBatch` rows (0: every batch is full). */
function estimate(shape: TrainingShape, lastBatch: number): MemoryEstimate {
  const { inputs, units, optimizer } = shape;
  const batch = Math.min(shape.batchSize, shape.trainCount);
  const fanIns = [inputs, ...units.slice(0, -1)];
  const parameters = sum(units.map((u, i) => u * (fanIns[i] + 1)));
  // Plus the sparse products' packed copy of W^1 when they multiply the (mostly zero) pixels by it.
  const weights = FLOAT_BYTES * (parameters * parameterCopies(optimizer) + units[0] * inputs);
  const trainRow = FLOAT_BYTES * (TRAIN_FLOATS_PER_INPUT * inputs + TRAIN_FLOATS_PER_UNIT * sum(units));
  const evalRow = FLOAT_BYTES * (EVAL_FLOATS_PER_INPUT * inputs + EVAL_FLOATS_PER_UNIT * sum(units));
  const trainRows = distinct([batch, lastBatch]);
  const chunk = evaluationRows(inputs, units, shape.testCount);
  const evalRows = distinct([chunk, shape.testCount % chunk]).filter((rows) => !trainRows.includes(rows));
  const batches = trainRow * sum(trainRows);
  const evaluation = evalRow * sum(evalRows);
  const largestLayer = Math.max(...units.map((u, i) => u * fanIns[i]));
  const host = HOST_BYTES_PER_INPUT * inputs * (batch + chunk) + 8 * largestLayer;
  return { weights, batches, evaluation, host, total: weights + batches + evaluation + host };
}

/** Which field makes a config too big for the budget, and the largest value of it that fits (0: none does). */
export type MemoryProblem =
  | { field: 'batchSize'; estimate: MemoryEstimate; largestFitting: number }
  | { field: 'units'; layer: number; estimate: MemoryEstimate; largestFitting: number };

/**
 * Whether `shape` fits `budget`, and if not, what to change: the batch size when the batches take the larger share
 * (and a batch of one image would fit), else the units of the layer holding the most weights.
 */
export function memoryProblem(shape: TrainingShape, budget = MEMORY_BUDGET_BYTES): MemoryProblem | undefined {
  const needed = estimateTrainingMemory(shape);
  if (needed.total <= budget) return undefined;
  const fits = (s: TrainingShape) => estimateTrainingMemory(s).total <= budget;
  const fanIns = [shape.inputs, ...shape.units.slice(0, -1)];
  const touching = shape.units.map((u, i) => u * fanIns[i] + (shape.units[i + 1] ?? 0) * u);
  const layer = touching.indexOf(Math.max(...touching));
  const withUnits = (u: number) => ({ ...shape, units: shape.units.map((old, i) => (i === layer ? u : old)) });
  const fewerUnits = largest(shape.units[layer] - 1, (u) => fits(withUnits(u)));
  const batchHeavy = needed.batches >= needed.weights + needed.evaluation;
  if (fits({ ...shape, batchSize: 1 }) && (batchHeavy || fewerUnits === 0)) {
    // Searched with the largest possible last batch (b - 1 rows), which grows with b, so every smaller batch fits too.
    const everyBatchFits = (b: number) =>
      estimate({ ...shape, batchSize: b }, Math.min(b - 1, shape.trainCount - b)).total <= budget;
    const largestFitting = largest(Math.min(shape.batchSize, shape.trainCount), everyBatchFits);
    return { field: 'batchSize', estimate: needed, largestFitting };
  }
  return { field: 'units', layer, estimate: needed, largestFitting: fewerUnits };
}

/** "needs about 2.3 GiB ... more than the 512 MiB ...: use ..." for the field at `path` with `value`. */
export function memoryMessage(problem: MemoryProblem, path: string, value: number): string {
  const { estimate } = problem;
  const needs = `${path} ${value} needs about ${formatBytes(estimate.total)} of memory to train`;
  const budget = `more than the ${formatBytes(MEMORY_BUDGET_BYTES)} DNN Lab trains within`;
  if (problem.field === 'batchSize') {
    return `${needs} (${formatBytes(estimate.batches)} for the inputs, z, a and delta of every layer for each image of a batch), ${budget}: use a batchSize of at most ${problem.largestFitting}`;
  }
  const fix =
    problem.largestFitting > 0
      ? `use at most ${problem.largestFitting} units here`
      : 'use fewer units here and in the other layers, or a smaller batchSize';
  return (
    `${needs} (${formatBytes(estimate.weights)} for the weights of every layer with their gradients and the optimizer's state, ` +
    `${formatBytes(estimate.batches + estimate.evaluation)} for the batches), ${budget}: ${fix}`
  );
}

/**
 * "batchSize 70000 is more than <trainSet>: ... use at most N", N being the training set's `trainCount` or, when
 * `problem` (the memory judged at a batch of the whole set) says less fits, that.
 */
export function oversizedBatchMessage(
  path: string,
  value: number,
  trainSet: string,
  trainCount: number,
  problem: MemoryProblem | undefined,
): string {
  const fits = problem?.field === 'batchSize' ? problem.largestFitting : trainCount;
  const fix =
    fits < trainCount
      ? `${fits} (the most that fits in memory)`
      : `${trainCount} (${trainCount} itself is full-batch gradient descent, one step per epoch)`;
  return `${path} ${value} is more than ${trainSet}: a batch holds each image at most once, so use at most ${fix}`;
}

/** 512 MiB, 2.3 GiB, 1.2 TiB. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value < 10 && value !== Math.floor(value) ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The largest n in 1..high with fits(n), fits being true up to some n and false after; 0 when fits(1) is false. */
function largest(high: number, fits: (n: number) => boolean): number {
  let low = 0; // fits(low) holds, or low is 0
  let top = high;
  while (low < top) {
    const mid = Math.ceil((low + top) / 2);
    if (fits(mid)) low = mid;
    else top = mid - 1;
  }
  return low;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function distinct(rows: number[]): number[] {
  return [...new Set(rows.filter((r) => r > 0))];
}
