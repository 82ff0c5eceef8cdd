import { DataError, describeFileError, errnoOf } from './errors';
import type { DataFileSystem, PathInfo, PathKind, ReadOptions } from './fileSystem';

/**
 * What is at `path`, checked to be a regular file: undefined when nothing is there; a DataError naming the
 * path, what it is and `fix` for a folder, FIFO, device, socket, symbolic link loop or dangling link, or a
 * path that cannot be read. Nothing but a regular file is ever opened, so nothing can hang on a FIFO or
 * read /dev/zero forever.
 */
export async function statRegularFile(
  fs: DataFileSystem,
  path: string,
  fix: string,
  listed = false,
): Promise<PathInfo | undefined> {
  let info: PathInfo | undefined;
  try {
    info = await fs.stat(path);
  } catch (err) {
    const code = errnoOf(err) === 'ELOOP' ? 'not-a-file' : 'unreadable';
    throw new DataError(code, `${path} ${describeFileError(err)}; ${fix}.`, path);
  }
  if (info === undefined) {
    // Listed by readdir yet not there to stat: a symbolic link to something that does not exist.
    if (listed)
      throw new DataError('not-a-file', `${path} is a symbolic link to something that does not exist; ${fix}.`, path);
    return undefined;
  }
  if (info.kind !== 'file') {
    const what = info.kind === 'folder' ? 'a folder' : `a ${info.kind}`;
    throw new DataError(
      'not-a-file',
      `${path} is ${what}, not a regular file; DNN Lab reads only regular files: ${fix}.`,
      path,
    );
  }
  return info;
}

/** A system error met while reading `path`, as a DataError naming it; DataErrors pass through unchanged. */
export function readError(err: unknown, path: string): DataError {
  if (err instanceof DataError) return err;
  return new DataError('unreadable', `${path} ${describeFileError(err)}; check the file, or download it again.`, path);
}

/**
 * A regular file's bytes when it holds exactly `length` of them, else undefined; reads at most one byte
 * past `length`, however long the file has grown since it was checked.
 */
export async function readExactly(fs: DataFileSystem, path: string, length: number): Promise<Uint8Array | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readAtMost(fs, path, length);
  } catch (err) {
    throw readError(err, path);
  }
  return bytes?.length === length ? bytes : undefined;
}

/**
 * A regular file's bytes when it holds at most `maxBytes` of them, else undefined: reads at most one chunk past
 * `maxBytes`, however large the file is or has grown since it was checked, so a wrong file of gigabytes costs
 * a megabyte. Opens without waiting for a writer and refuses, on the open handle, anything but a regular file
 * (see DataFileSystem.readChunks), so neither a FIFO nor /dev/zero can hang it. Rejects with the system error.
 */
export async function readAtMost(
  fs: DataFileSystem,
  path: string,
  maxBytes: number,
  options?: ReadOptions,
): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let filled = 0;
  for await (const chunk of fs.readChunks(path, options)) {
    if (filled + chunk.length > maxBytes) return undefined;
    chunks.push(chunk);
    filled += chunk.length;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(filled);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** What `readRegularFile` found at a path: its bytes, or why not, for the caller to put in its own words. */
export type RegularFileRead =
  | { bytes: Uint8Array }
  | { missing: true }
  /** Not a regular file: what it is (a symbolic link only with `noFollow`). */
  | { notAFile: PathKind | 'symbolic link' }
  /** More than the bound: its size in bytes, or at least the bound plus one when it grew past it while read. */
  | { tooLarge: number }
  /** A system error (permission, loop, a file in the middle of the path, ...); see describeFileError. */
  | { failed: unknown };

/**
 * The one bounded reader of a file a user or a folder names (a config, a run record): a regular file only, at most
 * `maxBytes` read whatever its size, on a handle opened without waiting for a writer and checked again once open.
 * A FIFO, a device such as /dev/zero, a socket or a folder is answered at once; never throws.
 */
export async function readRegularFile(
  fs: DataFileSystem,
  path: string,
  maxBytes: number,
  options: ReadOptions = {},
): Promise<RegularFileRead> {
  try {
    const info = await fs.stat(path);
    if (!info) return { missing: true };
    if (info.kind !== 'file') return { notAFile: info.kind };
    if (info.size > maxBytes) return { tooLarge: info.size };
    const bytes = await readAtMost(fs, path, maxBytes, options);
    return bytes ? { bytes } : { tooLarge: maxBytes + 1 };
  } catch (err) {
    const kind = (err as { kind?: PathKind }).kind;
    if (kind) return { notAFile: kind };
    // O_NOFOLLOW on a link: Linux says ELOOP, FreeBSD EMLINK.
    const code = errnoOf(err);
    if (options.noFollow && (code === 'ELOOP' || code === 'EMLINK')) return { notAFile: 'symbolic link' };
    if (code === 'ENOENT') return { missing: true };
    return { failed: err };
  }
}
