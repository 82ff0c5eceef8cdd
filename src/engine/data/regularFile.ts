import { DataError, describeFileError, errnoOf } from './errors';
import type { DataFileSystem, PathInfo } from './fileSystem';

/**
 * What is at `path`, checked to be a regular file: undefined when nothing is there; a DataError naming the
 * path, what it is and `fix` for a folder, FIFO, device, socket, symbolic link loop or dangling link, or a
 * path that cannot be read. Nothing but a regular file is ever opened, so nothing can hang on a FIFO or
 * read /dev/zero forever.
 */
export async function statRegularFile(fs: DataFileSystem, path: string, fix: string, listed = false): Promise<PathInfo | undefined> {
  let info: PathInfo | undefined;
  try {
    info = await fs.stat(path);
  } catch (err) {
    const code = errnoOf(err) === 'ELOOP' ? 'not-a-file' : 'unreadable';
    throw new DataError(code, `${path} ${describeFileError(err)}; ${fix}.`, path);
  }
  if (info === undefined) {
    // Listed by readdir yet not there to stat: a symbolic link to something that does not exist.
    if (listed) throw new DataError('not-a-file', `${path} is a symbolic link to something that does not exist; ${fix}.`, path);
    return undefined;
  }
  if (info.kind !== 'file') {
    const what = info.kind === 'folder' ? 'a folder' : `a ${info.kind}`;
    throw new DataError('not-a-file', `${path} is ${what}, not a regular file; DNN Lab reads only regular files: ${fix}.`, path);
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
  const out = new Uint8Array(length);
  let filled = 0;
  try {
    for await (const chunk of fs.readChunks(path)) {
      if (filled + chunk.length > length) return undefined;
      out.set(chunk, filled);
      filled += chunk.length;
    }
  } catch (err) {
    throw readError(err, path);
  }
  return filled === length ? out : undefined;
}
