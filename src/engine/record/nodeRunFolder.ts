import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem, pathKindOf, unlessMissing } from '../data/fileSystem';
import { readRegularFile } from '../data/regularFile';
import type { RunFolder } from './runFolderStore';

/** The folder runs are saved in, relative to the workspace folder. */
export const RUNS_FOLDER = path.join('.dnnlab', 'runs');

/** A runs folder on disk through node:fs: lab files on disk, the CLI and the tests. */
export function nodeRunFolder(dir: string): RunFolder {
  const at = (name: string) => path.join(dir, name);
  return {
    dir,
    where: at,
    names: () => nodeFileSystem.readdir(dir),
    entry: async (name) => {
      const stats = await unlessMissing(fs.lstat(at(name)));
      if (!stats) return undefined;
      return {
        kind: stats.isSymbolicLink() ? 'symbolic link' : pathKindOf(stats),
        signature: `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.mode}`,
      };
    },
    // Never through a link: a run file in the folder is the extension's own plain file.
    read: (name, maxBytes) => readRegularFile(nodeFileSystem, at(name), maxBytes, { noFollow: true }),
    create: () => nodeFileSystem.mkdirp(dir),
    write: (name, bytes) => nodeFileSystem.writeFile(at(name), bytes),
    rename: (from, to) => nodeFileSystem.rename(at(from), at(to)),
    remove: (name) => nodeFileSystem.remove(at(name)),
    refuseClear: async () => {
      // The folders below the workspace folder: .dnnlab/runs and .dnnlab. The workspace folder itself may sit under
      // a link (a home folder on another disk); that is the user's layout, not something a run history made.
      const folders = [dir, ...(dir.endsWith(RUNS_FOLDER) ? [path.dirname(dir)] : [])];
      for (const folder of folders) {
        const stats = await fs.lstat(folder).catch(() => undefined);
        if (!stats?.isSymbolicLink()) continue;
        const target = await fs.readlink(folder).catch(() => '?');
        return (
          `${folder} is a symbolic link (to ${target}); DNN Lab does not clear run history through a link, so no file there was deleted. ` +
          `Delete the runs you no longer want from that folder yourself, or replace the link with a plain folder.`
        );
      }
      return undefined;
    },
  };
}
