import * as vscode from 'vscode';
import type { RunHistory } from '../engine/record/runHistory';
import {
  RunFolderStore,
  RunHistoryError,
  type ClearResult,
  type RunFolder,
  type RunFolderEntry,
} from '../engine/record/runFolderStore';
import type { RunRecord, RunSummary } from '../engine/record/runRecord';
import type { LabConfig } from '../engine/config/labConfig';
import type { LayerWeights } from '../engine/train/metrics';

/** The run history of one folder as the training session and panel use it, whatever file system holds it. */
export interface RunStore {
  /** Where the runs are kept, as the user reads it (a path on disk, else a URI). */
  readonly dir: string;
  /** Writes the record as `<id>.json`, replacing the previous version. */
  save(record: RunRecord): Promise<void>;
  /** The run with this id, or undefined when its file is missing or not a run record. */
  load(id: string): Promise<RunRecord | undefined>;
  /** Why `load(id)` found no run. */
  whyNotLoaded(id: string): string;
  /** Writes run `id`'s final weights beside its record; resolves to the file as the user reads it. */
  saveWeights(id: string, weights: readonly LayerWeights[]): Promise<string>;
  /** Run `id`'s weights, checked against its config, or why there are none to use. */
  loadWeights(
    id: string,
    config: Pick<LabConfig, 'layers'>,
    inputs: number,
  ): Promise<{ weights: LayerWeights[] } | { problem: string }>;
  /** Summaries of every readable run, newest first. */
  summaries(): Promise<RunSummary[]>;
  /** The ids `clear` would delete. */
  clearable(): Promise<string[]>;
  /** Deletes the run records DNN Lab wrote (only those named, when `only` is given) and nothing else. */
  clear(only?: readonly string[]): Promise<ClearResult>;
  /** The lab file Rerun may open for `record`; a RunHistoryError saying why not otherwise. */
  labFileOf(record: Pick<RunRecord, 'id' | 'documentUri'>): vscode.Uri;
}

/** A RunStore over the engine's RunHistory (node:fs), for lab files on disk. */
export function diskRunStore(history: RunHistory): RunStore {
  return {
    dir: history.dir,
    save: (record) => history.save(record),
    load: (id) => history.load(id),
    whyNotLoaded: (id) => history.whyNotLoaded(id),
    saveWeights: (id, weights) => history.saveWeights(id, weights),
    loadWeights: (id, config, inputs) => history.loadWeights(id, config, inputs),
    summaries: () => history.summaries(),
    clearable: () => history.clearable(),
    clear: (only) => history.clear(only),
    labFileOf: (record) => vscode.Uri.file(history.labFileOf(record)),
  };
}

/**
 * A runs folder reached through `vscode.workspace.fs`, as the engine's store needs it: each member one
 * `workspace.fs` call (a link is seen through the stat's SymbolicLink bit; reads are bounded by the stat's size).
 */
export function workspaceRunFolder(folder: vscode.Uri): RunFolder {
  const at = (name: string) => vscode.Uri.joinPath(folder, name);
  const stat = (uri: vscode.Uri) =>
    vscode.workspace.fs.stat(uri).then(
      (s) => s,
      () => undefined,
    );
  return {
    dir: folder.scheme === 'file' ? folder.fsPath : folder.toString(true),
    where: (name) => at(name).toString(true),
    names: async () => {
      try {
        return (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name);
      } catch (err) {
        if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
        throw err;
      }
    },
    entry: async (name) => {
      const s = await stat(at(name));
      return s && { kind: kindOf(s.type), signature: `${s.type}:${s.size}:${s.mtime}` };
    },
    read: async (name, maxBytes) => {
      const s = await stat(at(name));
      if (!s) return { missing: true };
      if (kindOf(s.type) !== 'file') return { notAFile: kindOf(s.type) };
      if (s.size > maxBytes) return { tooLarge: s.size };
      try {
        const bytes = await vscode.workspace.fs.readFile(at(name));
        return bytes.length > maxBytes ? { tooLarge: bytes.length } : { bytes };
      } catch (err) {
        return { failed: err };
      }
    },
    create: () => Promise.resolve(vscode.workspace.fs.createDirectory(folder)),
    write: (name, bytes) => Promise.resolve(vscode.workspace.fs.writeFile(at(name), bytes)),
    rename: (from, to) => Promise.resolve(vscode.workspace.fs.rename(at(from), at(to), { overwrite: true })),
    remove: async (name) => {
      if (await stat(at(name))) await vscode.workspace.fs.delete(at(name));
    },
    // workspace.fs names no link targets, and a virtual folder or the extension's storage is DNN Lab's own.
    refuseClear: () => Promise.resolve(undefined),
  };
}

