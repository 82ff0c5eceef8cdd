// The fault harness's interrupt part: Ctrl-C (SIGINT) sent to `dnn-lab train` at seeded moments, from start-up to
// mid-epoch, once and twice, on Node 20 and on Node 24 (VS Code's runtime, relaxed SIMD) when it is installed. Each
// run must end with exit 130 within a bound, print only JSON on stdout and no stack trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MNIST } from '../support/mnist';
import { badJsonLines, crashSigns, runCliChild } from './child';
import { BASE, configText } from './configCases';
import { Random, SEED } from './random';
import { Tally, type Problem } from './tally';

const tally = new Tally('cancel');
const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-faults-cancel-'));
const config = join(workDir, 'cancel.dnn.json');
/** From the first SIGINT to the end of the process: a batch of this net takes milliseconds, start-up about a second. */
const STOP_BOUND_MS = 10_000;
const random = new Random(SEED + 3);
/** Rounds of every moment: DNN_LAB_FAULTS_CANCEL_ROUNDS, each round with its own seeded delays. */
const ROUNDS = Number(process.env.DNN_LAB_FAULTS_CANCEL_ROUNDS ?? 1);
/**
 * Busy loops beside the run (DNN_LAB_FAULTS_LOAD, default one): the training threads are then descheduled at random
 * points, which is when races between them show.
 */
const LOAD = Number(process.env.DNN_LAB_FAULTS_LOAD ?? 1);
const load: ChildProcess[] = [];

/** Node 24 as scripts/e2e/install.sh leaves it, if it has run. */
function node24(): string | undefined {
  const paths = join(homedir(), '.cache/dnn-lab-e2e/paths.json');
  if (!existsSync(paths)) return undefined;
  const node = (JSON.parse(readFileSync(paths, 'utf8')) as { node?: string }).node;
  return node && existsSync(node) ? node : undefined;
}

/** When the SIGINT goes: after some output has appeared, then after a seeded delay. */
interface Moment {
  name: string;
  /** A regex of stdout to wait for before the delay; none means from the start. */
  after?: RegExp;
  delayMs: number;
  /** Send a second SIGINT this long after the first. */
  againMs?: number;
  /** Train labs/corelab-1/reference.dnn.json on 2 threads instead: batches of 300 through five layers keep both threads in the products. */
  corelab?: boolean;
}

const moments = (): Moment[] => [
  { name: 'during start-up', delayMs: random.int(50, 400) },
  { name: 'as the backend is chosen', after: /"event":"backend"/, delayMs: 0 },
  { name: 'just after the data loaded', after: /"event":"data"/, delayMs: random.int(0, 300) },
  { name: 'mid-epoch', after: /"event":"data"/, delayMs: random.int(600, 2500) },
  { name: 'right after an epoch', after: /"event":"epoch"/, delayMs: random.int(0, 50) },
  { name: 'twice, 30 ms apart', after: /"event":"data"/, delayMs: random.int(300, 1500), againMs: 30 },
  { name: 'Corelab 1 on 2 threads, mid-epoch', after: /"event":"data"/, delayMs: random.int(300, 3000), corelab: true },
  {
    name: 'Corelab 1 on 2 threads, twice',
    after: /"event":"data"/,
    delayMs: random.int(300, 3000),
    againMs: random.int(1, 20),
    corelab: true,
  },
];
const MOMENTS: Moment[] = Array.from({ length: ROUNDS }, (_, round) =>
  moments().map((m) => (ROUNDS > 1 ? { ...m, name: `${m.name}, round ${round + 1}` } : m)),
).flat();

const CORELAB_1 = join(__dirname, '../../labs/corelab-1/reference.dnn.json');

const NODES: [string, string | undefined][] = [
  [`Node ${process.versions.node}`, process.execPath],
  ['Node 24', node24()],
];

beforeAll(() => {
  console.log(
    `fault harness [cancel]: seed ${SEED}, ${MOMENTS.length} moments on ${NODES.filter(([, n]) => n)
      .map(([l]) => l)
      .join(' and ')}, ${LOAD} busy loops beside`,
  );
  for (let i = 0; i < LOAD; i++) load.push(spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
  // Long enough that every moment falls inside the run: about 2 s an epoch on 2 cores.
  writeFileSync(
    config,
    configText({
      ...BASE,
      layers: [
        { units: 128, activation: 'relu' },
        { units: 10, activation: 'softmax' },
      ],
      batchSize: 64,
      epochs: 20,
      trainSamples: 20_000,
      testSamples: 2000,
    }),
  );
});
afterAll(() => {
  for (const loop of load) loop.kill('SIGKILL');
  tally.flush();
  rmSync(workDir, { recursive: true, force: true });
});

describe(`SIGINT to dnn-lab train (seed ${SEED})`, () => {
  const trials = NODES.flatMap(([label, node]) =>
    MOMENTS.map((m) => [`${label}: ${m.name}${m.after ? '' : ` (${m.delayMs} ms)`}`, node, m] as const),
  );
  it.each(trials)('%s', async (title, node, moment) => {
    if (!node) {
      console.log(`fault harness [cancel]: ${title}: skipped, Node 24 is not installed (scripts/e2e/install.sh)`);
      return;
    }
    let firstSignalAt: number | undefined;
    let armed = false;
    const fire = (signal: (s: NodeJS.Signals) => void) => {
      setTimeout(() => {
        firstSignalAt = performance.now();
        signal('SIGINT');
        if (moment.againMs !== undefined) setTimeout(() => signal('SIGINT'), moment.againMs);
      }, moment.delayMs);
    };
    const args = moment.corelab ? ['train', CORELAB_1, '--threads', '2'] : ['train', config];
    const run = await runCliChild([...args, '--data', SHARED_MNIST, '--json'], {
      node,
      timeoutMs: 60_000,
      cwd: workDir,
      onSpawn: (signal) => {
        if (!moment.after) {
          armed = true;
          fire(signal);
        }
      },
      onOutput: (stdout, _stderr, signal) => {
        if (armed || !moment.after?.test(stdout)) return;
        armed = true;
        fire(signal);
      },
    });
    const problems: Problem[] = crashSigns(run).filter((p) => !(p.kind === 'hang' && firstSignalAt === undefined));
    const end = performance.now();
    if (firstSignalAt === undefined)
      problems.push({ kind: 'other', text: `the run ended (exit ${run.code ?? run.signal}) before the moment came` });
    else {
      const stopMs = run.ms - (end - firstSignalAt) >= 0 ? end - firstSignalAt : 0;
      if (run.timedOut || stopMs > STOP_BOUND_MS)
        problems.push({ kind: 'hang', text: `still running ${(stopMs / 1000).toFixed(1)} s after SIGINT` });
      // Killed by the signal itself (before the CLI took over Ctrl-C) is what a shell reports as 130 too.
      else if (run.code !== 130 && run.signal !== 'SIGINT')
        problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}, not 130` });
      console.log(
        `fault harness [cancel]: ${title}: exit ${run.code ?? run.signal} ${(stopMs / 1000).toFixed(2)} s after SIGINT`,
      );
    }
    const bad = badJsonLines(run.stdout);
    if (bad.length) problems.push({ kind: 'other', text: `stdout lines that are not JSON: ${bad[0]}` });
    expect(tally.record(title, problems)).toEqual([]);
  });
});
