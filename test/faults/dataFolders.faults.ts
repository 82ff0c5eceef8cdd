// The fault harness's data part: MNIST folders broken in every way a disk or a student can break them, each fed to
// `dnn-lab train --epochs 1`. It must end within a bound, exit 1, name the file, print no stack trace or
// "Internal error", keep its memory bounded (peak RSS by GNU time) and leave the folder as it found it.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MNIST } from '../support/mnist';
import { crashSigns, runCliChild } from './child';
import { BASE, configText } from './configCases';
import { Random, SEED } from './random';
import { snapshot, snapshotChanges } from './snapshot';
import { Tally, type Problem } from './tally';

const tally = new Tally('data');
const root = mkdtempSync(join(tmpdir(), 'dnn-lab-faults-data-'));
const base = join(root, 'base');
const config = join(root, 'lab.dnn.json');
const BOUND_MS = 20_000;
/** A good run of this config peaks near 400 MB; a file read whole into memory past its header shows as gigabytes. */
const MEMORY_MB = 1200;
const random = new Random(SEED + 2);

const TRAIN_IMAGES = 'train-images-idx3-ubyte.gz';
const TRAIN_LABELS = 'train-labels-idx1-ubyte.gz';
const TEST_IMAGES = 't10k-images-idx3-ubyte.gz';
const TEST_LABELS = 't10k-labels-idx1-ubyte.gz';
const FILES = [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS];

/** What a case's make may say: the CLI arguments instead of `--data <its folder>`, and the names its message must hold. */
interface Made {
  args?: string[];
  names?: string[];
}

/** One broken folder: `make` breaks a copy of MNIST in `dir`; the CLI's message must name one of `names`. */
interface DataCase {
  name: string;
  make: (dir: string) => Made | void;
  /** Names the message must contain (one of them), when make gives none. */
  names?: string[];
}

function raw(name: string): Buffer {
  return gunzipSync(readFileSync(join(base, name)));
}

/**
 * Writes a broken file in place of a copy. The copies are hard links to one set of files, so writing through a link
 * would break every case's copy: the link goes first.
 */
function put(dir: string, name: string, content: Buffer | string): void {
  rmSync(join(dir, name), { force: true });
  writeFileSync(join(dir, name), content);
}

function replace(dir: string, gzName: string, name: string, content: Buffer | string): void {
  unlinkSync(join(dir, gzName));
  put(dir, name, content);
}

function header(magic: number, dims: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
}

/** A gzip of `totalMb` MB whose IDX header claims MNIST's 60000 training images: concatenated members of zeros. */
function gzipBomb(totalMb: number): Buffer {
  const block = 64 << 20;
  const zeros = gzipSync(Buffer.alloc(block), { level: 9 });
  const first = gzipSync(Buffer.concat([header(0x803, [60000, 28, 28]), Buffer.alloc(block - 16)]), { level: 9 });
  return Buffer.concat([first, ...Array.from({ length: Math.ceil(totalMb / 64) - 1 }, () => zeros)]);
}

