// What one run leaves behind, as stored in .dnnlab/runs/<id>.json and shown in the training panel.
// Types only, with no Node or VS Code imports, so the webview can share them.
import type { LabConfig } from '../engine/config/labConfig';
import type { EpochMetrics, LayerStats, PredictionSample } from '../engine/train/metrics';

/** Bumped when the stored shape changes incompatibly; older files are skipped with a log line. */
export const RUN_RECORD_FORMAT = 1;

/** Where a run stands. `running` on disk after a reload means the window closed mid-run. */
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed';

/** Where and how a run ran, so two runs can be compared fairly. */
export interface RunEnvironment {
  extensionVersion: string;
  vscodeVersion: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  /** The kernels that trained, once the worker has chosen them. */
  backend?: string;
  /** Where MNIST came from ("folder", "cache", "download") and the folder. */
  dataSource?: string;
  dataDir?: string;
}

/** The loss of one batch, for the smoothed per-batch curve. */
export interface BatchLoss {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
}

/** Layer statistics of one batch, for the per-layer curves over time; `step` counts batches from the start. */
export interface LayerSnapshot {
  step: number;
  epoch: number;
  layers: LayerStats[];
}

/** One run: config, every metric, layer statistics over time, the latest predictions and the environment. */
export interface RunRecord {
  format: typeof RUN_RECORD_FORMAT;
  id: string;
  name: string;
  /** The config file, relative to the workspace folder when inside it. */
  documentPath: string;
  documentUri: string;
  startedAt: number;
  finishedAt?: number;
  status: RunStatus;
  error?: { kind: string; message: string };
  config: LabConfig;
  environment: RunEnvironment;
  epochs: EpochMetrics[];
  batchLosses: BatchLoss[];
  layerSnapshots: LayerSnapshot[];
  predictions?: PredictionSample;
}

/** What the history list shows of a run without loading all of it. */
export interface RunSummary {
  id: string;
  name: string;
  documentPath: string;
  startedAt: number;
  status: RunStatus;
  epochs: number;
  plannedEpochs: number;
  testAccuracy?: number;
}

/** The summary of a record. */
export function summarize(record: RunRecord): RunSummary {
  const last = record.epochs[record.epochs.length - 1];
  return {
    id: record.id,
    name: record.name,
    documentPath: record.documentPath,
    startedAt: record.startedAt,
    status: record.status,
    epochs: record.epochs.length,
    plannedEpochs: record.config.epochs,
    testAccuracy: last?.testAccuracy,
  };
}
