import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { marked, textAt } from './markedText';

/** A hidden layer and the MNIST output layer, for cases about other fields. */
const LAYERS = '"layers": [{ "units": 8, "activation": "relu" }, { "units": 10, "activation": "softmax" }]';
const ACTIVATIONS = 'sigmoid, tanh, relu, leakyRelu, linear, softmax';
const INITIALIZERS =
  'zeros, randomNormal, randomUniform, glorotNormal, glorotUniform, heNormal, heUniform, lecunNormal';
const OPTIMIZERS = 'sgd, momentum, adagrad, rmsprop, adam';
const ROOT_KEYS =
  'name, problem, dataset, layers, kernelInitializer, loss, optimizer, batchSize, epochs, seed, trainSamples, testSamples, sweep';

type Case = [title: string, source: string, path: string, message: string];

/** Table rows as objects, so test titles can name the case and the path without the whole source. */
function cases(rows: Case[]): { title: string; source: string; path: string; message: string }[] {
  return rows.map(([title, source, path, message]) => ({ title, source, path, message }));
}

/** Asserts that `source` (its «range» marked) gives exactly one error, at that range, with that path and message. */
function expectOneError(source: string, path: string, message: string): void {
  const { text, range } = marked(source);
  const { config, errors } = parseLabConfig(text);
  expect(errors).toEqual([{ path, message, range }]);
  expect(config).toBeUndefined();
}

