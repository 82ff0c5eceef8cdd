import { JsFallbackKernels } from './jsFallbackKernels';
import { WasmKernelsUnavailableError } from './wasmBinaries';
import { createWasmKernels, type WasmKernels, type WasmKernelsOptions } from './wasmKernels';

/**
 * The fastest float32 kernels this runtime supports: our wasm build (relaxed SIMD on Node 22+,
 * plain SIMD on Node 20), else the plain-JS fallback. `onFallback` hears why wasm was skipped.
 */
export async function createFastKernels(
  options: WasmKernelsOptions & { onFallback?: (reason: string) => void } = {},
): Promise<WasmKernels | JsFallbackKernels> {
  try {
    return await createWasmKernels(options);
  } catch (error) {
    if (!(error instanceof WasmKernelsUnavailableError)) throw error;
    options.onFallback?.(error.message);
    return new JsFallbackKernels();
  }
}