const CASES: DataCase[] = [
  {
    name: 'training images gzip cut at 60%',
    make: (d) => put(d, TRAIN_IMAGES, readFileSync(join(base, TRAIN_IMAGES)).subarray(0, 5_900_000)),
    names: [TRAIN_IMAGES],
  },
  {
    name: 'training labels, raw, cut in half',
    make: (d) => replace(d, TRAIN_LABELS, 'train-labels-idx1-ubyte', raw(TRAIN_LABELS).subarray(0, 30_008)),
    names: ['train-labels-idx1-ubyte'],
  },
  {
    name: 'test labels with the images magic',
    make: (d) => {
      const b = raw(TEST_LABELS);
      b.writeUInt32BE(0x803, 0);
      replace(d, TEST_LABELS, 't10k-labels-idx1-ubyte', b);
    },
    names: ['t10k-labels-idx1-ubyte'],
  },
  {
    name: '59999 training labels for 60000 images',
    make: (d) =>
      replace(
        d,
        TRAIN_LABELS,
        'train-labels-idx1-ubyte',
        Buffer.concat([header(0x801, [59999]), raw(TRAIN_LABELS).subarray(8, 8 + 59999)]),
      ),
    names: ['train-labels-idx1-ubyte', TRAIN_IMAGES],
  },
  {
    name: 'a test label of 200',
    make: (d) => {
      const b = raw(TEST_LABELS);
      b[8 + random.int(0, 9999)] = 200;
      replace(d, TEST_LABELS, 't10k-labels-idx1-ubyte', b);
    },
    names: ['t10k-labels-idx1-ubyte'],
  },
  {
    name: 'test labels header says 20000, 10000 follow',
    make: (d) =>
      replace(
        d,
        TEST_LABELS,
        't10k-labels-idx1-ubyte',
        Buffer.concat([header(0x801, [20000]), raw(TEST_LABELS).subarray(8)]),
      ),
    names: ['t10k-labels-idx1-ubyte'],
  },
  {
    name: 'test images header says 10000 x 65535 x 65535',
    make: (d) =>
      replace(
        d,
        TEST_IMAGES,
        't10k-images-idx3-ubyte',
        Buffer.concat([header(0x803, [10000, 65535, 65535]), Buffer.alloc(1000)]),
      ),
    names: ['t10k-images-idx3-ubyte'],
  },
  {
    name: 'gzip bomb: 3 GB behind a header of 47 MB',
    make: (d) => put(d, TRAIN_IMAGES, gzipBomb(3072)),
    names: [TRAIN_IMAGES],
  },
  {
    name: 'training images a symlink to /dev/zero',
    make: (d) => {
      unlinkSync(join(d, TRAIN_IMAGES));
      symlinkSync('/dev/zero', join(d, 'train-images-idx3-ubyte'));
    },
    names: ['train-images-idx3-ubyte'],
  },
  {
    name: 'training labels a FIFO no one writes',
    make: (d) => {
      unlinkSync(join(d, TRAIN_LABELS));
      execFileSync('mkfifo', [join(d, TRAIN_LABELS)]);
    },
    names: [TRAIN_LABELS],
  },
  {
    name: 'test images a directory',
    make: (d) => {
      unlinkSync(join(d, TEST_IMAGES));
      mkdirSync(join(d, TEST_IMAGES));
    },
    names: [TEST_IMAGES],
  },
  {
    name: 'test labels a symlink to itself',
    make: (d) => {
      unlinkSync(join(d, TEST_LABELS));
      symlinkSync(TEST_LABELS, join(d, TEST_LABELS));
    },
    names: [TEST_LABELS],
  },
  {
    name: 'training labels a dangling symlink',
    make: (d) => {
      unlinkSync(join(d, TRAIN_LABELS));
      symlinkSync(join(d, 'gone'), join(d, TRAIN_LABELS));
    },
    names: [TRAIN_LABELS],
  },
  {
    name: 'training labels .gz of random bytes',
    make: (d) => put(d, TRAIN_LABELS, Buffer.from(Array.from({ length: 4096 }, () => random.int(0, 255)))),
    names: [TRAIN_LABELS],
  },
  { name: 'test labels .gz empty', make: (d) => put(d, TEST_LABELS, ''), names: [TEST_LABELS] },
  {
    name: 'labels where the images should be',
    make: (d) => put(d, TEST_IMAGES, readFileSync(join(base, TEST_LABELS))),
    names: [TEST_IMAGES],
  },
  {
    name: 'test labels missing',
    make: (d) => void unlinkSync(join(d, TEST_LABELS)),
    names: ['t10k-labels-idx1-ubyte'],
  },
  {
    name: '--data is a file',
    make: (d) => ({ args: ['--data', join(d, TRAIN_LABELS)], names: [join(d, TRAIN_LABELS)] }),
  },
  {
    name: '--data below a file (ENOTDIR)',
    make: (d) => ({ args: ['--data', join(d, TRAIN_LABELS, 'mnist')], names: [join(d, TRAIN_LABELS)] }),
  },
  {
    name: '--data a folder that does not exist',
    make: (d) => ({ args: ['--data', join(d, 'nowhere')], names: [join(d, 'nowhere')] }),
  },
  {
    name: '--data a symlink loop',
    make: (d) => {
      symlinkSync(join(d, 'loop'), join(d, 'loop'));
      return { args: ['--data', join(d, 'loop')], names: [join(d, 'loop')] };
    },
  },
  {
    name: 'config dataset.path is a file',
    make: (d) => {
      writeFileSync(join(d, 'lab.dnn.json'), configText({ ...BASE, dataset: { path: 'notes.txt' } }));
      writeFileSync(join(d, 'notes.txt'), 'not a folder');
      return { args: [join(d, 'lab.dnn.json')], names: ['notes.txt'] };
    },
  },
];

beforeAll(() => {
  console.log(`fault harness [data]: seed ${SEED}, ${CASES.length} broken folders in ${root}`);
  mkdirSync(base);
  for (const f of FILES) copyFileSync(join(SHARED_MNIST, f), join(base, f));
  writeFileSync(config, configText(BASE));
});

afterAll(() => {
  tally.flush();
  rmSync(root, { recursive: true, force: true });
});

describe(`broken data folders through dnn-lab train (seed ${SEED})`, () => {
  it.each(CASES.map((c, i) => [`${String(i).padStart(2, '0')} ${c.name}`, c] as const))('%s', async (title, c) => {
    const dir = join(root, `case-${title.slice(0, 2)}`);
    mkdirSync(dir);
    for (const f of FILES) linkSync(join(base, f), join(dir, f));
    const made: Made = c.make(dir) ?? {};
    const names = made.names ?? c.names ?? [];
    const args = made.args ?? ['--data', dir];
    // A config path in args replaces the default config and names its own data.
    const [configArg, rest] = args[0]?.endsWith('.dnn.json') ? [args[0], args.slice(1)] : [config, args];
    const before = snapshot(dir);
    const run = await runCliChild(['train', configArg, '--epochs', '1', ...rest], {
      timeoutMs: BOUND_MS,
      cwd: root,
      measureRss: true,
    });
    const problems: Problem[] = crashSigns(run);
    // A bad file is reported, never deleted or "repaired": the folder is the student's.
    const changes = snapshotChanges(before, snapshot(dir));
    if (changes.length)
      problems.push({ kind: 'other', text: `the run changed the data folder: ${changes.slice(0, 3).join('; ')}` });
    if (!run.timedOut && run.code !== 1)
      problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}, not 1` });
    if (!run.timedOut && !names.some((n) => run.stderr.includes(n)))
      problems.push({
        kind: 'other',
        text: `the message names none of ${names.join(', ')}: ${JSON.stringify(run.stderr.slice(-300))}`,
      });
    if (run.maxRssMb !== undefined && run.maxRssMb > MEMORY_MB)
      problems.push({ kind: 'other', text: `peak memory ${run.maxRssMb.toFixed(0)} MB > ${MEMORY_MB} MB` });
    console.log(
      `fault harness [data]: ${title}: exit ${run.code ?? run.signal} in ${(run.ms / 1000).toFixed(1)} s, peak ${run.maxRssMb?.toFixed(0) ?? '?'} MB`,
    );
    expect(tally.record(title, problems)).toEqual([]);
  });
});
