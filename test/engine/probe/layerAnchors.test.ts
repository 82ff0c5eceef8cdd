import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { anchorLayers, probeFingerprint } from '../../../src/engine/probe/layerAnchors';

const original = `{
  "layers": [
    { "units": 64, "activation": "sigmoid" },
    { "units": 32, "activation": "sigmoid" },
    { "units": 10, "activation": "softmax" }
  ],
  "kernelInitializer": "glorotUniform",
  "seed": 1
}`;

function fingerprintOf(text: string) {
  return probeFingerprint(text, parseLabConfig(text).ranges);
}

/** Anchors of `edited` against a probe of `original`, as [layer, its text, stale]. */
function anchorsAfter(edited: string) {
  return anchorLayers(edited, parseLabConfig(edited).ranges, fingerprintOf(original)).map((a) => [
    a.layer,
    edited.slice(a.range.offset, a.range.offset + a.range.length),
    a.stale,
  ]);
}

describe('anchorLayers: layer i -> its text range through edits', () => {
  it('puts each layer on its own object, fresh, when nothing changed', () => {
    expect(anchorsAfter(original)).toEqual([
      [1, '{ "units": 64, "activation": "sigmoid" }', false],
      [2, '{ "units": 32, "activation": "sigmoid" }', false],
      [3, '{ "units": 10, "activation": "softmax" }', false],
    ]);
  });

  it('follows the layers when lines are inserted above them, and spacing and comments are no change', () => {
    const edited = original
      .replace('{\n  "layers"', '// my lab\n{\n  "name": "x",\n  "layers"')
      .replace('{ "units": 32,', '{  "units":   32, // wider?\n     ');
    const anchors = anchorsAfter(edited);
    expect(anchors.map(([, , stale]) => stale)).toEqual([false, false, false]);
    expect(anchors[1][1]).toBe('{  "units":   32, // wider?\n      "activation": "sigmoid" }');
  });

  it('marks only the edited layer stale when its activation changes', () => {
    const edited = original.replace(
      '{ "units": 32, "activation": "sigmoid" }',
      '{ "units": 32, "activation": "relu" }',
    );
    expect(anchorsAfter(edited).map(([, , stale]) => stale)).toEqual([false, true, false]);
  });

  it('marks every layer stale when a shared field changes (initializer, seed)', () => {
    expect(anchorsAfter(original.replace('"glorotUniform"', '"heNormal"')).map(([, , s]) => s)).toEqual([
      true,
      true,
      true,
    ]);
    expect(anchorsAfter(original.replace('"seed": 1', '"seed": 2')).map(([, , s]) => s)).toEqual([true, true, true]);
  });

  it('marks every layer stale when a layer is added, and anchors the new one', () => {
    const edited = original.replace(
      '    { "units": 10',
      '    { "units": 16, "activation": "sigmoid" },\n    { "units": 10',
    );
    expect(anchorsAfter(edited)).toEqual([
      [1, '{ "units": 64, "activation": "sigmoid" }', true],
      [2, '{ "units": 32, "activation": "sigmoid" }', true],
      [3, '{ "units": 16, "activation": "sigmoid" }', true],
      [4, '{ "units": 10, "activation": "softmax" }', true],
    ]);
  });

  it('keeps anchoring while the text is half typed (a syntax error inside a layer)', () => {
    const edited = original.replace(
      '"activation": "sigmoid" },\n    { "units": 32',
      '"activation": "sig },\n    { "units": 32',
    );
    const anchors = anchorLayers(edited, parseLabConfig(edited).ranges, fingerprintOf(original));
    expect(anchors.length).toBeGreaterThan(0);
    expect(anchors[0].stale).toBe(true);
  });

  it('anchors nothing before the first probe', () => {
    expect(anchorLayers(original, parseLabConfig(original).ranges, undefined)).toEqual([]);
  });
});
