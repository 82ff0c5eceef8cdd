import { Worker } from 'node:worker_threads';
import type { RunEvent, RunRequest } from '../engine/run';
import type { TrainResult } from '../engine/train/metrics';
import { MessageEndpoint } from '../protocol/endpoint';
import {
  FROM_TRAINING_WORKER_TYPES,
  fromTrainingWorkerGuards,
  type FromTrainingWorker,
  type ToTrainingWorker,
  type WorkerData,
} from '../protocol/trainingWorkerProtocol';
import { RunFailedError, type TrainingHandle } from './trainingHandle';

export { RunFailedError, type TrainingHandle } from './trainingHandle';

/**
 * Starts `request` in a new worker running `workerScript` (the bundled dist/worker.js). Every event reaches
 * `onEvent` in order; anything that is not a known, well-formed event is dropped with a warning to `log`.
 */
export function startTraining(
  workerScript: string,
  request: RunRequest,
  onEvent: (event: RunEvent) => void,
  log: (message: string) => void = () => {},
): TrainingHandle {
  const cancelFlag = new SharedArrayBuffer(4);
  const worker = new Worker(workerScript, { workerData: { cancelFlag } satisfies WorkerData });
  const endpoint = new MessageEndpoint<FromTrainingWorker, ToTrainingWorker>(
    (envelope) => worker.postMessage(envelope),
    (warning) => log(`Training worker: ${warning}`),
  );
  const done = new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    for (const type of FROM_TRAINING_WORKER_TYPES)
      endpoint.on(type, fromTrainingWorkerGuards[type] as (value: unknown) => value is RunEvent, (event: RunEvent) => {
        onEvent(event);
        if (event.type === 'run/finished') finish(() => resolve(event.result));
        if (event.type === 'run/failed') finish(() => reject(new RunFailedError(event)));
      });
    worker.on('message', (message: unknown) => endpoint.receive(message));
    const crashed = (message: string) =>
      finish(() => reject(new RunFailedError({ type: 'run/failed', kind: 'internal', message })));
    worker.on('error', (err) => crashed(`The training worker crashed: ${err.message}`));
    worker.on('exit', (code) => crashed(`The training worker exited (code ${code}) before finishing.`));
  });
  endpoint.notify('run/start', { request });
  return {
    done,
    cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
  };
}
