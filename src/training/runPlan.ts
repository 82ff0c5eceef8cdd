import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { LabConfig } from '../engine/config/labConfig';
import type { RunStart } from '../engine/record/runReducer';
import type { RunEnvironment } from '../engine/record/runRecord';
import type { RunRequest } from '../engine/run';
import type { BackendPreference } from '../engine/kernels/backend';
import type { DataLocation } from '../host/dataLocation';
import type { RunInfo, RunOptions } from './trainingRuns';

// How a validated config becomes a run: the config as it trains, the worker's request and the record's start.
// Plain functions of their arguments (VS Code's types only), tested without VS Code.

/** Test images in each epoch's predictions sample: the panel's 8 x 6 grid. */
export const PREDICTION_SAMPLE_SIZE = 48;
/** Layer statistics this many times per epoch, for the per-layer curves. */
export const LAYER_SNAPSHOTS_PER_EPOCH = 10;
const MNIST_TRAIN_COUNT = 60_000;

/** The config as it trains: the run's overrides applied, a relative dataset path counted from the config's folder. */
export function configToRun(config: LabConfig, documentUri: vscode.Uri, options: RunOptions): LabConfig {
  const merged = { ...config, ...options.overrides };
  // A relative dataset path counts from the config file's folder, as a student would expect.
  if (merged.dataset.kind === 'path' && !path.isAbsolute(merged.dataset.path)) {
    merged.dataset = { kind: 'path', path: path.resolve(path.dirname(documentUri.fsPath), merged.dataset.path) };
  }
  return merged;
}

/** What the worker is asked to train: the config, where MNIST is, the engine settings and what to report. */
export function runRequestFor(
  config: LabConfig,
  data: DataLocation,
  settings: { backend: BackendPreference; threads: number },
): RunRequest {
  const batches = Math.ceil((config.trainSamples || MNIST_TRAIN_COUNT) / config.batchSize);
  return {
    config,
    dataFolder: data.dataFolder,
    cacheDir: data.cacheDir,
    backend: settings.backend,
    threads: settings.threads,
    batchStatsEvery: Math.max(1, Math.round(batches / LAYER_SNAPSHOTS_PER_EPOCH)),
    predictionSampleSize: PREDICTION_SAMPLE_SIZE,
    // Saved beside the record (runWeights.ts) for the panel's "your own digit".
    keepWeights: true,
  };
}

/** Where the run's record starts: the run, the lab file relative to its workspace folder, and the machine. */
export function recordStart(
  info: RunInfo,
  /** The fsPath of the lab file's workspace folder; undefined keeps the lab file's full path. */
  workspaceFolder: string | undefined,
  environment: RunEnvironment,
): RunStart {
  const file = info.documentUri.fsPath;
  return {
    id: info.id,
    name: info.config.name,
    documentPath: workspaceFolder !== undefined ? path.relative(workspaceFolder, file) : file,
    documentUri: info.documentUri.toString(),
    startedAt: info.startedAt,
    config: info.config,
    environment,
  };
}
