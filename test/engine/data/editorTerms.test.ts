import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { inEditorTerms, loadIdxFolder } from '../../../src/engine/data';
import { runTraining, type RunEvent } from '../../../src/engine/run';
import { labConfig } from '../../support/nets';
import { makeTempDir } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function tempDir(): string {
  const { dir, cleanup } = makeTempDir('editor-terms');
  cleanups.push(cleanup);
  return dir;
}

describe('data errors in the editor speak of its setting and command, the CLI keeps its flag', () => {
  it('a missing data folder: the CLI message names --data, the editor message the setting and its command', async () => {
    const missing = join(tempDir(), 'no-such-folder');
    const err = (await loadIdxFolder(missing).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('--data DIR');
    const shown = inEditorTerms(err.message);
    expect(shown).not.toMatch(/--data|DNN_LAB_DATA|CLI/);
    expect(shown).toContain('dnnLab.dataFolder');
    expect(shown).toContain('DNN Lab: Set the MNIST Folder…');
    expect(shown).toContain(missing);
  });

  it('runTraining, which only the editor runs (its worker), reports a data folder error in the editor terms', async () => {
    const events: RunEvent[] = [];
    await runTraining(
      { config: labConfig(), dataFolder: join(tempDir(), 'gone'), cacheDir: tempDir(), backend: 'js' },
      (e) => events.push(e),
      () => false,
    );
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'run/failed', kind: 'data' });
    const message = (last as { message: string }).message;
    expect(message).toContain('dnnLab.dataFolder');
    expect(message).not.toMatch(/--data|DNN_LAB_DATA/);
  });
});
