// The probe worker: answers "what do this config's error signals look like at initialization?" off the host's
// thread, keeping MNIST and the kernels loaded between probes. The host sends one request at a time.
import { parentPort } from 'node:worker_threads';
import { DataError, inEditorTerms } from '../engine/data';
import { errorText } from '../engine/errorText';
import { ProbeSession } from '../engine/probe/probeSession';
import { MessageEndpoint, ReplyError } from '../protocol/endpoint';
import { isProbeRun, type FromProbeWorker, type ProbeErrorKind, type ToProbeWorker } from '../protocol/probeProtocol';

const port = parentPort;
if (!port) throw new Error('probeWorker.js must run in a worker thread');
const host = new MessageEndpoint<ToProbeWorker, FromProbeWorker>(
  (envelope) => port.postMessage(envelope),
  (warning) => host.notify('probe/log', { message: `Probe worker: ${warning}` }),
);
port.on('message', (message: unknown) => host.receive(message));
const session = new ProbeSession((message) => host.notify('probe/log', { message }));

host.on('probe/run', isProbeRun, ({ request }) =>
  session.run(request).catch((err: unknown) => {
    const kind: ProbeErrorKind = err instanceof DataError ? 'data' : 'internal';
    throw new ReplyError(kind === 'data' ? inEditorTerms(errorText(err)) : `Internal error: ${errorText(err)}`, kind);
  }),
);
