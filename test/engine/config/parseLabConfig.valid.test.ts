import { describe, expect, it } from 'vitest';
import type { LabConfig } from '../../../src/engine/config/labConfig';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';

/** The smallest valid MNIST config: one softmax layer of ten units. */
const OUTPUT_LAYER = '{ "units": 10, "activation": "softmax" }';

/** Parses a config that must be valid and returns it. */
function valid(text: string): LabConfig {
  const { config, errors } = parseLabConfig(text);
  expect(errors).toEqual([]);
  expect(config).toBeDefined();
  return config!;
}

describe('parseLabConfig on valid configs', () => {
  it('fills every default, as Keras does, when only the layers are given', () => {
    expect(valid(`{ "layers": [${OUTPUT_LAYER}] }`)).toEqual({
      name: 'Untitled lab',
      dataset: { kind: 'mnist' },
      layers: [{ units: 10, activation: 'softmax', kernelInitializer: { type: 'glorotUniform' }, alpha: 0.3 }],
      loss: 'categoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      batchSize: 32,
      epochs: 1,
      seed: 1,
      trainSamples: 0,
      testSamples: 0,
    });
  });

  it('reads the documented example with its comments and trailing commas', () => {
    const text = `{
      "name": "Corelab 1",
      "problem": "corelab-1",
      "dataset": "mnist",            // or { "path": "<folder>" }
      "layers": [                     // one entry per Dense layer
        { "units": 256, "activation": "relu" },
        /* the output layer */
        { "units": 10, "activation": "softmax", "kernelInitializer": "glorotUniform", },
      ],
      "kernelInitializer": "heNormal",  // default for every layer
      "loss": "categoricalCrossentropy",
      "optimizer": { "type": "adam", "learningRate": 0.02 },
      "batchSize": 300,
      "epochs": 20,
      "seed": 7,
      "trainSamples": 1000,
      "testSamples": 500,
    }`;
    expect(valid(text)).toEqual({
      name: 'Corelab 1',
      problem: 'corelab-1',
      dataset: { kind: 'mnist' },
      layers: [
        { units: 256, activation: 'relu', kernelInitializer: { type: 'heNormal' }, alpha: 0.3 },
        { units: 10, activation: 'softmax', kernelInitializer: { type: 'glorotUniform' }, alpha: 0.3 },
      ],
      loss: 'categoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      batchSize: 300,
      epochs: 20,
      seed: 7,
      trainSamples: 1000,
      testSamples: 500,
    });
  });

  it('leaves problem out when it is not given', () => {
    expect(valid(`{ "layers": [${OUTPUT_LAYER}] }`)).not.toHaveProperty('problem');
  });

  it.each([
    ['"sgd"', { type: 'sgd', learningRate: 0.01 }],
    ['"momentum"', { type: 'momentum', learningRate: 0.01, momentum: 0.9, nesterov: false }],
    ['"adagrad"', { type: 'adagrad', learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 }],
    ['"rmsprop"', { type: 'rmsprop', learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7 }],
    ['"adam"', { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
    ['{ "type": "sgd" }', { type: 'sgd', learningRate: 0.01 }],
    ['{ "type": "sgd", "learningRate": 0.5 }', { type: 'sgd', learningRate: 0.5 }],
    [
      '{ "type": "momentum", "momentum": 0.5, "nesterov": true }',
      { type: 'momentum', learningRate: 0.01, momentum: 0.5, nesterov: true },
    ],
    [
      '{ "type": "adagrad", "initialAccumulatorValue": 0 }',
      { type: 'adagrad', learningRate: 0.001, initialAccumulatorValue: 0, epsilon: 1e-7 },
    ],
    [
      '{ "type": "rmsprop", "rho": 0, "momentum": 0.2, "epsilon": 1e-3 }',
      { type: 'rmsprop', learningRate: 0.001, rho: 0, momentum: 0.2, epsilon: 1e-3 },
    ],
    [
      '{ "type": "adam", "beta1": 0.8, "beta2": 0.99 }',
      { type: 'adam', learningRate: 0.001, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 },
    ],
  ])('optimizer %s gives %j (Keras defaults for what is left out)', (optimizer, expected) => {
    expect(valid(`{ "layers": [${OUTPUT_LAYER}], "optimizer": ${optimizer} }`).optimizer).toEqual(expected);
  });

  it.each([
    ['"heNormal"', { type: 'heNormal' }],
    ['"zeros"', { type: 'zeros' }],
    ['"randomNormal"', { type: 'randomNormal', stddev: 0.05 }],
    ['"randomUniform"', { type: 'randomUniform', limit: 0.05 }],
    ['{ "type": "lecunNormal" }', { type: 'lecunNormal' }],
    ['{ "type": "randomNormal", "stddev": 0.2 }', { type: 'randomNormal', stddev: 0.2 }],
    ['{ "type": "randomUniform", "limit": 0.1 }', { type: 'randomUniform', limit: 0.1 }],
  ])('kernelInitializer %s gives %j on every layer', (initializer, expected) => {
    const config = valid(
      `{ "layers": [{ "units": 4, "activation": "relu" }, ${OUTPUT_LAYER}], "kernelInitializer": ${initializer} }`,
    );
    expect(config.layers.map((layer) => layer.kernelInitializer)).toEqual([expected, expected]);
  });

  it("lets a layer's kernelInitializer override the top-level one", () => {
    const config = valid(`{
      "kernelInitializer": "heUniform",
      "layers": [
        { "units": 4, "activation": "relu", "kernelInitializer": { "type": "randomNormal", "stddev": 0.01 } },
        { "units": 4, "activation": "relu" },
        { "units": 10, "activation": "softmax", "kernelInitializer": "glorotNormal" }
      ]
    }`);
    expect(config.layers.map((layer) => layer.kernelInitializer)).toEqual([
      { type: 'randomNormal', stddev: 0.01 },
      { type: 'heUniform' },
      { type: 'glorotNormal' },
    ]);
  });

  it.each([
    ['leakyRelu without alpha', '{ "units": 4, "activation": "leakyRelu" }', 0.3],
    ['leakyRelu with alpha 0.01', '{ "units": 4, "activation": "leakyRelu", "alpha": 0.01 }', 0.01],
    ['tanh', '{ "units": 4, "activation": "tanh" }', 0.3],
  ])('a %s hidden layer has alpha %d', (_, layer, alpha) => {
    expect(valid(`{ "layers": [${layer}, ${OUTPUT_LAYER}] }`).layers[0].alpha).toBe(alpha);
  });

  it.each(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'])('allows %s on hidden layers', (activation) => {
    expect(
      valid(`{ "layers": [{ "units": 3, "activation": "${activation}" }, ${OUTPUT_LAYER}] }`).layers[0].activation,
    ).toBe(activation);
  });

  it.each([
    ['categoricalCrossentropy', 'softmax'],
    ['categoricalCrossentropy', 'sigmoid'],
    ['meanSquaredError', 'sigmoid'],
    ['meanSquaredError', 'linear'],
    ['meanSquaredError', 'relu'],
    ['meanSquaredError', 'softmax'],
  ])('accepts loss %s with a %s output layer', (loss, activation) => {
    const config = valid(`{ "loss": "${loss}", "layers": [{ "units": 10, "activation": "${activation}" }] }`);
    expect([config.loss, config.layers[0].activation]).toEqual([loss, activation]);
  });

  it('reads a dataset folder, and then does not require 10 output units', () => {
    const config = valid(
      `{ "dataset": { "path": "../data/fashion" }, "layers": [{ "units": 3, "activation": "softmax" }] }`,
    );
    expect(config.dataset).toEqual({ kind: 'path', path: '../data/fashion' });
    expect(config.layers[0].units).toBe(3);
  });

  it('lets 100000 units, the widest its rule allows, through to the memory limit, which refuses them on MNIST (limits.test.ts)', () => {
    const { errors } = parseLabConfig(`{ "layers": [{ "units": 100000, "activation": "relu" }, ${OUTPUT_LAYER}] }`);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^layers\[0\]\.units 100000 needs about [\d.]+ GiB of memory to train/),
    ]);
  });

  it.each([
    ['epochs', 10000],
    ['seed', 4294967296],
    ['batchSize', 1],
    ['seed', 0],
    ['trainSamples', 0],
    ['testSamples', 0],
  ] as const)('accepts %s %d, at its bound', (field, value) => {
    expect(valid(`{ "layers": [${OUTPUT_LAYER}], "${field}": ${value} }`)[field]).toBe(value);
  });

  it('reads a file with Windows line endings and non-ASCII text', () => {
    expect(valid(`{\r\n  "name": "Ünïcode lab",\r\n  "layers": [${OUTPUT_LAYER}]\r\n}\r\n`).name).toBe('Ünïcode lab');
  });
});
