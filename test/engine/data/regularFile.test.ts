// The one bounded reader of a file a user names (a config, a run record): it answers at once for what is not a
// regular file, and never reads more than its bound, however large the file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFileSystem, type DataFileSystem } from '../../../src/engine/data/fileSystem';
import { readRegularFile } from '../../../src/engine/data/regularFile';
import { makeTempDir } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tempDir(): string {
  const { dir, cleanup } = makeTempDir('regular-file');
  cleanups.push(cleanup);
  return dir;
}

describe('readRegularFile', () => {
  it.each([
    ['a FIFO no one writes', (p: string) => execFileSync('mkfifo', [p]), 'FIFO'],
    ['a link to /dev/zero', (p: string) => symlinkSync('/dev/zero', p), 'character device'],
    ['a folder', (p: string) => mkdirSync(p), 'folder'],
  ])('answers %s at once with what it is', async (_, make, kind) => {
    const path = join(tempDir(), 'x.json');
    make(path);
    const started = performance.now();
    expect(await readRegularFile(nodeFileSystem, path, 1024)).toEqual({ notAFile: kind });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reads a regular file whole, through a link unless noFollow', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), '{"a":1}');
    symlinkSync(join(dir, 'a.json'), join(dir, 'link.json'));
    const read = await readRegularFile(nodeFileSystem, join(dir, 'link.json'), 1024);
    expect('bytes' in read && Buffer.from(read.bytes).toString()).toBe('{"a":1}');
    expect(await readRegularFile(nodeFileSystem, join(dir, 'link.json'), 1024, { noFollow: true })).toEqual({
      notAFile: 'symbolic link',
    });
    expect(await readRegularFile(nodeFileSystem, join(dir, 'gone.json'), 1024)).toEqual({ missing: true });
  });

  it('answers a file past the bound by its size, reading none of it', async () => {
    const path = join(tempDir(), 'big.json');
    writeFileSync(path, '');
    truncateSync(path, 200 << 20);
    expect(await readRegularFile(nodeFileSystem, path, 1 << 20)).toEqual({ tooLarge: 200 << 20 });
  });

  it('stops one chunk past the bound when the file grows after its size was checked', async () => {
    const path = join(tempDir(), 'growing.json');
    writeFileSync(path, 'x');
    let chunksRead = 0;
    // A file that says it holds 1 byte and then yields 1 MiB chunks without end, as /dev/zero would.
    const growing: DataFileSystem = {
      ...nodeFileSystem,
      readChunks: async function* () {
        for (;;) {
          chunksRead++;
          yield new Uint8Array(1 << 20);
        }
      },
    };
    expect(await readRegularFile(growing, path, 3 << 20)).toEqual({ tooLarge: (3 << 20) + 1 });
    expect(chunksRead).toBe(4);
  });
});
