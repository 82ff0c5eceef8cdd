/**
 * The training panel's protocol (host <-> page), carried by src/protocol/endpoint.ts. Run lifecycle messages are
 * named as the worker's events and the public `TrainingRuns` events are: `run/started` (onDidStartRun),
 * `run/batchEnded` (onDidEndBatch), `run/epochEnded` (onDidEndEpoch), `run/predicted` (onDidPredict),
 * `run/finished` (onDidFinishRun), `run/failed` (onDidFailRun). No Node or VS Code imports, so the page shares it.
 */
import type { ConfigError } from '../engine/config/configError';
import type { DigitProbe } from '../engine/digit/digitProbe';
import type { BatchMetrics, EpochMetrics, PredictionSample } from '../engine/train/metrics';
import {
  isBatchMetrics,
  isEpochMetrics,
  isPredictionSample,
  isRunSummary,
  type RunRecord,
  type RunSummary,
} from '../engine/record/runRecord';
import {
  arrayOf,
  isBoolean,
  isEmpty,
  isNumber,
  isString,
  isRecord,
  isUnknown,
  object,
  oneOf,
  optional,
  type Guard,
} from './guards';

/** A run failure as the panel shows it. */
export interface PanelError {
  /** The config file's name, e.g. "reference.dnn.json". */
  file: string;
  /** The config file's URI, which the error entries open at their line. */
  documentUri?: string;
  /** The run that failed; absent when the config did not validate and no run started. */
  runId?: string;
  kind: string;
  message: string;
  /** Config errors with 1-based line and column, when the config did not validate. */
  configErrors?: (Pick<ConfigError, 'path' | 'message'> & { line: number; column: number })[];
}

/** What the page keeps of its view (see webview/training/viewState.ts); the host keeps a copy for a reopened panel. */
export interface PanelViewState {
  /** The run the student chose in the history; undefined follows the newest (or running) run. */
  shownRunId?: string;
  /** Overlaid run ids per config file (a record's documentPath). */
  overlays: Record<string, string[]>;
  /** The page's vertical scroll position. */
  scrollY: number;
  /** The last error the page scrolled into view, so a reload does not scroll to it again. */
  errorSeen?: string;
}

/** Everything the panel shows; the host's answer to `page/ready`. */
export interface PanelState {
  /** The run in the charts: the one in progress, else the newest. */
  shown?: RunRecord;
  /** Every saved run, newest first. */
  history: RunSummary[];
  running: boolean;
  /** The last failure, until the next run starts. */
  error?: PanelError;
  /** The view the page last saved in this window, for a panel closed and reopened (readViewState checks it). */
  view?: unknown;
}

/** The panel's Export menu: the shown run, the runs overlaid on it (for a comparison) and the charts it can draw. */
export interface ExportRequest {
  runId: string;
  /** Overlaid runs' ids, compared with the shown one in the comparison table. */
  compared: string[];
  /** The charts with points, by name ("loss") and caption as the page shows it. */
  charts: { chart: string; caption: string }[];
}

/** "Your own digit": an image (MNIST's 28 × 28, 0..255, row-major) to put through the shown run's network. */
export interface DigitRequest {
  runId: string;
  pixels: number[];
  /** The digit taken as the right answer for C and δ. */
  target: number;
}

/** Messages the host sends the page. */
export type ToTrainingPage = {
  /** Sent when a run started: its record replaces the shown run. */
  'run/started': { payload: { record: RunRecord } };
  /** Sent with the batches that ended since the last one (at most a few times a second). */
  'run/batchEnded': { payload: { runId: string; batches: BatchMetrics[] } };
  /** Sent when an epoch ended, test set evaluated. */
  'run/epochEnded': { payload: { runId: string; metrics: EpochMetrics } };
  /** Sent with an epoch's test predictions. */
  'run/predicted': { payload: { runId: string; sample: PredictionSample } };
  /** Sent when the run completed or was cancelled, and was saved. */
  'run/finished': {
    payload: { runId: string; status: 'completed' | 'cancelled'; backend: string; history: RunSummary[] };
  };
  /** Sent when a run failed or a config did not validate (no `runId` then); shown until the next run. */
  'run/failed': { payload: { runId?: string; error: PanelError; history: RunSummary[] } };
  /** Sent when the history changed outside a run (cleared). */
  'history/changed': { payload: { history: RunSummary[]; shown?: RunRecord } };
  /** Sent when the config error shown went away: the file validates now. */
  'run/errorCleared': { payload: Record<string, never> };
  /** Request, sent when the student exports a chart: answered with it as a PNG data URL, dark on white. */
  'chart/image': { payload: { chart: string }; result: string };
};

