import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunId, RunHistory } from '../../../src/engine/record/runHistory';
import { decodeWeights, encodeWeights, weightsFileName } from '../../../src/engine/record/runWeights';
import type { LayerWeights } from '../../../src/engine/train/metrics';
import { labConfig, layer, randomValues } from '../../support/nets';
import { record } from '../../support/records';

const config = labConfig({ layers: [layer(3, 'relu'), layer(2, 'softmax')] });
const weights: LayerWeights[] = [
  { units: 3, fanIn: 4, W: Float32Array.from(randomValues(12, 1)), b: Float32Array.from(randomValues(3, 2)) },
  { units: 2, fanIn: 3, W: Float32Array.from(randomValues(6, 3)), b: Float32Array.from(randomValues(2, 4)) },
];

describe('run weights beside the record (.dnnlab/runs/<id>.weights.bin)', () => {
  it('round-trips every number exactly, and refuses bytes that do not fit the config, naming what is wrong', () => {
    const bytes = encodeWeights(weights);
    expect(bytes.length).toBe(12 + 16 + 4 * (12 + 3 + 6 + 2));
    const back = decodeWeights(bytes, config, 4);
    expect('weights' in back && back.weights.map((l) => [...l.W, ...l.b])).toEqual(
      weights.map((l) => [...l.W, ...l.b]),
    );
    const problem = (b: Uint8Array, c = config, inputs = 4) => {
      const d = decodeWeights(b, c, inputs);
      return 'problem' in d ? d.problem : 'accepted';
    };
    expect(problem(bytes, config, 5)).toBe("layer 1 is 3 × 4, but the run's config makes it 3 × 5");
    expect(problem(bytes, labConfig({ layers: [layer(3, 'relu'), layer(2, 'relu'), layer(2, 'softmax')] }))).toBe(
      "2 layer(s) of weights, but the run's config has 3",
    );
    expect(problem(bytes.subarray(0, bytes.length - 4))).toBe('116 bytes, but these layers take exactly 120');
    expect(problem(new TextEncoder().encode('{"format": 1}'))).toBe(
      'not a DNN Lab weights file (it does not start with "DNNW")',
    );
    const nan = bytes.slice();
    new DataView(nan.buffer).setFloat32(28 + 4 * 5, NaN, true);
    expect(problem(nan)).toBe('number 5 of the weights is NaN, not a finite number');
    // An odd offset within a larger buffer (a Node Buffer from a pool) reads the same numbers.
    const shifted = Buffer.alloc(bytes.length + 1);
    shifted.set(bytes, 1);
    const odd = decodeWeights(shifted.subarray(1), config, 4);
    expect('weights' in odd && odd.weights.map((l) => [...l.W, ...l.b])).toEqual(weights.map((l) => [...l.W, ...l.b]));
  });

  it('is cleared with its run by the run history, which keeps every other file', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dnn-lab-weights-')), '.dnnlab', 'runs');
    const history = new RunHistory(dir);
    const kept = newRunId('weights test', new Date(0));
    await history.saveWeights(kept, weights);
    expect(readdirSync(dir)).toEqual([weightsFileName(kept)]);
    const saved = record(5);
    await history.saveWeights(saved.id, weights);
    await history.save(saved);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const cleared = await history.clear();
    expect(cleared.deleted).toEqual([saved.id]);
    expect(readdirSync(dir).sort()).toEqual([weightsFileName(kept), 'notes.txt'].sort());
    expect(cleared.kept.sort()).toEqual([weightsFileName(kept), 'notes.txt'].sort());
  });
});
