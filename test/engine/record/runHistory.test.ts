import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  promises as fsPromises,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  MAX_RECORD_BYTES,
  newRunId,
  RunHistory,
  RunHistoryError,
  RUNS_FOLDER,
} from '../../../src/engine/record/runHistory';
import { summarize } from '../../../src/engine/record/runRecord';
import { mnistPredictions, record, runId } from '../../support/records';

const workspace = () => mkdtempSync(join(tmpdir(), 'runs-'));

/** A history in a fresh workspace folder, collecting its warnings. */
function freshHistory(): { history: RunHistory; warnings: string[]; root: string } {
  const root = workspace();
  const warnings: string[] = [];
  return { history: new RunHistory(join(root, RUNS_FOLDER), (m) => warnings.push(m)), warnings, root };
}

describe('RunHistory', () => {
  it('saves, loads and lists runs newest first, leaving no temporary files', async () => {
    const { history } = freshHistory();
    await history.save(record(1000, 0.9));
    await history.save(record(2000, 0.95));
    await history.save({ ...record(1000, 0.9), status: 'cancelled' });
    expect((await history.list()).map((r) => r.id)).toEqual([runId(2000), runId(1000)]);
    expect((await history.load(runId(1000)))?.status).toBe('cancelled');
    expect(readdirSync(history.dir).sort()).toEqual([`${runId(1000)}.json`, `${runId(2000)}.json`]);
    expect((await history.summaries())[0]).toEqual({
      id: runId(2000),
      name: 'lab',
      documentPath: 'lab.dnn.json',
      startedAt: 2000,
      status: 'completed',
      epochs: 2,
      plannedEpochs: 2,
      testAccuracy: 0.95,
    });
    expect((await history.summaries())[1].status).toBe('cancelled');
  });

  it('skips unreadable and foreign run files with one warning naming each, and lists the good ones', async () => {
    const { history, warnings } = freshHistory();
    await history.save(record(1, 0.9));
    writeFileSync(join(history.dir, `${runId(2)}.json`), '{ "format": 1, "id": ');
    writeFileSync(join(history.dir, `${runId(3)}.json`), '{ "format": 99 }');
    writeFileSync(join(history.dir, `${runId(4)}.json`), JSON.stringify(record(5, 0.9)));
    for (let i = 0; i < 3; i++) expect((await history.summaries()).map((r) => r.id)).toEqual([runId(1)]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(new RegExp(`${runId(2)}\\.json: not JSON`));
    expect(warnings[1]).toMatch(
      new RegExp(`${runId(3)}\\.json: not a run record DNN Lab can show: format must be 1 .*, got 99`),
    );
    expect(warnings[2]).toMatch(
      /holds run "1970-01-01T00-00-00-005Z-lab", not "1970-01-01T00-00-00-004Z-lab" as its name says/,
    );
  });

  it('says why a run could not be loaded: what is wrong with its file, or that it is gone', async () => {
    const { history } = freshHistory();
    await history.save(record(1, 0.9));
    writeFileSync(join(history.dir, `${runId(2)}.json`), JSON.stringify({ ...record(2, 0.9), environment: undefined }));
    expect(await history.load(runId(2))).toBeUndefined();
    expect(history.whyNotLoaded(runId(2))).toBe(
      `${join(history.dir, `${runId(2)}.json`)}: not a run record DNN Lab can show: environment must be an object, got nothing (the field is missing)`,
    );
    expect(history.whyNotLoaded(runId(3))).toBe(
      `${join(history.dir, `${runId(3)}.json`)} is no longer there (deleted or moved since the list was shown)`,
    );
    expect(history.whyNotLoaded('../x')).toBe('"../x" is not a run id');
  });

  it('refuses ids that would leave the runs folder, and never saves under one', async () => {
    const { history, warnings } = freshHistory();
    expect(await history.load('../../etc/passwd')).toBeUndefined();
    expect(warnings[0]).toMatch(/not a run id/);
    await expect(history.save({ ...record(1), id: '../package' })).rejects.toThrow(
      /run id "..\/package" is not one newRunId makes/,
    );
    expect(existsSync(history.dir)).toBe(false);
  });

  it('returns nothing for a folder that does not exist yet, and clear() empties it', async () => {
    const { history } = freshHistory();
    expect(await history.list()).toEqual([]);
    await history.save(record(1));
    expect(await history.clear()).toEqual({ deleted: [runId(1)], kept: [] });
    expect(await history.list()).toEqual([]);
  });
});

describe('RunHistory.clear', () => {
  it('deletes only the run records DNN Lab wrote; foreign .json files, bad records and folders stay', async () => {
    const { history } = freshHistory();
    await history.save(record(1, 0.9));
    await history.save(record(2, 0.9));
    const foreign = {
      'package.json': '{ "name": "mine" }',
      'settings.json': '{}',
      // Named like a run, but not one: neither is DNN Lab's to delete.
      [`${runId(3)}.json`]: '{ "format": 1, "id": "x" }',
      [`${runId(4)}.json`]: JSON.stringify({ note: 'my own notes' }),
    };
    for (const [name, text] of Object.entries(foreign)) writeFileSync(join(history.dir, name), text);
    mkdirSync(join(history.dir, `${runId(5)}.json`));
    expect(await history.clearable()).toEqual([runId(1), runId(2)].sort());
    const result = await history.clear();
    expect(result.deleted.sort()).toEqual([runId(1), runId(2)]);
    expect(result.kept.sort()).toEqual([...Object.keys(foreign), `${runId(5)}.json`].sort());
    for (const [name, text] of Object.entries(foreign))
      expect(readFileSync(join(history.dir, name), 'utf8')).toBe(text);
    expect(existsSync(join(history.dir, `${runId(5)}.json`))).toBe(true);
  });

  it.each(['runs', '.dnnlab'])(
    'refuses to clear through a symbolic link (%s) and deletes nothing outside',
    async (linked) => {
      const root = workspace();
      const elsewhere = workspace();
      // The folder the link points to holds a project's files and a valid run record.
      writeFileSync(join(elsewhere, 'package.json'), '{ "name": "other" }');
      writeFileSync(join(elsewhere, 'settings.json'), '{}');
      const target = elsewhere;
      if (linked === 'runs') {
        mkdirSync(join(root, '.dnnlab'));
        symlinkSync(target, join(root, RUNS_FOLDER));
      } else {
        mkdirSync(join(elsewhere, 'runs'));
        symlinkSync(target, join(root, '.dnnlab'));
      }
      const history = new RunHistory(join(root, RUNS_FOLDER));
      await history.save(record(1, 0.9));
      const before = readdirSync(elsewhere, { recursive: true }).sort();
      const linkPath = linked === 'runs' ? join(root, RUNS_FOLDER) : join(root, '.dnnlab');
      await expect(history.clear()).rejects.toThrow(RunHistoryError);
      await expect(history.clear()).rejects.toThrow(
        `${linkPath} is a symbolic link (to ${target}); DNN Lab does not clear run history through a link`,
      );
      await expect(history.clearable()).rejects.toThrow(/no file there was deleted/);
      expect(readdirSync(elsewhere, { recursive: true }).sort()).toEqual(before);
      expect(readFileSync(join(elsewhere, 'package.json'), 'utf8')).toBe('{ "name": "other" }');
    },
  );

  it('deletes only the runs it was asked to, so a run saved after the question stays', async () => {
    const { history } = freshHistory();
    await history.save(record(1, 0.9));
    const asked = await history.clearable();
    await history.save(record(2, 0.9));
    expect(await history.clear(asked)).toEqual({ deleted: [runId(1)], kept: [`${runId(2)}.json`] });
    expect((await history.list()).map((r) => r.id)).toEqual([runId(2)]);
  });

  it('keeps a run file that was replaced by another file after the question', async () => {
    const { history } = freshHistory();
    await history.save(record(1, 0.9));
    const asked = await history.clearable();
    const file = join(history.dir, `${runId(1)}.json`);
    writeFileSync(file, '{ "mine": "not a run any more" }');
    expect(await history.clear(asked)).toEqual({ deleted: [], kept: [`${runId(1)}.json`] });
    expect(readFileSync(file, 'utf8')).toBe('{ "mine": "not a run any more" }');
  });

  it('leaves a symbolic link named like a run, and the file it points to', async () => {
    const { history, warnings, root } = freshHistory();
    await history.save(record(1, 0.9));
    const outside = join(root, 'outside.json');
    writeFileSync(outside, JSON.stringify(record(2, 0.9)));
    symlinkSync(outside, join(history.dir, `${runId(2)}.json`));
    expect((await history.list()).map((r) => r.id)).toEqual([runId(1)]);
    expect(warnings.join('\n')).toMatch(/a symbolic link, not a regular file/);
    expect(await history.load(runId(2))).toBeUndefined();
    expect((await history.clear()).deleted).toEqual([runId(1)]);
    expect(existsSync(outside)).toBe(true);
    expect(readdirSync(history.dir)).toEqual([`${runId(2)}.json`]);
  });
});

describe('RunHistory listing of odd files', () => {
  it('skips a FIFO named like a run at once instead of waiting for a writer', async () => {
    const { history, warnings } = freshHistory();
    await history.save(record(1, 0.9));
    execFileSync('mkfifo', [join(history.dir, `${runId(2)}.json`)]);
    execFileSync('mkfifo', [join(history.dir, 'x.json')]);
    const started = performance.now();
    const listed = await Promise.race([
      history.summaries(),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2000).unref()),
    ]);
    expect(listed === 'hung' ? listed : listed.map((s) => s.id)).toEqual([runId(1)]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await history.load(runId(2))).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/a FIFO \(named pipe\), not a regular file/);
    expect((await history.clear()).kept.sort()).toEqual([`${runId(2)}.json`, 'x.json']);
  });

  it('skips a 200 MB record quickly, without reading it into memory', async () => {
    const { history, warnings } = freshHistory();
    await history.save(record(1, 0.9));
    // A valid record padded to 200 MB with whitespace, which JSON allows: only its size is wrong.
    const huge = join(history.dir, `${runId(2)}.json`);
    const fd = openSync(huge, 'w');
    writeSync(fd, JSON.stringify(record(2, 0.9)));
    const padding = Buffer.alloc(8 * 1024 * 1024, 0x20);
    for (let i = 0; i < 25; i++) writeSync(fd, padding);
    closeSync(fd);
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().rss;
    const started = performance.now();
    expect((await history.summaries()).map((s) => s.id)).toEqual([runId(1)]);
    expect(await history.load(runId(2))).toBeUndefined();
    const ms = performance.now() - started;
    const grownMb = (process.memoryUsage().rss - heapBefore) / 1024 / 1024;
    expect(ms).toBeLessThan(500);
    expect(grownMb).toBeLessThan(50);
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`${runId(2)}\\.json: 200\\.0 MB, more than the 16\\.0 MB a run record may be`)),
    ]);
    expect(MAX_RECORD_BYTES).toBe(16 * 1024 * 1024);
  });

  it('reads a run file again only when it changed', async () => {
    const { history } = freshHistory();
    await history.save(record(1, 0.9));
    await history.save(record(2, 0.9));
    const open = vi.spyOn(fsPromises, 'open');
    try {
      expect(await history.summaries()).toHaveLength(2);
      expect(open).toHaveBeenCalledTimes(2);
      expect(await history.summaries()).toHaveLength(2);
      expect(open).toHaveBeenCalledTimes(2);
      await history.save({ ...record(2, 0.97), status: 'completed' });
      expect((await history.summaries())[0].testAccuracy).toBe(0.97);
      expect(open).toHaveBeenCalledTimes(3);
    } finally {
      open.mockRestore();
    }
  });

  it('lists a real-sized run with its predictions drawn from MNIST', async () => {
    const { history } = freshHistory();
    const full = record(1, 0.97, await mnistPredictions(48));
    await history.save(full);
    expect(await history.load(full.id)).toEqual(full);
    expect(await history.summaries()).toEqual([summarize(full)]);
  });
});

