import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../../src/engine/data/errors';
import { decodeIdx, isGzip, parseIdx, type IdxKind } from '../../../src/engine/data/idx';
import { sharedGz, sharedRaw } from './fixtures';

/** Runs fn and returns the DataError it throws (failing the test if it throws anything else or nothing). */
async function dataErrorOf(fn: () => unknown): Promise<DataError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

describe('decodeIdx on the canonical MNIST files', () => {
  it.each([
    { name: 'train-images-idx3-ubyte.gz', kind: 'images', dims: [60000, 28, 28] },
    { name: 'train-labels-idx1-ubyte.gz', kind: 'labels', dims: [60000] },
    { name: 't10k-images-idx3-ubyte.gz', kind: 'images', dims: [10000, 28, 28] },
    { name: 't10k-labels-idx1-ubyte.gz', kind: 'labels', dims: [10000] },
  ] as const)('$name parses as $kind with dims $dims, gzipped and raw alike', async ({ name, kind, dims }) => {
    const gz = sharedGz(name);
    expect(isGzip(gz)).toBe(true);
    const fromGz = await decodeIdx(gz, name, kind);
    const raw = sharedRaw(name);
    expect(isGzip(raw)).toBe(false);
    const fromRaw = await decodeIdx(raw, name, kind);

    expect(fromGz.dims).toEqual(dims);
    expect(fromGz.data.length).toBe(dims.reduce((a, b) => a * b, 1));
    expect(fromGz.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.compare(fromGz.data, fromRaw.data)).toBe(0);
  });
});

describe('parseIdx rejects damaged headers and lengths, naming the file', () => {
  const labels = 't10k-labels-idx1-ubyte.gz';
  const images = 't10k-images-idx3-ubyte.gz';
  const set = (bytes: Buffer, at: number, value: number): Buffer => {
    const copy = Buffer.from(bytes);
    copy[at] = value;
    return copy;
  };

  it.each([
    {
      what: 'labels read as images',
      file: labels,
      kind: 'images',
      edit: (b: Buffer) => b,
      code: 'bad-magic',
      says: 'this file holds labels, not images',
    },
    {
      what: 'images read as labels',
      file: images,
      kind: 'labels',
      edit: (b: Buffer) => b,
      code: 'bad-magic',
      says: 'this file holds images, not labels',
    },
    {
      what: 'first magic byte not 0',
      file: labels,
      kind: 'labels',
      edit: (b: Buffer) => set(b, 0, 0x50),
      code: 'bad-magic',
      says: 'not an IDX file',
    },
    {
      what: 'float data type 0x0d',
      file: labels,
      kind: 'labels',
      edit: (b: Buffer) => set(b, 2, 0x0d),
      code: 'bad-magic',
      says: 'data type 0d',
    },
    {
      what: 'dimension byte 2 in labels',
      file: labels,
      kind: 'labels',
      edit: (b: Buffer) => set(b, 3, 0x02),
      code: 'bad-magic',
      says: '2 dimensions where labels have 1',
    },
    {
      what: 'a zero dimension',
      file: images,
      kind: 'images',
      edit: (b: Buffer) => Buffer.concat([b.subarray(0, 8), Buffer.alloc(4), b.subarray(12)]),
      code: 'bad-dimension',
      says: 'dimension 1',
    },
    {
      what: 'truncated by one byte',
      file: images,
      kind: 'images',
      edit: (b: Buffer) => b.subarray(0, b.length - 1),
      code: 'length-mismatch',
      says: '1 bytes are missing',
    },
    {
      what: 'truncated to half',
      file: labels,
      kind: 'labels',
      edit: (b: Buffer) => b.subarray(0, 5008),
      code: 'length-mismatch',
      says: 'truncated',
    },
    {
      what: 'truncated inside the header',
      file: images,
      kind: 'images',
      edit: (b: Buffer) => b.subarray(0, 10),
      code: 'length-mismatch',
      says: 'too short for an IDX images header',
    },
    {
      what: 'one trailing byte',
      file: labels,
      kind: 'labels',
      edit: (b: Buffer) => Buffer.concat([b, Buffer.of(7)]),
      code: 'length-mismatch',
      says: '1 bytes follow the data',
    },
    {
      what: 'a second copy appended',
      file: labels,
      kind: 'labels',
      edit: (b: Buffer) => Buffer.concat([b, b]),
      code: 'length-mismatch',
      says: '10008 bytes follow the data',
    },
  ] as const)('$what -> $code ("$says")', async ({ file, kind, edit, code, says }) => {
    const bytes = edit(sharedRaw(file));
    const err = await dataErrorOf(() => parseIdx(bytes, file, kind as IdxKind));
    expect(err.code).toBe(code);
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    expect(err.message).toContain(says);
  });

  it.each([
    { what: 'gzip cut in half', edit: (gz: Buffer) => gz.subarray(0, gz.length >> 1), code: 'bad-gzip' },
    {
      what: 'gzip with a flipped byte',
      edit: (gz: Buffer) => set(gz, gz.length >> 1, gz[gz.length >> 1] ^ 0xff),
      code: 'bad-gzip',
    },
    {
      what: 'raw truncated, then gzipped',
      edit: () => gzipSync(sharedRaw(labels).subarray(0, 9000)),
      code: 'length-mismatch',
    },
  ] as const)('$what -> $code', async ({ edit, code }) => {
    const err = await dataErrorOf(() => decodeIdx(edit(sharedGz(labels)), labels, 'labels'));
    expect(err.code).toBe(code);
    expect(err.message).toContain(labels);
    expect(err.message).toMatch(/download it again/);
  });
});
