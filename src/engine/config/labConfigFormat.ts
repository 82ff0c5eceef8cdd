import type { OptimizerSpec, OptimizerType } from './labConfig';

// What the `*.dnn.json` text may contain. The parser reads these lists and the JSON Schema must match
// them (test/engine/config/schema.test.ts), so hover docs and validation cannot drift apart.

/** The top-level keys of a lab config. */
export const CONFIG_KEYS = [
  'name',
  'problem',
  'dataset',
  'layers',
  'kernelInitializer',
  'loss',
  'optimizer',
  'batchSize',
  'epochs',
  'seed',
  'trainSamples',
  'testSamples',
  'sweep',
] as const;

/** The keys of `sweep`: the config fields a comparison may vary, one run per combination of their values. */
export const SWEEP_KEYS = ['batchSize', 'learningRate', 'kernelInitializer', 'activation', 'epochs', 'seed'] as const;

/** The most runs one sweep may make; more would keep a 2-core laptop busy for days. */
export const MAX_SWEEP_RUNS = 64;

/** The keys of one entry of `layers`. */
export const LAYER_KEYS = ['units', 'activation', 'kernelInitializer', 'alpha'] as const;

/** The keys of the object form of `kernelInitializer`. */
export const INITIALIZER_KEYS = ['type', 'stddev', 'limit'] as const;

/** The keys of the object form of `dataset`. */
export const DATASET_KEYS = ['path'] as const;

/** Keras's defaults for each optimizer; the keys are exactly the parameters that optimizer accepts. */
export const OPTIMIZER_DEFAULTS: { readonly [T in OptimizerType]: Omit<Extract<OptimizerSpec, { type: T }>, 'type'> } =
  {
    sgd: { learningRate: 0.01 },
    momentum: { learningRate: 0.01, momentum: 0.9, nesterov: false },
    adagrad: { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
    rmsprop: { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7 },
    adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  };

/** The keys of the object form of `optimizer`, across all types; which parameters fit depends on `type`. */
export const OPTIMIZER_KEYS: readonly string[] = [
  'type',
  ...new Set(Object.values(OPTIMIZER_DEFAULTS).flatMap((defaults) => Object.keys(defaults))),
];

/** Defaults of the optional top-level fields, written as a student would write them (Keras's where Keras has one). */
export const CONFIG_DEFAULTS = {
  name: 'Untitled lab',
  dataset: 'mnist',
  kernelInitializer: 'glorotUniform',
  loss: 'categoricalCrossentropy',
  optimizer: 'adam',
  batchSize: 32,
  epochs: 1,
  seed: 1,
  trainSamples: 0,
  testSamples: 0,
} as const satisfies Partial<Record<(typeof CONFIG_KEYS)[number], unknown>>;

/** leakyRelu's slope for z < 0 when a layer gives no `alpha` (Keras LeakyReLU). */
export const DEFAULT_ALPHA = 0.3;

/** randomNormal's `stddev` and randomUniform's `limit` when not given (Keras). */
export const INITIALIZER_DEFAULTS = { stddev: 0.05, limit: 0.05 } as const;

/** The widest layer accepted: wider ones take minutes per epoch and hundreds of megabytes here. */
export const MAX_UNITS = 100_000;

/** The most epochs accepted; more is almost always a typo (and would run for days). */
export const MAX_EPOCHS = 10_000;

/** MNIST's classes, the digits 0-9: the output layer's width when training on it. */
export const MNIST_CLASSES = 10;

/** MNIST's training and test images and the pixels of each (28 x 28), for the limits checked before a run. */
export const MNIST_SIZES = { train: 60_000, test: 10_000, pixels: 784 } as const;
