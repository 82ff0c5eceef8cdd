import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DataError } from './errors';

/** Which IDX layout a file must have: images are [count, rows, cols], labels are [count]. */
export type IdxKind = 'images' | 'labels';

/** A parsed IDX file: its dimensions and its unsigned bytes, row-major, viewing the file's memory. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const gunzipAsync = promisify(gunzip);

/** IDX data type byte for unsigned 8-bit values, the only type MNIST uses. */
const UNSIGNED_BYTE = 0x08;
const DIMENSIONS: Record<IdxKind, number> = { images: 3, labels: 1 };
const OTHER_KIND: Record<IdxKind, IdxKind> = { images: 'labels', labels: 'images' };

const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const magicOf = (kind: IdxKind): number => (UNSIGNED_BYTE << 8) | DIMENSIONS[kind];

/** True when the bytes start with the gzip magic 1f 8b (IDX files start with 00 00). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses an IDX file, gunzipping it first when it is gzip-compressed (detected by content, not by name). */
export async function decodeIdx(bytes: Uint8Array, file: string, kind: IdxKind): Promise<IdxArray> {
  if (!isGzip(bytes)) return parseIdx(bytes, file, kind);
  let raw: Uint8Array;
  try {
    // The async gunzip runs on libuv's pool, so the four MNIST files inflate in parallel off the main thread.
    raw = await gunzipAsync(bytes);
  } catch (err) {
    throw new DataError(
      'bad-gzip',
      `${file}: the gzip data is damaged (${(err as Error).message}); delete the file and download it again.`,
      file,
    );
  }
  return parseIdx(raw, file, kind);
}

/** Parses uncompressed IDX bytes, checking the magic, the dimensions and that the data fills the file exactly. */
export function parseIdx(raw: Uint8Array, file: string, kind: IdxKind): IdxArray {
  const dimCount = DIMENSIONS[kind];
  const headerBytes = 4 + 4 * dimCount;
  if (raw.length < headerBytes) {
    throw new DataError(
      'length-mismatch',
      `${file}: ${raw.length} bytes is too short for an IDX ${kind} header (${headerBytes} bytes); ` +
        'the file is truncated or not an IDX file, download it again.',
      file,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0);
  if (magic !== magicOf(kind)) {
    throw new DataError('bad-magic', `${file}: ${describeBadMagic(magic, kind)}`, file);
  }

  const dims: number[] = [];
  for (let d = 0; d < dimCount; d++) {
    const size = view.getUint32(4 + 4 * d);
    if (size === 0) {
      throw new DataError('bad-dimension', `${file}: dimension ${d} of the IDX header is 0; every dimension must be positive.`, file);
    }
    dims.push(size);
  }

  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = raw.length - headerBytes;
  if (actual !== expected) {
    const fix =
      actual < expected
        ? `${expected - actual} bytes are missing: the file is truncated, download it again`
        : `${actual - expected} bytes follow the data: the file is damaged or not what its header says, download it again`;
    throw new DataError(
      'length-mismatch',
      `${file}: the IDX header promises ${dims.join(' x ')} = ${expected} data bytes but the file has ${actual}; ${fix}.`,
      file,
    );
  }
  // A plain Uint8Array view (not a Buffer): no copy, and it crosses postMessage as itself.
  return { dims, data: new Uint8Array(raw.buffer, raw.byteOffset + headerBytes, expected) };
}

/** Explains a wrong magic number, guessing the usual mix-ups (images vs labels, another data type, not IDX). */
function describeBadMagic(magic: number, kind: IdxKind): string {
  const want = `expected the IDX magic ${hex32(magicOf(kind))} (unsigned-byte ${kind}, ${DIMENSIONS[kind]} dimension${DIMENSIONS[kind] > 1 ? 's' : ''}), got ${hex32(magic)}`;
  if (magic === magicOf(OTHER_KIND[kind])) return `${want}: this file holds ${OTHER_KIND[kind]}, not ${kind}; check which file has which name.`;
  if (magic >>> 16 !== 0) return `${want}: this is not an IDX file; use the original MNIST files.`;
  const type = (magic >>> 8) & 0xff;
  if (type !== UNSIGNED_BYTE) return `${want}: data type ${hex32(type).slice(-2)} is not unsigned byte (08), the only type supported.`;
  return `${want}: ${magic & 0xff} dimensions where ${kind} have ${DIMENSIONS[kind]}.`;
}
