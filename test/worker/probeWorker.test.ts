import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { ProbeClient, ProbeFailedError, workerTransport } from '../../src/worker/probeClient';
import { SHARED_MNIST } from '../support/mnist';

// The bundled worker, as the extension runs it; `npm test` builds it first.
const WORKER = join(__dirname, '../../dist/probeWorker.js');
const reference = parseLabConfig(
  readFileSync(join(__dirname, '../../labs/corelab-1/reference.dnn.json'), 'utf8'),
).config!;
const cacheDir = mkdtempSync(join(tmpdir(), 'dnn-lab-probe-'));

describe('the probe worker (dist/probeWorker.js) on real MNIST', () => {
  const logs: string[] = [];
  const client = new ProbeClient(
    () => workerTransport(WORKER),
    (m) => logs.push(m),
  );
  afterAll(() => client.dispose());

  it('probes Corelab 1 (5 layers), then again faster with MNIST and the kernels kept warm', async () => {
    const request = { config: reference, dataFolder: SHARED_MNIST, cacheDir, backend: 'auto' as const };
    const t0 = performance.now();
    const cold = await client.probe(request);
    const t1 = performance.now();
    const warm = await client.probe({ ...request, config: { ...reference, seed: 2 } });
    const t2 = performance.now();
    if (cold.status !== 'done' || warm.status !== 'done') throw new Error('a lone probe must not be superseded');
    expect(cold.result.layers.map((l) => l.units)).toEqual([256, 128, 64, 32, 10]);
    expect(cold.result.batchSize).toBe(256);
    expect(warm.result.layers[0].deltaRms).not.toBe(cold.result.layers[0].deltaRms);
    console.log(
      `probe worker: cold ${(t1 - t0).toFixed(0)} ms, warm ${(t2 - t1).toFixed(0)} ms (${warm.result.kernels}, ${warm.result.millis.toFixed(0)} ms in the pass)`,
    );
    expect(t2 - t1).toBeLessThan(t1 - t0);
  });

  it('answers a missing data folder with a data error naming the folder', async () => {
    const request = { config: reference, dataFolder: '/nonexistent/mnist', cacheDir, backend: 'auto' as const };
    const failure = await client.probe(request).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProbeFailedError);
    expect((failure as ProbeFailedError).kind).toBe('data');
    expect((failure as ProbeFailedError).message).toContain('/nonexistent/mnist');
  });
});
