// The training panel's protocol (host <-> webview), carried by src/protocol/endpoint.ts.
// Types only, with no Node or VS Code imports, so the webview shares them.
import type { ConfigError } from '../engine/config/configError';
import type { EpochMetrics, PredictionSample } from '../engine/train/metrics';
import type { BatchLoss, LayerSnapshot, RunRecord, RunStatus, RunSummary } from '../engine/record/runRecord';

/** A run failure as the panel shows it. */
export interface PanelError {
  /** The config file's name, e.g. "reference.dnn.json". */
  file: string;
  kind: string;
  message: string;
  /** Config errors with 1-based line and column, when the config did not validate. */
  configErrors?: (Pick<ConfigError, 'path' | 'message'> & { line: number; column: number })[];
}

/** Everything the panel shows; the host's answer to `panel/ready`. */
export interface PanelState {
  /** The run in the charts: the one in progress, else the newest. */
  shown?: RunRecord;
  /** Every saved run, newest first. */
  history: RunSummary[];
  running: boolean;
  /** The last failure, until the next run starts. */
  error?: PanelError;
}

/** Messages the host sends the panel. */
export type ToPanel = {
  /** A run started: it replaces the shown run. */
  'run/started': { payload: { record: RunRecord } };
  /** Batches since the last update (sent at most a few times a second). */
  'run/batches': { payload: { runId: string; losses: BatchLoss[]; snapshots: LayerSnapshot[] } };
  /** An epoch ended. */
  'run/epoch': { payload: { runId: string; metrics: EpochMetrics } };
  /** Test predictions after an epoch. */
  'run/predictions': { payload: { runId: string; sample: PredictionSample } };
  /** The run ended (completed, cancelled or failed) and was saved. */
  'run/ended': { payload: { runId: string; status: RunStatus; backend?: string; history: RunSummary[] } };
  /** A run failed, or a config did not validate; shown until the next run. */
  'run/error': { payload: PanelError };
  /** The history changed outside a run (cleared). */
  'history/changed': { payload: { history: RunSummary[]; shown?: RunRecord } };
};

/** Messages the panel sends the host. */
export type FromPanel = {
  /** The page loaded (first time or after a reload): answer with the whole state. */
  'panel/ready': { payload: Record<string, never>; result: PanelState };
  /** The Stop button. */
  'run/stop': { payload: Record<string, never> };
  /** The Rerun button: run the shown run's config file again. */
  'run/rerun': { payload: { runId: string } };
  /** A saved run, to overlay or show. */
  'history/load': { payload: { runId: string }; result: RunRecord | undefined };
  /** Deletes every saved run. */
  'history/clear': { payload: Record<string, never> };
  /** Opens a lesson, e.g. "7-2" from the overfitting note. */
  'lesson/open': { payload: { lesson: string } };
};
