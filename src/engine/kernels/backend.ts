import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Kernels } from './kernels';
import { JsKernels } from './jsKernels';
import { TfjsKernels } from './tfjsKernels';
import { createWasmKernels } from './wasm/wasmKernels';
import { errorText } from '../errorText';

/** Which math to train with; `auto` takes the fastest that loads here. */
export const BACKENDS = ['auto', 'dnn-wasm', 'wasm', 'tfjs-node', 'cpu', 'js'] as const;
export type BackendPreference = (typeof BACKENDS)[number];

/** Kernels ready to use, and what was tried before them (for the log). */
export interface KernelChoice {
  kernels: Kernels;
  /** Backends tried and why each was skipped, e.g. "tfjs-node: Cannot find module ...". */
  skipped: string[];
}

/** Thrown when the backend asked for by name does not load here. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

/** Loads one backend; `threads` is honoured where the kernels can split work (ours), ignored elsewhere. */
type Loader = (threads: number) => Promise<Kernels>;

const loaders: Record<Exclude<BackendPreference, 'auto'>, Loader> = {
  'tfjs-node': async () => {
    // Optional and native: absent on most machines, and never loadable in VS Code's extension host.
    require('@tensorflow/tfjs-node');
    await activate('tensorflow');
    return new TfjsKernels('tfjs-node (libtensorflow)');
  },
  // DNN Lab's own WebAssembly kernels (assembly/): the fastest route inside VS Code's extension host.
  'dnn-wasm': (threads) => createWasmKernels({ threads }),
  wasm: async () => {
    require('@tensorflow/tfjs-backend-wasm');
    await activate('wasm');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    // tfjs-wasm's threaded build cannot start inside worker_threads (see README), so it runs one thread.
    return new TfjsKernels(`tfjs wasm (${simd ? 'SIMD' : 'no SIMD'}, 1 thread)`);
  },
  cpu: async () => {
    await activate('cpu');
    return new TfjsKernels('tfjs cpu (pure JavaScript)');
  },
  js: async () => new JsKernels(),
};

// tfjs-node first when it loads (libtensorflow, plain Node only), then our wasm kernels, then tfjs's.
const autoOrder = ['tfjs-node', 'dnn-wasm', 'wasm', 'cpu'] as const;

/** Loads the kernels asked for; `auto` falls back in order and records why each was skipped. */
export async function chooseKernels(preference: BackendPreference, threads = 1): Promise<KernelChoice> {
  if (preference !== 'auto') {
    try {
      return { kernels: await loaders[preference](threads), skipped: [] };
    } catch (err) {
      throw new BackendError(
        `The "${preference}" backend does not load here: ${firstLine(err)}. Use "auto" to take the fastest one that does.`,
      );
    }
  }
  const skipped: string[] = [];
  for (const name of autoOrder) {
    try {
      return { kernels: await loaders[name](threads), skipped };
    } catch (err) {
      skipped.push(`${name}: ${firstLine(err)}`);
    }
  }
  throw new BackendError(`No tfjs backend loads here (${skipped.join('; ')}).`);
}

async function activate(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
}

function firstLine(err: unknown): string {
  return errorText(err).split('\n')[0];
}
