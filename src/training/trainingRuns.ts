import type * as vscode from 'vscode';
import type { ConfigError } from '../engine/config/configError';
import type { LabConfig } from '../engine/config/labConfig';
import type { RunErrorKind } from '../engine/run';
import type { BatchMetrics, EpochMetrics, PredictionSample, TrainResult } from '../engine/train/metrics';

/**
 * The training runs other features subscribe to (editor annotations, labs, lessons) and start runs with.
 * One run at a time: starting a new run stops the one in progress first.
 */
export interface TrainingRuns {
  /** A run passed validation and its worker started. */
  readonly onDidStartRun: vscode.Event<RunStarted>;
  /** A batch ended (every batch; `metrics.layers` is set on the batches that carry layer statistics). */
  readonly onDidEndBatch: vscode.Event<RunBatchEnded>;
  /** An epoch ended, test set evaluated. */
  readonly onDidEndEpoch: vscode.Event<RunEpochEnded>;
  /** The test-set predictions sample and confusion matrix after an epoch. */
  readonly onDidPredict: vscode.Event<RunPredicted>;
  /** A run finished, completed or cancelled by the user. */
  readonly onDidFinishRun: vscode.Event<RunFinished>;
  /** A run could not start (bad config) or failed (data, backend, divergence, crash). */
  readonly onDidFailRun: vscode.Event<RunFailed>;
  /** The run in progress, if any. */
  readonly current: RunInfo | undefined;
  /**
   * Validates the document's text (unsaved edits included) and trains it in the worker. Resolves when the
   * run ends, never rejects: a bad config resolves as `failed` with kind `config` and its errors, which
   * also appear as Diagnostics on the config's lines.
   */
  runDocument(document: vscode.TextDocument, options?: RunOptions): Promise<RunOutcome>;
  /** Stops the run in progress (within a batch); a no-op when nothing runs. */
  stop(): void;
}

/** Per-run changes to the document's config, for features that run a lab in a smaller or different form. */
export interface RunOptions {
  /** Fields that replace the validated config's, e.g. `{ epochs: 3, trainSamples: 5000 }`. */
  overrides?: Partial<LabConfig>;
  /** Open the training panel beside the editor when the run starts (default true). */
  showPanel?: boolean;
}

/** Identifies one run; every event carries it. */
export interface RunInfo {
  /** Unique and sortable, e.g. "2026-11-26T15-40-02-123Z-corelab-1"; names the run's file under .dnnlab/runs/. */
  readonly id: string;
  /** The `*.dnn.json` the run was started from. */
  readonly documentUri: vscode.Uri;
  /** The validated config with overrides applied, exactly what trains. */
  readonly config: LabConfig;
  /** Epoch milliseconds. */
  readonly startedAt: number;
}

/** Payload of `onDidStartRun`. */
export interface RunStarted {
  readonly run: RunInfo;
}

/** Payload of `onDidEndBatch`. */
export interface RunBatchEnded {
  readonly run: RunInfo;
  readonly metrics: BatchMetrics;
}

/** Payload of `onDidEndEpoch`. */
export interface RunEpochEnded {
  readonly run: RunInfo;
  readonly metrics: EpochMetrics;
}

/** Payload of `onDidPredict`. */
export interface RunPredicted {
  readonly run: RunInfo;
  readonly predictions: PredictionSample;
}

/** Payload of `onDidFinishRun`. */
export interface RunFinished {
  readonly run: RunInfo;
  readonly result: TrainResult;
}

/** Why a run failed: the engine's kinds, plus `config` when the document did not validate. */
export type RunFailureKind = RunErrorKind | 'config';

/** Payload of `onDidFailRun`; `run` is absent when the config never validated. */
export interface RunFailed {
  readonly documentUri: vscode.Uri;
  readonly run?: RunInfo;
  readonly kind: RunFailureKind;
  readonly message: string;
  /** The config's errors when `kind` is `config`. */
  readonly configErrors?: readonly ConfigError[];
  /** Where a divergence happened (1-based), when known. */
  readonly epoch?: number;
  readonly batch?: number;
  readonly layer?: number;
}

/** How `runDocument` ended. */
export type RunOutcome =
  { status: 'completed' | 'cancelled'; run: RunInfo; result: TrainResult } | ({ status: 'failed' } & RunFailed);
