// One build for every bundle: the CLI and the training worker (node, cjs); more entries join as the
// extension and its webviews arrive. `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/** Node bundles: tfjs-node stays external because it is optional and native. */
const nodeBundles = [
  { entryPoints: { cli: 'src/cli/main.ts' } },
  { entryPoints: { worker: 'src/worker/trainingWorker.ts' } },
  { entryPoints: { bench: 'bench/bench.ts' } },
];

/** tfjs-backend-wasm loads its .wasm files from next to the bundle (see src/engine/kernels/backend.ts). */
function copyWasmBinaries() {
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  mkdirSync('dist', { recursive: true });
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    cpSync(join(wasmDist, file), join('dist', file));
  }
}

const contexts = await Promise.all(
  nodeBundles.map((bundle) =>
    esbuild.context({
      ...bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outdir: 'dist',
      sourcemap: !production,
      minify: production,
      external: ['vscode', '@tensorflow/tfjs-node'],
      logLevel: 'warning',
    }),
  ),
);

copyWasmBinaries();
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
