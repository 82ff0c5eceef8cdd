import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webAssembly, type WasmModule } from './webAssemblyApi';

/** Which build of the kernels runs: relaxed SIMD has fused multiply-add (Node 22+), plain SIMD runs on Node 20. */
export type WasmFlavor = 'relaxed-simd' | 'simd';

/** File names written by scripts/build-wasm.mjs (WASM_KERNEL_FILES there). */
const FILES: Record<WasmFlavor, string> = {
  'relaxed-simd': 'dnn-kernels-relaxed-simd.wasm',
  simd: 'dnn-kernels-simd.wasm',
};

/** Maximum pages of the shared memory, as declared by the build (MAXIMUM_MEMORY_PAGES there). */
export const MAXIMUM_MEMORY_PAGES = 32768;

/** Thrown when no build of the kernels can run here; callers fall back to the JS kernels. */
export class WasmKernelsUnavailableError extends Error {
  override readonly name = 'WasmKernelsUnavailableError';
}

/** The compiled kernels and which flavor they are. */
export interface LoadedKernelModule {
  module: WasmModule;
  flavor: WasmFlavor;
}

/**
 * Folders searched for the binaries: next to the bundle (dist/worker.js and dist/*.wasm), then the
 * repository's dist/ when running from source under vitest or a benchmark.
 */
function defaultSearchDirs(): string[] {
  return [__dirname, join(__dirname, '..', '..', '..', '..', 'dist')];
}

/**
 * Compiles the fastest build this runtime validates: relaxed SIMD first, plain SIMD otherwise.
 * `flavor` forces one (benchmarks compare both); `dir` overrides where the .wasm files are.
 */
export function loadKernelModule(options: { dir?: string; flavor?: WasmFlavor } = {}): LoadedKernelModule {
  const dirs = options.dir ? [options.dir] : defaultSearchDirs();
  const candidates: WasmFlavor[] = options.flavor ? [options.flavor] : ['relaxed-simd', 'simd'];
  const tried: string[] = [];
  for (const flavor of candidates) {
    const dir = dirs.find((d) => existsSync(join(d, FILES[flavor])));
    if (!dir) {
      tried.push(`${FILES[flavor]}: not found in ${dirs.join(', ')}`);
      continue;
    }
    const bytes = readFileSync(join(dir, FILES[flavor]));
    // validate() is the feature test: Node 20 rejects relaxed SIMD opcodes unless started with a flag.
    if (!webAssembly.validate(bytes)) {
      tried.push(`${FILES[flavor]}: not supported by this runtime`);
      continue;
    }
    return { module: new webAssembly.Module(bytes), flavor };
  }
  throw new WasmKernelsUnavailableError(
    `no usable wasm kernels (${tried.join('; ')}); run "node scripts/build-wasm.mjs"`,
  );
}
