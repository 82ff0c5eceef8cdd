import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { applyTextEdits, fieldEdit, layerFieldEdits } from '../../../src/engine/probe/layerFixes';

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
