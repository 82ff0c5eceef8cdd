// The float32 Kernels implementations the tests run the same tables against.
import { JsFallbackKernels } from '../../../../src/engine/kernels/wasm/jsFallbackKernels';
import { loadKernelModule, type WasmFlavor } from '../../../../src/engine/kernels/wasm/wasmBinaries';
import { createWasmKernels } from '../../../../src/engine/kernels/wasm/wasmKernels';
import type { Kernels } from '../../../../src/engine/kernels/kernels';

/** Kernels plus what ours add: close() and the proposed transpose flags on matMul. */
export type TestedKernels = Kernels & {
  close(): Promise<void>;
  matMul(a: unknown, b: unknown, transposeA?: boolean, transposeB?: boolean): unknown;
};

/** A named way to make kernels. */
export interface KernelsCase {
  label: string;
  make: () => Promise<TestedKernels>;
}

/** Whether this runtime validates the given build (relaxed SIMD needs Node 22+). */
export function flavorSupported(flavor: WasmFlavor): boolean {
  try {
    loadKernelModule({ flavor });
    return true;
  } catch {
    return false;
  }
}

/** Builds dist/*.wasm if a source is newer (a no-op after `npm run build`). */
export async function ensureWasmBuilt(): Promise<void> {
  // A dynamic import: this CommonJS test module cannot require the build script's ES module.
  const { buildWasmKernels } = await import('../../../../scripts/build-wasm.mjs');
  await buildWasmKernels({ ifStale: true });
}

/**
 * Every implementation, with threaded GEMM forced onto even tiny products so the thread split is
 * exercised on the awkward shapes too, and with the sparse (CSR) products forced onto every product,
 * dense operands included, so they face the same shapes and flags as the GEMM.
 */
export const KERNEL_CASES: KernelsCase[] = [
  { label: 'wasm simd, 1 thread', make: () => createWasmKernels({ flavor: 'simd' }) },
  {
    label: 'wasm simd, 2 threads',
    make: () => createWasmKernels({ flavor: 'simd', threads: 2, minThreadedMultiplyAdds: 0 }),
  },
  { label: 'wasm relaxed-simd, 1 thread', make: () => createWasmKernels({ flavor: 'relaxed-simd' }) },
  {
    label: 'wasm relaxed-simd, 2 threads',
    make: () => createWasmKernels({ flavor: 'relaxed-simd', threads: 2, minThreadedMultiplyAdds: 0 }),
  },
  {
    label: 'wasm simd, sparse products',
    make: () => createWasmKernels({ flavor: 'simd', sparsity: { maxDensity: 1, minElements: 0 } }),
  },
  {
    label: 'wasm simd, 2 threads, sparse products',
    make: () =>
      createWasmKernels({
        flavor: 'simd',
        threads: 2,
        minThreadedMultiplyAdds: 0,
        sparsity: { maxDensity: 1, minElements: 0 },
      }),
  },
  {
    label: 'wasm relaxed-simd, sparse products',
    make: () => createWasmKernels({ flavor: 'relaxed-simd', sparsity: { maxDensity: 1, minElements: 0 } }),
  },
  { label: 'js fallback', make: async () => new JsFallbackKernels() },
];
