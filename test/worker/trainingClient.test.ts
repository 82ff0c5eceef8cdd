import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { automaticThreads } from '../../src/engine/kernels/threads';
import type { RunEvent } from '../../src/engine/run';
import { fromTrainingWorkerGuards } from '../../src/protocol/trainingWorkerProtocol';
import { RunFailedError, startTraining } from '../../src/worker/trainingClient';
import { labConfig } from '../support/nets';
import { SHARED_MNIST } from '../support/mnist';

const dir = mkdtempSync(join(tmpdir(), 'dnn-lab-worker-'));
const request = { config: labConfig(), cacheDir: dir, backend: 'js' as const };

/**
 * A stand-in worker that posts the given messages: a fake transport for the protocol, not for training.
 * `event(e)` posts a run event as the real worker's endpoint does; `post(m)` posts anything as it is.
 */
function fakeWorker(name: string, body: string): string {
  const path = join(dir, `${name}.cjs`);
  writeFileSync(
    path,
    `const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
const event = (e) => post({ kind: 'notify', type: e.type, payload: e });
parentPort.once('message', () => {\n${body}\n});\n`,
  );
  return path;
}

describe('the host side of the worker protocol', () => {
  const epoch = {
    epoch: 1,
    trainLoss: 0.5,
    trainAccuracy: 0.8,
    testLoss: 0.6,
    testAccuracy: 0.7,
    seconds: 1,
    layers: [],
  };
  it.each([
    ['run/epochEnded', { type: 'run/epochEnded', metrics: epoch }, true],
    ['run/epochEnded', { type: 'run/epochEnded', metrics: {} }, false],
    ['run/epochEnded', { type: 'run/epochEnded', metrics: { ...epoch, trainLoss: 'low' } }, false],
    ['run/epochEnded', { type: 'run/batchEnded', metrics: epoch }, false],
    [
      'run/finished',
      { type: 'run/finished', result: { status: 'completed', epochs: [epoch], backend: 'x', seconds: 1 } },
      true,
    ],
    ['run/finished', { type: 'run/finished', result: { status: 'done', epochs: [], backend: 'x', seconds: 1 } }, false],
    ['run/failed', { type: 'run/failed', kind: 'diverged', message: 'NaN', epoch: 2 }, true],
    ['run/failed', { type: 'run/failed', kind: 'gremlins', message: 'NaN' }, false],
    ['run/backendChosen', null, false],
  ] as const)('the %s guard says %j is %s', (type, message, expected) => {
    expect(fromTrainingWorkerGuards[type](message)).toBe(expected);
  });

  it('drops unknown and malformed messages with a log line and still delivers the good ones in order', async () => {
    const script = fakeWorker(
      'unknown',
      `event({ type: 'run/backendChosen', name: 'fake', skipped: [] });
       event({ type: 'run/bogus', x: 1 });
       event({ type: 'run/epochEnded', metrics: { epoch: 'one' } });
       post({ type: 'run/finished' });
       event({ type: 'run/finished', result: { status: 'completed', epochs: [], backend: 'fake', seconds: 0 } });`,
    );
    const events: RunEvent['type'][] = [];
    const logs: string[] = [];
    const result = await startTraining(
      script,
      request,
      (e) => events.push(e.type),
      (m) => logs.push(m),
    ).done;
    expect(result.backend).toBe('fake');
    expect(events).toEqual(['run/backendChosen', 'run/finished']);
    expect(logs).toEqual([
      'Training worker: dropped a message of unknown type "run/bogus"',
      'Training worker: dropped a malformed "run/epochEnded" message: {"type":"run/epochEnded","metrics":{"epoch":"one"}}',
      'Training worker: dropped a malformed message: {"type":"run/finished"}',
    ]);
  });

  it('rejects with the run error, keeping where training diverged', async () => {
    const script = fakeWorker(
      'diverged',
      `event({ type: 'run/failed', kind: 'diverged', message: 'Training diverged at epoch 2, batch 5', epoch: 2, batch: 5, layer: 3 });`,
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
    const events: RunEvent[] = [];
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
    expect(types.slice(0, 2)).toEqual(['run/backendChosen', 'data/loaded']);
    expect(types.filter((t) => t === 'run/batchEnded')).toHaveLength(10);
    expect(types.filter((t) => t === 'run/epochEnded')).toHaveLength(2);
    expect(types.at(-1)).toBe('run/finished');
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
        if (e.type === 'run/backendChosen') backend = e.name;
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
