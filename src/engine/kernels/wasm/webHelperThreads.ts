// The kernels' helper threads in a browser (DNN Lab's training Web Worker in vscode.dev, github.dev and
// code-server's web extension host): nested Web Workers from a blob of the pool's loop. The wasm memory they share
// can be posted to them only where the page is cross-origin isolated (SharedArrayBuffer); elsewhere the kernels run
// on one thread (webWorkerSources.ts decides).
import { errorText } from '../../errorText';
import { HELPER_LOOP, type HelperSpawner } from './kernelThreads';

/** The browser's Worker, Blob and URL as the spawner uses them (the src tsconfig has no DOM lib). */
interface BrowserGlobals {
  Worker: new (
    url: string,
    options?: { name?: string },
  ) => {
    postMessage(message: unknown): void;
    terminate(): void;
    onmessage: ((event: { data: unknown }) => void) | null;
    onerror: ((event: { message?: string; preventDefault?(): void }) => void) | null;
  };
  Blob: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string };
  crossOriginIsolated?: boolean;
}

const WEB_HELPER = `
self.onmessage = (event) => {
  self.onmessage = null;
  const { module, memory, control, scratch, spinMicros } = event.data;
  const ready = () => self.postMessage('ready');
  ${HELPER_LOOP}
};
`;

/**
 * How long a helper may take to start and instantiate the kernels before the pool gives up on it: a Web Worker
 * that a page's content security policy refuses may report nothing at all, and a run must not wait forever.
 */
export const WEB_HELPER_START_MS = 20_000;

let helperUrl: string | undefined;

/** Starts one helper Web Worker; rejects with the browser's reason when it cannot start or never says it is ready. */
export function webHelperSpawner(startMs = WEB_HELPER_START_MS): HelperSpawner {
  const g = globalThis as unknown as BrowserGlobals;
  return (data) => {
    if (!g.crossOriginIsolated)
      return Promise.reject(
        new Error('the page is not cross-origin isolated, so the kernels\u2019 memory cannot be shared with helpers'),
      );
    let worker: InstanceType<BrowserGlobals['Worker']>;
    try {
      helperUrl ??= g.URL.createObjectURL(new g.Blob([WEB_HELPER], { type: 'text/javascript' }));
      worker = new g.Worker(helperUrl, { name: 'dnn-lab-kernel-helper' });
    } catch (err) {
      return Promise.reject(new Error(`a kernel helper Web Worker did not start: ${errorText(err)}`));
    }
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        worker.onmessage = worker.onerror = null;
        worker.terminate();
        reject(new Error(`a kernel helper Web Worker did not start: ${why}`));
      };
      const timer = setTimeout(() => fail(`no answer within ${startMs / 1000} s`), startMs);
      worker.onmessage = () => {
        clearTimeout(timer);
        worker.onmessage = worker.onerror = null;
        resolve({ terminate: () => worker.terminate() });
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        fail(event.message || 'the browser refused its script');
      };
      try {
        worker.postMessage(data);
      } catch (err) {
        fail(errorText(err));
      }
    });
  };
}
