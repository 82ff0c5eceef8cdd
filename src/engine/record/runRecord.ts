// What one run leaves behind, as stored in .dnnlab/runs/<id>.json and shown in the training panel: the types,
// and the one runtime guard every reader of a record goes through. No Node or VS Code imports, so the webview
// shares them.
import type { LabConfig } from '../config/labConfig';
import { errorText } from '../errorText';
import { MAX_EPOCHS, MAX_UNITS } from '../config/labConfigFormat';
import { NON_NEGATIVE_INTEGER, positiveInteger, type NumberRule } from '../config/numberRules';
import type { BatchMetrics, EpochMetrics, LayerStats, PredictionSample } from '../train/metrics';

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

/** A run id as `newRunId` makes them, time first: "2026-11-26T15-40-02-123Z-corelab-1". */
export const RUN_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[a-z0-9-]{1,40}$/;

/** Whether `id` is a run id DNN Lab made (and so a safe file name inside the runs folder). */
export function isRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID_PATTERN.test(id);
}

/** Layers a record may have: far more than any lab, few enough that a curve per layer stays cheap to draw. */
export const MAX_RECORD_LAYERS = 1_000;
/** Test digits a record's predictions may hold (the session keeps 48). */
export const MAX_PREDICTED_DIGITS = 1_000;
/** The longest side of a predicted digit's image (MNIST's is 28): the panel draws each one on a canvas. */
export const MAX_DIGIT_SIDE = 256;
/** Classes a record's outputs and confusion matrix may have (MNIST has 10). */
export const MAX_CLASSES = 1_000;

/** The guard's verdict: the record, or what is wrong with it, naming the field and the value. */
export type RecordCheck = { ok: true; record: RunRecord } | { ok: false; problem: string };

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'cancelled', 'failed'];
const NON_NEGATIVE = NON_NEGATIVE_INTEGER;
const POSITIVE = positiveInteger();

/**
 * The one runtime guard for a run record, whatever it came from (a file in .dnnlab/runs, a message): checks every
 * field the host and the page read, the sizes they draw included, and answers with the first problem, e.g.
 * "predictions.digits[3].rows must be at most 256, got 100000". Metrics JSON stored as null (it writes NaN and
 * Infinity so, e.g. the update ratio of a layer initialized with zeros) come back as NaN. Never throws.
 */
export function checkRunRecord(value: unknown): RecordCheck {
  try {
    return { ok: true, record: runRecordOf(value) };
  } catch (err) {
    if (err instanceof RecordProblem) return { ok: false, problem: err.message };
    return { ok: false, problem: `it could not be checked: ${errorText(err)}` };
  }
}

/**
 * Guards for the parts of a record that cross a boundary on their own (a worker's events, the host's messages to
 * the page), by the same rules as the whole record. Like `checkRunRecord`, they read JSON's null back as NaN.
 */
export function isEpochMetrics(value: unknown): value is EpochMetrics {
  return passes(() => epochMetricsAt(value, 'metrics'));
}

/** See `isEpochMetrics`. */
export function isBatchMetrics(value: unknown): value is BatchMetrics {
  return passes(() => {
    const batch = batchAt(value, 'metrics');
    metricAt(batch, 'accuracy', 'metrics');
    optional(batch, 'layers', (v) => layerStatsListAt(v, 'metrics.layers'));
  });
}

/** See `isEpochMetrics`. */
export function isPredictionSample(value: unknown): value is PredictionSample {
  return passes(() => predictionsAt(value, 'sample'));
}

/** See `isEpochMetrics`. */
export function isRunSummary(value: unknown): value is RunSummary {
  return passes(() => {
    const s = objectAt(value, 'summary');
    if (!isRunId(s.id)) wrong('id', 'a run id', s.id);
    for (const key of ['name', 'documentPath']) stringAt(s[key], key);
    integerAt(s.startedAt, 'startedAt', NON_NEGATIVE);
    if (!STATUSES.includes(s.status as RunStatus)) wrong('status', 'a run status', s.status);
    integerAt(s.epochs, 'epochs', NON_NEGATIVE);
    integerAt(s.plannedEpochs, 'plannedEpochs', NON_NEGATIVE);
    if (s.testAccuracy === null) s.testAccuracy = NaN;
    optional(s, 'testAccuracy', (v) => typeof v === 'number' || wrong('testAccuracy', 'a number', v));
  });
}

