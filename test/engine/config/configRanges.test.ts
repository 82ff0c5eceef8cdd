import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { textAt } from './markedText';

/** Every field's path with the text its range covers. */
function fieldTexts(text: string): Record<string, string> {
  const { fields } = parseLabConfig(text).ranges;
  return Object.fromEntries([...fields].map(([path, range]) => [path, textAt(text, range)]));
}

describe('parseLabConfig ranges', () => {
  const example = `{
  "name": "Corelab 1",
  "dataset": { "path": "data/mnist" }, // a local copy
  "layers": [
    { "units": 256, "activation": "relu" },
    { "units": 10, "activation": "softmax", "kernelInitializer": { "type": "randomNormal", "stddev": 0.1 } },
  ],
  "optimizer": { "type": "momentum", "learningRate": 0.02, "nesterov": true },
  "epochs": 20
}`;

  it('gives the range of every value by path, nested ones included', () => {
    expect(fieldTexts(example)).toEqual({
      name: '"Corelab 1"',
      dataset: '{ "path": "data/mnist" }',
      'dataset.path': '"data/mnist"',
      layers: example.slice(example.indexOf('[\n'), example.indexOf('],') + 1),
      'layers[0]': '{ "units": 256, "activation": "relu" }',
      'layers[0].units': '256',
      'layers[0].activation': '"relu"',
      'layers[1]':
        '{ "units": 10, "activation": "softmax", "kernelInitializer": { "type": "randomNormal", "stddev": 0.1 } }',
      'layers[1].units': '10',
      'layers[1].activation': '"softmax"',
      'layers[1].kernelInitializer': '{ "type": "randomNormal", "stddev": 0.1 }',
      'layers[1].kernelInitializer.type': '"randomNormal"',
      'layers[1].kernelInitializer.stddev': '0.1',
      optimizer: '{ "type": "momentum", "learningRate": 0.02, "nesterov": true }',
      'optimizer.type': '"momentum"',
      'optimizer.learningRate': '0.02',
      'optimizer.nesterov': 'true',
      epochs: '20',
    });
  });

  it('gives the range of each layer object, in order', () => {
    const { layers } = parseLabConfig(example).ranges;
    expect(layers.map((range) => textAt(example, range))).toEqual([
      '{ "units": 256, "activation": "relu" }',
      '{ "units": 10, "activation": "softmax", "kernelInitializer": { "type": "randomNormal", "stddev": 0.1 } }',
    ]);
  });

  it('still gives ranges when the config has validation errors, unknown keys included', () => {
    const text =
      '{ "layers": [{ "units": 10.5, "activation": "Relu", "dropout": 0.2 }, 7], "optimizer": { "learningrate": 1 } }';
    const { errors, ranges } = parseLabConfig(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(fieldTexts(text)).toEqual({
      layers: '[{ "units": 10.5, "activation": "Relu", "dropout": 0.2 }, 7]',
      'layers[0]': '{ "units": 10.5, "activation": "Relu", "dropout": 0.2 }',
      'layers[0].units': '10.5',
      'layers[0].activation': '"Relu"',
      'layers[0].dropout': '0.2',
      'layers[1]': '7',
      optimizer: '{ "learningrate": 1 }',
      'optimizer.learningrate': '1',
    });
    // Index i stays layer i even when an entry is not an object.
    expect(ranges.layers.map((range) => textAt(text, range))).toEqual([
      '{ "units": 10.5, "activation": "Relu", "dropout": 0.2 }',
      '7',
    ]);
  });

  it('gives ranges for what parsed when the text is cut off mid-edit', () => {
    const text = '{ "layers": [{ "units": 10, "activation": "softmax" }, { "units": 5, "activ';
    const { errors, ranges } = parseLabConfig(text);
    expect(
      errors.filter((error) => error.path === '').map((error) => [error.message, textAt(text, error.range)]),
    ).toEqual([['syntax error: text is not closed: add the closing "', '"activ']]);
    expect(ranges.layers.map((range) => textAt(text, range))).toEqual([
      '{ "units": 10, "activation": "softmax" }',
      '{ "units": 5, "activ',
    ]);
    expect(textAt(text, ranges.fields.get('layers[1].units')!)).toBe('5');
  });

  it('skips a key with no value and keeps the first of duplicated keys', () => {
    const text = '{ "epochs": , "seed": 1, "seed": 2, "layers": [] }';
    expect(fieldTexts(text)).toEqual({ seed: '1', layers: '[]' });
  });

  it.each([
    ['a root array', '[{ "units": 10 }]', { '[0]': '{ "units": 10 }', '[0].units': '10' }],
    [
      'layers that is not an array',
      '{ "layers": { "units": 10 } }',
      { layers: '{ "units": 10 }', 'layers.units': '10' },
    ],
    ['an empty file', '', {}],
  ])('gives no layer ranges for %s', (_, text, fields) => {
    const { ranges } = parseLabConfig(text);
    expect(ranges.layers).toEqual([]);
    expect(fieldTexts(text)).toEqual(fields);
  });
});
