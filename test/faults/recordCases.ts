// Hostile run folders for the run history (src/engine/record/runHistory.ts, plain Node) and the page's record-to-view
// functions (summarize, runSeries): each case saves two good runs through RunHistory.save, adds one hostile thing,
// then lists, shows and clears, comparing snapshots of the whole tree before and after.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { LayerStats } from '../../src/engine/train/metrics';
import { newRunId, RunHistory } from '../../src/engine/record/runHistory';
import { detectOverfitting } from '../../src/engine/train/overfitting';
import { checkRunRecord, RUN_RECORD_FORMAT, summarize, type RunRecord } from '../../src/engine/record/runRecord';
import { runSeries } from '../../webview/training/chartSeries';
import { predictionsView } from '../../webview/training/predictionsModel';
import { labConfig } from '../support/nets';
import { RECORD_ENVIRONMENT } from '../support/records';
import { snapshot } from './snapshot';
import type { Problem } from './tally';

/** The bound on one list, load or clear. */
export const RECORD_BOUND_MS = 5000;

/** One hostile thing in (or instead of) a runs folder. */
export interface RecordCase {
  name: string;
  /** Puts the hostile thing in place; `runs` is the runs folder, `outside` a folder of someone else's files beside it. */
  make: (runs: string, outside: string) => { mayDelete?: string[]; loadId?: string; runsDir?: string } | void;
  /** The most the process's resident memory may grow while listing (a file read whole shows as its size and more). */
  listMemoryMb?: number;
}

/** Statistics of labConfig's two layers. */
function stats(): LayerStats[] {
  return [1, 2].map((layer) => ({ layer, deltaRms: 0.1, gradNorm: 0.2, weightNorm: 1, updateRatio: 0.01 }));
}

/** A complete record as the extension writes it. */
export function goodRecord(id: string, startedAt: number): RunRecord {
  return {
    format: RUN_RECORD_FORMAT,
    id,
    name: 'lab',
    documentPath: 'lab.dnn.json',
    documentUri: 'file:///w/lab.dnn.json',
    startedAt,
    finishedAt: startedAt + 1000,
    status: 'completed',
    config: labConfig({ epochs: 2 }),
    environment: { ...RECORD_ENVIRONMENT },
    epochs: [1, 2].map((epoch) => ({
      epoch,
      trainLoss: 1 / epoch,
      testLoss: 1 / epoch,
      trainAccuracy: 0.9,
      testAccuracy: 0.9,
      seconds: 1,
      layers: stats(),
    })),
    batchLosses: [{ epoch: 1, batch: 1, batches: 2, loss: 1 }],
    layerSnapshots: [{ step: 1, epoch: 1, layers: stats() }],
  };
}

/** A file that claims to be a run of the current format: the history may take it for one of its own. */
function claimed(runs: string, name: string, fields: Record<string, unknown>): { mayDelete: string[] } {
  writeFileSync(join(runs, name), JSON.stringify({ ...goodRecord(name.replace(/\.json$/, ''), 5), ...fields }));
  return { mayDelete: [join(runs, name)] };
}

function text(runs: string, name: string, content: string | Buffer): void {
  writeFileSync(join(runs, name), content);
}