function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

class RecordProblem extends Error {}

/** A value as a message shows it: short, and never the whole of a large array or string. */
function described(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/** A field's path, or a function making it: hot loops name a field only when it is wrong. */
type FieldPath = string | (() => string);

function wrong(path: FieldPath, what: string, value: unknown): never {
  throw new RecordProblem(`${typeof path === 'string' ? path : path()} must be ${what}, got ${described(value)}`);
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) wrong(path, 'an object', value);
  return value as Record<string, unknown>;
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') wrong(path, 'a string', value);
  return value;
}

function arrayAt(value: unknown, path: string, max = Number.MAX_SAFE_INTEGER): unknown[] {
  if (!Array.isArray(value)) wrong(path, 'an array', value);
  if (value.length > max) wrong(path, `an array of at most ${max}`, value);
  return value;
}

function integerAt(value: unknown, path: FieldPath, rule: NumberRule): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) wrong(path, rule.what, value);
  const problem = rule.check(value);
  if (problem) wrong(path, problem, value);
  return value;
}

/** A measured figure: a number, or JSON's null for NaN and Infinity, read back as NaN. */
function metricAt(owner: Record<string, unknown>, key: string, path: string): void {
  const value = owner[key];
  if (value === null) owner[key] = NaN;
  else if (typeof value !== 'number') wrong(`${path}.${key}`, 'a number', value);
}

function optional<T>(owner: Record<string, unknown>, key: string, read: (value: unknown) => T): void {
  if (owner[key] !== undefined) read(owner[key]);
}

function layerStatsAt(value: unknown, path: string): void {
  const stats = objectAt(value, path);
  integerAt(stats.layer, () => `${path}.layer`, POSITIVE);
  for (const key of ['deltaRms', 'gradNorm', 'weightNorm', 'updateRatio']) metricAt(stats, key, path);
}

function layerStatsListAt(value: unknown, path: string): void {
  arrayAt(value, path, MAX_RECORD_LAYERS).forEach((s, i) => layerStatsAt(s, `${path}[${i}]`));
}

function predictionsAt(value: unknown, path: string): void {
  const sample = objectAt(value, path);
  integerAt(sample.epoch, `${path}.epoch`, NON_NEGATIVE);
  integerAt(sample.testCount, `${path}.testCount`, NON_NEGATIVE);
  arrayAt(sample.digits, `${path}.digits`, MAX_PREDICTED_DIGITS).forEach((d, i) => {
    const at = `${path}.digits[${i}]`;
    const digit = objectAt(d, at);
    integerAt(digit.index, `${at}.index`, NON_NEGATIVE);
    const rows = integerAt(digit.rows, `${at}.rows`, positiveInteger(MAX_DIGIT_SIDE));
    const cols = integerAt(digit.cols, `${at}.cols`, positiveInteger(MAX_DIGIT_SIDE));
    const pixels = arrayAt(digit.pixels, `${at}.pixels`, rows * cols);
    if (pixels.length !== rows * cols) wrong(`${at}.pixels`, `rows × cols = ${rows * cols} values`, pixels);
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k];
      if (typeof p !== 'number' || !Number.isFinite(p)) wrong(`${at}.pixels[${k}]`, 'a number', p);
    }
    integerAt(digit.label, `${at}.label`, NON_NEGATIVE);
    integerAt(digit.predicted, `${at}.predicted`, NON_NEGATIVE);
    const probabilities = arrayAt(digit.probabilities, `${at}.probabilities`, MAX_CLASSES);
    probabilities.forEach((p, k) => {
      if (p === null) probabilities[k] = NaN;
      else if (typeof p !== 'number') wrong(`${at}.probabilities[${k}]`, 'a number', p);
    });
  });
  arrayAt(sample.confusion, `${path}.confusion`, MAX_CLASSES).forEach((row, i) =>
    arrayAt(row, `${path}.confusion[${i}]`, MAX_CLASSES).forEach((count, k) =>
      integerAt(count, () => `${path}.confusion[${i}][${k}]`, NON_NEGATIVE),
    ),
  );
}

