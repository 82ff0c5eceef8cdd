import type { RunEvent, RunRequest } from '../engine/run';

/** Messages the host sends to the training worker. */
export type ToWorker =
  /** Sent once, right after the worker starts: train this. */
  { type: 'run/start'; request: RunRequest };

/** Messages the training worker sends to the host: the run's events, in order. */
export type FromWorker = RunEvent;

/** Data the worker is created with. */
export interface WorkerData {
  /** Int32Array over a SharedArrayBuffer; the host stores 1 at index 0 to cancel, read between batches. */
  cancelFlag: SharedArrayBuffer;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<FromWorker['type']>([
  'run/backend',
  'data/progress',
  'data/loaded',
  'run/batchEnded',
  'run/epochEnded',
  'run/predictions',
  'run/done',
  'run/error',
]);

/** Checks a message from the worker before the host uses it. */
export function isFromWorker(message: unknown): message is FromWorker {
  return (
    typeof message === 'object' && message !== null && EVENT_TYPES.has((message as { type?: unknown }).type as string)
  );
}
