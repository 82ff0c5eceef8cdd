import { Worker } from 'node:worker_threads';
import type { RunRequest } from '../engine/run';
import type { TrainResult } from '../engine/train/metrics';
import { isFromWorker, type FromWorker, type ToWorker, type WorkerData } from '../protocol/workerProtocol';

/** A training run in its own worker thread, seen from the host. */
export interface TrainingHandle {
  /** Resolves with the result (completed or cancelled); rejects with the run's error message. */
  readonly done: Promise<TrainResult>;
  /** Asks the run to stop; it ends within a batch and `done` resolves as cancelled. */
  cancel(): void;
}

/** Thrown by `done` when the run failed; `event` says where (epoch, batch, layer) for divergence. */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';

  constructor(readonly event: Extract<FromWorker, { type: 'run/error' }>) {
    super(event.message);
  }
}

/**
 * Starts `request` in a new worker running `workerScript` (the bundled dist/worker.js). Every event reaches
 * `onEvent` in order; anything that is not a known event is dropped with a warning to `log`.
 */
export function startTraining(
  workerScript: string,
  request: RunRequest,
  onEvent: (event: FromWorker) => void,
  log: (message: string) => void = () => {},
): TrainingHandle {
  const cancelFlag = new SharedArrayBuffer(4);
  const worker = new Worker(workerScript, { workerData: { cancelFlag } satisfies WorkerData });
  const done = new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (message: unknown) => {
      if (!isFromWorker(message)) {
        log(`Dropped an unknown message from the training worker: ${JSON.stringify(message).slice(0, 200)}`);
        return;
      }
      onEvent(message);
      if (message.type === 'run/done') finish(() => resolve(message.result));
      if (message.type === 'run/error') finish(() => reject(new RunFailedError(message)));
    });
    worker.on('error', (err) =>
      finish(() =>
        reject(
          new RunFailedError({
            type: 'run/error',
            kind: 'internal',
            message: `The training worker crashed: ${err.message}`,
          }),
        ),
      ),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(
          new RunFailedError({
            type: 'run/error',
            kind: 'internal',
            message: `The training worker exited (code ${code}) before finishing.`,
          }),
        ),
      ),
    );
  });
  worker.postMessage({ type: 'run/start', request } satisfies ToWorker);
  return {
    done,
    cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
  };
}
