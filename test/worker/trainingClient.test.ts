import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { automaticThreads } from '../../src/engine/kernels/threads';
import { isFromWorker, type FromWorker } from '../../src/protocol/workerProtocol';
import { RunFailedError, startTraining } from '../../src/worker/trainingClient';
import { labConfig } from '../support/nets';
import { SHARED_MNIST } from '../support/mnist';

const dir = mkdtempSync(join(tmpdir(), 'dnn-lab-worker-'));
const request = { config: labConfig(), cacheDir: dir, backend: 'js' as const };

/** A stand-in worker that posts the given messages: a fake transport for the protocol, not for training. */
function fakeWorker(name: string, body: string): string {
  const path = join(dir, `${name}.cjs`);
  writeFileSync(
    path,
    `const { parentPort } = require('node:worker_threads');\nparentPort.once('message', () => {\n${body}\n});\n`,
  );
  return path;
}

describe('the host side of the worker protocol', () => {
  it.each([
    [{ type: 'run/epochEnded', metrics: {} }, true],
    [{ type: 'run/unknown' }, false],
    [{ kind: 'run/done' }, false],
    ['run/done', false],
    [null, false],
  ])('isFromWorker(%j) is %s', (message, expected) => {
    expect(isFromWorker(message)).toBe(expected);
  });

  it('drops unknown messages with a log line and still delivers the known ones in order', async () => {
    const script = fakeWorker(
      'unknown',
      `parentPort.postMessage({ type: 'run/backend', name: 'fake', skipped: [] });
       parentPort.postMessage({ type: 'run/bogus', x: 1 });
       parentPort.postMessage({ type: 'run/done', result: { status: 'completed', epochs: [], backend: 'fake', seconds: 0 } });`,
    );
    const events: FromWorker['type'][] = [];
    const logs: string[] = [];
    const result = await startTraining(
      script,
      request,
      (e) => events.push(e.type),
      (m) => logs.push(m),
    ).done;
    expect(result.backend).toBe('fake');
    expect(events).toEqual(['run/backend', 'run/done']);
    expect(logs).toEqual([expect.stringContaining('"run/bogus"')]);
  });

  it('rejects with the run error, keeping where training diverged', async () => {
    const script = fakeWorker(
      'diverged',
      `parentPort.postMessage({ type: 'run/error', kind: 'diverged', message: 'Training diverged at epoch 2, batch 5', epoch: 2, batch: 5, layer: 3 });`,
    );
    const error = await startTraining(script, request, () => {}).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect((error as RunFailedError).event).toMatchObject({ kind: 'diverged', epoch: 2, batch: 5, layer: 3 });
  });

  it.each([
    ['crashes', `throw new Error('boom');`, 'The training worker crashed: boom'],
    ['exits early', `process.exit(3);`, 'The training worker exited (code 3) before finishing.'],
  ])('rejects when the worker %s', async (_name, body, message) => {
    const error = await startTraining(fakeWorker(_name.replace(' ', '-'), body), request, () => {}).done.catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(message);
  });
});

describe('the real training worker (dist/worker.js)', () => {
  it('trains in its own thread and reports backend, data, batches, epochs and done', async () => {
    const events: FromWorker[] = [];
    const result = await startTraining(
      join(__dirname, '../../dist/worker.js'),
      {
        config: labConfig({ epochs: 2, trainSamples: 500, testSamples: 200, batchSize: 100 }),
        dataFolder: SHARED_MNIST,
        cacheDir: dir,
        backend: 'wasm',
      },
      (e) => events.push(e),
    ).done;
    expect(result.status).toBe('completed');
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['run/backend', 'data/loaded']);
    expect(types.filter((t) => t === 'run/batchEnded')).toHaveLength(10);
    expect(types.filter((t) => t === 'run/epochEnded')).toHaveLength(2);
    expect(types.at(-1)).toBe('run/done');
  });

  it('splits our wasm kernels over one thread per core (up to 4) when the request leaves threads to it', async () => {
    let backend = '';
    const result = await startTraining(
      join(__dirname, '../../dist/worker.js'),
      {
        config: labConfig({ epochs: 1, trainSamples: 300, testSamples: 100, batchSize: 100 }),
        dataFolder: SHARED_MNIST,
        cacheDir: dir,
        backend: 'dnn-wasm',
      },
      (e) => {
        if (e.type === 'run/backend') backend = e.name;
      },
    ).done;
    expect(result.status).toBe('completed');
    const threads = automaticThreads();
    expect(threads).toBe(Math.min(4, availableParallelism()));
    expect(backend).toMatch(new RegExp(`, ${threads} threads?\\)$`));
  });

  it('cancels through the shared flag within a batch', async () => {
    let batches = 0;
    const handle = startTraining(
      join(__dirname, '../../dist/worker.js'),
      {
        config: labConfig({ epochs: 100, trainSamples: 5000, testSamples: 100, batchSize: 50 }),
        dataFolder: SHARED_MNIST,
        cacheDir: dir,
        backend: 'wasm',
      },
      (e) => {
        if (e.type === 'run/batchEnded' && ++batches === 3) handle.cancel();
      },
    );
    const result = await handle.done;
    expect(result.status).toBe('cancelled');
    // Messages already in flight may land after cancel(); the worker itself stops before the next batch.
    expect(batches).toBeLessThan(10);
  });
});
