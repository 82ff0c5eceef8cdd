// Hostile run folders for the run history (src/training/runHistory.ts, plain Node) and the page's record-to-view
// functions (summarize, runSeries): each case saves two good runs through RunHistory.save, adds one hostile thing,
// then lists, shows and clears, comparing snapshots of the whole tree before and after.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { LayerStats } from '../../src/engine/train/metrics';
import { newRunId, RunHistory } from '../../src/training/runHistory';
import { RUN_RECORD_FORMAT, summarize, type RunRecord } from '../../src/training/runRecord';
import { runSeries } from '../../webview/training/chartSeries';
import { labConfig } from '../support/nets';
import type { Problem } from './tally';

/** The bound on one list, load or clear. */
export const RECORD_BOUND_MS = 5000;

/** One hostile thing in (or instead of) a runs folder. */
export interface RecordCase {
  name: string;
  /** Puts the hostile thing in place; `runs` is the runs folder, `outside` a folder of someone else's files beside it. */
  make: (runs: string, outside: string) => { mayDelete?: string[]; loadId?: string; runsDir?: string } | void;
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
    environment: { extensionVersion: '0.1.0', vscodeVersion: '1.99', node: '22', platform: 'linux', arch: 'x64', cpus: 2 },
    epochs: [1, 2].map((epoch) => ({ epoch, trainLoss: 1 / epoch, testLoss: 1 / epoch, trainAccuracy: 0.9, testAccuracy: 0.9, seconds: 1, layers: stats() })),
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
  { name: 'binary bytes', make: (r) => text(r, 'binary.json', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))) },
  { name: 'arrays nested 100000 deep', make: (r) => text(r, 'deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`) },
  { name: 'epochs null', make: (r) => text(r, 'epochsnull.json', '{ "format": 1, "id": "epochsnull", "epochs": null }') },
  { name: 'config null', make: (r) => claimed(r, 'confignull.json', { config: null }) },
  { name: 'config.layers missing', make: (r) => claimed(r, 'nolayers.json', { config: { epochs: 2 } }) },
  { name: 'epochs [null]', make: (r) => claimed(r, 'epochnull.json', { epochs: [null] }) },
  { name: 'epochs of strings', make: (r) => claimed(r, 'epochstrings.json', { epochs: ['one', 'two'] }) },
  { name: 'batchLosses null', make: (r) => claimed(r, 'batchnull.json', { batchLosses: null }) },
  { name: 'layerSnapshots [{ layers: null }]', make: (r) => claimed(r, 'snapnull.json', { layerSnapshots: [{ step: 1, epoch: 1, layers: null }] }) },
  { name: 'startedAt, status and name of the wrong types', make: (r) => claimed(r, 'types.json', { startedAt: 'yesterday', status: 42, name: null }) },
  { name: 'an id that climbs out of the folder', make: (r) => claimed(r, 'evil.json', { id: '../../../outside/package' }) },
  {
    name: '200000 epochs and 500000 batch losses',
    make: (r) =>
      claimed(r, 'huge.json', {
        epochs: Array.from({ length: 200_000 }, (_, i) => ({ epoch: i + 1, trainLoss: 1, testLoss: 1, trainAccuracy: 0.5, testAccuracy: 0.5, seconds: 1, layers: [] })),
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
  { name: 'z.json a symlink to a package.json outside', make: (r, o) => void symlinkSync(join(o, 'package.json'), join(r, 'z.json')) },
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

/** Each path under `root` with what it is (not following links): a file's size and change time, a link's target. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const key = relative(root, path);
      if (st.isSymbolicLink()) out.set(key, `link -> ${readlinkSync(path)}`);
      else if (st.isDirectory()) {
        out.set(key, 'folder');
        walk(path);
      } else if (st.isFIFO()) out.set(key, 'FIFO');
      else out.set(key, `file ${st.size} bytes, changed ${st.ctimeMs}`);
    }
  };
  walk(root);
  return out;
}

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
async function step<T>(what: string, root: string, run: () => Promise<T>, problems: Problem[], refusal?: string): Promise<T | undefined> {
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
    problems.push({ kind: 'crash', text: `${what} rejected: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` });
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
  const good = made.runsDir ? [] : [goodRecord(newRunId('good one', new Date(2000)), 2000), goodRecord(newRunId('good two', new Date(3000)), 3000)];
  for (const record of good) await history.save(record);
  const before = snapshot(root);

  const listed = await step('list()', root, () => history.list(), problems);
  if (listed) {
    const ids = listed.map((r) => r.id);
    for (const record of good) if (!ids.includes(record.id)) problems.push({ kind: 'other', text: `list() lost the good run ${record.id}; listed ${ids.join(', ')}; warnings: ${warnings.join(' | ').slice(0, 400)}` });
    for (const record of listed) {
      const started = performance.now();
      try {
        summarize(record);
        runSeries(record);
      } catch (err) {
        problems.push({ kind: 'crash', text: `the page's summarize/runSeries threw on listed run ${JSON.stringify(record.id)}: ${(err as Error).message}` });
      }
      if (performance.now() - started > RECORD_BOUND_MS) problems.push({ kind: 'hang', text: `showing run ${record.id} took ${(performance.now() - started).toFixed(0)} ms` });
    }
  }
  await step('summaries()', root, () => history.summaries(), problems);
  if (made.loadId) await step(`load(${made.loadId})`, root, () => history.load(made.loadId as string), problems);
  await step('clear()', root, () => history.clear(), problems, 'RunHistoryError');

  const after = snapshot(root);
  const goodPaths = new Set(good.map((r) => relative(root, join(runs, `${r.id}.json`))));
  const mayGo = new Set([...goodPaths, ...(made.mayDelete ?? []).map((p) => relative(root, p))]);
  for (const [path, what] of before) {
    if (!after.has(path) && !mayGo.has(path)) problems.push({ kind: 'other', text: `clear() deleted ${path} (${what}), which the extension did not write` });
    else if (after.has(path) && after.get(path) !== what && !path.startsWith('ws')) problems.push({ kind: 'other', text: `${path} changed: ${what} -> ${after.get(path)}` });
  }
  for (const path of goodPaths) if (after.has(path)) problems.push({ kind: 'other', text: `clear() left the run ${path}` });
  releaseFifos(root);
  return problems;
}