function epochMetricsAt(value: unknown, at: string): void {
  const epoch = objectAt(value, at);
  integerAt(epoch.epoch, `${at}.epoch`, POSITIVE);
  for (const key of ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'seconds']) metricAt(epoch, key, at);
  layerStatsListAt(epoch.layers, `${at}.layers`);
}

/** A batch's place and loss: a record's `batchLosses[i]`, or the start of a batch's metrics. */
function batchAt(value: unknown, at: string): Record<string, unknown> {
  const batch = objectAt(value, at);
  integerAt(batch.epoch, () => `${at}.epoch`, POSITIVE);
  integerAt(batch.batch, () => `${at}.batch`, POSITIVE);
  integerAt(batch.batches, () => `${at}.batches`, POSITIVE);
  metricAt(batch, 'loss', at);
  return batch;
}

function runRecordOf(value: unknown): RunRecord {
  const r = objectAt(value, 'the record');
  if (r.format !== RUN_RECORD_FORMAT)
    wrong('format', `${RUN_RECORD_FORMAT} (the format this version of DNN Lab writes)`, r.format);
  if (!isRunId(r.id)) wrong('id', 'a run id such as "2026-11-26T15-40-02-123Z-corelab-1"', r.id);
  stringAt(r.name, 'name');
  stringAt(r.documentPath, 'documentPath');
  stringAt(r.documentUri, 'documentUri');
  integerAt(r.startedAt, 'startedAt', NON_NEGATIVE);
  optional(r, 'finishedAt', (v) => integerAt(v, 'finishedAt', NON_NEGATIVE));
  if (!STATUSES.includes(r.status as RunStatus))
    wrong(
      'status',
      STATUSES.map((s) => `"${s}"`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1'),
      r.status,
    );
  optional(r, 'error', (v) => {
    const error = objectAt(v, 'error');
    stringAt(error.kind, 'error.kind');
    stringAt(error.message, 'error.message');
  });
  const config = objectAt(r.config, 'config');
  stringAt(config.name, 'config.name');
  integerAt(config.epochs, 'config.epochs', positiveInteger(MAX_EPOCHS));
  const layers = arrayAt(config.layers, 'config.layers', MAX_RECORD_LAYERS);
  if (layers.length === 0) wrong('config.layers', 'a non-empty array', layers);
  layers.forEach((l, i) =>
    integerAt(objectAt(l, `config.layers[${i}]`).units, `config.layers[${i}].units`, positiveInteger(MAX_UNITS)),
  );
  const environment = objectAt(r.environment, 'environment');
  for (const key of ['extensionVersion', 'vscodeVersion', 'node', 'platform', 'arch'])
    stringAt(environment[key], `environment.${key}`);
  for (const key of ['backend', 'dataSource', 'dataDir'])
    optional(environment, key, (v) => stringAt(v, `environment.${key}`));
  arrayAt(r.epochs, 'epochs', MAX_EPOCHS).forEach((e, i) => epochMetricsAt(e, `epochs[${i}]`));
  arrayAt(r.batchLosses, 'batchLosses').forEach((b, i) => batchAt(b, `batchLosses[${i}]`));
  arrayAt(r.layerSnapshots, 'layerSnapshots').forEach((s, i) => {
    const at = `layerSnapshots[${i}]`;
    const snapshot = objectAt(s, at);
    integerAt(snapshot.step, () => `${at}.step`, POSITIVE);
    integerAt(snapshot.epoch, () => `${at}.epoch`, POSITIVE);
    layerStatsListAt(snapshot.layers, `${at}.layers`);
  });
  optional(r, 'predictions', (v) => predictionsAt(v, 'predictions'));
  return r as unknown as RunRecord;
}
