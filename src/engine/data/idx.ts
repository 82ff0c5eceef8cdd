import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DataError } from './errors';

/** Which IDX layout a file must have: images are [count, rows, cols], labels are [count]. */
export type IdxKind = 'images' | 'labels';

/** A parsed IDX file: its dimensions and its unsigned bytes, row-major. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * The most data bytes one IDX file may promise. MNIST's largest file (the training images) holds 47 MB and
 * EMNIST's digits 188 MB; a header asking for more is damaged, and is refused before anything is allocated.
 */
export const MAX_IDX_DATA_BYTES = 256 * 1024 * 1024;

/**
 * The most compressed bytes read from a gzip file: deflate stores incompressible data with 5 bytes per 64 KiB
 * block, so no honest gzip of MAX_IDX_DATA_BYTES comes near this; a longer one is not an IDX file DNN Lab reads.
 */
export const MAX_GZIP_BYTES = MAX_IDX_DATA_BYTES + (MAX_IDX_DATA_BYTES >> 10) + (1 << 20);

/** Output bytes per inflate step: the most a bomb can inflate past what its header promised before it is stopped. */
const INFLATE_CHUNK_BYTES = 1 << 20;

/** IDX data type byte for unsigned 8-bit values, the only type MNIST uses. */
const UNSIGNED_BYTE = 0x08;
const DIMENSIONS: Record<IdxKind, number> = { images: 3, labels: 1 };
const OTHER_KIND: Record<IdxKind, IdxKind> = { images: 'labels', labels: 'images' };

const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const magicOf = (kind: IdxKind): number => (UNSIGNED_BYTE << 8) | DIMENSIONS[kind];
const headerBytesOf = (kind: IdxKind): number => 4 + 4 * DIMENSIONS[kind];

/** A checked IDX header: the dimensions and how many data bytes follow it. */
interface IdxHeader {
  readonly dims: readonly number[];
  readonly dataBytes: number;
}

/** True when the bytes start with the gzip magic 1f 8b (IDX files start with 00 00). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads one IDX file from its bytes as they arrive, gunzipping them first when they are gzip (detected by
 * content, not by name). Never holds more than the header promises: the header is read and checked first,
 * then exactly the promised bytes, and one byte more is an error, so a file that never ends (a link to
 * /dev/zero) or a gzip bomb is stopped within a chunk. `size`, the file's length when known, lets a wrong
 * length be reported exactly before the data is read.
 */
export async function readIdx(
  source: AsyncIterable<Uint8Array>,
  file: string,
  kind: IdxKind,
  size?: number,
): Promise<IdxArray> {
  const chunks = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let ended = false;
  try {
    while (headLength < 2) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headLength += next.value.length;
    }
  } catch (err) {
    await chunks.return?.();
    throw err;
  }
  const rest = replay(head, chunks, ended);
  const magic = Uint8Array.from(head.flatMap((chunk) => Array.from(chunk.subarray(0, 2))).slice(0, 2));
  return isGzip(magic) ? inflateIdx(rest, file, kind) : collectIdx(rest, file, kind, size, false);
}

/** Parses an IDX file held in memory, gunzipping it first when it is gzip-compressed, with readIdx's bounds. */
export async function decodeIdx(bytes: Uint8Array, file: string, kind: IdxKind): Promise<IdxArray> {
  if (!isGzip(bytes)) return parseIdx(bytes, file, kind);
  return readIdx(
    (async function* () {
      yield bytes;
    })(),
    file,
    kind,
  );
}

/** Parses uncompressed IDX bytes, checking the magic, the dimensions and that the data fills the file exactly. */
export function parseIdx(raw: Uint8Array, file: string, kind: IdxKind): IdxArray {
  const headerBytes = headerBytesOf(kind);
  if (raw.length < headerBytes) throw tooShortForHeader(file, kind, raw.length);
  const header = parseHeader(raw, file, kind);
  const actual = raw.length - headerBytes;
  if (actual !== header.dataBytes) throw lengthMismatch(file, header, actual);
  // A plain Uint8Array view (not a Buffer): no copy, and it crosses postMessage as itself.
  return { dims: header.dims, data: new Uint8Array(raw.buffer, raw.byteOffset + headerBytes, header.dataBytes) };
}

