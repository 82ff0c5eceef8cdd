// Compiles the AssemblyScript kernels in assembly/ to the two WebAssembly binaries the engine loads
// (see src/engine/kernels/wasm/wasmBinaries.ts): one with relaxed SIMD (fused multiply-add, on by
// default from Node 22) and one with plain 128-bit SIMD for Node 20. Usage:
//   node scripts/build-wasm.mjs [--outdir dist] [--if-stale]
// `--if-stale` skips the compile when both binaries are newer than every source file.
import asc from 'assemblyscript/asc';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(repoRoot, 'assembly');

/** The binaries this script writes, by flavor; the host's loader uses the same names. */
export const WASM_KERNEL_FILES = {
  relaxedSimd: 'dnn-kernels-relaxed-simd.wasm',
  simd: 'dnn-kernels-simd.wasm',
};

/** Pages of 64 KiB the kernels' shared memory may grow to (2 GiB); the host creates it with the same maximum. */
export const MAXIMUM_MEMORY_PAGES = 32768;

// Memory is imported and shared so that helper threads run the same module on the same matrices;
// the stub runtime and `abort=` leave no allocator, no data segments and no imports but the memory.
const commonFlags = [
  join(sourceDir, 'index.ts'),
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--noAssert',
  '--runtime',
  'stub',
  '--use',
  'abort=',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '1',
  '--maximumMemory',
  String(MAXIMUM_MEMORY_PAGES),
];

function newestSourceTime() {
  return Math.max(
    ...readdirSync(sourceDir).map((name) => statSync(join(sourceDir, name)).mtimeMs),
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
}

function isFresh(outDir) {
  const sourceTime = newestSourceTime();
  return Object.values(WASM_KERNEL_FILES).every((file) => {
    try {
      return statSync(join(outDir, file)).mtimeMs > sourceTime;
    } catch {
      return false;
    }
  });
}

/** Compiles both flavors into outDir (created if missing); with ifStale, only when a source changed. */
export async function buildWasmKernels({ outDir = join(repoRoot, 'dist'), ifStale = false } = {}) {
  if (ifStale && isFresh(outDir)) return;
  mkdirSync(outDir, { recursive: true });
  const flavors = [
    { file: WASM_KERNEL_FILES.relaxedSimd, features: 'simd,relaxed-simd,threads' },
    { file: WASM_KERNEL_FILES.simd, features: 'simd,threads' },
  ];
  for (const { file, features } of flavors) {
    const { error, stderr } = await asc.main([...commonFlags, '--enable', features, '--outFile', join(outDir, file)]);
    if (error) throw new Error(`AssemblyScript build of ${file} failed: ${error.message}\n${stderr.toString()}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outFlag = process.argv.indexOf('--outdir');
  await buildWasmKernels({
    outDir: outFlag > 0 ? resolve(process.argv[outFlag + 1]) : undefined,
    ifStale: process.argv.includes('--if-stale'),
  });
}
