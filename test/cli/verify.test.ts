import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, jsonLines, runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';
import { node24 } from '../support/node24';
import { trainedRecord } from '../support/runRecords';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-verify-'));
const CONFIG = `{ "name": "verify me", "layers": [{ "units": 64, "activation": "relu" }, { "units": 32, "activation": "relu" }, { "units": 10, "activation": "softmax" }],
  "optimizer": { "type": "adam", "learningRate": 0.005 }, "batchSize": 100, "epochs": 3, "seed": 4, "trainSamples": 5000, "testSamples": 2000 }`;
const NODE24 = node24();

describe('dnn-lab verify', () => {
  let record: string;
  beforeAll(async () => {
    record = await trainedRecord(workDir, 'run', CONFIG);
  });

  it('retrains a record from its config and seed on its backend, and every epoch matches', async () => {
    const run = await runCli(['verify', record, '--data', SHARED_MNIST]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Retraining verify me (seed 4, 3 epochs) on dnn-wasm; recorded on DNN Lab wasm');
    expect(run.stdout).toContain('Verified: 3 of 3 epochs match within 0.5 points of accuracy and 5% of loss');
    expect(run.stdout).not.toContain('note:');
    expect(run.code).toBe(0);
  });

  it('refuses a record whose figures were edited, naming the epoch and the figure', async () => {
    const edited = JSON.parse(readFileSync(record, 'utf8')) as { epochs: { trainAccuracy: number }[] };
    const honest = edited.epochs[1].trainAccuracy;
    edited.epochs[1].trainAccuracy = honest + 0.02;
    const file = join(workDir, 'edited.json');
    writeFileSync(file, JSON.stringify(edited));
    const run = await runCli(['verify', file, '--data', SHARED_MNIST, '--json']);
    expect(run.code).toBe(1);
    const [result] = jsonLines(run.stdout) as { verified: boolean; mismatches: string[] }[];
    expect(result.verified).toBe(false);
    expect(result.mismatches).toEqual([
      `epoch 2: training accuracy recorded ${(100 * (honest + 0.02)).toFixed(2)}%, retrained ${(100 * honest).toFixed(2)}%`,
    ]);
  });

  // The record is trained by this process's Node: the cross-kernel case exists only when that is Node 20 (plain
  // SIMD); under Node 24 (npm run test:node24) both sides run the same kernels, which the first test covers.
  const recordOnPlainSimd = Number(process.versions.node.split('.')[0]) < 22;
  it.skipIf(!NODE24 || !recordOnPlainSimd)(
    'verifies a record made on Node 20 (SIMD) under Node 24 (relaxed SIMD): the drift is inside the tolerance',
    () => {
      const run = spawnSync(
        NODE24 as string,
        [CLI, 'verify', record, '--data', SHARED_MNIST, '--json', '--accuracy-tolerance', '0.005'],
        { encoding: 'utf8' },
      );
      const [result] = jsonLines(run.stdout) as { verified: boolean; backend: string; note?: string }[];
      expect(result.backend).toContain('relaxed SIMD');
      expect(result.note).toMatch(
        /^note: recorded on DNN Lab wasm \(SIMD, 1 thread\), retrained on DNN Lab wasm \(relaxed SIMD, FMA, 1 thread\); other kernels round differently/,
      );
      expect(result).toMatchObject({ verified: true });
      // And a tolerance of zero is not met across kernels, so the comparison is real.
      const strict = spawnSync(
        NODE24 as string,
        [CLI, 'verify', record, '--data', SHARED_MNIST, '--loss-tolerance', '0', '--accuracy-tolerance', '0'],
        { encoding: 'utf8' },
      );
      expect(strict.status).toBe(1);
      console.log(`Node 24 against a Node 20 record:\n${strict.stdout}`);
    },
  );

  // Broken and hostile record files: test/cli/runRecordFiles.test.ts.
});
