/**
 * DNN Lab's wasm kernels on several threads in a browser: the web extension's own training Web Worker
 * (dist/web/trainingWorker.js, as the vsix ships it) in Chromium, on a page served from 127.0.0.1 with and without
 * the COOP/COEP headers that make it cross-origin isolated (as vscode.dev serves its window with `?vscode-coi`).
 * Isolated, the worker starts kernel helper Web Workers on the shared wasm memory and trains with the same numbers
 * as on one thread, batch for batch; not isolated, it says why it stays on one thread and still trains.
 *
 * With DNN_LAB_E2E_WEB_BENCH=1 it also measures Corelab 1's seconds per epoch (60,000 images and the 10,000 test
 * images, batch 300) on one and two threads in the browser, interleaved, and prints them.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { MNIST_FILES } from '../../src/engine/data/mnistFiles';
import type { RunRequest } from '../../src/engine/run';
import { installedPaths } from './harness.js';
import { ISOLATION_HEADERS } from './isolatingProxy.js';

const REPO = path.resolve(__dirname, '../..');
const MNIST_DIR = process.env.DNN_LAB_DATA ?? path.join(REPO, '..', 'shared', 'datasets', 'mnist');

/** What the page reports of one run of the training Web Worker. */
interface PageRun {
  backend: string;
  skipped: string[];
  batchLosses: number[];
  epochs: { trainLoss: number; testLoss: number; testAccuracy: number; seconds: number }[];
  failed?: string;
  isolated: boolean;
}

/** The test page: it runs the worker on a request and reports every event the tests look at. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>DNN Lab kernel threads</title><script>
const bytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
window.runWorker = async (request, mnistNames) => {
  const assets = {
    wasm: { relaxedSimd: await bytes('wasm/relaxed-simd'), simd: await bytes('wasm/simd') },
    mnist: await Promise.all(mnistNames.map(async (name) => ({ name, bytes: await bytes('mnist/' + name) }))),
    mnistDir: '/mnist',
  };
  const worker = new Worker('trainingWorker.js');
  const run = { backend: '', skipped: [], batchLosses: [], epochs: [], isolated: self.crossOriginIsolated };
  await new Promise((resolve) => {
    worker.onerror = (event) => { run.failed = 'worker error: ' + event.message; resolve(); };
    worker.onmessage = ({ data }) => {
      if (data.kind !== 'notify') return;
      const event = data.payload;
      if (data.type === 'run/backendChosen') { run.backend = event.name; run.skipped = event.skipped; }
      if (data.type === 'run/batchEnded') run.batchLosses.push(event.metrics.loss);
      if (data.type === 'run/epochEnded') {
        const { trainLoss, testLoss, testAccuracy, seconds } = event.metrics;
        run.epochs.push({ trainLoss, testLoss, testAccuracy, seconds });
      }
      if (data.type === 'run/failed') { run.failed = event.kind + ': ' + event.message; resolve(); }
      if (data.type === 'run/finished') resolve();
    };
    worker.postMessage({ kind: 'notify', type: 'run/start', payload: { request, assets } });
  });
  worker.terminate();
  return run;
};
</script>`;

/** Serves the page (isolated at /isolated/, not at /plain/), the worker bundle, the kernels and MNIST. */
function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, string> = {
    '/trainingWorker.js': path.join(REPO, 'dist', 'web', 'trainingWorker.js'),
    '/wasm/relaxed-simd': path.join(REPO, 'dist', 'dnn-kernels-relaxed-simd.wasm'),
    '/wasm/simd': path.join(REPO, 'dist', 'dnn-kernels-simd.wasm'),
  };
  for (const file of MNIST_FILES) files[`/mnist/${file.name}`] = path.join(MNIST_DIR, file.name);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // The page's own headers decide isolation; its subresources are same-origin, so COEP lets them load.
    const isolated = url.pathname.startsWith('/isolated/');
    const headers = isolated ? { ...ISOLATION_HEADERS } : {};
    const name = url.pathname.replace(/^\/(isolated|plain)/, '');
    if (name === '/') {
      response.writeHead(200, { ...headers, 'content-type': 'text/html' });
      response.end(PAGE);
      return;
    }
    const file = files[name];
    if (!file || !fs.existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end(`not here: ${name}`);
      return;
    }
    const type = name.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
    response.writeHead(200, { ...headers, 'content-type': type });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

