import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../../src/engine/data/download';
import { DataError } from '../../../src/engine/data/errors';
import { nodeFileSystem, type DataFileSystem } from '../../../src/engine/data/fileSystem';
import type { HttpClient } from '../../../src/engine/data/httpClient';
import { loadMnist, type LoadMnistOptions } from '../../../src/engine/data/mnist';
import { MNIST_FILES } from '../../../src/engine/data/mnistFiles';
import { makeTempDir, sharedGz, SHARED_MNIST } from './fixtures';
import { startMirror, unreachableMirrorUrl, type Behaviour, type Mirror } from './mirrorServer';

// Real timers here (download.test.ts uses manual ones): generous where no mirror stalls, so a busy machine
// cannot turn a slow chunk into a failure, and short where one does.
const TIMEOUT_MS = 10_000;
const STALL_TIMEOUT_MS = 400;
const NAMES = MNIST_FILES.map((f) => f.name);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function cacheDir(): string {
  const { dir, cleanup } = makeTempDir('cache');
  cleanups.push(cleanup);
  return join(dir, 'dnn-lab', 'mnist');
}

async function mirror(behaviour: Behaviour): Promise<Mirror> {
  const m = await startMirror(behaviour);
  cleanups.push(() => m.close());
  return m;
}

/** A mirror URL for a behaviour, where 'unreachable' is a closed port rather than a server. */
async function mirrorUrl(behaviour: Behaviour | 'unreachable'): Promise<{ url: string; requests: string[] }> {
  return behaviour === 'unreachable' ? { url: await unreachableMirrorUrl(), requests: [] } : mirror(behaviour);
}

/** An HttpClient that fails the test if anything tries the network. */
const noNetwork: HttpClient = {
  get: (url) => {
    throw new Error(`unexpected network access to ${url}`);
  },
};

function load(options: Partial<LoadMnistOptions> & { cacheDir: string }) {
  return loadMnist({ timeoutMs: TIMEOUT_MS, ...options });
}

/** The cache holds exactly the four files, each byte-identical to the canonical one, and no temp files. */
function expectCompleteCache(dir: string): void {
  expect(readdirSync(dir).sort()).toEqual([...NAMES].sort());
  for (const file of MNIST_FILES) expect(sha256Hex(readFileSync(join(dir, file.name)))).toBe(file.sha256);
}

function expectOfflineMessage(err: unknown): void {
  expect(err).toBeInstanceOf(DataError);
  const { code, message } = err as DataError;
  expect(code).toBe('download-failed');
  for (const hint of ['--data DIR', 'DNN_LAB_DATA', 'dnnLab.dataFolder', ...NAMES]) expect(message).toContain(hint);
}

