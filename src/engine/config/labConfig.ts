/** The lab config a student edits (`*.dnn.json`), after parsing and validation. Names follow Keras/tfjs. */

/** Activations a Dense layer may use. */
export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'softmax'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** Activations applied unit by unit, so sigma'(z) is a vector: every one but softmax (output layer only). */
export type ElementwiseActivation = Exclude<Activation, 'softmax'>;

/** Kernel (weight) initializers, as in Keras. */
export const INITIALIZERS = [
  'zeros',
  'randomNormal',
  'randomUniform',
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'lecunNormal',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

/** An initializer with its optional parameter: `stddev` for randomNormal, `limit` for randomUniform. */
export interface InitializerSpec {
  type: InitializerName;
  /** Standard deviation of randomNormal (default 0.05, as Keras). */
  stddev?: number;
  /** randomUniform draws from [-limit, limit] (default 0.05, as Keras). */
  limit?: number;
}

/** Losses the output layer may be trained with. */
export const LOSSES = ['categoricalCrossentropy', 'meanSquaredError'] as const;
export type LossName = (typeof LOSSES)[number];

/** Optimizers with their usual parameters (Keras defaults apply to anything omitted). */
export type OptimizerSpec =
  | { type: 'sgd'; learningRate: number }
  | { type: 'momentum'; learningRate: number; momentum: number; nesterov: boolean }
  | { type: 'adagrad'; learningRate: number; initialAccumulatorValue: number; epsilon: number }
  | { type: 'rmsprop'; learningRate: number; rho: number; momentum: number; epsilon: number }
  | { type: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number };
export type OptimizerType = OptimizerSpec['type'];
export const OPTIMIZERS: readonly OptimizerType[] = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'];

/** One Dense layer; the last one in `layers` is the output layer. */
export interface LayerSpec {
  units: number;
  activation: Activation;
  kernelInitializer: InitializerSpec;
  /** Slope for x < 0 when activation is leakyRelu (default 0.3, as Keras). */
  alpha: number;
}

/** Where the data comes from: the named built-in dataset, or a folder with the four IDX files. */
export type DatasetSpec = { kind: 'mnist' } | { kind: 'path'; path: string };

/**
 * The values a comparison runs, in the order written: every combination becomes one run. `learningRate` is the
 * optimizer's, `kernelInitializer` replaces every layer's, `activation` every hidden layer's.
 */
export interface SweepSpec {
  batchSize?: number[];
  learningRate?: number[];
  kernelInitializer?: InitializerSpec[];
  activation?: ElementwiseActivation[];
  epochs?: number[];
  seed?: number[];
}
/** A key of `sweep`. */
export type SweepKey = keyof SweepSpec;

/** A validated lab config with every default filled in. */
export interface LabConfig {
  name: string;
  dataset: DatasetSpec;
  layers: LayerSpec[];
  loss: LossName;
  optimizer: OptimizerSpec;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Train on only the first N training samples (0 = all); labs use it to make a net overfit. */
  trainSamples: number;
  /** Evaluate on only the first N test samples (0 = all). */
  testSamples: number;
  /** Corelab problem this config answers, e.g. "corelab-1", if any. */
  problem?: string;
  /** Values to compare, one run per combination (see expandSweep); absent for a single run. */
  sweep?: SweepSpec;
}