/** Corelab 1's network as the bench trains it (784-256-128-64-32-10 relu, Adam 0.02, batch 300). */
function request(options: {
  threads: number;
  trainSamples?: number;
  testSamples?: number;
  epochs: number;
}): RunRequest {
  const { config, errors } = parseLabConfig(
    JSON.stringify({
      name: 'Corelab 1 threads',
      dataset: 'mnist',
      layers: [
        { units: 256, activation: 'relu' },
        { units: 128, activation: 'relu' },
        { units: 64, activation: 'relu' },
        { units: 32, activation: 'relu' },
        { units: 10, activation: 'softmax' },
      ],
      kernelInitializer: 'heNormal',
      optimizer: { type: 'adam', learningRate: 0.02 },
      batchSize: 300,
      epochs: options.epochs,
      ...(options.trainSamples ? { trainSamples: options.trainSamples } : {}),
      ...(options.testSamples ? { testSamples: options.testSamples } : {}),
      seed: 1,
    }),
  );
  if (!config) throw new Error(`the test's config is wrong: ${errors.map((e) => e.message).join('; ')}`);
  return { config, cacheDir: '/cache', backend: 'dnn-wasm', threads: options.threads };
}

async function runIn(page: Page, req: RunRequest): Promise<PageRun> {
  const names = MNIST_FILES.map((f) => f.name);
  return page.evaluate(
    ([r, n]) => (globalThis as unknown as { runWorker(r: unknown, n: string[]): Promise<PageRun> }).runWorker(r, n),
    [req, names] as const,
  );
}

describe('the kernels on several threads in a browser Web Worker', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let isolated: Page;
  let plain: Page;

  beforeAll(async () => {
    server = await serve();
    browser = await chromium.launch({
      executablePath: installedPaths().chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    isolated = await browser.newPage();
    await isolated.goto(`${server.url}/isolated/`);
    plain = await browser.newPage();
    await plain.goto(`${server.url}/plain/`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const small = (threads: number) => request({ threads, trainSamples: 6000, testSamples: 1000, epochs: 2 });

  it('trains on two threads where the page is cross-origin isolated, with one thread’s numbers', async () => {
    expect(await isolated.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated)).toBe(
      true,
    );
    const two = await runIn(isolated, small(2));
    const one = await runIn(isolated, small(1));
    expect(two.failed).toBeUndefined();
    expect(one.failed).toBeUndefined();
    expect(two.backend).toMatch(/^DNN Lab wasm \(relaxed SIMD, FMA, 2 threads\)$/);
    expect(two.skipped).toEqual([]);
    expect(one.backend).toMatch(/1 thread\)$/);
    // Each product's blocks cover C exactly once, and sums over blocks run in block order: the same numbers.
    expect(two.batchLosses).toHaveLength(2 * 20);
    expect(two.batchLosses).toEqual(one.batchLosses);
    expect(two.epochs.map((e) => [e.trainLoss, e.testLoss])).toEqual(one.epochs.map((e) => [e.trainLoss, e.testLoss]));
    // And it learned: far above chance (10 %) after two epochs of 6,000 images.
    expect(two.epochs[1].testAccuracy).toBeGreaterThan(0.7);
  });

  it('stays on one thread where the page is not isolated, says why, and trains all the same', async () => {
    expect(await plain.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated)).toBe(
      false,
    );
    const run = await runIn(plain, small(2));
    expect(run.failed).toBeUndefined();
    expect(run.backend).toMatch(/1 thread\)$/);
    expect(run.skipped).toEqual(['dnn-wasm 2 threads: not cross-origin isolated here, so one thread']);
    expect(run.epochs).toHaveLength(2);
  });

  it.runIf(process.env.DNN_LAB_E2E_WEB_BENCH === '1')(
    'measures Corelab 1 per epoch on one and two threads, interleaved',
    async () => {
      const seconds: Record<number, number[]> = { 1: [], 2: [] };
      for (let round = 0; round < 3; round++)
        for (const threads of [1, 2]) {
          const run = await runIn(isolated, request({ threads, epochs: 2 }));
          expect(run.failed).toBeUndefined();
          seconds[threads].push(Math.min(...run.epochs.map((e) => e.seconds)));
        }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const ratios = seconds[2].map((s, i) => s / seconds[1][i]);
      console.log(
        `Corelab 1 (batch 300) in a Chromium Web Worker, best epoch of 2 per round, 3 rounds: 1 thread ${seconds[1].map((s) => s.toFixed(2)).join(', ')} s; 2 threads ${seconds[2].map((s) => s.toFixed(2)).join(', ')} s; 2/1 median ${median(ratios).toFixed(2)}`,
      );
    },
    600_000,
  );
});
