// The probe worker: answers "what do this config's error signals look like at initialization?" off the host's
// thread, keeping MNIST and the kernels loaded between probes. The host sends one request at a time.
import { parentPort } from 'node:worker_threads';
import { DataError } from '../engine/data';
import { ProbeSession } from '../engine/probe/probeSession';
import type { FromProbeWorker, ToProbeWorker } from '../protocol/probeProtocol';

const port = parentPort;
if (!port) throw new Error('probeWorker.js must run in a worker thread');
const post = (message: FromProbeWorker): void => port.postMessage(message);
const session = new ProbeSession((message) => post({ type: 'probe/log', message }));

port.on('message', (message: ToProbeWorker) => {
  if (message?.type !== 'probe/run') return;
  const { id, request } = message;
  session.run(request).then(
    (result) => post({ type: 'probe/result', id, result }),
    (err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      post(
        err instanceof DataError
          ? { type: 'probe/error', id, kind: 'data', message: text }
          : { type: 'probe/error', id, kind: 'internal', message: `Internal error: ${text}` },
      );
    },
  );
});
