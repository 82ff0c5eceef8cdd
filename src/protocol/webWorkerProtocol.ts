/**
 * The Web Workers' additions to the training and probe workers' protocols (trainingWorkerProtocol.ts,
 * probeProtocol.ts), carried by src/protocol/endpoint.ts like them: the assets a worker thread reads from files
 * next to its bundle, and a cancel message, since a Web Worker cannot share the worker thread's SharedArrayBuffer.
 */
import type { RunRequest } from '../engine/run';
import { arrayOf, both, isEmpty, isString, object, optional, type Guard } from './guards';
import type { ToProbeWorker } from './probeProtocol';
import { isRunStart } from './trainingWorkerProtocol';

/**
 * The kernels' two wasm builds and the four packaged MNIST files (gzip), read by the host through
 * `vscode.workspace.fs` from the extension's URI.
 */
export interface WebWorkerAssets {
  /** dist/dnn-kernels-relaxed-simd.wasm and dist/dnn-kernels-simd.wasm. */
  wasm: { relaxedSimd: Uint8Array; simd: Uint8Array };
  /** dist/mnist/*, in MNIST_FILES order; undefined in a build without them. */
  mnist?: { name: string; bytes: Uint8Array }[];
  /** Where the MNIST files were read (dist/mnist under the extension's URI), for the run record and messages. */
  mnistDir: string;
}

/** Messages the host sends the training Web Worker (it answers with FromTrainingWorker, as a worker thread does). */
export type ToTrainingWebWorker = {
  /** Sent once, right after the worker starts: train this, on these assets. */
  'run/start': { payload: { request: RunRequest; assets: WebWorkerAssets } };
  /** Sent when the student stops the run: it ends after the current batch with `run/finished`, cancelled. */
  'run/cancel': { payload: Record<string, never> };
};

/** Messages the host sends the probe Web Worker: the assets once, first, then those of a probe worker thread. */
export type ToProbeWebWorker = ToProbeWorker & {
  /** Sent once, before the first `probe/run`. */
  'probe/assets': { payload: { assets: WebWorkerAssets } };
};

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/** The workers' check of the assets. */
export const isWebWorkerAssets: Guard<WebWorkerAssets> = object({
  wasm: object({ relaxedSimd: isBytes, simd: isBytes }),
  mnist: optional(arrayOf(object({ name: isString, bytes: isBytes }))),
  mnistDir: isString,
});

/** The training Web Worker's check of `run/start`. */
export const isWebRunStart: Guard<ToTrainingWebWorker['run/start']['payload']> = both(
  isRunStart,
  object({ assets: isWebWorkerAssets }),
);

/** The training Web Worker's check of `run/cancel`. */
export const isRunCancel: Guard<Record<string, never>> = isEmpty;

/** The probe Web Worker's check of `probe/assets`. */
export const isProbeAssets: Guard<ToProbeWebWorker['probe/assets']['payload']> = object({ assets: isWebWorkerAssets });
