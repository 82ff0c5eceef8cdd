// Data folders and files that used to hang, fill memory or surface a raw system error: each must end at once
// with a DataError naming the path, what it is and the fix (issue items 6 and the data part of 8).
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { DataError } from '../../../src/engine/data/errors';
import { nodeFileSystem, type DataFileSystem } from '../../../src/engine/data/fileSystem';
import { loadIdxFolder } from '../../../src/engine/data/folder';
import type { HttpClient } from '../../../src/engine/data/httpClient';
import { decodeIdx, MAX_IDX_DATA_BYTES, readIdx } from '../../../src/engine/data/idx';
import { loadMnist } from '../../../src/engine/data/mnist';
import { MNIST_FILES } from '../../../src/engine/data/mnistFiles';
import { runTraining, type RunEvent } from '../../../src/engine/run';
import { labConfig } from '../../support/nets';
import { makeTempDir, sharedRaw, SHARED_MNIST } from './fixtures';

const [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS] = MNIST_FILES;
/** A refusal that reads nothing must come back at once; generous for a busy 2-core machine. */
const PROMPT_MS = 3000;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tempDir(): string {
  const { dir, cleanup } = makeTempDir('hostile');
  cleanups.push(cleanup);
  return dir;
}

/** A data folder with the three small files raw and the training images under `imagesName`, written by `write`. */
function folderWith(
  replaced: (typeof MNIST_FILES)[number],
  write: (path: string) => void,
  name = replaced.rawNames[0],
): { dir: string; path: string } {
  const dir = tempDir();
  for (const file of MNIST_FILES) {
    if (file !== replaced) writeFileSync(join(dir, file.rawNames[0]), sharedRaw(file.name));
  }
  const path = join(dir, name);
  write(path);
  return { dir, path };
}

function header(magic: number, dims: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
}

/** A single gzip member of `mb` MB: a labels header for 10000 labels, then zeros far past them. */
async function singleMemberBomb(mb: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(header(0x801, [10000]));
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < mb; i++) gzip.write(zeros);
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

/** The same size as concatenated gzip members, which gunzip inflates one after another. */
function multiMemberBomb(mb: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(1 << 20), { level: 9 });
  return Buffer.concat([
    gzipSync(Buffer.concat([header(0x801, [10000]), Buffer.alloc(10000)])),
    ...Array.from({ length: mb }, () => zeros),
  ]);
}

/** Runs fn, sampling this process's RSS every few ms: the time taken and how far RSS rose above where it started. */
async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; rssRiseMb: number; outcome: T | unknown }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const start = performance.now();
  const outcome = await fn().catch((err: unknown) => err);
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, rssRiseMb: (peak - base) / 2 ** 20, outcome };
}

function expectDataError(err: unknown, code: string, ...says: string[]): DataError {
  expect(err).toBeInstanceOf(DataError);
  const e = err as DataError;
  expect(e.code).toBe(code);
  for (const text of says) expect(e.message).toContain(text);
  expect(e.message).not.toMatch(/\bE[A-Z]{3,}\b.*scandir|Internal error/);
  return e;
}

