// The kernels' helper threads in Node (the CLI, the extension host's training and probe workers, the tests):
// worker threads running the pool's loop from source text (`eval: true`), so no separate bundle entry is needed.
import { Worker } from 'node:worker_threads';
import { HELPER_LOOP, type HelperSpawner } from './kernelThreads';

const NODE_HELPER = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, scratch, spinMicros } = workerData;
const ready = () => parentPort.postMessage('ready');
${HELPER_LOOP}
`;

/** Starts one helper worker thread; it never keeps the process alive (unref), even if nobody closes the pool. */
export const nodeHelperSpawner: HelperSpawner = (data) => {
  const worker = new Worker(NODE_HELPER, { eval: true, workerData: data });
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      worker.removeAllListeners();
      void worker.terminate();
      reject(error);
    };
    worker.once('message', () => {
      worker.removeAllListeners();
      // Idle helpers sleep in Atomics.wait; unref lets the process exit even if nobody calls close().
      worker.unref();
      resolve(worker);
    });
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`kernel helper thread exited with code ${code} before it was ready`)));
  });
};
