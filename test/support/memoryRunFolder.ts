// A runs folder held in memory, implementing the engine's RunFolder the way workspaceRunFolder maps it onto
// vscode.workspace.fs (which needs VS Code to run): the store's contract test runs on it and on node:fs.
import type { RunFolder, RunFolderEntry } from '../../src/engine/record/runFolderStore';

interface MemoryFile {
  kind: RunFolderEntry['kind'];
  bytes: Uint8Array;
  version: number;
}

// Versions count across every folder of the test process: the store remembers files by where they are and their
// signature for the whole process (as it does for the window), so two folders must never give one file the same.
let version = 0;
let folders = 0;

/** A RunFolder in memory; `files` is open so a test can put odd entries there, `failRename` makes renames fail. */
export function memoryRunFolder(dir = `memfs:/w${++folders}/.dnnlab/runs`): RunFolder & {
  files: Map<string, MemoryFile>;
  put(name: string, content: string | Uint8Array, kind?: RunFolderEntry['kind']): void;
  failRename?: Error;
} {
  const files = new Map<string, MemoryFile>();
  let created = false;
  const folder = {
    files,
    failRename: undefined as Error | undefined,
    dir,
    put(name: string, content: string | Uint8Array, kind: RunFolderEntry['kind'] = 'file') {
      created = true;
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      files.set(name, { kind, bytes, version: ++version });
    },
    where: (name: string) => `${dir}/${name}`,
    names: () => Promise.resolve(created ? [...files.keys()] : undefined),
    entry: (name: string) => {
      const f = files.get(name);
      return Promise.resolve(f && { kind: f.kind, signature: `${f.version}:${f.bytes.length}` });
    },
    read: (name: string, maxBytes: number) => {
      const f = files.get(name);
      if (!f) return Promise.resolve({ missing: true as const });
      if (f.kind !== 'file') return Promise.resolve({ notAFile: f.kind });
      if (f.bytes.length > maxBytes) return Promise.resolve({ tooLarge: f.bytes.length });
      return Promise.resolve({ bytes: f.bytes.slice() });
    },
    create: () => {
      created = true;
      return Promise.resolve();
    },
    write: (name: string, bytes: Uint8Array) => {
      if (!created) return Promise.reject(new Error(`${dir} does not exist`));
      folder.put(name, bytes.slice());
      return Promise.resolve();
    },
    rename: (from: string, to: string) => {
      if (folder.failRename) return Promise.reject(folder.failRename);
      const f = files.get(from);
      if (!f) return Promise.reject(new Error(`${from} does not exist`));
      files.delete(from);
      files.set(to, { ...f, version: ++version });
      return Promise.resolve();
    },
    remove: (name: string) => {
      files.delete(name);
      return Promise.resolve();
    },
    refuseClear: () => Promise.resolve(undefined),
  };
  return folder;
}
