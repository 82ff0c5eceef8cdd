import type { Activation, LabConfig, LayerSpec, LossName } from '../../src/engine/config/labConfig';
import { seededRandom } from '../../src/engine/model/random';

/** A layer with the defaults the config parser would fill in. */
export function layer(units: number, activation: Activation, alpha = 0.3): LayerSpec {
  return { units, activation, alpha, kernelInitializer: { type: 'glorotUniform' } };
}

/** A complete config for tests, MNIST-shaped unless layers say otherwise. */
export function labConfig(overrides: Partial<LabConfig> = {}): LabConfig {
  return {
    name: 'test',
    dataset: { kind: 'mnist' },
    layers: [layer(32, 'relu'), layer(10, 'softmax')],
    loss: 'categoricalCrossentropy' as LossName,
    optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    batchSize: 32,
    epochs: 1,
    seed: 1,
    trainSamples: 0,
    testSamples: 0,
    ...overrides,
  };
}

/** Seeded uniform values in [-scale, scale). */
export function randomValues(count: number, seed: number, scale = 1): Float64Array {
  const random = seededRandom(seed, 7);
  return Float64Array.from({ length: count }, () => (2 * random.next() - 1) * scale);
}

/** Seeded one-hot rows. */
export function oneHotRows(rows: number, classes: number, seed: number): Float64Array {
  const random = seededRandom(seed, 8);
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) out[r * classes + Math.floor(random.next() * classes)] = 1;
  return out;
}
