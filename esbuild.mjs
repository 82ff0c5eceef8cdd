// One build for every bundle: the WebAssembly kernels, the extension, the training worker, the CLI and the benchmark (node, cjs),
// and one browser bundle per webview panel (webview/<panel>/main.ts -> dist/webview/<panel>.js).
// `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { buildWasmKernels } from './scripts/build-wasm.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/**
 * Node bundles. tfjs stays external: the optional tfjs-node backend registers itself with the tfjs-core
 * in node_modules, and tfjs-backend-wasm finds its .wasm files next to its own package there.
 */
const node = {
  ...common,
  entryPoints: {
    extension: 'src/extension.ts',
    worker: 'src/worker/trainingWorker.ts',
    probeWorker: 'src/worker/probeWorker.ts',
    cli: 'src/cli/main.ts',
    bench: 'bench/bench.ts',
    // Packaging only (npm run package), not shipped: MNIST into dist/mnist/.
    'bundle-mnist': 'scripts/bundleMnist.ts',
  },
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode', '@tensorflow/*'],
  // jsonc-parser's UMD build hides its requires from esbuild; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

const panels = readdirSync('webview', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`webview/${entry.name}/main.ts`))
  .map((entry) => entry.name);

/** Webview bundles: ES modules for the browser; imported CSS and its fonts land beside them. */
const webviews = {
  ...common,
  entryPoints: Object.fromEntries(panels.map((panel) => [panel, `webview/${panel}/main.ts`])),
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  outdir: 'dist/webview',
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
};

// Our own WebAssembly kernels (assembly/), compiled from source; skipped when the binaries are current.
await buildWasmKernels({ outDir: 'dist', ifStale: true });

const contexts = await Promise.all(
  [node, ...(panels.length > 0 ? [webviews] : [])].map((options) => esbuild.context(options)),
);
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