/** Every hostile case but the 200 MB file, which records.faults.ts adds. */
export const RECORD_CASES: RecordCase[] = [
  { name: 'a record without an id', make: (r) => text(r, 'noid.json', '{ "format": 1, "epochs": [] }') },
  { name: 'a record without epochs', make: (r) => text(r, 'noepochs.json', '{ "format": 1, "id": "noepochs" }') },
  { name: 'null', make: (r) => text(r, 'null.json', 'null') },
  { name: 'an array', make: (r) => text(r, 'array.json', '[1, 2, 3]') },
  { name: 'a number', make: (r) => text(r, 'number.json', '42') },
  { name: 'half a record', make: (r) => text(r, 'half.json', '{ "format": 1, "id": ') },
  {
    name: 'binary bytes',
    make: (r) => text(r, 'binary.json', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))),
  },
  {
    name: 'arrays nested 100000 deep',
    make: (r) => text(r, 'deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  },
  {
    name: 'epochs null',
    make: (r) => text(r, 'epochsnull.json', '{ "format": 1, "id": "epochsnull", "epochs": null }'),
  },
  { name: 'config null', make: (r) => claimed(r, 'confignull.json', { config: null }) },
  { name: 'config.layers missing', make: (r) => claimed(r, 'nolayers.json', { config: { epochs: 2 } }) },
  { name: 'epochs [null]', make: (r) => claimed(r, 'epochnull.json', { epochs: [null] }) },
  { name: 'epochs of strings', make: (r) => claimed(r, 'epochstrings.json', { epochs: ['one', 'two'] }) },
  { name: 'batchLosses null', make: (r) => claimed(r, 'batchnull.json', { batchLosses: null }) },
  {
    name: 'layerSnapshots [{ layers: null }]',
    make: (r) => claimed(r, 'snapnull.json', { layerSnapshots: [{ step: 1, epoch: 1, layers: null }] }),
  },
  {
    name: 'startedAt, status and name of the wrong types',
    make: (r) => claimed(r, 'types.json', { startedAt: 'yesterday', status: 42, name: null }),
  },
  {
    name: 'an id that climbs out of the folder',
    make: (r) => claimed(r, 'evil.json', { id: '../../../outside/package' }),
  },
  {
    name: '200000 epochs and 500000 batch losses',
    make: (r) =>
      claimed(r, 'huge.json', {
        epochs: Array.from({ length: 200_000 }, (_, i) => ({
          epoch: i + 1,
          trainLoss: 1,
          testLoss: 1,
          trainAccuracy: 0.5,
          testAccuracy: 0.5,
          seconds: 1,
          layers: [],
        })),
        batchLosses: Array.from({ length: 500_000 }, (_, i) => ({ epoch: 1, batch: i + 1, batches: 500_000, loss: 1 })),
      }),
  },
  {
    name: 'a FIFO named x.json',
    make: (r) => {
      execFileSync('mkfifo', [join(r, 'x.json')]);
      return { loadId: 'x' };
    },
  },
  { name: 'a folder named y.json', make: (r) => void mkdirSync(join(r, 'y.json')) },
  {
    name: 'z.json a symlink to a package.json outside',
    make: (r, o) => void symlinkSync(join(o, 'package.json'), join(r, 'z.json')),
  },
  {
    name: 'r.json a symlink to a run record outside',
    make: (r, o) => {
      writeFileSync(join(o, 'run.json'), JSON.stringify(goodRecord('r', 7)));
      symlinkSync(join(o, 'run.json'), join(r, 'r.json'));
      return { mayDelete: [join(r, 'r.json')] };
    },
  },
  { name: 'w.json a symlink to itself', make: (r) => void symlinkSync('w.json', join(r, 'w.json')) },
  {
    name: "someone else's JSON files in the runs folder",
    make: (r) => {
      text(r, 'package.json', '{ "name": "mine", "version": "1.0.0" }');
      text(r, 'tsconfig.json', '{ "compilerOptions": {} }');
      text(r, 'notes.json', '{ "format": 2, "id": "notes", "epochs": [] }');
    },
  },
  {
    name: 'a temporary file a save left behind',
    make: (r) => {
      text(r, 'left.json.123.456.tmp', '{');
      return { mayDelete: [join(r, 'left.json.123.456.tmp')] };
    },
  },
  {
    name: 'the runs folder a symlink to a project folder',
    make: (r, o) => {
      const project = join(o, 'project');
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), '{ "name": "project" }');
      writeFileSync(join(project, 'data.json'), '[1, 2, 3]');
      const linked = join(r, '..', 'linked-runs');
      symlinkSync(project, linked);
      return { runsDir: linked };
    },
  },
];

type Bounded<T> = { value: T } | { error: unknown } | { timedOut: true };

function bounded<T>(promise: Promise<T>, ms: number): Promise<Bounded<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ timedOut: true }), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve({ value })),
      (error: unknown) => (clearTimeout(timer), resolve({ error })),
    );
  });
}

