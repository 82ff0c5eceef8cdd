// The Web Workers' sources (src/web/webWorkerSources.ts) under Node, which has the browser APIs they use
// (DecompressionStream, Blob, Response, MessageChannel, WebAssembly): the packaged MNIST decoded without node:zlib,
// the kernels from bytes, the refusals a browser must give, and cancellation by message between batches.
import { readFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { DataError } from '../../src/engine/data/errors';
import { MNIST_FILES } from '../../src/engine/data/mnistFiles';
import { BackendError } from '../../src/engine/kernels/backend';
import { runTraining, type RunEvent, type RunRequest } from '../../src/engine/run';
import type { WebWorkerAssets } from '../../src/protocol/webWorkerProtocol';
import { installSetImmediate, nextTurn, webKernels, webMnist } from '../../src/web/webWorkerSources';
import { SHARED_MNIST, sharedMnist } from '../support/mnist';

installSetImmediate();
const dist = join(__dirname, '../../dist');
const assets: WebWorkerAssets = {
  wasm: {
    relaxedSimd: readFileSync(join(dist, 'dnn-kernels-relaxed-simd.wasm')),
    simd: readFileSync(join(dist, 'dnn-kernels-simd.wasm')),
  },
  mnist: MNIST_FILES.map((file) => ({ name: file.name, bytes: readFileSync(join(SHARED_MNIST, file.name)) })),
  mnistDir: 'https://example.invalid/dist/mnist',
};
const mnistConfig = { config: { dataset: { kind: 'mnist' } } };

function labConfig(epochs: number, trainSamples: number) {
  const parsed = parseLabConfig(
    JSON.stringify({
      name: 'web',
      layers: [
        { units: 32, activation: 'relu' },
        { units: 10, activation: 'softmax' },
      ],
      kernelInitializer: 'heNormal',
      optimizer: { type: 'adam', learningRate: 0.005 },
      batchSize: 100,
      epochs,
      trainSamples,
      testSamples: 500,
      seed: 1,
    }),
  );
  if (!parsed.config) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return parsed.config;
}

describe('MNIST in a Web Worker', () => {
  it('decodes the packaged gzip files with DecompressionStream into the same data node:zlib gives', async () => {
    const web = await webMnist(assets, mnistConfig);
    const disk = await sharedMnist();
    expect([web.train.count, web.test.count]).toEqual([60_000, 10_000]);
    expect(Buffer.from(web.train.images).equals(Buffer.from(disk.train.images))).toBe(true);
    expect(Buffer.from(web.test.labels).equals(Buffer.from(disk.test.labels))).toBe(true);
  });

  it("refuses a config's dataset.path, naming the field and the fix", async () => {
    const err = await webMnist(assets, { config: { dataset: { kind: 'path', path: '/data/mnist' } } }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.field).toBe('dataset.path');
    expect(err.message).toMatch(
      /"\/data\/mnist" is a folder, which DNN Lab cannot read in the browser.*remove "dataset"/,
    );
  });

  it('refuses the dnnLab.dataFolder setting, naming it and the fix', async () => {
    const err = await webMnist(assets, { ...mnistConfig, dataFolder: 'data' }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/dnnLab\.dataFolder setting "data".*clear the setting/);
  });

  it('says where MNIST is missing in a build without it', async () => {
    const err = await webMnist({ ...assets, mnist: undefined }, mnistConfig).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toContain('no MNIST in https://example.invalid/dist/mnist');
  });
});

describe('kernels in a Web Worker', () => {
  it('auto takes DNN Lab wasm on one thread, compiled from the bytes it was sent', async () => {
    const { kernels, skipped } = await webKernels('auto', assets);
    expect(kernels.name).toMatch(/^DNN Lab wasm \((relaxed SIMD, FMA|SIMD), 1 thread\)$/);
    expect(skipped).toEqual([]);
  });

  it('stays on one thread for a run asking for two where the page is not cross-origin isolated, saying why', async () => {
    const { kernels, skipped } = await webKernels('auto', assets, 2);
    expect(kernels.name).toMatch(/, 1 thread\)$/);
    expect(skipped).toEqual(['dnn-wasm 2 threads: not cross-origin isolated here, so one thread']);
  });

  it('trains on one thread, saying why, when isolated but the helper Web Workers cannot start', async () => {
    // Node is no browser: it has no global Worker, as a page whose policy forbids blob: workers has none to start.
    const scope = globalThis as { crossOriginIsolated?: boolean };
    scope.crossOriginIsolated = true;
    try {
      const { kernels, skipped } = await webKernels('dnn-wasm', assets, 2);
      expect(kernels.name).toMatch(/, 1 thread\)$/);
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatch(/^dnn-wasm 2 threads: a kernel helper Web Worker did not start: .+; one thread$/);
    } finally {
      delete scope.crossOriginIsolated;
    }
  });

  it('falls back to the float64 JavaScript kernels when no wasm build runs, saying why', async () => {
    const broken = { ...assets, wasm: { relaxedSimd: new Uint8Array([0]), simd: new Uint8Array([0]) } };
    const { kernels, skipped } = await webKernels('auto', broken);
    expect(kernels.name).toMatch(/float64/i);
    expect(skipped[0]).toMatch(/^dnn-wasm: this browser runs neither/);
  });

  it.each(['wasm', 'cpu', 'tfjs-node'] as const)(
    'refuses the tfjs backend "%s", which the browser bundle has not',
    async (b) => {
      const err = await webKernels(b, assets).catch((e) => e);
      expect(err).toBeInstanceOf(BackendError);
      expect(err.message).toContain(`"${b}" backend is not part of DNN Lab in the browser`);
    },
  );
});

