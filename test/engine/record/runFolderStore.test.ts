import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRunFolder, RUNS_FOLDER } from '../../../src/engine/record/nodeRunFolder';
import {
  MAX_RECORD_BYTES,
  RunFolderStore,
  RunHistoryError,
  runFileName,
  type RunFolder,
} from '../../../src/engine/record/runFolderStore';
import { weightsFileName } from '../../../src/engine/record/runWeights';
import type { LayerWeights } from '../../../src/engine/train/metrics';
import { memoryRunFolder } from '../../support/memoryRunFolder';
import { labConfig, layer, randomValues } from '../../support/nets';
import { record } from '../../support/records';

/** One runs folder on each file system, with a way to put a file of one's own into it. */
interface Place {
  folder: RunFolder;
  put(name: string, content: string | Uint8Array): void;
  link(name: string, target: string): void;
  failRenames(): void;
}

function onDisk(): Place {
  const dir = join(mkdtempSync(join(tmpdir(), 'store-')), RUNS_FOLDER);
  mkdirSync(dir, { recursive: true });
  const folder = nodeRunFolder(dir);
  return {
    folder,
    put: (name, content) => writeFileSync(join(dir, name), content),
    link: (name, target) => symlinkSync(join(dir, target), join(dir, name)),
    // A folder where the record should go: rename() onto it fails with EISDIR/ENOTEMPTY.
    failRenames: () => mkdirSync(join(dir, runFileName(record(1_764_000_000_000).id), 'x'), { recursive: true }),
  };
}

function inMemory(): Place {
  const folder = memoryRunFolder();
  void folder.create(); // an existing, empty folder, as on disk
  return {
    folder,
    put: (name, content) => folder.put(name, content),
    link: (name) => folder.put(name, '', 'symbolic link'),
    failRenames: () => (folder.failRename = new Error('rename refused')),
  };
}

