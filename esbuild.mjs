// One build for every bundle: the CLI and the training worker (node, cjs); more entries join as the
// extension and its webviews arrive. `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/**
 * Node bundles. tfjs stays external: the optional tfjs-node backend registers itself with the tfjs-core
 * in node_modules, and tfjs-backend-wasm finds its .wasm files next to its own package there.
 */
const nodeBundles = [
  { entryPoints: { cli: 'src/cli/main.ts' } },
  { entryPoints: { worker: 'src/worker/trainingWorker.ts' } },
  { entryPoints: { bench: 'bench/bench.ts' } },
];

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
      external: ['vscode', '@tensorflow/*'],
      // jsonc-parser's UMD build hides its requires from esbuild; its ESM build bundles cleanly.
      mainFields: ['module', 'main'],
      logLevel: 'warning',
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
