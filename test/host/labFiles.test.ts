import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteDataFolder, isLabFile, runsFolder, type LabFilePlace } from '../../src/host/labFiles';
import { RunHistory } from '../../src/engine/record/runHistory';
import { RUN_RECORD_FORMAT, type RunRecord } from '../../src/engine/record/runRecord';
import { labConfig } from '../support/nets';
import { RECORD_ENVIRONMENT } from '../support/records';

const STORAGE = '/home/s/.vscode/globalStorage/dnn-lab.dnn-lab';
const HOME = '/home/s';

describe('isLabFile', () => {
  it.each([
    ['a file in a workspace folder', '/w/lab01/lab01.dnn.json', true],
    ['a file opened from outside any folder', '/home/s/Downloads/corelab-1.dnn.json', true],
    ['an untitled document given a name (code new.dnn.json)', '/home/s/new.dnn.json', true],
    ['an untitled document without a name', 'Untitled-1', false],
    ['package.json', '/w/package.json', false],
    ['a backup of a lab file', '/w/lab01.dnn.json.bak', false],
    ['a file named dnn.json', '/w/dnn.json', false],
  ])('%s (%s): %s', (_what, path, expected) => {
    expect(isLabFile({ path })).toBe(expected);
  });
});

describe('runsFolder', () => {
  it.each<[string, LabFilePlace, string]>([
    [
      'a file in a workspace folder: that folder',
      { workspaceFolder: '/w2', firstWorkspaceFolder: '/w1', file: '/w2/lab/x.dnn.json' },
      '/w2',
    ],
    [
      'a file in no workspace folder, no folder open: its own folder',
      { file: '/home/s/Downloads/x.dnn.json' },
      '/home/s/Downloads',
    ],
    [
      'a file outside the open folders: its own folder',
      { firstWorkspaceFolder: '/w1', file: '/home/s/Downloads/x.dnn.json' },
      '/home/s/Downloads',
    ],
    ['an untitled document with a folder open: the first folder', { firstWorkspaceFolder: '/w1' }, '/w1'],
    ['an untitled document with no folder open: the extension storage', {}, STORAGE],
  ])('%s', (_what, place, base) => {
    expect(runsFolder(place, STORAGE)).toBe(join(base, '.dnnlab', 'runs'));
  });

  it('saves the runs of a file opened from outside any folder beside it, where opening that folder lists them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'outside-'));
    const file = join(folder, 'corelab-1.dnn.json');
    const record: RunRecord = {
      format: RUN_RECORD_FORMAT,
      id: '2026-11-26T15-40-02-123Z-corelab-1',
      name: 'Corelab 1',
      documentPath: file,
      documentUri: `file://${file}`,
      startedAt: 1,
      status: 'running',
      config: labConfig(),
      environment: { ...RECORD_ENVIRONMENT },
      epochs: [],
      batchLosses: [],
      layerSnapshots: [],
    };
    await new RunHistory(runsFolder({ file }, STORAGE)).save(record);
    expect(existsSync(join(folder, '.dnnlab', 'runs', `${record.id}.json`))).toBe(true);
    const opened = new RunHistory(runsFolder({ workspaceFolder: folder, firstWorkspaceFolder: folder, file }, STORAGE));
    expect((await opened.list()).map((r) => r.id)).toEqual([record.id]);
  });
});

describe('absoluteDataFolder', () => {
  it.each<[string, string, LabFilePlace, string]>([
    ['an absolute path as it is', '/data/mnist', { workspaceFolder: '/w', file: '/w/x.dnn.json' }, '/data/mnist'],
    ['~ as the home folder', '~/mnist', { file: '/elsewhere/x.dnn.json' }, '/home/s/mnist'],
    [
      "relative to the file's workspace folder",
      'data/mnist',
      { workspaceFolder: '/w2', firstWorkspaceFolder: '/w1', file: '/w2/lab/x.dnn.json' },
      '/w2/data/mnist',
    ],
    [
      'relative to the first folder for a file outside the open folders',
      'data/mnist',
      { firstWorkspaceFolder: '/w1', file: '/tmp/x.dnn.json' },
      '/w1/data/mnist',
    ],
    [
      "relative to the file's folder with no folder open",
      'data/mnist',
      { file: '/home/s/Downloads/x.dnn.json' },
      '/home/s/Downloads/data/mnist',
    ],
    ['relative to home for an untitled document with no folder open', 'data/mnist', {}, '/home/s/data/mnist'],
  ])('%s', (_what, chosen, place, expected) => {
    expect(absoluteDataFolder(chosen, place, HOME)).toBe(join(expected));
  });
});