/** Windows has no /dev/zero (nor FIFOs that open() waits on); these cases are POSIX ones. */
const hasDevZero = existsSync('/dev/zero');
const canMkfifo =
  process.platform !== 'win32' &&
  (() => {
    try {
      execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

describe('a data file that is not a regular file is refused before it is opened', () => {
  it.skipIf(!hasDevZero)(
    'a symbolic link to /dev/zero (it grew to 13.6 GB in 60 s): refused at once, memory flat (skipped without /dev/zero)',
    async () => {
      const { dir, path } = folderWith(TRAIN_IMAGES, (p) => symlinkSync('/dev/zero', p));
      const { ms, rssRiseMb, outcome } = await measured(() => loadIdxFolder(dir));
      expectDataError(
        outcome,
        'not-a-file',
        `${path} is a character device, not a regular file`,
        'replace it with the MNIST file train-images-idx3-ubyte.gz',
      );
      expect(ms).toBeLessThan(PROMPT_MS);
      expect(rssRiseMb).toBeLessThan(100);
    },
    10_000,
  );

  it.skipIf(!canMkfifo)(
    'a FIFO no one writes to (it hung): refused at once (skipped where there is no mkfifo)',
    async () => {
      const { dir, path } = folderWith(TRAIN_LABELS, (p) => execFileSync('mkfifo', [p]), TRAIN_LABELS.name);
      const { ms, outcome } = await measured(() => loadIdxFolder(dir));
      expectDataError(outcome, 'not-a-file', `${path} is a FIFO, not a regular file; DNN Lab reads only regular files`);
      expect(ms).toBeLessThan(PROMPT_MS);
    },
    10_000,
  );

  it.each([
    {
      what: 'a folder',
      make: (p: string) => mkdirSync(p),
      code: 'not-a-file',
      says: 'is a folder, not a regular file',
    },
    {
      what: 'a symbolic link to itself',
      make: (p: string) => symlinkSync(p, p),
      code: 'not-a-file',
      says: 'is a symbolic link loop',
    },
    {
      what: 'a symbolic link to nothing',
      make: (p: string) => symlinkSync(`${p}.gone`, p),
      code: 'not-a-file',
      says: 'is a symbolic link to something that does not exist',
    },
  ])('test images that are $what -> $code ("$says")', async ({ make, code, says }) => {
    const { dir, path } = folderWith(TEST_IMAGES, make, TEST_IMAGES.name);
    const err = await loadIdxFolder(dir).catch((e: unknown) => e);
    expectDataError(err, code, `${path} ${says}`, 'replace it with the MNIST file t10k-images-idx3-ubyte.gz');
    expect((err as DataError).file).toBe(path);
  });
});

describe('a gzip bomb is stopped within a chunk of what its header promises', () => {
  it.each([
    { layout: 'one gzip member', bomb: () => singleMemberBomb(100) },
    { layout: '100 gzip members', bomb: async () => multiMemberBomb(100) },
  ])(
    '100 MB of zeros behind a header promising 10000 labels, as $layout',
    async ({ bomb }) => {
      const gz = await bomb();
      expect(gz.length).toBeLessThan(1 << 20);
      const { ms, rssRiseMb, outcome } = await measured(() => decodeIdx(gz, 'bomb-labels.gz', 'labels'));
      expectDataError(
        outcome,
        'length-mismatch',
        'bomb-labels.gz: the IDX header promises 10000 = 10000 data bytes but the file inflates to more',
      );
      expect(ms).toBeLessThan(PROMPT_MS);
      // Inflating all of it took 100 MB; stopping within a 1 MiB chunk takes a few.
      expect(rssRiseMb).toBeLessThan(40);
    },
    30_000,
  );

  it('in a data folder, under its .gz name, by its full path', async () => {
    const gz = multiMemberBomb(100);
    const { dir, path } = folderWith(TEST_LABELS, (p) => writeFileSync(p, gz), TEST_LABELS.name);
    const err = await loadIdxFolder(dir).catch((e: unknown) => e);
    expectDataError(
      err,
      'length-mismatch',
      `${path}: the IDX header promises 10000 = 10000 data bytes but the file inflates to more`,
    );
  });

  it('a stream that never ends after a good header is cut one byte past the data', async () => {
    let yielded = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield header(0x801, [10000]);
      for (;;) {
        yielded++;
        yield new Uint8Array(4096);
      }
    }
    const err = await readIdx(endless(), 'endless', 'labels').catch((e: unknown) => e);
    expectDataError(
      err,
      'length-mismatch',
      'endless: the IDX header promises 10000 = 10000 data bytes but the file has more',
    );
    expect(yielded).toBe(3);
  });
});

describe('a header promising more than MNIST-format data can hold is refused before reading on', () => {
  it.each([
    { what: '10000 x 65535 x 65535 images', kind: 'images', dims: [10000, 65535, 65535], name: TEST_IMAGES },
    { what: '4294967295 labels', kind: 'labels', dims: [0xffffffff], name: TEST_LABELS },
  ] as const)('$what -> too-large, naming the file', async ({ kind, dims, name }) => {
    const raw = Buffer.concat([header(kind === 'images' ? 0x803 : 0x801, [...dims]), Buffer.alloc(1000)]);
    for (const bytes of [raw, gzipSync(raw)]) {
      const err = await decodeIdx(bytes, name.rawNames[0], kind).catch((e: unknown) => e);
      expectDataError(
        err,
        'too-large',
        `${name.rawNames[0]}: the IDX header promises ${dims.join(' x ')}`,
        `more than the ${MAX_IDX_DATA_BYTES}`,
      );
    }
  });
});

describe('wrong counts and truncated files, read from a folder', () => {
  it('test labels whose header says 20000 where 10000 follow: the missing bytes, counted exactly', async () => {
    const labels = Buffer.concat([header(0x801, [20000]), sharedRaw(TEST_LABELS.name).subarray(8)]);
    const { dir, path } = folderWith(TEST_LABELS, (p) => writeFileSync(p, labels));
    const err = await loadIdxFolder(dir).catch((e: unknown) => e);
    expectDataError(
      err,
      'length-mismatch',
      `${path}: the IDX header promises 20000 = 20000 data bytes but the file has 10000; 10000 bytes are missing`,
    );
  });

  it('59999 training labels for 60000 images: the counts disagree', async () => {
    const labels = Buffer.concat([header(0x801, [59999]), sharedRaw(TRAIN_LABELS.name).subarray(8, 8 + 59999)]);
    const { dir, path } = folderWith(TRAIN_LABELS, (p) => writeFileSync(p, labels));
    const err = await loadIdxFolder(dir).catch((e: unknown) => e);
    expectDataError(err, 'count-mismatch', 'has 60000 images but', `${path} has 59999 labels`);
  });

  it.each([
    {
      what: 'raw training images cut by 1000 bytes',
      write: (p: string) => writeFileSync(p, sharedRaw(TRAIN_IMAGES.name).subarray(0, -1000)),
      name: TRAIN_IMAGES.rawNames[0],
      code: 'length-mismatch',
      says: '1000 bytes are missing',
    },
    {
      what: 'gzip training labels cut at 60%',
      write: (p: string) => writeFileSync(p, readFileSync(join(SHARED_MNIST, TRAIN_LABELS.name)).subarray(0, 17_000)),
      name: TRAIN_LABELS.name,
      code: 'bad-gzip',
      says: 'the gzip data is damaged',
    },
    {
      what: 'raw test labels with one byte after the data',
      write: (p: string) => writeFileSync(p, Buffer.concat([sharedRaw(TEST_LABELS.name), Buffer.of(7)])),
      name: TEST_LABELS.rawNames[0],
      code: 'length-mismatch',
      says: 'but the file has 10001; 1 bytes follow the data',
    },
    {
      what: 'an empty .gz',
      write: (p: string) => writeFileSync(p, ''),
      name: TEST_LABELS.name,
      code: 'length-mismatch',
      says: '0 bytes is too short for an IDX labels header',
    },
  ])('$what -> $code', async ({ write, name, code, says }) => {
    const file = MNIST_FILES.find((f) => f.name === name || f.rawNames.includes(name)) as (typeof MNIST_FILES)[number];
    const { dir, path } = folderWith(file, write, name);
    const err = await loadIdxFolder(dir).catch((e: unknown) => e);
    expectDataError(err, code, `${path}`, says);
  });
});

describe('a data folder that is not a folder', () => {
  function aFile(): string {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'not a folder');
    return path;
  }

  it('a dataset.path naming a file (it gave "ENOTDIR ... scandir"): the field, the path and the fix', async () => {
    const path = aFile();
    const err = await loadIdxFolder(path, { field: 'dataset.path' }).catch((e: unknown) => e);
    const e = expectDataError(
      err,
      'not-a-folder',
      `dataset.path points to a file, not a folder: ${path}; set dataset.path to the folder holding the four MNIST files.`,
    );
    expect(e).toMatchObject({ file: path, field: 'dataset.path' });
  });

  it('--data naming a file: the path and where to point DNN Lab instead', async () => {
    const path = aFile();
    const err = await loadIdxFolder(path).catch((e: unknown) => e);
    expectDataError(
      err,
      'not-a-folder',
      `The data folder ${path} is a file, not a folder.`,
      '--data DIR',
      'DNN_LAB_DATA',
      'dnnLab.dataFolder',
    );
  });

  it.each([
    {
      what: 'below a file',
      make: (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'mnist')),
      code: 'folder-not-found',
      says: 'does not exist: a part of the path before the last name is a file, not a folder',
    },
    {
      what: 'a symbolic link loop',
      make: (d: string) => (symlinkSync(join(d, 'loop'), join(d, 'loop')), join(d, 'loop')),
      code: 'unreadable',
      says: 'is a symbolic link loop: the link points, directly or through other links, back to itself',
    },
    { what: 'missing', make: (d: string) => join(d, 'nowhere'), code: 'folder-not-found', says: 'does not exist' },
  ])('a dataset.path $what -> $code, naming the field and the path', async ({ make, code, says }) => {
    const path = make(tempDir());
    const err = await loadIdxFolder(path, { field: 'dataset.path' }).catch((e: unknown) => e);
    expectDataError(
      err,
      code,
      `dataset.path points to ${path}, which ${says}; set dataset.path to the folder holding the four MNIST files.`,
    );
  });

  it("a bad file inside a config's folder is prefixed with dataset.path", async () => {
    const { dir, path } = folderWith(TEST_IMAGES, (p) => mkdirSync(p), TEST_IMAGES.name);
    const err = await loadIdxFolder(dir, { field: 'dataset.path' }).catch((e: unknown) => e);
    expect(expectDataError(err, 'not-a-file', `dataset.path: ${path} is a folder`).field).toBe('dataset.path');
  });

  it('runTraining reports it as a data error on dataset.path, not an internal one', async () => {
    const path = aFile();
    const events: RunEvent[] = [];
    await runTraining(
      { config: labConfig({ dataset: { kind: 'path', path } }), cacheDir: tempDir(), backend: 'js' },
      (e) => events.push(e),
      () => false,
    );
    expect(events.at(-1)).toEqual({
      type: 'run/failed',
      kind: 'data',
      message: expect.stringMatching(/^dataset\.path points to a file, not a folder: /),
      field: 'dataset.path',
    });
  });
});

