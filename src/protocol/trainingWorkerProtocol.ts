/**
 * The training worker's protocol (host <-> worker_threads worker), carried by src/protocol/endpoint.ts. The worker
 * sends the run's events (src/engine/run.ts) as notifications named after them, in order.
 */
import type { RunEvent, RunRequest } from '../engine/run';
import { isBatchMetrics, isEpochMetrics, isPredictionSample } from '../engine/record/runRecord';
import { arrayOf, isNumber, isRecord, isString, object, oneOf, optional, type Guard } from './guards';

/** The run event of one type. */
type Event<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** Messages the host sends the training worker. */
export type ToTrainingWorker = {
  /** Sent once, right after the worker starts: train this. */
  'run/start': { payload: { request: RunRequest } };
};

/** Messages the training worker sends the host: the run's events, each payload the whole event. */
export type FromTrainingWorker = {
  /** Sent first: the kernels were chosen. */
  'run/backendChosen': { payload: Event<'run/backendChosen'> };
  /** Sent while MNIST downloads. */
  'data/progress': { payload: Event<'data/progress'> };
  /** Sent once the data is in memory. */
  'data/loaded': { payload: Event<'data/loaded'> };
  /** Sent after every batch. */
  'run/batchEnded': { payload: Event<'run/batchEnded'> };
  /** Sent after every epoch, test set evaluated. */
  'run/epochEnded': { payload: Event<'run/epochEnded'> };
  /** Sent after an epoch's test predictions, when the request asked for them. */
  'run/predicted': { payload: Event<'run/predicted'> };
  /** Sent last when the run completed or was cancelled. */
  'run/finished': { payload: Event<'run/finished'> };
  /** Sent last when the run failed. */
  'run/failed': { payload: Event<'run/failed'> };
};

/** Data the worker is created with. */
export interface WorkerData {
  /** Int32Array over a SharedArrayBuffer; the host stores 1 at index 0 to cancel, read between batches. */
  cancelFlag: SharedArrayBuffer;
}

/** The worker's check of what the host asks: the config was validated on the host, so its shape is enough. */
export const isRunStart: Guard<ToTrainingWorker['run/start']['payload']> = (value): value is { request: RunRequest } =>
  isRecord(value) &&
  isRecord(value.request) &&
  isRecord(value.request.config) &&
  isString(value.request.cacheDir) &&
  isString(value.request.backend);

const ofType =
  <T extends RunEvent['type']>(type: T, rest: Guard<unknown>): Guard<Event<T>> =>
  (value): value is Event<T> =>
    isRecord(value) && value.type === type && rest(value);

/** The host's check of each event from the worker, by type. */
export const fromTrainingWorkerGuards: { [K in keyof FromTrainingWorker]: Guard<FromTrainingWorker[K]['payload']> } = {
  'run/backendChosen': ofType('run/backendChosen', object({ name: isString, skipped: arrayOf(isString) })),
  'data/progress': ofType('data/progress', object({ file: isString, receivedBytes: isNumber, totalBytes: isNumber })),
  'data/loaded': ofType(
    'data/loaded',
    object({
      source: oneOf(['folder', 'cache', 'download']),
      dir: isString,
      trainCount: isNumber,
      testCount: isNumber,
    }),
  ),
  'run/batchEnded': ofType('run/batchEnded', (v): v is unknown => isBatchMetrics((v as { metrics?: unknown }).metrics)),
  'run/epochEnded': ofType('run/epochEnded', (v): v is unknown => isEpochMetrics((v as { metrics?: unknown }).metrics)),
  'run/predicted': ofType('run/predicted', (v): v is unknown => isPredictionSample((v as { sample?: unknown }).sample)),
  'run/finished': ofType(
    'run/finished',
    object({
      result: object({
        status: oneOf(['completed', 'cancelled']),
        epochs: arrayOf(isEpochMetrics),
        backend: isString,
        seconds: isNumber,
      }),
    }),
  ),
  'run/failed': ofType(
    'run/failed',
    object({
      kind: oneOf(['backend', 'data', 'config', 'diverged', 'internal']),
      message: isString,
      epoch: optional(isNumber),
      batch: optional(isNumber),
      layer: optional(isNumber),
      field: optional(isString),
    }),
  ),
};

/** Every type the worker sends, for the host to subscribe to each. */
export const FROM_TRAINING_WORKER_TYPES = Object.keys(fromTrainingWorkerGuards) as (keyof FromTrainingWorker &
  string)[];

// A compile-time check that the map names every run event and nothing else.
type Missing = Exclude<RunEvent['type'], keyof FromTrainingWorker>;
const everyEvent: [Missing] extends [never] ? true : Missing = true;
void everyEvent;