describe('parseLabConfig errors in layers', () => {
  it.each(
    cases([
      [
        'units 10.9',
        '{ "layers": [{ "units": «10.9», "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units must be a positive integer, got 10.9',
      ],
      [
        'units 0',
        '{ "layers": [{ "units": «0», "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units must be a positive integer, got 0',
      ],
      [
        'units -3',
        '{ "layers": [{ "units": «-3», "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units must be a positive integer, got -3',
      ],
      [
        'units 250000',
        '{ "layers": [{ "units": «250000», "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units must be at most 100000, got 250000',
      ],
      [
        'units "128"',
        '{ "layers": [{ "units": «"128"», "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units must be a positive integer, got "128" (remove the quotes)',
      ],
      [
        'units 1e400',
        '{ "layers": [{ "units": «1e400», "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units must be a positive integer, got 1e400',
      ],
      [
        'units null',
        '{ "layers": [{ "units": «null», "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units must be a positive integer, got null',
      ],
      [
        'units missing',
        '{ "layers": [«{» "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units is required: the number of neurons, e.g. "units": 128',
      ],
      [
        'activation "Relu"',
        '{ "layers": [{ "units": 8, "activation": «"Relu"» }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].activation',
        `layers[0].activation must be one of ${ACTIVATIONS}, got "Relu" (did you mean "relu"?)`,
      ],
      [
        'activation "leaky_relu"',
        '{ "layers": [{ "units": 8, "activation": «"leaky_relu"» }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].activation',
        `layers[0].activation must be one of ${ACTIVATIONS}, got "leaky_relu" (did you mean "leakyRelu"?)`,
      ],
      [
        'activation "swish"',
        '{ "layers": [{ "units": 8, "activation": «"swish"» }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].activation',
        `layers[0].activation must be one of ${ACTIVATIONS}, got "swish"`,
      ],
      [
        'activation 1',
        '{ "layers": [{ "units": 8, "activation": «1» }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].activation',
        `layers[0].activation must be one of ${ACTIVATIONS}, got 1`,
      ],
      [
        'activation missing',
        '{ "layers": [«{» "units": 8 }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].activation',
        `layers[0].activation is required: one of ${ACTIVATIONS}`,
      ],
      [
        'softmax on a hidden layer',
        '{ "layers": [{ "units": 8, "activation": «"softmax"» }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].activation',
        `layers[0].activation must not be "softmax" on a hidden layer: backprop's delta^l = sigma'(z^l) ⊙ (W^(l+1))^T delta^(l+1) needs a sigma applied to each unit on its own, and softmax mixes all units of its layer; softmax is allowed only on the last (output) layer. Use "relu" here`,
      ],
      [
        'alpha on relu',
        '{ "layers": [{ "units": 8, "activation": "relu", «"alpha"»: 0.1 }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].alpha',
        `layers[0].alpha only applies to leakyRelu (it is the slope for z < 0), but this layer's activation is relu: remove alpha, or use "activation": "leakyRelu"`,
      ],
      [
        'alpha 0 on leakyRelu',
        '{ "layers": [{ "units": 8, "activation": "leakyRelu", "alpha": «0» }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].alpha',
        'layers[0].alpha must be a positive number, got 0',
      ],
      [
        'alpha "0.1" on leakyRelu',
        '{ "layers": [{ "units": 8, "activation": "leakyRelu", "alpha": «"0.1"» }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].alpha',
        'layers[0].alpha must be a positive number, got "0.1" (remove the quotes)',
      ],
      [
        'unknown key "activaton"',
        '{ "layers": [{ "units": 8, «"activaton"»: "relu", "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].activaton',
        'layers[0].activaton is not a known property (did you mean "activation"?)',
      ],
      [
        'unknown key "dropout"',
        '{ "layers": [{ "units": 8, "activation": "relu", «"dropout"»: 0.5 }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].dropout',
        'layers[0].dropout is not a known property; allowed here: units, activation, kernelInitializer, alpha',
      ],
      [
        'units written twice',
        '{ "layers": [{ "units": 8, «"units"»: 9, "activation": "relu" }, { "units": 10, "activation": "softmax" }] }',
        'layers[0].units',
        'layers[0].units is written twice; keep only one',
      ],
      [
        'layer that is a number',
        '{ "layers": [«128», { "units": 10, "activation": "softmax" }] }',
        'layers[0]',
        'layers[0] must be an object such as { "units": 128, "activation": "relu" }, got 128',
      ],
      [
        'MNIST output layer of 20 units',
        '{ "layers": [{ "units": 8, "activation": "relu" }, { "units": «20», "activation": "softmax" }] }',
        'layers[1].units',
        'layers[1].units must be 10 on the output layer, one per class, because MNIST has 10 classes (the digits 0-9); got 20',
      ],
      [
        'categoricalCrossentropy with a relu output',
        '{ "layers": [{ "units": 8, "activation": "relu" }, { "units": 10, "activation": «"relu"» }] }',
        'layers[1].activation',
        'layers[1].activation must be "softmax" or "sigmoid" on the output layer with the loss categoricalCrossentropy, got "relu": the loss takes ln of every output, which needs outputs between 0 and 1. Use "activation": "softmax", or "loss": "meanSquaredError"',
      ],
      [
        'categoricalCrossentropy, written, with a linear output',
        '{ "loss": "categoricalCrossentropy", "layers": [{ "units": 10, "activation": «"linear"» }] }',
        'layers[0].activation',
        'layers[0].activation must be "softmax" or "sigmoid" on the output layer with the loss categoricalCrossentropy, got "linear": the loss takes ln of every output, which needs outputs between 0 and 1. Use "activation": "softmax", or "loss": "meanSquaredError"',
      ],
      [
        'layers missing',
        '«{» "epochs": 2 }',
        'layers',
        'layers is required: the Dense layers in order, the last one being the output layer, e.g. "layers": [{ "units": 10, "activation": "softmax" }]',
      ],
      [
        'layers empty',
        '{ "layers": «[]» }',
        'layers',
        'layers must be an array of at least one layer, the last being the output layer, got an empty array []',
      ],
      [
        'layers an object',
        '{ "layers": «{ "units": 10 }» }',
        'layers',
        'layers must be an array of layers such as [{ "units": 10, "activation": "softmax" }], got an object',
      ],
    ]),
  )('$title -> error at $path', ({ source, path, message }) => expectOneError(source, path, message));
});

