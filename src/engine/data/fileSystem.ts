import { constants, promises as fs, type Stats } from 'node:fs';

/** What a path names, following symbolic links: only regular files are ever read. */
export type PathKind = 'file' | 'folder' | 'FIFO' | 'socket' | 'character device' | 'block device' | 'special file';

/** What a path names, and its size in bytes (meaningful for regular files only). */
export interface PathInfo {
  readonly kind: PathKind;
  readonly size: number;
}

/** How `readChunks` opens a file. */
export interface ReadOptions {
  /** Refuse a symbolic link as the path's last name instead of following it (a run file is never one). */
  readonly noFollow?: boolean;
}

/** The file access the data layer needs, so the host can route it elsewhere and tests can fake failures. */
export interface DataFileSystem {
  /** What the path names, following symbolic links, or undefined when nothing is there; a loop, a file in the
   *  middle of the path or a missing permission rejects with the system error (see describeFileError). */
  stat(path: string): Promise<PathInfo | undefined>;
  /**
   * A regular file's bytes, chunk by chunk as they are read. The file is opened on the first chunk and closed
   * at its end or as soon as the caller leaves the loop, so a caller that stops early never reads on. Rejects
   * when the path is not a regular file once opened (code ENOTREG, with its `kind`), and with `noFollow` when
   * the path's last name is a symbolic link (ELOOP).
   */
  readChunks(path: string, options?: ReadOptions): AsyncIterable<Uint8Array>;
  /** The names in a folder, or undefined when there is no such folder. */
  readdir(dir: string): Promise<string[] | undefined>;
  /** Creates the folder and its parents if needed. */
  mkdirp(dir: string): Promise<void>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Replaces `to` with `from` in one step (both in the same folder). */
  rename(from: string, to: string): Promise<void>;
  /** Deletes the file; a file already gone is not an error. */
  remove(path: string): Promise<void>;
}

/** Bytes per read: big enough that the 47 MB of MNIST's training images take few calls, small enough to stop promptly. */
const CHUNK_BYTES = 1 << 20;

/** Resolves to undefined instead of rejecting when the path does not exist. */
export async function unlessMissing<T>(op: Promise<T>): Promise<T | undefined> {
  try {
    return await op;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The kind of file system object stats describe. */
export function pathKindOf(stats: Stats): PathKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'folder';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  return 'special file';
}

/** A kind in words, as a message says it: "a FIFO (named pipe)", "a folder", "a symbolic link". */
export function kindInWords(kind: PathKind | 'symbolic link'): string {
  return kind === 'FIFO' ? 'a FIFO (named pipe)' : `a ${kind}`;
}

async function* readChunks(path: string, { noFollow = false }: ReadOptions = {}): AsyncGenerator<Uint8Array> {
  // O_NONBLOCK: should the path have become a FIFO since it was checked, opening it must not wait for a writer.
  // (Windows has neither flag, and no FIFOs that open() would wait on; the handle's own stat below still refuses
  // anything but a regular file.)
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  const handle = await fs.open(path, flags);
  let owned = true;
  try {
    // The handle's own stat: what was opened, even if the name was swapped since it was checked.
    const kind = pathKindOf(await handle.stat());
    if (kind !== 'file')
      throw Object.assign(new Error(`it became a ${kind} while it was being opened`), { code: 'ENOTREG', kind });
    // The stream now owns the handle: it closes it at the end, on an error, and when the loop below is left early.
    const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES });
    owned = false;
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    if (owned) await handle.close();
  }
}

/** DataFileSystem on node's fs. */
export const nodeFileSystem: DataFileSystem = {
  stat: async (path) => {
    const stats = await unlessMissing(fs.stat(path));
    return stats && { kind: pathKindOf(stats), size: stats.size };
  },
  readChunks,
  readdir: (dir) => unlessMissing(fs.readdir(dir)),
  mkdirp: async (dir) => {
    await fs.mkdir(dir, { recursive: true });
  },
  writeFile: (path, data) => fs.writeFile(path, data),
  rename: (from, to) => fs.rename(from, to),
  remove: async (path) => {
    await unlessMissing(fs.unlink(path));
  },
};