describe('a run on the web sources', () => {
  const sources = {
    chooseKernels: (preference: RunRequest['backend']) => webKernels(preference, assets),
    loadData: async (request: RunRequest) => ({
      data: await webMnist(assets, request),
      source: 'folder' as const,
      dir: assets.mnistDir,
    }),
    betweenBatches: nextTurn,
  };

  it('trains to a test accuracy above 80 % on the packaged MNIST', async () => {
    const events: RunEvent[] = [];
    const request: RunRequest = { config: labConfig(2, 3000), cacheDir: '', backend: 'auto' };
    await runTraining(
      request,
      (e) => events.push(e),
      () => false,
      sources,
    );
    const done = events.find((e) => e.type === 'run/finished');
    expect(done?.type === 'run/finished' && done.result.status).toBe('completed');
    const last = events.filter((e) => e.type === 'run/epochEnded').pop();
    expect(last?.type === 'run/epochEnded' && last.metrics.testAccuracy).toBeGreaterThan(0.8);
  });

  it('stops within a batch when a cancel message arrives mid-epoch (no SharedArrayBuffer)', async () => {
    // As in the worker: a message sets the flag; only the yield between batches lets it be handled.
    let cancelled = false;
    const channel = new MessageChannel();
    channel.port1.on('message', () => (cancelled = true));
    const batches: number[] = [];
    const events: RunEvent[] = [];
    const request: RunRequest = { config: labConfig(1, 60_000), cacheDir: '', backend: 'auto' };
    await runTraining(
      request,
      (e) => {
        events.push(e);
        if (e.type === 'run/batchEnded') {
          batches.push(e.metrics.batch);
          if (e.metrics.batch === 3) channel.port2.postMessage('run/cancel');
        }
      },
      () => cancelled,
      sources,
    );
    channel.port1.close();
    const done = events.find((e) => e.type === 'run/finished');
    expect(done?.type === 'run/finished' && done.result.status).toBe('cancelled');
    // Of the epoch's 600 batches, at most one more ran after the message was sent.
    expect(Math.max(...batches)).toBeLessThanOrEqual(4);
  });
});
