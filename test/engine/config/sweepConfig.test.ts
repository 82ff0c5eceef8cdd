import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { marked } from './markedText';

const LAYERS = '"layers": [{ "units": 8, "activation": "relu" }, { "units": 10, "activation": "softmax" }]';

describe('parseLabConfig reads sweep', () => {
  it('keeps the values in the order written, with initializers and their defaults', () => {
    const { config, errors } = parseLabConfig(
      `{ ${LAYERS}, "sweep": { "learningRate": [0.1, 0.01], "kernelInitializer": ["zeros", { "type": "randomNormal" }], "batchSize": [32] } }`,
    );
    expect(errors).toEqual([]);
    expect(config!.sweep).toEqual({
      learningRate: [0.1, 0.01],
      kernelInitializer: [{ type: 'zeros' }, { type: 'randomNormal', stddev: 0.05 }],
      batchSize: [32],
    });
    expect(Object.keys(config!.sweep!)).toEqual(['learningRate', 'kernelInitializer', 'batchSize']);
  });

  it('leaves sweep out of a config without one', () => {
    expect(parseLabConfig(`{ ${LAYERS} }`).config).not.toHaveProperty('sweep');
  });

  it.each([
    [
      'batchSize 0',
      `{ ${LAYERS}, "sweep": { "batchSize": [32, «0»] } }`,
      'sweep.batchSize[1]',
      'sweep.batchSize[1] must be a positive integer, got 0',
    ],
    [
      'learningRate "0.1"',
      `{ ${LAYERS}, "sweep": { "learningRate": [«"0.1"»] } }`,
      'sweep.learningRate[0]',
      'sweep.learningRate[0] must be a positive number, got "0.1" (remove the quotes)',
    ],
    [
      'initializer "he_normal"',
      `{ ${LAYERS}, "sweep": { "kernelInitializer": [«"he_normal"»] } }`,
      'sweep.kernelInitializer[0]',
      'sweep.kernelInitializer[0] must be one of zeros, randomNormal, randomUniform, glorotNormal, glorotUniform, heNormal, heUniform, lecunNormal, got "he_normal" (did you mean "heNormal"?)',
    ],
    [
      'activation softmax',
      `{ ${LAYERS}, "sweep": { "activation": ["relu", «"softmax"»] } }`,
      'sweep.activation[1]',
      'sweep.activation[1] must be one of sigmoid, tanh, relu, leakyRelu, linear (softmax belongs on the output layer only), got "softmax"',
    ],
    [
      'epochs 20000',
      `{ ${LAYERS}, "sweep": { "epochs": [«20000»] } }`,
      'sweep.epochs[0]',
      'sweep.epochs[0] must be at most 10000, got 20000',
    ],
    [
      'a repeated value',
      `{ ${LAYERS}, "sweep": { "batchSize": [32, 64, «32»] } }`,
      'sweep.batchSize[2]',
      'sweep.batchSize[2] repeats 32; each value runs once, so remove the repeat',
    ],
    [
      'a number instead of an array',
      `{ ${LAYERS}, "sweep": { "batchSize": «32» } }`,
      'sweep.batchSize',
      'sweep.batchSize must be a non-empty array of the values to compare, such as [32, 300], got 32',
    ],
    [
      'an empty array',
      `{ ${LAYERS}, "sweep": { "seed": «[]» } }`,
      'sweep.seed',
      'sweep.seed must be a non-empty array of the values to compare, such as [32, 300], got an empty array []',
    ],
    [
      'an unknown key',
      `{ ${LAYERS}, "sweep": { «"lerningRate"»: [0.1] } }`,
      'sweep.lerningRate',
      'sweep.lerningRate is not a known property (did you mean "learningRate"?)',
    ],
    [
      'an empty object',
      `{ ${LAYERS}, "sweep": «{}» }`,
      'sweep',
      'sweep must be an object with at least one field to compare (batchSize, learningRate, kernelInitializer, activation, epochs, seed), such as { "batchSize": [32, 300] }; or remove sweep, got an object',
    ],
    [
      'an array',
      `{ ${LAYERS}, "sweep": «[32, 64]» }`,
      'sweep',
      'sweep must be an object naming the fields to compare, such as { "batchSize": [32, 300] }, got an array',
    ],
    [
      'activation without hidden layers',
      '{ "layers": [{ "units": 10, "activation": "softmax" }], "sweep": { «"activation"»: ["relu"] } }',
      'sweep.activation',
      'sweep.activation changes the activation of the hidden layers, but this network has none: add a hidden layer to layers, or remove sweep.activation',
    ],
    [
      'too many runs',
      `{ ${LAYERS}, "sweep": «{ "seed": [1, 2, 3, 4, 5, 6, 7, 8, 9], "batchSize": [1, 2, 3, 4, 5, 6, 7, 8] }» }`,
      'sweep',
      'sweep makes 72 runs (9 × 8), more than the 64 allowed: remove some values',
    ],
  ])('reports %s at the value, with the fix', (_, source, path, message) => {
    const { text, range } = marked(source);
    const { config, errors } = parseLabConfig(text);
    expect(errors).toEqual([{ path, message, range }]);
    expect(config).toBeUndefined();
  });
});
