// One build for every bundle: the WebAssembly kernels, the extension, the training worker, the CLI and the benchmark (node, cjs),
// the web extension and its workers for vscode.dev and github.dev (browser, dist/web/), and one browser bundle per
// webview panel (webview/<panel>/main.ts -> dist/webview/<panel>.js).
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

/**
 * Node built-ins inside the browser bundles. `node:path` and `node:os` get small browser versions (src/web/node/);
 * every other one (fs, worker_threads, zlib, ...) and tfjs, which only engine code the web workers never call
 * imports, becomes a module whose every function throws a clear error when called, so a Node-only path that the
 * web entry points forgot to replace fails loudly instead of silently.
 */
const browserShims = {
  name: 'browser-shims',
  setup(build) {
    build.onResolve({ filter: /^node:(path|os)$/ }, (args) => ({
      path: new URL(`./src/web/node/${args.path.slice('node:'.length)}.ts`, import.meta.url).pathname,
    }));
    build.onResolve({ filter: /^(node:.*|@tensorflow\/.*)$/ }, (args) => ({
      path: args.path,
      namespace: 'unavailable',
    }));
    build.onLoad({ filter: /.*/, namespace: 'unavailable' }, (args) => ({
      loader: 'js',
      contents: `const name = ${JSON.stringify(args.path)};
const missing = (what) => new Proxy(function () {}, {
  get: (_, key) => (key === '__esModule' ? false : typeof key === 'symbol' ? undefined : missing(what + '.' + key)),
  apply: () => { throw new Error(what + ' is not available in the web extension host'); },
  construct: () => { throw new Error(what + ' is not available in the web extension host'); },
});
module.exports = missing(name);`,
    }));
  },
};

/**
 * The web extension (package.json `browser`) and its Web Workers, for the web-worker extension host of vscode.dev,
 * github.dev and code-server: one bundle each, `vscode` external, no Node.
 */
const web = {
  ...common,
  entryPoints: { extension: 'src/web/extension.ts' },
  platform: 'browser',
  format: 'cjs',
  target: 'es2022',
  outdir: 'dist/web',
  external: ['vscode'],
  mainFields: ['browser', 'module', 'main'],
  define: { __dirname: '""' },
  plugins: [browserShims],
};

/** The training and probe workers the web extension starts (classic Web Workers, so one self-contained script each). */
const webWorkers = {
  ...web,
  entryPoints: { trainingWorker: 'src/web/trainingWebWorker.ts', probeWorker: 'src/web/probeWebWorker.ts' },
  format: 'iife',
};

// Our own WebAssembly kernels (assembly/), compiled from source; skipped when the binaries are current.
await buildWasmKernels({ outDir: 'dist', ifStale: true });

const contexts = await Promise.all(
  [node, web, webWorkers, ...(panels.length > 0 ? [webviews] : [])].map((options) => esbuild.context(options)),
);
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