describe('parseLabConfig errors in kernelInitializer', () => {
  it.each(
    cases([
      [
        '"he_normal"',
        `{ ${LAYERS}, "kernelInitializer": «"he_normal"» }`,
        'kernelInitializer',
        `kernelInitializer must be one of ${INITIALIZERS}, got "he_normal" (did you mean "heNormal"?)`,
      ],
      [
        '"xavier"',
        `{ ${LAYERS}, "kernelInitializer": «"xavier"» }`,
        'kernelInitializer',
        `kernelInitializer must be one of ${INITIALIZERS}, got "xavier"`,
      ],
      [
        '5',
        `{ ${LAYERS}, "kernelInitializer": «5» }`,
        'kernelInitializer',
        `kernelInitializer must be an initializer name (one of ${INITIALIZERS}) or an object such as { "type": "randomNormal", "stddev": 0.05 }, got 5`,
      ],
      [
        'without type',
        `{ ${LAYERS}, "kernelInitializer": «{» "stddev": 0.1 } }`,
        'kernelInitializer.type',
        `kernelInitializer.type is required: one of ${INITIALIZERS}`,
      ],
      [
        'stddev on heNormal',
        `{ ${LAYERS}, "kernelInitializer": { "type": "heNormal", «"stddev"»: 0.1 } }`,
        'kernelInitializer.stddev',
        'kernelInitializer.stddev only applies to randomNormal, not heNormal: remove it, or use "type": "randomNormal"',
      ],
      [
        'limit on randomNormal',
        `{ ${LAYERS}, "kernelInitializer": { "type": "randomNormal", «"limit"»: 0.1 } }`,
        'kernelInitializer.limit',
        'kernelInitializer.limit only applies to randomUniform, not randomNormal: remove it, or use "type": "randomUniform"',
      ],
      [
        'stddev 0',
        `{ ${LAYERS}, "kernelInitializer": { "type": "randomNormal", "stddev": «0» } }`,
        'kernelInitializer.stddev',
        'kernelInitializer.stddev must be a positive number, got 0',
      ],
      [
        'limit -1',
        `{ ${LAYERS}, "kernelInitializer": { "type": "randomUniform", "limit": «-1» } }`,
        'kernelInitializer.limit',
        'kernelInitializer.limit must be a positive number, got -1',
      ],
      [
        '"stdev" typo',
        `{ ${LAYERS}, "kernelInitializer": { "type": "randomNormal", «"stdev"»: 0.1 } }`,
        'kernelInitializer.stdev',
        'kernelInitializer.stdev is not a known property (did you mean "stddev"?)',
      ],
      [
        'on a layer, type "Zeros"',
        '{ "layers": [{ "units": 10, "activation": "softmax", "kernelInitializer": { "type": «"Zeros"» } }] }',
        'layers[0].kernelInitializer.type',
        `layers[0].kernelInitializer.type must be one of ${INITIALIZERS}, got "Zeros" (did you mean "zeros"?)`,
      ],
    ]),
  )('$title -> error at $path', ({ source, path, message }) => expectOneError(source, path, message));
});

