import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-sweep-'));

describe('dnn-lab train with a sweep', () => {
  it('trains every combination in turn, each JSON line naming its run', { timeout: 300_000 }, async () => {
    const file = join(workDir, 'sweep.dnn.json');
    writeFileSync(
      file,
      `{ "layers": [{ "units": 16, "activation": "relu" }, { "units": 10, "activation": "softmax" }], "epochs": 1,
         "trainSamples": 2000, "testSamples": 500, "sweep": { "batchSize": [50, 500], "learningRate": [0.01] } }`,
    );
    const run = await runCli(['train', file, '--data', SHARED_MNIST, '--json']);
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout).filter((e) => e.event === 'epoch' || e.event === 'done');
    expect(events.map((e) => [e.event, e.run])).toEqual([
      ['epoch', 'batchSize=50, learningRate=0.01'],
      ['done', 'batchSize=50, learningRate=0.01'],
      ['epoch', 'batchSize=500, learningRate=0.01'],
      ['done', 'batchSize=500, learningRate=0.01'],
    ]);
  });
});