/** Yields the chunks already taken, then the rest; leaving early closes the underlying source too. */
async function* replay(
  head: Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
  ended: boolean,
): AsyncGenerator<Uint8Array> {
  let finished = ended;
  try {
    yield* head;
    while (!finished) {
      const next = await rest.next();
      if (next.done) finished = true;
      else yield next.value;
    }
  } finally {
    if (!finished) await rest.return?.();
  }
}

/** Inflates gzip chunks into collectIdx, stopping the inflater as soon as it produces more than the header promised. */
async function inflateIdx(compressed: AsyncIterable<Uint8Array>, file: string, kind: IdxKind): Promise<IdxArray> {
  let result: IdxArray | undefined;
  try {
    await pipeline(
      limitInput(compressed, file),
      createGunzip({ chunkSize: INFLATE_CHUNK_BYTES }),
      async (inflated: AsyncIterable<Uint8Array>) => {
        result = await collectIdx(inflated, file, kind, undefined, true);
      },
    );
  } catch (err) {
    // zlib's own errors carry Z_ codes; a read error of the file or one of ours passes through as it is.
    if (!/^Z_/.test(String((err as NodeJS.ErrnoException).code))) throw err;
    throw new DataError(
      'bad-gzip',
      `${file}: the gzip data is damaged (${(err as Error).message}); delete the file and download it again.`,
      file,
    );
  }
  if (result === undefined) throw new Error(`${file}: inflating ended without a result`);
  return result;
}

/** Passes compressed chunks on, refusing more than MAX_GZIP_BYTES. */
async function* limitInput(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  let read = 0;
  for await (const chunk of chunks) {
    read += chunk.length;
    if (read > MAX_GZIP_BYTES) {
      throw new DataError(
        'too-large',
        `${file}: the gzip file is over ${MAX_GZIP_BYTES} bytes, more than any IDX file DNN Lab reads can take compressed ` +
          `(at most ${MAX_IDX_DATA_BYTES} data bytes); it is damaged or not an MNIST file, use the original MNIST files.`,
        file,
      );
    }
    yield chunk;
  }
}

/**
 * Assembles an IDX file from its uncompressed chunks: the header first, checked, then a buffer of exactly the
 * size it promises; a byte beyond it stops the read with an error.
 */
async function collectIdx(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  kind: IdxKind,
  size: number | undefined,
  inflated: boolean,
): Promise<IdxArray> {
  const headerBytes = headerBytesOf(kind);
  const head = new Uint8Array(headerBytes);
  let headFilled = 0;
  let header: IdxHeader | undefined;
  let data = new Uint8Array(0);
  let filled = 0;
  for await (const chunk of chunks) {
    let offset = 0;
    if (header === undefined) {
      offset = Math.min(headerBytes - headFilled, chunk.length);
      head.set(chunk.subarray(0, offset), headFilled);
      headFilled += offset;
      if (headFilled < headerBytes) continue;
      header = parseHeader(head, file, kind);
      // A regular file's length is known: a wrong one is reported exactly, before any data is read.
      if (size !== undefined && size - headerBytes !== header.dataBytes)
        throw lengthMismatch(file, header, size - headerBytes);
      data = new Uint8Array(header.dataBytes);
    }
    const take = Math.min(header.dataBytes - filled, chunk.length - offset);
    data.set(chunk.subarray(offset, offset + take), filled);
    filled += take;
    if (offset + take < chunk.length) throw tooLong(file, header, inflated);
  }
  if (header === undefined) throw tooShortForHeader(file, kind, headFilled);
  if (filled < header.dataBytes) throw lengthMismatch(file, header, filled);
  return { dims: header.dims, data };
}

