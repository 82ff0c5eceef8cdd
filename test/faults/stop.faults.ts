// The fault harness's Stop part: the extension's own path to a run, startTraining (src/worker/trainingClient.ts) on
// the bundled dist/worker.js, cancelled at seeded moments as DNN Lab: Stop Training Run does. `done` must resolve as
// cancelled within a bound, and nothing may arrive after run/finished.
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import type { RunEvent } from '../../src/engine/run';
import { startTraining } from '../../src/worker/trainingClient';
import { SHARED_MNIST } from '../support/mnist';
import { CLI } from './child';
import { BASE, configText } from './configCases';
import { Random, SEED } from './random';
import { Tally, type Problem } from './tally';

const tally = new Tally('stop');
/** The worker bundle beside the CLI under test (dist/worker.js of this checkout, or of DNN_LAB_FAULTS_CLI's). */
const WORKER = join(dirname(CLI), '../dist/worker.js');
const STOP_BOUND_MS = 10_000;
const random = new Random(SEED + 4);

interface Moment {
  name: string;
  /** The event type to wait for; none: cancel as soon as the run starts. */
  after?: RunEvent['type'];
  delayMs: number;
  againMs?: number;
}

const MOMENTS: Moment[] = [
  { name: 'at once', delayMs: 0 },
  { name: 'before the data loaded', delayMs: random.int(20, 200) },
  { name: 'as the backend is chosen', after: 'run/backendChosen', delayMs: 0 },
  { name: 'as the data loaded', after: 'data/loaded', delayMs: 0 },
  { name: 'mid-epoch', after: 'data/loaded', delayMs: random.int(200, 2000) },
  { name: 'as an epoch ends', after: 'run/epochEnded', delayMs: 0 },
  { name: 'twice', after: 'data/loaded', delayMs: random.int(100, 1500), againMs: random.int(0, 10) },
];

const parsed = parseLabConfig(
  configText({
    ...BASE,
    layers: [
      { units: 256, activation: 'relu' },
      { units: 128, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    batchSize: 300,
    epochs: 20,
    trainSamples: 20_000,
    testSamples: 2000,
  }),
);

beforeAll(() => {
  console.log(`fault harness [stop]: seed ${SEED}, ${MOMENTS.length} moments, worker ${WORKER}`);
  if (!parsed.config) throw new Error(`the harness's Stop config is not valid: ${parsed.errors[0]?.message}`);
});
afterAll(() => tally.flush());

describe(`Stop through startTraining (seed ${SEED})`, () => {
  it.each(MOMENTS.map((m) => [m.name, m] as const))('%s', async (title, moment) => {
    const problems: Problem[] = [];
    const events: RunEvent['type'][] = [];
    let cancelledAt: number | undefined;
    let armed = false;
    let afterDone = 0;
    const fire = () => {
      armed = true;
      setTimeout(() => {
        cancelledAt = performance.now();
        handle.cancel();
        if (moment.againMs !== undefined) setTimeout(() => handle.cancel(), moment.againMs);
      }, moment.delayMs);
    };
    const handle = startTraining(
      WORKER,
      {
        config: parsed.config!,
        backend: 'auto',
        threads: 2,
        dataFolder: SHARED_MNIST,
        cacheDir: join(tmpdir(), 'dnn-lab-faults-cache'),
      },
      (event) => {
        if (events.includes('run/finished')) afterDone++;
        events.push(event.type);
        if (!armed && event.type === moment.after) fire();
      },
    );
    if (!moment.after) fire();
    const outcome = await Promise.race([
      handle.done.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
      new Promise<{ timedOut: true }>((resolve) => setTimeout(() => resolve({ timedOut: true }), 60_000)),
    ]);
    const stopMs = cancelledAt === undefined ? 0 : performance.now() - cancelledAt;
    if ('timedOut' in outcome)
      problems.push({
        kind: 'hang',
        text: `done never settled (${(stopMs / 1000).toFixed(1)} s after cancel); events: ${events.slice(-3).join(', ')}`,
      });
    else if ('error' in outcome)
      problems.push({ kind: 'crash', text: `done rejected: ${(outcome.error as Error).message}` });
    else {
      if (cancelledAt === undefined)
        problems.push({ kind: 'other', text: `the run ${outcome.result.status} before the moment came` });
      else if (outcome.result.status !== 'cancelled')
        problems.push({ kind: 'other', text: `ended ${outcome.result.status}, not cancelled` });
      if (stopMs > STOP_BOUND_MS)
        problems.push({ kind: 'hang', text: `stopped ${(stopMs / 1000).toFixed(1)} s after cancel` });
    }
    if (afterDone) problems.push({ kind: 'other', text: `${afterDone} events after run/finished` });
    console.log(
      `fault harness [stop]: ${title}: ${'result' in outcome ? outcome.result.status : Object.keys(outcome)[0]} ${(stopMs / 1000).toFixed(2)} s after cancel`,
    );
    expect(tally.record(`stop ${title}`, problems)).toEqual([]);
  });
});
