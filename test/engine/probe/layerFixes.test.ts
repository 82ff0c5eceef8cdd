import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { applyTextEdits, fieldEdit, layerFieldEdits, layerFixEdits } from '../../../src/engine/probe/layerFixes';

const text = `{
  "layers": [
    { "units": 64, "activation": "sigmoid" },
    { "units": 32, "activation": "sigmoid", "kernelInitializer": { "type": "randomNormal", "stddev": 1 } },
    {}
  ],
  "optimizer": { "type": "sgd", "learningRate": 0.5 }
}`;
const { ranges } = parseLabConfig(text);

describe('layerFieldEdits', () => {
  it('replaces the activation and appends the initializer, keeping a one-line layer on one line', () => {
    const edits = layerFieldEdits(ranges, 0, { activation: 'relu', kernelInitializer: 'heNormal' })!;
    expect(applyTextEdits(text, edits)).toContain(
      '    { "units": 64, "activation": "relu", "kernelInitializer": "heNormal" },\n',
    );
    expect(edits).toHaveLength(1); // the insertion touching the replaced value joins it
  });

  it('replaces a whole initializer object', () => {
    const edited = applyTextEdits(text, layerFieldEdits(ranges, 1, { kernelInitializer: 'heNormal' })!);
    expect(edited).toContain('{ "units": 32, "activation": "sigmoid", "kernelInitializer": "heNormal" }');
    expect(parseLabConfig(edited).ranges.layers).toHaveLength(3);
  });

  it('fills an empty layer object', () => {
    expect(applyTextEdits(text, layerFieldEdits(ranges, 2, { units: 10 })!)).toContain('{ "units": 10 }');
  });

  it('gives nothing for a layer that is not there', () => {
    expect(layerFieldEdits(ranges, 7, { units: 10 })).toBeUndefined();
  });
});

describe('fieldEdit', () => {
  it('sets optimizer.learningRate in place', () => {
    expect(applyTextEdits(text, [fieldEdit(ranges, 'optimizer.learningRate', 0.05)!])).toContain(
      '"learningRate": 0.05 }',
    );
    expect(fieldEdit(ranges, 'optimizer.momentum', 0.9)).toBeUndefined();
  });
});

describe('layerFixEdits: no copy of what a layer inherits', () => {
  const config = (top: string) => `{
  "layers": [
    { "units": 64, "activation": "sigmoid" },
    { "units": 32, "activation": "sigmoid", "kernelInitializer": "glorotUniform" },
    { "units": 10, "activation": "softmax" }
  ]${top}
}`;
  const fix = (source: string, index: number) =>
    applyTextEdits(
      source,
      layerFixEdits(source, parseLabConfig(source).ranges, index, {
        activation: 'relu',
        kernelInitializer: 'heNormal',
      })!,
    );

  it.each([
    ['heNormal at the top level', ',\n  "kernelInitializer": "heNormal"', '{ "units": 64, "activation": "relu" }'],
    [
      'glorotUniform at the top level',
      ',\n  "kernelInitializer": "glorotUniform"',
      '{ "units": 64, "activation": "relu", "kernelInitializer": "heNormal" }',
    ],
    [
      'no top level (the default, glorotUniform)',
      '',
      '{ "units": 64, "activation": "relu", "kernelInitializer": "heNormal" }',
    ],
  ])('a layer without its own initializer, %s', (_, top, expected) => {
    const fixed = fix(config(top), 0);
    expect(fixed).toContain(expected);
    expect(parseLabConfig(fixed).errors).toEqual([]);
  });

  it("replaces a layer's own initializer even when the top level names the wanted one", () => {
    expect(fix(config(',\n  "kernelInitializer": "heNormal"'), 1)).toContain(
      '{ "units": 32, "activation": "relu", "kernelInitializer": "heNormal" }',
    );
  });

  it('gives no edit when the layer already has every value', () => {
    const source = config(',\n  "kernelInitializer": "heNormal"').replace('"sigmoid" }', '"relu" }');
    expect(
      layerFixEdits(source, parseLabConfig(source).ranges, 0, { activation: 'relu', kernelInitializer: 'heNormal' }),
    ).toEqual([]);
  });
});