describe('system errors the tests cannot cause for real (root reads everything) come through the file system seam', () => {
  const errno = (code: string): NodeJS.ErrnoException =>
    Object.assign(new Error(`${code}: raw system message`), { code });

  it.each(['EACCES', 'EPERM', 'EIO'])(
    'the data folder failing to stat with %s -> unreadable, in words',
    async (code) => {
      const fs: DataFileSystem = { ...nodeFileSystem, stat: async () => Promise.reject(errno(code)) };
      const err = await loadIdxFolder('/data/mnist', { fs, field: 'dataset.path' }).catch((e: unknown) => e);
      const e = expectDataError(
        err,
        'unreadable',
        'dataset.path points to /data/mnist, which cannot be read',
        'set dataset.path to the folder',
      );
      expect(e.message).not.toContain('raw system message');
    },
  );

  it('a read failing half-way with EIO -> unreadable, naming the file', async () => {
    const dir = SHARED_MNIST;
    const failing = join(dir, TRAIN_IMAGES.name);
    const fs: DataFileSystem = {
      ...nodeFileSystem,
      readChunks: (path) =>
        path !== failing
          ? nodeFileSystem.readChunks(path)
          : (async function* () {
              yield* [readFileSync(path).subarray(0, 1 << 20)];
              throw errno('EIO');
            })(),
    };
    const err = await loadIdxFolder(dir, { fs }).catch((e: unknown) => e);
    expectDataError(err, 'unreadable', `${failing} cannot be read: the disk reported an input/output error`);
  });
});

describe('the download cache holds only regular files', () => {
  const noNetwork: HttpClient = {
    get: (url) => {
      throw new Error(`unexpected network access to ${url}`);
    },
  };

  it.skipIf(!hasDevZero).each([
    {
      what: 'a link to /dev/zero',
      make: (p: string) => symlinkSync('/dev/zero', p),
      says: 'is a character device, not a regular file',
    },
    { what: 'a folder', make: (p: string) => mkdirSync(p), says: 'is a folder, not a regular file' },
  ])(
    'a cached file that is $what is reported, neither read nor deleted',
    async ({ make, says }) => {
      const dir = tempDir();
      const path = join(dir, TRAIN_LABELS.name);
      make(path);
      const { ms, outcome } = await measured(() => loadMnist({ cacheDir: dir, http: noNetwork }));
      expectDataError(
        outcome,
        'not-a-file',
        `${path} ${says}`,
        `remove it, and DNN Lab downloads the file again into ${dir}`,
      );
      expect(ms).toBeLessThan(PROMPT_MS);
      expect(existsSync(path) || lstatSync(path).isSymbolicLink()).toBe(true);
    },
    10_000,
  );
});