// The same contract on node:fs (RunHistory's folder) and on a folder in memory that maps RunFolder as
// workspaceRunFolder maps it onto vscode.workspace.fs.
describe.each([
  ['node:fs', onDisk],
  ['memory', inMemory],
])('RunFolderStore on %s', (_name, place) => {
  function store() {
    const p = place();
    const warnings: string[] = [];
    return { ...p, store: new RunFolderStore(p.folder, (m) => warnings.push(m)), warnings };
  }

  it('saves, loads and lists newest first, leaving only the run files', async () => {
    const { store: runs, folder } = store();
    const older = record(1_764_000_000_000, 0.9);
    const newer = record(1_764_000_005_000, 0.95);
    await runs.save(older);
    await runs.save(newer);
    older.status = 'cancelled';
    await runs.save(older); // a later save replaces the file
    expect((await runs.summaries()).map((s) => [s.id, s.status])).toEqual([
      [newer.id, 'completed'],
      [older.id, 'cancelled'],
    ]);
    expect((await runs.load(newer.id))?.epochs).toEqual(newer.epochs);
    expect((await folder.names())?.sort()).toEqual([runFileName(older.id), runFileName(newer.id)].sort());
  });

  it('refuses to save a record whose id is not a run id', async () => {
    const { store: runs } = store();
    await expect(runs.save({ ...record(1), id: '../../etc/passwd' })).rejects.toThrow(RunHistoryError);
  });

  it('rejects a save whose rename fails and leaves no temporary file behind', async () => {
    const { store: runs, folder, failRenames } = store();
    failRenames();
    await expect(runs.save(record(1_764_000_000_000, 0.9))).rejects.toThrow();
    expect((await folder.names())?.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('skips what is not a run record, says why once, and lists the rest', async () => {
    const { store: runs, put, link, warnings } = store();
    const good = record(1_764_000_000_000, 0.9);
    await runs.save(good);
    const notJson = record(1_764_000_001_000).id;
    const renamed = record(1_764_000_002_000).id;
    const linked = record(1_764_000_003_000).id;
    const huge = record(1_764_000_004_000).id;
    put(runFileName(notJson), '{ half a record');
    put(runFileName(renamed), JSON.stringify(good));
    link(runFileName(linked), runFileName(good.id));
    put(runFileName(huge), new Uint8Array(MAX_RECORD_BYTES + 1));
    put('notes.txt', 'mine');
    expect((await runs.summaries()).map((s) => s.id)).toEqual([good.id]);
    await runs.summaries(); // nothing changed: nothing reported again
    expect(warnings).toHaveLength(4);
    expect(runs.whyNotLoaded(notJson)).toContain(': not JSON (');
    expect(runs.whyNotLoaded(renamed)).toContain(`holds run "${good.id}", not "${renamed}" as its name says`);
    expect(runs.whyNotLoaded(linked)).toContain('a symbolic link, not a regular file; a run file is one');
    expect(runs.whyNotLoaded(huge)).toContain('16.0 MB, more than the 16.0 MB a run record may be');
    expect(await runs.load(renamed)).toBeUndefined();
    expect(runs.whyNotLoaded(record(1_764_000_009_000).id)).toContain('is no longer there');
    expect(runs.whyNotLoaded('x/../y')).toBe('"x/../y" is not a run id');
  });

  it('clears only the run records it wrote, with their weights, and keeps every other file', async () => {
    const { store: runs, put, folder } = store();
    const a = record(1_764_000_000_000, 0.9);
    const b = record(1_764_000_001_000, 0.8);
    await runs.save(a);
    await runs.save(b);
    put(weightsFileName(a.id), new Uint8Array(16));
    put('notes.txt', 'mine');
    put(runFileName(record(1_764_000_002_000).id), 'not a record');
    expect(await runs.clear([a.id])).toEqual({
      deleted: [a.id],
      kept: expect.arrayContaining(['notes.txt']) as unknown,
    });
    expect((await folder.names())?.sort()).toEqual(
      [runFileName(b.id), 'notes.txt', runFileName(record(1_764_000_002_000).id)].sort(),
    );
    const all = await runs.clear();
    expect(all.deleted).toEqual([b.id]);
    expect(await runs.summaries()).toEqual([]);
  });

  it('keeps a run\u2019s weights beside its record, written atomically, read only as a plain file', async () => {
    const { store: runs, folder, link } = store();
    const config = labConfig({ layers: [layer(3, 'relu'), layer(2, 'softmax')] });
    const weights: LayerWeights[] = [
      { units: 3, fanIn: 4, W: Float32Array.from(randomValues(12, 1)), b: Float32Array.from(randomValues(3, 2)) },
      { units: 2, fanIn: 3, W: Float32Array.from(randomValues(6, 3)), b: Float32Array.from(randomValues(2, 4)) },
    ];
    const saved = record(1_764_000_000_000);
    expect(await runs.saveWeights(saved.id, weights)).toBe(folder.where(weightsFileName(saved.id)));
    expect(await folder.names()).toEqual([weightsFileName(saved.id)]);
    // Read back number for number, through whatever the file system hands over (a Node Buffer is a view).
    const read = await runs.loadWeights(saved.id, config, 4);
    expect('weights' in read && read.weights.map((l) => [...l.W, ...l.b])).toEqual(
      weights.map((l) => [...l.W, ...l.b]),
    );
    const other = record(1_764_000_001_000).id;
    expect(await runs.loadWeights(other, config, 4)).toEqual({
      problem: `${folder.where(weightsFileName(other))} does not exist`,
    });
    // Weights of another shape than the config says are refused, with the sizes.
    const wider = labConfig({ layers: [layer(4, 'relu'), layer(2, 'softmax')] });
    expect(await runs.loadWeights(saved.id, wider, 4)).toEqual({
      problem: expect.stringContaining(folder.where(weightsFileName(saved.id))),
    });
    // A link in its place is never followed.
    const linked = record(1_764_000_002_000).id;
    link(weightsFileName(linked), weightsFileName(saved.id));
    expect(await runs.loadWeights(linked, config, 4)).toEqual({
      problem: `${folder.where(weightsFileName(linked))} is a symbolic link, not a regular file`,
    });
    await expect(runs.saveWeights('../evil', weights)).rejects.toThrow('is not one newRunId makes');
    expect(await runs.loadWeights('../evil', config, 4)).toEqual({ problem: '"../evil" is not a run id' });
  });

  it('lists nothing, without a warning, where no runs folder exists yet', async () => {
    const warnings: string[] = [];
    const missing =
      _name === 'node:fs'
        ? nodeRunFolder(join(mkdtempSync(join(tmpdir(), 'store-')), 'none'))
        : memoryRunFolder('memfs:/none');
    const runs = new RunFolderStore(missing, (m) => warnings.push(m));
    expect(await runs.summaries()).toEqual([]);
    expect(await runs.clearable()).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