/** Messages the page sends the host. */
export type FromTrainingPage = {
  /** Request, sent once the page has loaded (first time or after a reload): answered with the whole state. */
  'page/ready': { payload: Record<string, never>; result: PanelState };
  /** Sent by the Stop button. */
  'run/stop': { payload: Record<string, never> };
  /** Sent by the Rerun button: run the shown run's config file again. */
  'run/rerun': { payload: { runId: string } };
  /** Request, sent to overlay or show a saved run: resolves with its record. */
  'history/load': { payload: { runId: string }; result: RunRecord };
  /** Sent by Clear history: deletes every saved run, after asking. */
  'history/clear': { payload: Record<string, never> };
  /** Sent when the student opens a lesson, e.g. "7-2" from the overfitting note. */
  'lesson/open': { payload: { lesson: string } };
  /** Request, sent by an error entry: opens the error's config file with the cursor at the 1-based line and column. */
  'error/open': { payload: { documentUri: string; line: number; column: number }; result: void };
  /** Sent when the page's view changed (run shown, overlays, scroll): kept for a panel closed and reopened. */
  'view/save': { payload: PanelViewState };
  /** Sent by the Export… button: the host shows what can be exported and saves the student's pick. */
  'export/menu': { payload: ExportRequest };
  /** Request, sent for your own digit: the shown run's outputs, prediction and δ of every layer for one image. */
  'digit/probe': { payload: DigitRequest; result: DigitProbe };
};

/**
 * A record from the host. The page checks it with `checkRunRecord` itself, so a bad one shows as a record error
 * naming the field instead of vanishing; this guard lets it through to that check.
 */
const isRecordForPage = isUnknown as Guard<RunRecord>;

const isPanelError: Guard<PanelError> = object({
  file: isString,
  documentUri: optional(isString),
  runId: optional(isString),
  kind: isString,
  message: isString,
  configErrors: optional(arrayOf(object({ path: isString, message: isString, line: isNumber, column: isNumber }))),
});

const isHistory = arrayOf(isRunSummary);

/** The page's check of each message from the host, by type. */
export const toTrainingPageGuards: { [K in keyof ToTrainingPage]: Guard<ToTrainingPage[K]['payload']> } = {
  'run/started': object({ record: isRecordForPage }),
  'run/batchEnded': object({ runId: isString, batches: arrayOf(isBatchMetrics) }),
  'run/epochEnded': object({ runId: isString, metrics: isEpochMetrics }),
  'run/predicted': object({ runId: isString, sample: isPredictionSample }),
  'run/finished': object({
    runId: isString,
    status: oneOf(['completed', 'cancelled']),
    backend: isString,
    history: isHistory,
  }),
  'run/failed': object({ runId: optional(isString), error: isPanelError, history: isHistory }),
  'history/changed': object({ history: isHistory, shown: optional(isRecordForPage) }),
  'run/errorCleared': isEmpty,
  'chart/image': object({ chart: isString }),
};

/** The page's check of the host's replies, by request type. */
export const trainingPageReplyGuards = {
  'page/ready': object({
    shown: optional(isRecordForPage),
    history: isHistory,
    running: isBoolean,
    error: optional(isPanelError),
    view: isUnknown,
  }) as Guard<PanelState>,
  'history/load': isRecordForPage,
  'error/open': isUnknown as Guard<void>,
  'digit/probe': object({
    outputs: arrayOf(isNumber),
    predicted: isNumber,
    target: isNumber,
    loss: isNumber,
    deltas: arrayOf(arrayOf(isNumber)),
  }) as Guard<DigitProbe>,
};

/** The host's check of the page's replies, by request type. */
export const toTrainingPageReplyGuards = {
  'chart/image': isString,
};

const isRunIdPayload = object({ runId: isString });

/** The host's check of each message from the page, by type. */
export const fromTrainingPageGuards: { [K in keyof FromTrainingPage]: Guard<FromTrainingPage[K]['payload']> } = {
  'page/ready': isEmpty,
  'run/stop': isEmpty,
  'run/rerun': isRunIdPayload,
  'history/load': isRunIdPayload,
  'history/clear': isEmpty,
  'lesson/open': object({ lesson: isString }),
  'error/open': object({ documentUri: isString, line: isNumber, column: isNumber }),
  // Its fields are checked where they are read back (readViewState); here only that it is an object.
  'view/save': object({ overlays: isRecord, scrollY: isNumber }) as Guard<PanelViewState>,
  'export/menu': object({
    runId: isString,
    compared: arrayOf(isString),
    charts: arrayOf(object({ chart: isString, caption: isString })),
  }),
  // The pixels' count and range and the target's are checked by the host's digitRequestOf, which names them.
  'digit/probe': object({ runId: isString, pixels: arrayOf(isNumber), target: isNumber }),
};
