// The probe Web Worker (dist/web/probeWorker.js): the web extension's counterpart of probeWorker.ts, keeping MNIST
// and the kernels loaded between probes. The host sends the assets once, then one probe at a time.
import { DataError } from '../engine/data/errors';
import { errorText } from '../engine/errorText';
import { ProbeSession } from '../engine/probe/probeSession';
import { MessageEndpoint, ReplyError } from '../protocol/endpoint';
import { isProbeRun, type FromProbeWorker, type ProbeErrorKind } from '../protocol/probeProtocol';
import { isProbeAssets, type ToProbeWebWorker } from '../protocol/webWorkerProtocol';
import { installSetImmediate, webKernels, webMnist, workerScope } from './webWorkerSources';

installSetImmediate();
const host = new MessageEndpoint<ToProbeWebWorker, FromProbeWorker>(
  (envelope) => workerScope.postMessage(envelope),
  (warning) => host.notify('probe/log', { message: `Probe worker: ${warning}` }),
);
workerScope.addEventListener('message', ({ data }) => host.receive(data));
let session: ProbeSession | undefined;

host.on('probe/assets', isProbeAssets, ({ assets }) => {
  session = new ProbeSession((message) => host.notify('probe/log', { message }), {
    chooseKernels: (preference) => webKernels(preference, assets),
    loadData: (request) => webMnist(assets, request),
    dataKey: (request) => (request.config.dataset.kind === 'path' ? `path:${request.config.dataset.path}` : 'packaged'),
  });
});
host.on('probe/run', isProbeRun, async ({ request }) => {
  if (!session) throw new ReplyError('Internal error: the probe worker got no assets', 'internal');
  return session.run(request).catch((err: unknown) => {
    const kind: ProbeErrorKind = err instanceof DataError ? 'data' : 'internal';
    throw new ReplyError(kind === 'data' ? errorText(err) : `Internal error: ${errorText(err)}`, kind);
  });
});
