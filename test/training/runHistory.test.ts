import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunId, RunHistory } from '../../src/training/runHistory';
import { RUN_RECORD_FORMAT, summarize, type RunRecord } from '../../src/training/runRecord';
import { labConfig } from '../support/nets';

function record(id: string, startedAt: number, testAccuracy?: number): RunRecord {
  return {
    format: RUN_RECORD_FORMAT,
    id,
    name: 'lab',
    documentPath: 'lab.dnn.json',
    documentUri: 'file:///w/lab.dnn.json',
    startedAt,
    status: 'completed',
    config: labConfig({ epochs: 2 }),
    environment: { extensionVersion: '0.1.0', vscodeVersion: '1.99', node: '22', platform: 'linux', arch: 'x64', cpus: 2 },
    epochs: testAccuracy === undefined ? [] : [{ epoch: 1, trainLoss: 1, testLoss: 1, trainAccuracy: 0.5, testAccuracy, seconds: 1, layers: [] }],
    batchLosses: [],
    layerSnapshots: [],
  };
}

describe('RunHistory', () => {
  it('saves, loads and lists runs newest first, leaving no temporary files', async () => {
    const history = new RunHistory(join(mkdtempSync(join(tmpdir(), 'runs-')), '.dnnlab', 'runs'));
    await history.save(record('a', 1000, 0.9));
    await history.save(record('b', 2000, 0.95));
    await history.save({ ...record('a', 1000, 0.9), status: 'cancelled' });
    expect((await history.list()).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await history.load('a'))?.status).toBe('cancelled');
    expect(readdirSync(history.dir).sort()).toEqual(['a.json', 'b.json']);
    expect((await history.summaries())[0]).toEqual({ id: 'b', name: 'lab', documentPath: 'lab.dnn.json', startedAt: 2000, status: 'completed', epochs: 1, plannedEpochs: 2, testAccuracy: 0.95 });
  });

  it('skips unreadable and foreign files with a warning naming them', async () => {
    const warnings: string[] = [];
    const history = new RunHistory(mkdtempSync(join(tmpdir(), 'runs-')), (m) => warnings.push(m));
    await history.save(record('good', 1));
    writeFileSync(join(history.dir, 'broken.json'), '{ "format": 1, "id": ');
    writeFileSync(join(history.dir, 'other.json'), '{ "format": 99 }');
    expect((await history.list()).map((r) => r.id)).toEqual(['good']);
    expect(warnings.join('\n')).toMatch(/broken\.json/);
    expect(warnings.join('\n')).toMatch(/other\.json: not a run file of format 1/);
  });

  it('refuses ids that would leave the runs folder', async () => {
    const warnings: string[] = [];
    const history = new RunHistory(mkdtempSync(join(tmpdir(), 'runs-')), (m) => warnings.push(m));
    expect(await history.load('../../etc/passwd')).toBeUndefined();
    expect(warnings[0]).toMatch(/not a run id/);
  });

  it('returns nothing for a folder that does not exist yet, and clear() empties it', async () => {
    const history = new RunHistory(join(mkdtempSync(join(tmpdir(), 'runs-')), 'missing'));
    expect(await history.list()).toEqual([]);
    await history.save(record('x', 1));
    await history.clear();
    expect(await history.list()).toEqual([]);
  });
});

describe('newRunId', () => {
  it('sorts by time and names the config in a file-safe slug', () => {
    expect(newRunId('Corelab 1: ReLU/Adam!', new Date('2026-11-26T15:40:02.123Z'))).toBe('2026-11-26T15-40-02-123Z-corelab-1-relu-adam');
    expect(newRunId('***', new Date(0))).toBe('1970-01-01T00-00-00-000Z-run');
  });
});

describe('summarize', () => {
  it('reports no accuracy before the first epoch', () => {
    expect(summarize(record('r', 5)).testAccuracy).toBeUndefined();
  });
});
