import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../../src/engine/data/errors';
import { loadIdxFolder } from '../../../src/engine/data/folder';
import { MNIST_FILES } from '../../../src/engine/data/mnistFiles';
import { makeTempDir, sharedGz, sharedRaw, SHARED_MNIST } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tempDir(): string {
  const { dir, cleanup } = makeTempDir('folder');
  cleanups.push(cleanup);
  return dir;
}

/** How each of the four files is stored in a test folder. */
type Storage = 'gz' | 'raw' | 'dotted' | 'raw bytes under the .gz name';

function writeFolder(storage: readonly Storage[]): string {
  const dir = tempDir();
  MNIST_FILES.forEach((file, i) => {
    switch (storage[i]) {
      case 'gz':
        copyFileSync(join(SHARED_MNIST, file.name), join(dir, file.name));
        break;
      case 'raw':
        writeFileSync(join(dir, file.rawNames[0]), sharedRaw(file.name));
        break;
      case 'dotted':
        writeFileSync(join(dir, file.rawNames[1]), sharedRaw(file.name));
        break;
      case 'raw bytes under the .gz name':
        writeFileSync(join(dir, file.name), sharedRaw(file.name));
        break;
    }
  });
  return dir;
}

describe('loadIdxFolder', () => {
  it('reads the canonical .gz files from ../shared/datasets/mnist', async () => {
    const data = await loadIdxFolder(SHARED_MNIST);
    expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
  });

  // Uncompressed training images keep these tests fast: inflating 47 MB is most of a load.
  it.each([
    { storage: 'raw, raw, raw, raw' },
    { storage: 'dotted, dotted, dotted, dotted' },
    { storage: 'raw, gz, dotted, raw bytes under the .gz name' },
  ])('accepts the four files stored as: $storage', async ({ storage }) => {
    const data = await loadIdxFolder(writeFolder(storage.split(', ') as Storage[]));
    expect([data.train.count, data.test.count, data.train.rows, data.train.cols]).toEqual([60000, 10000, 28, 28]);
    expect(Array.from(data.train.labels.subarray(0, 3))).toEqual([5, 0, 4]);
  });

  it('prefers the .gz file when both names are present', async () => {
    const dir = writeFolder(['raw', 'gz', 'gz', 'gz']);
    // A broken raw copy beside the good .gz must not be picked.
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), 'not idx');
    const data = await loadIdxFolder(dir);
    expect(data.test.count).toBe(10000);
  });

  it('lists what is missing and what was found', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), sharedGz('train-images-idx3-ubyte.gz'));
    writeFileSync(join(dir, 't10k-labels.idx1-ubyte'), sharedRaw('t10k-labels-idx1-ubyte.gz'));
    writeFileSync(join(dir, 'notes.txt'), '');
    const err = await loadIdxFolder(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ code: 'missing-files', file: dir });
    const { message } = err as DataError;
    expect(message).toContain(
      `The data folder ${dir} lacks train-labels-idx1-ubyte.gz (or train-labels-idx1-ubyte or train-labels.idx1-ubyte), t10k-images-idx3-ubyte.gz`,
    );
    expect(message).toContain('found: notes.txt, t10k-labels.idx1-ubyte, train-images-idx3-ubyte.gz.');
    expect(message).not.toMatch(/lacks[^;]*train-images-idx3-ubyte\.gz/);
  });

  it('says when the folder is empty', async () => {
    await expect(loadIdxFolder(tempDir())).rejects.toThrow('the folder is empty');
  });

  it('names a folder that does not exist and how to point at a local copy', async () => {
    const dir = join(tempDir(), 'nope');
    await expect(loadIdxFolder(dir)).rejects.toMatchObject({
      code: 'folder-not-found',
      message: expect.stringMatching(
        new RegExp(`${dir} does not exist.*--data DIR.*DNN_LAB_DATA.*dnnLab\\.dataFolder`),
      ),
    });
  });

  it('reports a damaged file by its full path', async () => {
    const dir = writeFolder(['raw', 'gz', 'gz', 'gz']);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), sharedRaw('t10k-labels-idx1-ubyte.gz').subarray(0, 500));
    await expect(loadIdxFolder(dir)).rejects.toMatchObject({
      code: 'length-mismatch',
      file: join(dir, 't10k-labels-idx1-ubyte.gz'),
    });
  });

  it('rejects test labels paired with the wrong images', async () => {
    const dir = writeFolder(['raw', 'gz', 'gz', 'gz']);
    copyFileSync(join(SHARED_MNIST, 'train-labels-idx1-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
    await expect(loadIdxFolder(dir)).rejects.toMatchObject({
      code: 'count-mismatch',
      message: expect.stringContaining('has 10000 images but'),
    });
  });
});