describe('parseLabConfig errors in optimizer', () => {
  it.each(
    cases([
      [
        '"Adam"',
        `{ ${LAYERS}, "optimizer": «"Adam"» }`,
        'optimizer',
        `optimizer must be one of ${OPTIMIZERS}, got "Adam" (did you mean "adam"?)`,
      ],
      [
        '"nadam"',
        `{ ${LAYERS}, "optimizer": «"nadam"» }`,
        'optimizer',
        `optimizer must be one of ${OPTIMIZERS}, got "nadam" (did you mean "adam"?)`,
      ],
      [
        '0.01',
        `{ ${LAYERS}, "optimizer": «0.01» }`,
        'optimizer',
        `optimizer must be an optimizer name (one of ${OPTIMIZERS}) or an object such as { "type": "adam", "learningRate": 0.001 }, got 0.01`,
      ],
      [
        'without type',
        `{ ${LAYERS}, "optimizer": «{» "learningRate": 0.1 } }`,
        'optimizer.type',
        `optimizer.type is required: one of ${OPTIMIZERS}`,
      ],
      [
        '"learningrate" typo',
        `{ ${LAYERS}, "optimizer": { "type": "sgd", «"learningrate"»: 0.1 } }`,
        'optimizer.learningrate',
        'optimizer.learningrate is not a known property (did you mean "learningRate"?)',
      ],
      [
        '"lr"',
        `{ ${LAYERS}, "optimizer": { "type": "sgd", «"lr"»: 0.1 } }`,
        'optimizer.lr',
        'optimizer.lr is not a known property; allowed here: type, learningRate, momentum, nesterov, initialAccumulatorValue, epsilon, rho, beta1, beta2',
      ],
      [
        'beta1 on sgd',
        `{ ${LAYERS}, "optimizer": { "type": "sgd", «"beta1"»: 0.9 } }`,
        'optimizer.beta1',
        'optimizer.beta1 does not apply to sgd (it is a parameter of adam); sgd takes learningRate',
      ],
      [
        'momentum on adam',
        `{ ${LAYERS}, "optimizer": { "type": "adam", «"momentum"»: 0.9 } }`,
        'optimizer.momentum',
        'optimizer.momentum does not apply to adam (it is a parameter of momentum, rmsprop); adam takes learningRate, beta1, beta2, epsilon',
      ],
      [
        'learningRate 0',
        `{ ${LAYERS}, "optimizer": { "type": "sgd", "learningRate": «0» } }`,
        'optimizer.learningRate',
        'optimizer.learningRate must be a positive number, got 0',
      ],
      [
        'learningRate "0.01"',
        `{ ${LAYERS}, "optimizer": { "type": "sgd", "learningRate": «"0.01"» } }`,
        'optimizer.learningRate',
        'optimizer.learningRate must be a positive number, got "0.01" (remove the quotes)',
      ],
      [
        'beta2 1',
        `{ ${LAYERS}, "optimizer": { "type": "adam", "beta2": «1» } }`,
        'optimizer.beta2',
        'optimizer.beta2 must be a number at least 0 and less than 1, got 1',
      ],
      [
        'rho -0.1',
        `{ ${LAYERS}, "optimizer": { "type": "rmsprop", "rho": «-0.1» } }`,
        'optimizer.rho',
        'optimizer.rho must be a number at least 0 and less than 1, got -0.1',
      ],
      [
        'momentum 1.5',
        `{ ${LAYERS}, "optimizer": { "type": "momentum", "momentum": «1.5» } }`,
        'optimizer.momentum',
        'optimizer.momentum must be a number at least 0 and less than 1, got 1.5',
      ],
      [
        'epsilon 0',
        `{ ${LAYERS}, "optimizer": { "type": "adagrad", "epsilon": «0» } }`,
        'optimizer.epsilon',
        'optimizer.epsilon must be a positive number, got 0',
      ],
      [
        'initialAccumulatorValue -1',
        `{ ${LAYERS}, "optimizer": { "type": "adagrad", "initialAccumulatorValue": «-1» } }`,
        'optimizer.initialAccumulatorValue',
        'optimizer.initialAccumulatorValue must be a number of 0 or more, got -1',
      ],
      [
        'nesterov "true"',
        `{ ${LAYERS}, "optimizer": { "type": "momentum", "nesterov": «"true"» } }`,
        'optimizer.nesterov',
        'optimizer.nesterov must be true or false, got "true" (remove the quotes)',
      ],
      [
        'nesterov 1',
        `{ ${LAYERS}, "optimizer": { "type": "momentum", "nesterov": «1» } }`,
        'optimizer.nesterov',
        'optimizer.nesterov must be true or false, got 1',
      ],
      [
        'learningRate at the top level',
        `{ ${LAYERS}, «"learningRate"»: 0.02 }`,
        'learningRate',
        'learningRate is not a known property here; it goes inside optimizer: "optimizer": { "type": "adam", "learningRate": 0.02 }',
      ],
      [
        'rho at the top level',
        `{ ${LAYERS}, «"rho"»: 0.8 }`,
        'rho',
        'rho is not a known property here; it goes inside optimizer: "optimizer": { "type": "rmsprop", "rho": 0.8 }',
      ],
    ]),
  )('$title -> error at $path', ({ source, path, message }) => expectOneError(source, path, message));
});