function kindOf(type: vscode.FileType): RunFolderEntry['kind'] {
  if (type & vscode.FileType.SymbolicLink) return 'symbolic link';
  if (type === vscode.FileType.File) return 'file';
  if (type === vscode.FileType.Directory) return 'folder';
  return 'special file';
}

/**
 * Run files in a folder reached through `vscode.workspace.fs`: a virtual workspace (github.dev's repository, a
 * GitHub Repositories folder on the desktop), or the extension's storage in the browser. The engine's one store
 * (RunFolderStore: the same files and checks as RunHistory on disk) over workspaceRunFolder, plus the lab file
 * Rerun may open, as a URI.
 */
export class WorkspaceRunStore extends RunFolderStore implements RunStore {
  constructor(
    /** The runs folder, e.g. <workspace folder>/.dnnlab/runs. */
    readonly uri: vscode.Uri,
    /** The folder whose lab files these runs belong to (Rerun opens only lab files inside it). */
    private readonly base: vscode.Uri,
    warn: (message: string) => void = () => {},
  ) {
    super(workspaceRunFolder(uri), warn);
  }

  labFileOf(record: Pick<RunRecord, 'id' | 'documentUri'>): vscode.Uri {
    const refuse = (why: string) =>
      new RunHistoryError(
        `Run ${record.id} cannot be rerun: its config ${JSON.stringify(record.documentUri.slice(0, 200))} ${why}. Open the lab file and run it from there.`,
      );
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(record.documentUri, true);
    } catch {
      throw refuse('is not a valid URI');
    }
    if (!uri.path.endsWith('.dnn.json')) throw refuse('is not a lab file (*.dnn.json)');
    const basePath = this.base.path.endsWith('/') ? this.base.path : `${this.base.path}/`;
    const inside =
      uri.scheme === this.base.scheme &&
      uri.authority === this.base.authority &&
      uri.path.startsWith(basePath) &&
      !uri.path.split('/').includes('..');
    if (!inside) throw refuse(`is outside ${this.base.toString(true)}, the folder these runs belong to`);
    return uri;
  }
}

/**
 * The runs folder of a lab file reached through `vscode.workspace.fs`: `.dnnlab/runs` of its workspace folder (else
 * the window's first one), or, where that file system cannot be written (a read-only virtual folder) or there is no
 * folder, `runs/<folder name>` in the extension's global storage.
 */
export function workspaceRunStore(
  documentUri: vscode.Uri | undefined,
  globalStorageUri: vscode.Uri,
  warn: (message: string) => void,
): WorkspaceRunStore {
  const folder =
    (documentUri && vscode.workspace.getWorkspaceFolder(documentUri)?.uri) ??
    vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder && vscode.workspace.fs.isWritableFileSystem(folder.scheme) !== false)
    return new WorkspaceRunStore(vscode.Uri.joinPath(folder, '.dnnlab', 'runs'), folder, warn);
  const name = (folder?.path.split('/').filter(Boolean).pop() ?? 'no-folder').replace(/[^A-Za-z0-9._-]+/g, '-');
  return new WorkspaceRunStore(vscode.Uri.joinPath(globalStorageUri, 'runs', name), folder ?? globalStorageUri, warn);
}
