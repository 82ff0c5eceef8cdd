// The web extension's side of its Web Workers: starting them from the extension's own files, and the same
// TrainingHandle and ProbeTransport the Node extension host has over worker threads.
import * as vscode from 'vscode';
import { MNIST_FILES } from '../engine/data/mnistFiles';
import { errorText } from '../engine/errorText';
import type { RunEvent, RunRequest } from '../engine/run';
import type { TrainResult } from '../engine/train/metrics';
import { MessageEndpoint, type Envelope, type MessageOf } from '../protocol/endpoint';
import {
  FROM_TRAINING_WORKER_TYPES,
  fromTrainingWorkerGuards,
  type FromTrainingWorker,
} from '../protocol/trainingWorkerProtocol';
import type { ToProbeWebWorker, ToTrainingWebWorker, WebWorkerAssets } from '../protocol/webWorkerProtocol';
import type { ProbeTransport } from '../worker/probeClient';
import { RunFailedError, type TrainingHandle } from '../worker/trainingHandle';

/** The parts of the browser's Worker the clients use (the src tsconfig has no DOM lib). */
interface BrowserWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}
interface BrowserGlobals {
  Worker: new (url: string, options?: { name?: string }) => BrowserWorker;
  Blob: new (parts: Uint8Array[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string };
}
const browser = globalThis as unknown as BrowserGlobals;

/** Starts dist/web/<script>.js as a Web Worker: from a blob of its bytes, since the extension's URI may be on another origin. */
export class WebWorkerFactory {
  private readonly urls = new Map<string, Promise<string>>();
  private assets?: Promise<WebWorkerAssets>;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The worker script's blob URL, read once through `vscode.workspace.fs`. */
  scriptUrl(script: 'trainingWorker' | 'probeWorker'): Promise<string> {
    let url = this.urls.get(script);
    if (!url) {
      const read = Promise.resolve(
        vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'dist', 'web', `${script}.js`)),
      );
      const made = read.then((bytes) =>
        browser.URL.createObjectURL(new browser.Blob([bytes], { type: 'text/javascript' })),
      );
      made.catch(() => this.urls.delete(script));
      this.urls.set(script, made);
      url = made;
    }
    return url;
  }

  /** The kernels' wasm builds and the packaged MNIST, read once through `vscode.workspace.fs` from the extension's URI. */
  workerAssets(): Promise<WebWorkerAssets> {
    if (!this.assets) {
      const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
      const read = (...parts: string[]) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dist, ...parts));
      const mnistDir = vscode.Uri.joinPath(dist, 'mnist');
      const assets = Promise.all([
        read('dnn-kernels-relaxed-simd.wasm'),
        read('dnn-kernels-simd.wasm'),
        Promise.all(MNIST_FILES.map(async (file) => ({ name: file.name, bytes: await read('mnist', file.name) }))).then(
          (files) => files,
          () => undefined, // a development build without dist/mnist: the worker says so when a run needs it
        ),
      ]).then(([relaxedSimd, simd, mnist]) => ({
        wasm: { relaxedSimd, simd },
        mnist,
        mnistDir: mnistDir.toString(true),
      }));
      assets.catch(() => (this.assets = undefined));
      this.assets = assets;
      return assets;
    }
    return this.assets;
  }

  async start(script: 'trainingWorker' | 'probeWorker'): Promise<BrowserWorker> {
    return new browser.Worker(await this.scriptUrl(script), { name: `dnn-lab-${script}` });
  }
}

/** Starts `request` in a new training Web Worker; the same contract as the worker-thread client's startTraining. */
export function startWebTraining(
  workers: WebWorkerFactory,
  request: RunRequest,
  onEvent: (event: RunEvent) => void,
  log: (message: string) => void,
): TrainingHandle {
  let worker: BrowserWorker | undefined;
  let cancelled = false;
  let settled = false;
  const endpoint = new MessageEndpoint<FromTrainingWorker, ToTrainingWebWorker>(
    (envelope) => worker?.postMessage(envelope),
    (warning) => log(`Training worker: ${warning}`),
  );
  const done = new Promise<TrainResult>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      worker?.terminate();
    };
    const fail = (message: string) =>
      finish(() => reject(new RunFailedError({ type: 'run/failed', kind: 'internal', message })));
    for (const type of FROM_TRAINING_WORKER_TYPES)
      endpoint.on(type, fromTrainingWorkerGuards[type] as (value: unknown) => value is RunEvent, (event: RunEvent) => {
        onEvent(event);
        if (event.type === 'run/finished') finish(() => resolve(event.result));
        if (event.type === 'run/failed') finish(() => reject(new RunFailedError(event)));
      });
    Promise.all([workers.start('trainingWorker'), workers.workerAssets()]).then(
      ([started, assets]) => {
        if (settled) return started.terminate();
        worker = started;
        started.addEventListener('message', ({ data }) => endpoint.receive(data));
        started.addEventListener('error', (event) =>
          fail(`The training worker crashed: ${event.message ?? 'unknown error'}`),
        );
        endpoint.notify('run/start', { request, assets });
        if (cancelled) endpoint.notify('run/cancel', {});
      },
      (err: unknown) => fail(`The training worker could not start: ${errorText(err)}`),
    );
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      if (worker) endpoint.notify('run/cancel', {});
    },
  };
}

/** A ProbeTransport over a probe Web Worker: envelopes wait until the worker has started and got its assets. */
export function webProbeTransport(workers: WebWorkerFactory): ProbeTransport {
  const queue: Envelope[] = [];
  const messageListeners: ((message: unknown) => void)[] = [];
  const exitListeners: ((reason: string) => void)[] = [];
  let worker: BrowserWorker | undefined;
  let terminated = false;
  const exit = (reason: string) => {
    if (terminated) return;
    terminated = true;
    worker?.terminate();
    for (const listener of exitListeners) listener(reason);
  };
  Promise.all([workers.start('probeWorker'), workers.workerAssets()]).then(
    ([started, assets]) => {
      if (terminated) return started.terminate();
      worker = started;
      started.addEventListener('message', ({ data }) => messageListeners.forEach((listener) => listener(data)));
      started.addEventListener('error', (event) => exit(event.message ?? 'the probe worker crashed'));
      const first: MessageOf<ToProbeWebWorker> = { type: 'probe/assets', payload: { assets } };
      started.postMessage({ kind: 'notify', ...first } satisfies Envelope);
      for (const envelope of queue.splice(0)) started.postMessage(envelope);
    },
    (err: unknown) => exit(`it could not start: ${errorText(err)}`),
  );
  return {
    post: (envelope) => (worker ? worker.postMessage(envelope) : queue.push(envelope)),
    onMessage: (listener) => messageListeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    terminate: () => {
      terminated = true;
      worker?.terminate();
    },
  };
}