describe('parseLabConfig errors in the other fields', () => {
  it.each(
    cases([
      ['name 3', `{ ${LAYERS}, "name": «3» }`, 'name', 'name must be a string in double quotes, got 3'],
      [
        'problem false',
        `{ ${LAYERS}, "problem": «false» }`,
        'problem',
        'problem must be a string in double quotes, got false',
      ],
      [
        'dataset "MNIST"',
        `{ ${LAYERS}, "dataset": «"MNIST"» }`,
        'dataset',
        'dataset must be "mnist" or an object { "path": "<folder with the four MNIST IDX files>" }, got "MNIST" (did you mean "mnist"?)',
      ],
      [
        'dataset "cifar10"',
        `{ ${LAYERS}, "dataset": «"cifar10"» }`,
        'dataset',
        'dataset must be "mnist" or an object { "path": "<folder with the four MNIST IDX files>" }, got "cifar10"',
      ],
      [
        'dataset []',
        `{ ${LAYERS}, "dataset": «[]» }`,
        'dataset',
        'dataset must be "mnist" or an object { "path": "<folder with the four MNIST IDX files>" }, got an empty array []',
      ],
      [
        'dataset without path',
        `{ ${LAYERS}, "dataset": «{» } }`,
        'dataset.path',
        'dataset.path is required: the folder with the four IDX files (training and test images and labels, .gz or raw)',
      ],
      [
        'dataset path "  "',
        `{ ${LAYERS}, "dataset": { "path": «"  "» } }`,
        'dataset.path',
        'dataset.path must be a non-empty string, got "  "',
      ],
      [
        'dataset path 3',
        `{ ${LAYERS}, "dataset": { "path": «3» } }`,
        'dataset.path',
        'dataset.path must be a string in double quotes, got 3',
      ],
      [
        'loss "mse"',
        `{ ${LAYERS}, "loss": «"mse"» }`,
        'loss',
        'loss must be one of categoricalCrossentropy, meanSquaredError, got "mse"',
      ],
      [
        'loss "categorical_crossentropy"',
        `{ ${LAYERS}, "loss": «"categorical_crossentropy"» }`,
        'loss',
        'loss must be one of categoricalCrossentropy, meanSquaredError, got "categorical_crossentropy" (did you mean "categoricalCrossentropy"?)',
      ],
      ['batchSize 0', `{ ${LAYERS}, "batchSize": «0» }`, 'batchSize', 'batchSize must be a positive integer, got 0'],
      [
        'batchSize 32.5',
        `{ ${LAYERS}, "batchSize": «32.5» }`,
        'batchSize',
        'batchSize must be a positive integer, got 32.5',
      ],
      ['epochs 0', `{ ${LAYERS}, "epochs": «0» }`, 'epochs', 'epochs must be a positive integer, got 0'],
      ['epochs 20000', `{ ${LAYERS}, "epochs": «20000» }`, 'epochs', 'epochs must be at most 10000, got 20000'],
      [
        'epochs "5"',
        `{ ${LAYERS}, "epochs": «"5"» }`,
        'epochs',
        'epochs must be a positive integer, got "5" (remove the quotes)',
      ],
      ['seed -1', `{ ${LAYERS}, "seed": «-1» }`, 'seed', 'seed must be a non-negative integer (0 or more), got -1'],
      ['seed 1.5', `{ ${LAYERS}, "seed": «1.5» }`, 'seed', 'seed must be a non-negative integer (0 or more), got 1.5'],
      ['seed 1e20', `{ ${LAYERS}, "seed": «1e20» }`, 'seed', 'seed must be at most 9007199254740991, got 1e20'],
      [
        'trainSamples -5',
        `{ ${LAYERS}, "trainSamples": «-5» }`,
        'trainSamples',
        'trainSamples must be a non-negative integer (0 or more), got -5',
      ],
      [
        'testSamples "all"',
        `{ ${LAYERS}, "testSamples": «"all"» }`,
        'testSamples',
        'testSamples must be a non-negative integer (0 or more), got "all"',
      ],
      [
        'unknown key "epoch"',
        `{ ${LAYERS}, «"epoch"»: 3 }`,
        'epoch',
        'epoch is not a known property (did you mean "epochs"?)',
      ],
      [
        'unknown key "batch_size"',
        `{ ${LAYERS}, «"batch_size"»: 3 }`,
        'batch_size',
        'batch_size is not a known property (did you mean "batchSize"?)',
      ],
      [
        'unknown key "verbose"',
        `{ ${LAYERS}, «"verbose"»: true }`,
        'verbose',
        `verbose is not a known property; allowed here: ${ROOT_KEYS}`,
      ],
      [
        'unknown key "my key"',
        `{ ${LAYERS}, «"my key"»: 1 }`,
        '["my key"]',
        `["my key"] is not a known property; allowed here: ${ROOT_KEYS}`,
      ],
      [
        'epochs written twice',
        `{ ${LAYERS}, "epochs": 2, «"epochs"»: 3 }`,
        'epochs',
        'epochs is written twice; keep only one',
      ],
      [
        'a long string',
        `{ ${LAYERS}, "seed": «"${'x'.repeat(60)}"» }`,
        'seed',
        `seed must be a non-negative integer (0 or more), got "${'x'.repeat(36)}...`,
      ],
      ['a root array', '«[1, 2]»', '', 'the config must be a JSON object such as { "layers": [...] }, got an array'],
      ['a root string', '«"mnist"»', '', 'the config must be a JSON object such as { "layers": [...] }, got "mnist"'],
    ]),
  )('$title -> error at $path', ({ source, path, message }) => expectOneError(source, path, message));
});

