import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunHistory } from '../../src/engine/record/runHistory';
import { RunSaveQueue } from '../../src/training/runSaveQueue';
import { record } from '../support/records';

describe('RunSaveQueue', () => {
  it('writes saves in the order they were queued, each with the record as it is at its turn', async () => {
    const history = new RunHistory(join(mkdtempSync(join(tmpdir(), 'dnn-lab-saves-')), 'runs'));
    const queue = new RunSaveQueue(
      () => {},
      () => {},
    );
    const run = record(1_764_000_000_000, 0.9);
    run.status = 'running';
    const first = queue.save(history, run);
    run.status = 'completed'; // the run ends before the first write had its turn
    const last = queue.save(history, run);
    await Promise.all([first, last]);
    const saved = JSON.parse(readFileSync(join(history.dir, `${run.id}.json`), 'utf8')) as { status: string };
    expect(saved.status).toBe('completed');
  });

  it('logs every failed write, tells the user once per run, and keeps saving the next runs', async () => {
    const base = mkdtempSync(join(tmpdir(), 'dnn-lab-saves-'));
    const blocked = join(base, 'not-a-folder');
    writeFileSync(blocked, 'a file where the runs folder should be');
    const logs: string[] = [];
    const told: string[] = [];
    const queue = new RunSaveQueue(
      (m) => logs.push(m),
      (runId, dir) => told.push(`${runId} in ${dir}`),
    );
    const a = record(1_764_000_000_000, 0.9);
    const b = record(1_764_000_001_000, 0.8);
    const unwritable = new RunHistory(join(blocked, 'runs'));
    await queue.save(unwritable, a);
    await queue.save(unwritable, a);
    await queue.save(unwritable, b);
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatch(new RegExp(`^Could not save run ${a.id} to .*not-a-folder/runs: .*ENOTDIR`));
    expect(told).toEqual([`${a.id} in ${unwritable.dir}`, `${b.id} in ${unwritable.dir}`]);
    // A failed write does not block the queue: a writable history still gets its record.
    const writable = new RunHistory(join(base, 'runs'));
    await queue.save(writable, b);
    expect((await writable.summaries()).map((s) => s.id)).toEqual([b.id]);
  });
});
