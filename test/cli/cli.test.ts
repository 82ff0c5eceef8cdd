import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-cli-'));

function writeConfig(name: string, text: string): string {
  const path = join(workDir, name);
  writeFileSync(path, text);
  return path;
}

const SMALL = `// a small, quick run
{
  "layers": [{ "units": 32, "activation": "relu" }, { "units": 10, "activation": "softmax" }],
  "kernelInitializer": "heNormal",
  "optimizer": { "type": "adam", "learningRate": 0.005 },
  "batchSize": 50,
  "epochs": 3,
  "trainSamples": 3000,
  "testSamples": 1000,
}`;

describe('dnn-lab example 7-3', () => {
  it('prints every number of the worked example as JSON', async () => {
    const run = await runCli(['example', '7-3', '--json']);
    expect(run.code).toBe(0);
    const example = JSON.parse(run.stdout);
    expect(Object.keys(example)).toEqual(['input', 'target', 'layers', 'softmax', 'loss']);
    expect(example.input).toEqual([0.6, 0.2]);
    expect(example.target).toEqual([0, 1, 0]);
    for (const layer of example.layers)
      expect(Object.keys(layer)).toEqual(['activation', 'W', 'b', 'z', 'a', 'delta', 'dW', 'db']);
    expect(example.layers[1].z.map((z: number) => Number(z.toFixed(3)))).toEqual([0, 0.006, 0.12]);
    expect(example.softmax.map((p: number) => Number(p.toFixed(3)))).toEqual([0.319, 0.321, 0.36]);
    expect(example.loss.withRoundedProbabilities.toFixed(4)).toBe('1.1363');
    expect(example.loss.value.toFixed(4)).toBe('1.1362');
  });

  it('explains the example in text, with both values of the loss', async () => {
    const run = await runCli(['example', '7-3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('z^2 = W^2 a^1 + b^2 = [0.0000, 0.0060, 0.1200]');
    expect(run.stdout).toContain('a^2 = softmax(z^2) = [0.3191, 0.3211, 0.3598]');
    expect(run.stdout).toMatch(/C = .* = 1\.1362 {2}\(1\.1363 with y rounded/);
    expect(run.stdout).toContain("δ^1 = σ'(z^1) ⊙ (W^2)^T δ^2");
  });
});

describe('dnn-lab train', () => {
  it('trains on the shared MNIST and prints one JSON object per epoch, then done', async () => {
    const run = await runCli([
      'train',
      writeConfig('small.dnn.json', SMALL),
      '--data',
      SHARED_MNIST,
      '--json',
      '--epochs',
      '2',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.map((e) => e.event)).toEqual(['backend', 'data', 'epoch', 'epoch', 'done']);
    expect(events[0].name).toMatch(/^DNN Lab wasm \(/);
    expect(events[1]).toMatchObject({ trainCount: 60000, testCount: 10000, source: 'folder' });
    const epoch = events[3];
    expect(Object.keys(epoch)).toEqual([
      'event',
      'epoch',
      'trainLoss',
      'trainAccuracy',
      'testLoss',
      'testAccuracy',
      'seconds',
      'layers',
    ]);
    expect(epoch.testAccuracy).toBeGreaterThan(0.85);
    expect((epoch.layers as object[]).map((l) => Object.keys(l))).toEqual([
      ['layer', 'deltaRms', 'gradNorm', 'weightNorm', 'updateRatio'],
      ['layer', 'deltaRms', 'gradNorm', 'weightNorm', 'updateRatio'],
    ]);
    expect(events[4]).toMatchObject({ event: 'done', status: 'completed', epochs: 2 });
  });

  it('prints every config error with line and column, trains nothing, and exits 1', async () => {
    const file = writeConfig(
      'bad.dnn.json',
      '{\n  "layers": [{ "units": 10.9, "activation": "Relu" }],\n  "batchSize": 0\n}\n',
    );
    const run = await runCli(['train', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file}:2:25: error: layers[0].units must be a positive integer, got 10.9`);
    expect(run.stderr).toContain(`${file}:2:45: error: layers[0].activation must be one of`);
    expect(run.stderr).toContain(`${file}:3:16: error: batchSize must be a positive integer, got 0`);
  });

  it('names the missing data folder and how to fix it', async () => {
    const run = await runCli(['train', writeConfig('small2.dnn.json', SMALL), '--data', join(workDir, 'nowhere')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Error: .*nowhere/);
  });

  it.each([
    [['train', 'x.dnn.json', '--epochs', 'two'], '--epochs must be a positive integer, got two'],
    [
      ['train', 'x.dnn.json', '--backend', 'gpu'],
      '--backend must be one of auto, dnn-wasm, wasm, tfjs-node, cpu, js, got gpu',
    ],
    [
      ['train', 'x.dnn.json', '--threads', '-1'],
      '--threads must be an integer from 0 (one per core, up to 4) to 64, got -1',
    ],
    [['train', 'x.dnn.json', '--lr', '1'], 'unknown option --lr'],
    [['fit'], 'unknown command "fit"'],
  ])('rejects %j with "%s" and exit code 2', async (args, message) => {
    const file = writeConfig('x.dnn.json', SMALL);
    const run = await runCli(args.map((a) => (a === 'x.dnn.json' ? file : a)));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('stops after the current batch on Ctrl-C, keeping the epochs done, and exits 130', async () => {
    let interrupted = false;
    const run = await runCli(
      ['train', writeConfig('long.dnn.json', SMALL), '--data', SHARED_MNIST, '--json', '--epochs', '50'],
      {
        whenOutput: (stdout, kill) => {
          if (!interrupted && stdout.includes('"event":"epoch"')) {
            interrupted = true;
            kill('SIGINT');
          }
        },
      },
    );
    expect(run.code).toBe(130);
    const done = jsonLines(run.stdout).find((e) => e.event === 'done');
    expect(done).toMatchObject({ status: 'cancelled' });
    expect(done?.epochs).toBeGreaterThanOrEqual(1);
    expect(done?.epochs).toBeLessThan(50);
  });
});

describe('dnn-lab train: a data error about the config', () => {
  it("points at the config's dataset line when dataset.path is a file", async () => {
    const config = writeConfig(
      'file-as-dataset.dnn.json',
      `{\n  "layers": [{ "units": 10, "activation": "softmax" }],\n  "dataset": { "path": "file-as-dataset.dnn.json" }\n}\n`,
    );
    const run = await runCli(['train', config], { env: { DNN_LAB_DATA: '' } });
    expect(run.code).toBe(1);
    // Line 3, at the value of "path": where the student fixes it.
    expect(run.stderr).toMatch(/file-as-dataset\.dnn\.json:3:\d+: .*dataset\.path points to a file, not a folder/);
  });
});
