import { promises as fs } from 'node:fs';

/** The file access the data layer needs, so the host can route it elsewhere and tests can fake failures. */
export interface DataFileSystem {
  /** The file's bytes, or undefined when there is no such file. */
  readFile(path: string): Promise<Uint8Array | undefined>;
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

/** Resolves to undefined instead of rejecting when the path does not exist. */
async function unlessMissing<T>(op: Promise<T>): Promise<T | undefined> {
  try {
    return await op;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** DataFileSystem on node's fs. */
export const nodeFileSystem: DataFileSystem = {
  readFile: (path) => unlessMissing(fs.readFile(path)),
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
