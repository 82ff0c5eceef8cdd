// The training worker: runs one training run off the host's main thread and posts its events back.
import { parentPort, workerData } from 'node:worker_threads';
import { runTraining, type RunEvent } from '../engine/run';
import { MessageEndpoint } from '../protocol/endpoint';
import {
  isRunStart,
  type FromTrainingWorker,
  type ToTrainingWorker,
  type WorkerData,
} from '../protocol/trainingWorkerProtocol';

const port = parentPort;
if (!port) throw new Error('trainingWorker.js must run in a worker thread');
const cancelFlag = new Int32Array((workerData as WorkerData).cancelFlag);
const host = new MessageEndpoint<ToTrainingWorker, FromTrainingWorker>(
  (envelope) => port.postMessage(envelope),
  (warning) => console.warn(`[dnn-lab training worker] ${warning}`),
);
port.on('message', (message: unknown) => host.receive(message));

let started = false;
host.on('run/start', isRunStart, ({ request }) => {
  if (started) return; // one run per worker
  started = true;
  void runTraining(
    request,
    (event: RunEvent) => host.notify(event.type, event as never),
    () => Atomics.load(cancelFlag, 0) === 1,
  );
});