describe('RunHistory.labFileOf (what Rerun may open)', () => {
  const root = join(tmpdir(), 'ws');
  const history = new RunHistory(join(root, RUNS_FOLDER));
  const of = (documentUri: string) => history.labFileOf({ id: runId(1), documentUri });

  it.each([
    [
      'a lab file in the workspace folder',
      pathToFileURL(join(root, 'labs', 'corelab-1', 'reference.dnn.json')).href,
      join(root, 'labs', 'corelab-1', 'reference.dnn.json'),
    ],
    [
      'a name with a space, percent-encoded as VS Code writes it',
      pathToFileURL(join(root, 'my lab.dnn.json')).href,
      join(root, 'my lab.dnn.json'),
    ],
  ])('opens %s', (_what, uri, file) => {
    expect(of(uri)).toBe(file);
  });

  it.each([
    [
      'a file outside the folder',
      pathToFileURL(join(tmpdir(), 'elsewhere', 'x.dnn.json')).href,
      /is outside .*ws, the folder these runs belong to/,
    ],
    ['a path that climbs out', `${pathToFileURL(root).href}/labs/../../evil.dnn.json`, /is outside/],
    [
      'a file that is not a lab file',
      pathToFileURL(join(root, 'package.json')).href,
      /is not a lab file \(\*\.dnn\.json\)/,
    ],
    ['an unsaved document', 'untitled:Untitled-1', /is not a file on disk/],
    ['a remote document', 'vscode-remote://ssh/w/x.dnn.json', /is not a file on disk/],
    ['text that is no URI', 'not a uri', /is not a valid file URI/],
  ])('refuses %s, saying why', (_what, uri, why) => {
    expect(() => of(uri)).toThrow(RunHistoryError);
    expect(() => of(uri)).toThrow(why);
    expect(() => of(uri)).toThrow(
      new RegExp(`^Run ${runId(1)} cannot be rerun: its config ".*" .*\\. Open the lab file and run it from there\\.$`),
    );
  });

  it('opens a lab file outside any workspace folder from its own folder, where its runs are kept', () => {
    const labs = join(tmpdir(), 'downloads');
    const own = new RunHistory(join(labs, RUNS_FOLDER));
    expect(own.labFileOf({ id: runId(1), documentUri: pathToFileURL(join(labs, 'a.dnn.json')).href })).toBe(
      join(labs, 'a.dnn.json'),
    );
  });
});

describe('newRunId', () => {
  it('sorts by time and names the config in a file-safe slug', () => {
    expect(newRunId('Corelab 1: ReLU/Adam!', new Date('2026-11-26T15:40:02.123Z'))).toBe(
      '2026-11-26T15-40-02-123Z-corelab-1-relu-adam',
    );
    expect(newRunId('***', new Date(0))).toBe('1970-01-01T00-00-00-000Z-run');
  });
});

describe('summarize', () => {
  it('reports no accuracy before the first epoch', () => {
    expect(summarize(record(5)).testAccuracy).toBeUndefined();
  });
});