describe('parseLabConfig reports every error at once', () => {
  it('lists all errors of a config, in text order, each at its own range', () => {
    const text = `{
      "name": 3,
      "layers": [
        { "units": 10.9, "activation": "Relu" },
        { "units": 8, "activation": "softmax", "alpha": 0.1 },
        { "units": 20, "activation": "relu" }
      ],
      "optimizer": { "type": "sgd", "learningrate": 0.1, "beta1": 0.9 },
      "epochs": 0,
      "foo": 1
    }`;
    const { config, errors } = parseLabConfig(text);
    expect(config).toBeUndefined();
    expect(errors.map((error) => [error.path, textAt(text, error.range)])).toEqual([
      ['name', '3'],
      ['layers[0].units', '10.9'],
      ['layers[0].activation', '"Relu"'],
      ['layers[1].activation', '"softmax"'],
      ['layers[1].alpha', '"alpha"'],
      ['layers[2].units', '20'],
      ['layers[2].activation', '"relu"'],
      ['optimizer.learningrate', '"learningrate"'],
      ['optimizer.beta1', '"beta1"'],
      ['epochs', '0'],
      ['foo', '"foo"'],
    ]);
  });

  it('reports a missing key and an unknown one in the same object', () => {
    const text = `{ ${LAYERS}, "dataset": { "folder": "data" } }`;
    const { errors } = parseLabConfig(text);
    expect(errors.map((error) => [error.path, textAt(text, error.range)])).toEqual([
      ['dataset.path', '{'],
      ['dataset.folder', '"folder"'],
    ]);
  });

  it('does not judge the output layer against a dataset or loss that is itself wrong', () => {
    // With dataset and loss unreadable, 3 relu units on the output are not reported a second time.
    const text = '{ "dataset": "mnits", "loss": "mse", "layers": [{ "units": 3, "activation": "relu" }] }';
    expect(parseLabConfig(text).errors.map((error) => error.path)).toEqual(['dataset', 'loss']);
  });

  it('checks alpha and initializer parameters on their own when the activation or type is wrong', () => {
    const text = `{ "layers": [{ "units": 10, "activation": "softmaxx", "alpha": -1, "kernelInitializer": { "type": "gauss", "stddev": 0 } }] }`;
    expect(parseLabConfig(text).errors.map((error) => [error.path, textAt(text, error.range)])).toEqual([
      ['layers[0].activation', '"softmaxx"'],
      ['layers[0].alpha', '-1'],
      ['layers[0].kernelInitializer.type', '"gauss"'],
      ['layers[0].kernelInitializer.stddev', '0'],
    ]);
  });
});
