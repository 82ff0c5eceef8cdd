// Inside DNN Lab's Web Workers (training and probe): the kernels and MNIST from the bytes the host sent, where a
// worker thread reads files next to its bundle. No Node: the browser bundles map Node built-ins to errors.
import { DataError } from '../engine/data/errors';
import { decodeMnist } from '../engine/data/folder';
import type { MnistData } from '../engine/data/dataset';
import { MNIST_FILES } from '../engine/data/mnistFiles';
import { BackendError, type BackendPreference, type KernelChoice } from '../engine/kernels/backend';
import { JsKernels } from '../engine/kernels/jsKernels';
import { createWasmKernels } from '../engine/kernels/wasm/wasmKernels';
import { webHelperSpawner } from '../engine/kernels/wasm/webHelperThreads';
import { webAssembly } from '../engine/kernels/wasm/webAssemblyApi';
import type { WebWorkerAssets } from '../protocol/webWorkerProtocol';

/** The parts of a dedicated worker's global scope the workers use (the src tsconfig has no webworker lib). */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  crossOriginIsolated?: boolean;
}
export const workerScope = globalThis as unknown as WorkerScope;

/**
 * The trainer yields between epochs with setImmediate, which browsers lack: a MessageChannel gives the same
 * "after pending messages, before timers" turn without setTimeout's 4 ms clamp.
 */
export function installSetImmediate(): void {
  const g = globalThis as unknown as { setImmediate?: (fn: () => void) => void; MessageChannel: new () => Channel };
  if (g.setImmediate) return;
  interface Channel {
    port1: { onmessage: (() => void) | null };
    port2: { postMessage(message: unknown): void };
  }
  const channel = new g.MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  g.setImmediate = (fn) => {
    queue.push(fn);
    channel.port2.postMessage(0);
  };
}

/** Resolves after the worker's event loop has had a turn, so that messages queued meanwhile (cancel) are handled. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) =>
    (globalThis as unknown as { setImmediate(fn: () => void): void }).setImmediate(resolve),
  );
}

/**
 * Threads for the wasm kernels in a Web Worker: the `threads` asked for (dnnLab.threads, else one per core less one
 * for the window) where the page is cross-origin isolated, as vscode.dev is with `?vscode-coi`; one elsewhere,
 * since helpers must share the kernels' memory, which only a cross-origin isolated page may (SharedArrayBuffer).
 * Measured false in vscode.dev, github.dev and code-server as they are served.
 */
export function webKernelThreads(threads: number): { threads: number; why?: string } {
  if (threads <= 1) return { threads: 1 };
  if (!workerScope.crossOriginIsolated)
    return { threads: 1, why: `${threads} threads: not cross-origin isolated here, so one thread` };
  return { threads };
}

/**
 * The backends a Web Worker has: DNN Lab's wasm kernels (on `threads` threads where webKernelThreads allows) and the
 * float64 JavaScript ones (tfjs is not bundled). Helpers that cannot start leave the kernels on one thread, said in
 * `skipped`, never a failed run.
 */
export async function webKernels(
  preference: BackendPreference,
  assets: WebWorkerAssets,
  threads = 1,
): Promise<KernelChoice> {
  const wasm = async (skipped: string[]) => {
    const relaxed = webAssembly.validate(assets.wasm.relaxedSimd);
    const bytes = relaxed ? assets.wasm.relaxedSimd : assets.wasm.simd;
    if (!webAssembly.validate(bytes)) throw new Error('this browser runs neither the relaxed-SIMD nor the SIMD build');
    const compiled = {
      module: new webAssembly.Module(bytes),
      flavor: relaxed ? ('relaxed-simd' as const) : ('simd' as const),
    };
    const wanted = webKernelThreads(threads);
    if (wanted.why) skipped.push(`dnn-wasm ${wanted.why}`);
    if (wanted.threads > 1) {
      try {
        return await createWasmKernels({ compiled, threads: wanted.threads, helpers: webHelperSpawner() });
      } catch (err) {
        skipped.push(`dnn-wasm ${wanted.threads} threads: ${messageOf(err)}; one thread`);
      }
    }
    return createWasmKernels({ compiled, threads: 1 });
  };
  if (preference === 'js') return { kernels: new JsKernels(), skipped: [] };
  const skipped: string[] = [];
  if (preference === 'dnn-wasm') {
    try {
      return { kernels: await wasm(skipped), skipped };
    } catch (err) {
      throw new BackendError(`The "dnn-wasm" backend does not load in this browser: ${messageOf(err)}. Use "auto".`);
    }
  }
  if (preference !== 'auto')
    throw new BackendError(
      `The "${preference}" backend is not part of DNN Lab in the browser (vscode.dev, github.dev); set dnnLab.backend to "auto" or "dnn-wasm".`,
    );
  try {
    return { kernels: await wasm(skipped), skipped };
  } catch (err) {
    return { kernels: new JsKernels(), skipped: [...skipped, `dnn-wasm: ${messageOf(err)}`] };
  }
}

/**
 * The packaged MNIST, gunzipped with the browser's DecompressionStream and decoded by the engine's IDX reader. A
 * folder (a config's `dataset.path`, or dnnLab.dataFolder) cannot be read from a Web Worker: that is a DataError
 * naming the setting or field and the fix.
 */
export async function webMnist(
  assets: WebWorkerAssets,
  request: { config: { dataset: { kind: string; path?: string } }; dataFolder?: string },
): Promise<MnistData> {
  const { dataset } = request.config;
  if (dataset.kind === 'path')
    throw new DataError(
      'unreadable',
      `dataset.path: "${dataset.path}" is a folder, which DNN Lab cannot read in the browser (vscode.dev, github.dev); remove "dataset" to train on the MNIST that comes with DNN Lab.`,
      dataset.path,
      'dataset.path',
    );
  if (request.dataFolder !== undefined)
    throw new DataError(
      'unreadable',
      `The dnnLab.dataFolder setting "${request.dataFolder}" names a folder, which DNN Lab cannot read in the browser (vscode.dev, github.dev); clear the setting to train on the MNIST that comes with DNN Lab.`,
      request.dataFolder,
    );
  const files = assets.mnist;
  if (!files || files.length !== MNIST_FILES.length)
    throw new DataError(
      'missing-files',
      `This build of DNN Lab has no MNIST in ${assets.mnistDir}; install the packaged extension (npm run package puts MNIST there).`,
      assets.mnistDir,
    );
  const raw = await Promise.all(files.map((f) => gunzip(f.bytes)));
  return decodeMnist(
    MNIST_FILES.map((file, i) => ({ file, path: `${assets.mnistDir}/${files[i].name}`, bytes: raw[i] })),
  );
}

/** Inflates gzip bytes with the browser's DecompressionStream; other bytes (an uncompressed IDX file) pass as they are. */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const g = globalThis as unknown as {
    Blob: new (parts: Uint8Array[]) => { stream(): { pipeThrough(t: unknown): unknown } };
    Response: new (body: unknown) => { arrayBuffer(): Promise<ArrayBuffer> };
    DecompressionStream: new (format: 'gzip') => unknown;
  };
  const stream = new g.Blob([bytes]).stream().pipeThrough(new g.DecompressionStream('gzip'));
  return new Uint8Array(await new g.Response(stream).arrayBuffer());
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