describe('loadMnist downloads from loopback mirrors', () => {
  it('downloads, verifies and caches all four files, reporting progress', async () => {
    const m = await mirror('ok');
    const dir = cacheDir();
    const events: [string, number, number][] = [];
    const loaded = await load({ cacheDir: dir, mirrors: [m.url], onProgress: (...e) => events.push(e) });

    expect(loaded.source).toBe('download');
    expect(loaded.dir).toBe(dir);
    expect([loaded.data.train.count, loaded.data.test.count]).toEqual([60000, 10000]);
    expect(m.requests).toEqual(NAMES.map((n) => `/mnist/${n}`));
    expectCompleteCache(dir);

    for (const file of MNIST_FILES) {
      const mine = events.filter(([name]) => name === file.name);
      expect(mine[0]).toEqual([file.name, 0, file.bytes]);
      expect(mine.at(-1)).toEqual([file.name, file.bytes, file.bytes]);
      const received = mine.map(([, r]) => r);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(mine.every(([, , total]) => total === file.bytes)).toBe(true);
    }
  });

  it('takes the fallback after a truncated response and caches only verified files', async () => {
    const bad = await mirror('truncated');
    const good = await mirror('ok');
    const dir = cacheDir();
    const loaded = await load({ cacheDir: dir, mirrors: [bad.url, good.url] });
    expect(loaded.source).toBe('download');
    expect(bad.requests).toEqual(['/mnist/train-images-idx3-ubyte.gz']);
    expect(good.requests).toEqual(NAMES.map((n) => `/mnist/${n}`));
    expectCompleteCache(dir);
  });

  it.each<Behaviour>(['one flipped byte', 'truncated', 'not found'])(
    'a mirror answering "%s" leaves nothing in the cache',
    async (behaviour) => {
      const m = await mirror(behaviour);
      const dir = cacheDir();
      const err = await load({ cacheDir: dir, mirrors: [m.url] }).catch((e: unknown) => e);
      expectOfflineMessage(err);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it.each([{ mirrors: 'unreachable, stall before headers' }, { mirrors: 'stall mid-body, unreachable' }])(
    'every mirror failing ($mirrors) gives the offline message within the timeouts',
    async ({ mirrors }) => {
      const urls = await Promise.all(mirrors.split(', ').map((b) => mirrorUrl(b as Behaviour | 'unreachable')));
      const dir = cacheDir();
      const start = performance.now();
      const err = await load({ cacheDir: dir, mirrors: urls.map((u) => u.url), timeoutMs: STALL_TIMEOUT_MS }).catch(
        (e: unknown) => e,
      );
      // No hang: one timeout plus a refused connection, with slack for a busy machine.
      expect(performance.now() - start).toBeLessThan(STALL_TIMEOUT_MS + 3000);
      expectOfflineMessage(err);
      const { message } = err as DataError;
      expect(message).toMatch(/Could not download train-images-idx3-ubyte.gz from any MNIST mirror/);
      for (const { url } of urls) expect(message).toContain(url);
      expect(message).toContain('ECONNREFUSED');
      expect(message).toContain('timed out');
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});

describe('loadMnist with a cache', () => {
  async function cacheWithAllFiles(): Promise<string> {
    const dir = cacheDir();
    await nodeFileSystem.mkdirp(dir);
    for (const name of NAMES) copyFileSync(join(SHARED_MNIST, name), join(dir, name));
    return dir;
  }

  it('uses a complete cache without touching the network', async () => {
    const dir = await cacheWithAllFiles();
    const events: unknown[] = [];
    const loaded = await load({ cacheDir: dir, http: noNetwork, onProgress: (...e) => events.push(e) });
    expect(loaded).toMatchObject({ source: 'cache', dir });
    expect(Array.from(loaded.data.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(events).toEqual([]);
  });

  it.each([
    { damage: 'one flipped byte', file: 't10k-images-idx3-ubyte.gz', edit: (b: Buffer) => ((b[1000] ^= 0x10), b) },
    {
      damage: 'truncated to half',
      file: 'train-labels-idx1-ubyte.gz',
      edit: (b: Buffer) => b.subarray(0, b.length >> 1),
    },
    { damage: 'another file', file: 't10k-labels-idx1-ubyte.gz', edit: () => sharedGz('train-labels-idx1-ubyte.gz') },
  ])('a cached $file that is $damage is deleted and downloaded again', async ({ file, edit }) => {
    const dir = await cacheWithAllFiles();
    writeFileSync(join(dir, file), edit(Buffer.from(readFileSync(join(dir, file)))));
    const m = await mirror('ok');
    const loaded = await load({ cacheDir: dir, mirrors: [m.url] });
    expect(loaded.source).toBe('download');
    expect(m.requests).toEqual([`/mnist/${file}`]);
    expectCompleteCache(dir);
  });

  it('a corrupt cache file is removed even when the download then fails', async () => {
    const dir = await cacheWithAllFiles();
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), 'garbage');
    const err = await load({ cacheDir: dir, mirrors: [await unreachableMirrorUrl()] }).catch((e: unknown) => e);
    expectOfflineMessage(err);
    expect(existsSync(join(dir, 't10k-labels-idx1-ubyte.gz'))).toBe(false);
  });

  it('reads an explicit data folder and neither the cache nor the network', async () => {
    const dir = cacheDir();
    const loaded = await load({ dataFolder: SHARED_MNIST, cacheDir: dir, http: noNetwork });
    expect(loaded).toMatchObject({ source: 'folder', dir: SHARED_MNIST });
    expect(loaded.data.test.count).toBe(10000);
    expect(existsSync(dir)).toBe(false);
  });

  it('a cache that cannot be written gives cache-write-failed and leaves no temp file', async () => {
    const dir = cacheDir();
    const m = await mirror('ok');
    const readOnlyRename: DataFileSystem = {
      ...nodeFileSystem,
      rename: async () => {
        throw new Error('EACCES: permission denied');
      },
    };
    const err = await load({ cacheDir: dir, mirrors: [m.url], fs: readOnlyRename }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cache-write-failed', file: join(dir, 'train-images-idx3-ubyte.gz') });
    expect((err as Error).message).toContain('EACCES');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('loadMnist cancellation', () => {
  it('an abort mid-download stops at once, tries no other mirror and caches nothing', async () => {
    const primary = await mirror('ok');
    const fallback = await mirror('ok');
    const dir = cacheDir();
    const controller = new AbortController();
    const err = await load({
      cacheDir: dir,
      mirrors: [primary.url, fallback.url],
      signal: controller.signal,
      onProgress: (_file, received) => {
        if (received > 0) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'aborted', message: 'Downloading MNIST was cancelled.' });
    expect(primary.requests).toHaveLength(1);
    expect(fallback.requests).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an already-aborted signal makes no request', async () => {
    const dir = cacheDir();
    const err = await load({ cacheDir: dir, http: noNetwork, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'aborted' });
  });
});
