import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { newRunRecord } from '../../src/engine/record/runReducer';
import { checkRunRecord } from '../../src/engine/record/runRecord';
import type { RunEvent } from '../../src/engine/run';
import { describeConfigErrors, describeEvent, describeRun } from '../../src/training/runLog';
import { locateErrors } from '../../src/engine/config/configError';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import {
  configToRun,
  LAYER_SNAPSHOTS_PER_EPOCH,
  PREDICTION_SAMPLE_SIZE,
  recordStart,
  runRequestFor,
} from '../../src/training/runPlan';
import type { RunInfo } from '../../src/training/trainingRuns';
import { labConfig } from '../support/nets';

/** A file URI with the two members these modules read (the real vscode.Uri needs VS Code). */
function fileUri(file: string): vscode.Uri {
  return { fsPath: file, toString: () => pathToFileURL(file).href } as unknown as vscode.Uri;
}

const lab = fileUri('/work/course/labs/corelab-1.dnn.json');
const environment = {
  extensionVersion: '0.1.0',
  vscodeVersion: '1.96.0',
  node: 'v22.0.0',
  platform: 'linux',
  arch: 'x64',
  cpus: 2,
};

describe('configToRun', () => {
  it('applies the run options over the config and counts a relative dataset path from the lab file', () => {
    const config = labConfig({ epochs: 10, dataset: { kind: 'path', path: '../data/mnist' } });
    const run = configToRun(config, lab, { overrides: { epochs: 3, trainSamples: 5000 } });
    expect(run.epochs).toBe(3);
    expect(run.trainSamples).toBe(5000);
    expect(run.dataset).toEqual({ kind: 'path', path: '/work/course/data/mnist' });
    expect(config.epochs).toBe(10); // the validated config itself is left as it was
  });

  it('keeps an absolute dataset path and the bundled MNIST as they are', () => {
    const absolute = labConfig({ dataset: { kind: 'path', path: '/srv/mnist' } });
    expect(configToRun(absolute, lab, {}).dataset).toEqual({ kind: 'path', path: '/srv/mnist' });
    const mnist = labConfig();
    expect(configToRun(mnist, lab, {}).dataset).toEqual(mnist.dataset);
  });
});

describe('runRequestFor', () => {
  it.each([
    // trainSamples, batchSize -> layer statistics every N batches (about ten times an epoch)
    [60_000, 32, 188],
    [0, 300, 20], // 0: the whole 60,000 training images
    [600, 100, 1],
    [50, 100, 1],
  ])('trainSamples %i at batch %i takes layer statistics every %i batches', (trainSamples, batchSize, every) => {
    const request = runRequestFor(
      labConfig({ trainSamples, batchSize }),
      { dataFolder: '/srv/mnist', cacheDir: '/cache' },
      { backend: 'wasm', threads: 2 },
    );
    expect(request.batchStatsEvery).toBe(every);
    expect(Math.round(Math.ceil((trainSamples || 60_000) / batchSize) / every)).toBeLessThanOrEqual(
      LAYER_SNAPSHOTS_PER_EPOCH + 1,
    );
    expect(request).toMatchObject({
      dataFolder: '/srv/mnist',
      cacheDir: '/cache',
      backend: 'wasm',
      threads: 2,
      predictionSampleSize: PREDICTION_SAMPLE_SIZE,
      keepWeights: true,
    });
  });
});

describe('recordStart', () => {
  const config = labConfig({ name: 'corelab-1' });
  const info: RunInfo = { id: '2026-11-26T15-40-02-123Z-corelab-1', documentUri: lab, config, startedAt: 1_764_000 };

  it('keeps the lab file relative to its workspace folder, and a record that passes the record guard', () => {
    const start = recordStart(info, '/work/course', environment);
    expect(start.documentPath).toBe('labs/corelab-1.dnn.json');
    expect(start.documentUri).toBe('file:///work/course/labs/corelab-1.dnn.json');
    const checked = checkRunRecord(JSON.parse(JSON.stringify(newRunRecord(start))));
    expect(checked.ok).toBe(true);
  });

  it('keeps the full path of a lab file in no workspace folder', () => {
    expect(recordStart(info, undefined, environment).documentPath).toBe('/work/course/labs/corelab-1.dnn.json');
  });
});

describe('the run log lines', () => {
  const config = labConfig({ name: 'corelab-1', epochs: 2 });
  const info: RunInfo = { id: 'r1', documentUri: lab, config, startedAt: 0 };

  it('says where the data comes from: a folder, the download cache, or the packaged copy', () => {
    const request = runRequestFor(
      config,
      { dataFolder: '/srv/mnist', cacheDir: '/c' },
      { backend: 'auto', threads: 0 },
    );
    expect(describeRun(info, request)).toMatch(
      /^Run r1: \/work\/course\/labs\/corelab-1\.dnn\.json, .* net, 2 epoch\(s\), batch \d+, .*backend auto, data \/srv\/mnist$/,
    );
    expect(describeRun(info, { ...request, dataFolder: undefined })).toMatch(/data cache \/c$/);
    expect(describeRun(info, { ...request, dataFolder: undefined, cacheDir: '' })).toMatch(
      /data packaged with DNN Lab$/,
    );
  });

  it('gives the backend, the data and each epoch a line, and batches none', () => {
    const epoch = {
      epoch: 1,
      trainLoss: 0.5,
      trainAccuracy: 0.8,
      testLoss: 0.4,
      testAccuracy: 0.85,
      seconds: 2.5,
    };
    const lines = (
      [
        { type: 'run/backendChosen', name: 'wasm-simd', skipped: ['tfjs: not installed'] },
        { type: 'data/progress', file: 'a', receivedBytes: 1, totalBytes: 2 },
        { type: 'data/loaded', source: 'folder', dir: '/srv/mnist', trainCount: 600, testCount: 100 },
        { type: 'run/epochEnded', metrics: epoch },
      ] as RunEvent[]
    ).map((e) => describeEvent(info, e));
    expect(lines).toEqual([
      'Run r1: backend wasm-simd (skipped: tfjs: not installed)',
      undefined,
      'Run r1: MNIST from folder /srv/mnist (600 train, 100 test)',
      'Run r1: epoch 1/2 train loss 0.5000 acc 0.8000, test loss 0.4000 acc 0.8500, 2.5 s',
    ]);
  });

  it('gives a config that does not validate its error count and each error at its line and column', () => {
    const text = '{\n  "name": "bad",\n  "epochs": -1,\n  "batchSize": 10.5\n}\n';
    const parsed = parseLabConfig(text);
    const lines = describeConfigErrors(
      '/work/course/labs/bad.dnn.json',
      parsed.errorCount,
      locateErrors(text, parsed.errors),
    );
    expect(lines[0]).toBe(`Not running /work/course/labs/bad.dnn.json: ${parsed.errorCount} config error(s)`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}bad\.dnn\.json:3:\d+: epochs /));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}bad\.dnn\.json:4:\d+: batchSize /));
    expect(lines).toHaveLength(1 + parsed.errors.length);
  });
});
