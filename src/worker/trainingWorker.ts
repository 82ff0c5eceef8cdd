// The training worker: runs one training run off the host's main thread and posts its events back.
import { parentPort, workerData } from 'node:worker_threads';
import { runTraining } from '../engine/run';
import type { FromWorker, ToWorker, WorkerData } from '../protocol/workerProtocol';

const port = parentPort;
if (!port) throw new Error('trainingWorker.js must run in a worker thread');
const cancelFlag = new Int32Array((workerData as WorkerData).cancelFlag);

port.once('message', (message: ToWorker) => {
  if (message.type !== 'run/start') return;
  void runTraining(
    message.request,
    (event: FromWorker) => port.postMessage(event),
    () => Atomics.load(cancelFlag, 0) === 1,
  );
});
