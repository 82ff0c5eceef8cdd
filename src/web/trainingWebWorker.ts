// The training Web Worker (dist/web/trainingWorker.js): the web extension's counterpart of trainingWorker.ts. It
// runs one run off the extension host's thread and sends the same events; cancel arrives as a message, let in
// between batches.
import { automaticThreads } from '../engine/kernels/threads';
import { runTraining, type RunEvent } from '../engine/run';
import { MessageEndpoint } from '../protocol/endpoint';
import type { FromTrainingWorker } from '../protocol/trainingWorkerProtocol';
import { isRunCancel, isWebRunStart, type ToTrainingWebWorker } from '../protocol/webWorkerProtocol';
import { installSetImmediate, nextTurn, webKernels, webMnist, workerScope } from './webWorkerSources';

installSetImmediate();
const host = new MessageEndpoint<ToTrainingWebWorker, FromTrainingWorker>(
  (envelope) => workerScope.postMessage(envelope),
  (warning) => console.warn(`[dnn-lab training worker] ${warning}`),
);
workerScope.addEventListener('message', ({ data }) => host.receive(data));

let cancelled = false;
let started = false;
host.on('run/cancel', isRunCancel, () => {
  cancelled = true;
});
host.on('run/start', isWebRunStart, ({ request, assets }) => {
  if (started) return; // one run per worker
  started = true;
  void runTraining(
    request,
    (event: RunEvent) => host.notify(event.type, event as never),
    () => cancelled,
    {
      chooseKernels: (preference, threads) => webKernels(preference, assets, threads || automaticThreads(1)),
      loadData: async (request) => ({ data: await webMnist(assets, request), source: 'folder', dir: assets.mnistDir }),
      betweenBatches: nextTurn,
    },
  );
});