/** Lets a read that waits on a FIFO go on: opening its write end and closing it gives the reader an end of file. */
function releaseFifos(root: string): void {
  for (const [path, what] of snapshot(root)) {
    if (what !== 'FIFO') continue;
    try {
      closeSync(openSync(join(root, path), constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waits on it.
    }
  }
}

/** Runs one step of the history within the bound; a step that hangs on a FIFO is released so the next can run. */
async function step<T>(
  what: string,
  root: string,
  run: () => Promise<T>,
  problems: Problem[],
  refusal?: string,
): Promise<T | undefined> {
  const started = performance.now();
  const promise = run();
  let outcome = await bounded(promise, RECORD_BOUND_MS);
  if ('timedOut' in outcome) {
    problems.push({ kind: 'hang', text: `${what} did not finish within ${RECORD_BOUND_MS} ms` });
    releaseFifos(root);
    outcome = await bounded(promise, RECORD_BOUND_MS);
    if ('timedOut' in outcome) return undefined;
  } else if (performance.now() - started > RECORD_BOUND_MS) {
    problems.push({ kind: 'hang', text: `${what} took ${(performance.now() - started).toFixed(0)} ms` });
  }
  if ('error' in outcome) {
    const e = outcome.error;
    // A refusal the API declares (RunHistoryError, saying why) is an answer, not a crash.
    if (refusal && e instanceof Error && e.name === refusal && e.message.length > 20) return undefined;
    problems.push({
      kind: 'crash',
      text: `${what} rejected: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
    });
    return undefined;
  }
  return outcome.value;
}

/** What is wrong with listing, showing and clearing a runs folder holding this case's hostile thing. */
export async function recordProblems(c: RecordCase): Promise<Problem[]> {
  const root = mkdtempSync(join(tmpdir(), 'dnn-lab-faults-runs-'));
  const outside = join(root, 'outside');
  const runs = join(root, 'ws', '.dnnlab', 'runs');
  mkdirSync(outside);
  writeFileSync(join(outside, 'package.json'), '{ "name": "outside" }');
  mkdirSync(runs, { recursive: true });
  const problems: Problem[] = [];
  const made = c.make(runs, outside) ?? {};
  const dir = made.runsDir ?? runs;
  const warnings: string[] = [];
  const history = new RunHistory(dir, (m) => warnings.push(m));
  // The good runs go where the extension would put them; a symlinked runs folder gets none (it is not the extension's).
  const good = made.runsDir
    ? []
    : [goodRecord(newRunId('good one', new Date(2000)), 2000), goodRecord(newRunId('good two', new Date(3000)), 3000)];
  for (const record of good) await history.save(record);
  const before = snapshot(root);

  const rssBefore = process.memoryUsage().rss;
  const listed = await step('list()', root, () => history.list(), problems);
  const grewMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  if (c.listMemoryMb !== undefined && grewMb > c.listMemoryMb)
    problems.push({
      kind: 'other',
      text: `list() grew the process by ${grewMb.toFixed(0)} MB (bound ${c.listMemoryMb} MB)`,
    });
  if (listed) {
    const ids = listed.map((r) => r.id);
    for (const record of good)
      if (!ids.includes(record.id))
        problems.push({
          kind: 'other',
          text: `list() lost the good run ${record.id}; listed ${ids.join(', ')}; warnings: ${warnings.join(' | ').slice(0, 400)}`,
        });
    for (const record of listed) problems.push(...showProblems(record, `listed run ${JSON.stringify(record.id)}`));
  }
  await step('summaries()', root, () => history.summaries(), problems);
  if (made.loadId) await step(`load(${made.loadId})`, root, () => history.load(made.loadId as string), problems);
  await step('clear()', root, () => history.clear(), problems, 'RunHistoryError');

  const after = snapshot(root);
  const goodPaths = new Set(good.map((r) => relative(root, join(runs, `${r.id}.json`))));
  const mayGo = new Set([...goodPaths, ...(made.mayDelete ?? []).map((p) => relative(root, p))]);
  for (const [path, what] of before) {
    if (!after.has(path) && !mayGo.has(path))
      problems.push({ kind: 'other', text: `clear() deleted ${path} (${what}), which the extension did not write` });
    else if (after.has(path) && after.get(path) !== what && !path.startsWith('ws'))
      problems.push({ kind: 'other', text: `${path} changed: ${what} -> ${after.get(path)}` });
  }
  for (const path of goodPaths)
    if (after.has(path)) problems.push({ kind: 'other', text: `clear() left the run ${path}` });
  releaseFifos(root);
  // Everything the case made is under root, links included (rm removes a link, never what it points to).
  rmSync(root, { recursive: true, force: true });
  return problems;
}

/** What goes wrong drawing a record the page accepted: its summary, curves, overfitting note and predictions. */
function showProblems(record: RunRecord, what: string): Problem[] {
  const started = performance.now();
  try {
    summarize(record);
    runSeries(record);
    detectOverfitting(record.epochs);
    predictionsView(record.predictions);
  } catch (err) {
    return [{ kind: 'crash', text: `the page's record-to-view functions threw on ${what}: ${(err as Error).message}` }];
  }
  const ms = performance.now() - started;
  return ms > RECORD_BOUND_MS ? [{ kind: 'hang', text: `showing ${what} took ${ms.toFixed(0)} ms` }] : [];
}

/** A record the page may receive from the host (ready state, history/load, run/started), before any check. */
export interface PageCase {
  name: string;
  value: () => unknown;
}

const withRecord = (fields: Record<string, unknown>) => () => ({
  ...goodRecord(newRunId('page', new Date(4000)), 4000),
  ...fields,
});
const digit = (fields: Record<string, unknown>) => ({
  index: 0,
  rows: 2,
  cols: 2,
  pixels: [0, 1, 2, 3],
  label: 1,
  predicted: 1,
  probabilities: [0.1, 0.9],
  ...fields,
});

/** Records as the page gets them: every field of the wrong kind somewhere, and sizes no record should have. */
export const PAGE_CASES: PageCase[] = [
  { name: 'undefined', value: () => undefined },
  { name: 'null', value: () => null },
  { name: 'a string', value: () => 'run' },
  { name: 'an empty object', value: () => ({}) },
  { name: 'a good record', value: withRecord({}) },
  { name: 'config null', value: withRecord({ config: null }) },
  { name: 'config.layers a number', value: withRecord({ config: { ...labConfig(), layers: 3 } }) },
  { name: 'environment missing', value: withRecord({ environment: undefined }) },
  { name: 'epochs [null]', value: withRecord({ epochs: [null] }) },
  {
    name: 'epochs with NaN and Infinity losses',
    value: withRecord({
      epochs: [1, 2, 3].map((epoch) => ({
        epoch,
        trainLoss: NaN,
        testLoss: Infinity,
        trainAccuracy: -1,
        testAccuracy: 2,
        seconds: -5,
        layers: stats(),
      })),
    }),
  },
  { name: 'batchLosses missing', value: withRecord({ batchLosses: undefined }) },
  {
    name: 'batchLosses with 0 batches per epoch',
    value: withRecord({ batchLosses: [{ epoch: 1, batch: 1, batches: 0, loss: 1 }] }),
  },
  {
    name: 'layerSnapshots with a layer of nulls',
    value: withRecord({ layerSnapshots: [{ step: 1, epoch: 1, layers: [null, null] }] }),
  },
  { name: 'predictions a number', value: withRecord({ predictions: 7 }) },
  {
    name: 'predictions.digits not an array',
    value: withRecord({ predictions: { epoch: 1, digits: 'many', confusion: [], testCount: 0 } }),
  },
  {
    name: 'a 100000 x 100000 digit',
    value: withRecord({
      predictions: {
        epoch: 1,
        digits: [digit({ rows: 100_000, cols: 100_000, pixels: [] })],
        confusion: [],
        testCount: 1,
      },
    }),
  },
  {
    name: 'a digit whose pixels do not fill it',
    value: withRecord({ predictions: { epoch: 1, digits: [digit({ pixels: [1] })], confusion: [], testCount: 1 } }),
  },
  {
    name: 'a confusion matrix of numbers',
    value: withRecord({ predictions: { epoch: 1, digits: [], confusion: [1, 2, 3], testCount: 1 } }),
  },
  {
    name: 'a 10000 x 10000 confusion matrix',
    value: withRecord({
      predictions: {
        epoch: 1,
        digits: [],
        confusion: Array.from({ length: 10_000 }, () => new Array(10_000).fill(0)),
        testCount: 1,
      },
    }),
  },
  {
    name: '100000 digits',
    value: withRecord({
      predictions: { epoch: 1, digits: Array.from({ length: 100_000 }, () => digit({})), confusion: [], testCount: 1 },
    }),
  },
  {
    name: 'a prototype-polluting key',
    value: () =>
      JSON.parse(
        `{"__proto__": {"polluted": true}, ${JSON.stringify(goodRecord(newRunId('proto', new Date(5000)), 5000)).slice(1)}`,
      ),
  },
];

/** What goes wrong when the page checks `value` with checkRunRecord and draws it if accepted. */
export function pageProblems(c: PageCase): Problem[] {
  const value = c.value();
  let check: ReturnType<typeof checkRunRecord>;
  const started = performance.now();
  try {
    check = checkRunRecord(value);
  } catch (err) {
    return [{ kind: 'crash', text: `checkRunRecord threw: ${(err as Error).message}` }];
  }
  const problems: Problem[] = [];
  const ms = performance.now() - started;
  if (ms > RECORD_BOUND_MS) problems.push({ kind: 'hang', text: `checkRunRecord took ${ms.toFixed(0)} ms` });
  if (!check.ok) {
    if (!check.problem.trim()) problems.push({ kind: 'other', text: 'refused without saying why' });
    if (/internal error/i.test(check.problem))
      problems.push({ kind: 'crash', text: `refused with "${check.problem.slice(0, 160)}"` });
    return problems;
  }
  if (({} as Record<string, unknown>).polluted !== undefined)
    problems.push({ kind: 'other', text: 'a record polluted Object.prototype' });
  return [...problems, ...showProblems(check.record, 'the accepted record')];
}