/** Checks the magic number and the dimensions of a header (the first headerBytesOf(kind) bytes of `bytes`). */
function parseHeader(bytes: Uint8Array, file: string, kind: IdxKind): IdxHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== magicOf(kind)) {
    throw new DataError('bad-magic', `${file}: ${describeBadMagic(magic, kind)}`, file);
  }
  const dims: number[] = [];
  for (let d = 0; d < DIMENSIONS[kind]; d++) {
    const size = view.getUint32(4 + 4 * d);
    if (size === 0) {
      throw new DataError(
        'bad-dimension',
        `${file}: dimension ${d} of the IDX header is 0; every dimension must be positive.`,
        file,
      );
    }
    dims.push(size);
  }
  // Exact in a double: at most three factors below 2^32 each, and anything past the cap is refused anyway.
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  if (dataBytes > MAX_IDX_DATA_BYTES) {
    throw new DataError(
      'too-large',
      `${file}: the IDX header promises ${dims.join(' x ')} = ${dataBytes} data bytes, more than the ${MAX_IDX_DATA_BYTES} ` +
        `DNN Lab reads from one file (MNIST's largest holds ${60000 * 28 * 28}); the header is damaged or this is not an MNIST file, ` +
        'download it again.',
      file,
    );
  }
  return { dims, dataBytes };
}

function tooShortForHeader(file: string, kind: IdxKind, length: number): DataError {
  return new DataError(
    'length-mismatch',
    `${file}: ${length} bytes is too short for an IDX ${kind} header (${headerBytesOf(kind)} bytes); ` +
      'the file is truncated or not an IDX file, download it again.',
    file,
  );
}

function lengthMismatch(file: string, header: IdxHeader, actual: number): DataError {
  const expected = header.dataBytes;
  const fix =
    actual < expected
      ? `${expected - actual} bytes are missing: the file is truncated, download it again`
      : `${actual - expected} bytes follow the data: the file is damaged or not what its header says, download it again`;
  return new DataError(
    'length-mismatch',
    `${file}: the IDX header promises ${header.dims.join(' x ')} = ${expected} data bytes but the file has ${actual}; ${fix}.`,
    file,
  );
}

/** More bytes than the header promised, found while streaming (reading stops there, so how many more is unknown). */
function tooLong(file: string, header: IdxHeader, inflated: boolean): DataError {
  return new DataError(
    'length-mismatch',
    `${file}: the IDX header promises ${header.dims.join(' x ')} = ${header.dataBytes} data bytes but the file ` +
      `${inflated ? 'inflates to' : 'has'} more (reading stopped there); bytes follow the data: the file is damaged or ` +
      'not what its header says, download it again.',
    file,
  );
}

/** Explains a wrong magic number, guessing the usual mix-ups (images vs labels, another data type, not IDX). */
function describeBadMagic(magic: number, kind: IdxKind): string {
  const want = `expected the IDX magic ${hex32(magicOf(kind))} (unsigned-byte ${kind}, ${DIMENSIONS[kind]} dimension${DIMENSIONS[kind] > 1 ? 's' : ''}), got ${hex32(magic)}`;
  if (magic === magicOf(OTHER_KIND[kind]))
    return `${want}: this file holds ${OTHER_KIND[kind]}, not ${kind}; check which file has which name.`;
  if (magic >>> 16 !== 0) return `${want}: this is not an IDX file; use the original MNIST files.`;
  const type = (magic >>> 8) & 0xff;
  if (type !== UNSIGNED_BYTE)
    return `${want}: data type ${hex32(type).slice(-2)} is not unsigned byte (08), the only type supported.`;
  return `${want}: ${magic & 0xff} dimensions where ${kind} have ${DIMENSIONS[kind]}.`;
}
