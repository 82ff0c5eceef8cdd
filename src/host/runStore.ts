import * as vscode from 'vscode';
import {
  MAX_RECORD_BYTES,
  RunHistoryError,
  runFileName,
  runIdOfFile,
  runRecordOfText,
  type ClearResult,
  type RunHistory,
} from '../engine/record/runHistory';
import { isRunId, summarize, type RunRecord, type RunSummary } from '../engine/record/runRecord';

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
    summaries: () => history.summaries(),
    clearable: () => history.clearable(),
    clear: (only) => history.clear(only),
    labFileOf: (record) => vscode.Uri.file(history.labFileOf(record)),
  };
}

/** What reading one run file found, remembered by its mtime and size so an unchanged file is read (and reported) once. */
interface Known {
  signature: string;
  summary?: RunSummary;
  problem?: string;
}
const known = new Map<string, Known>();

/**
 * Run files in a folder reached through `vscode.workspace.fs`: a virtual workspace (github.dev's repository, a
 * GitHub Repositories folder on the desktop), or the extension's storage in the browser. Same files and the same
 * checks as RunHistory: only `<run id>.json` regular files of at most MAX_RECORD_BYTES whose record passes the
 * guard and has the id its name says; anything else is skipped, reported once, and never deleted.
 */
export class WorkspaceRunStore implements RunStore {
  readonly dir: string;

  constructor(
    /** The runs folder, e.g. <workspace folder>/.dnnlab/runs. */
    readonly folder: vscode.Uri,
    /** The folder whose lab files these runs belong to (Rerun opens only lab files inside it). */
    private readonly base: vscode.Uri,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.dir = folder.scheme === 'file' ? folder.fsPath : folder.toString(true);
  }

  async save(record: RunRecord): Promise<void> {
    if (!isRunId(record.id))
      throw new RunHistoryError(`run id "${record.id}" is not one newRunId makes; not saving it in ${this.dir}`);
    await vscode.workspace.fs.createDirectory(this.folder);
    const target = this.fileOf(record.id);
    const temporary = vscode.Uri.joinPath(this.folder, `.${runFileName(record.id)}.${Date.now()}.tmp`);
    // Through a temporary file and a rename, so a reader never sees half a record.
    await vscode.workspace.fs.writeFile(temporary, new TextEncoder().encode(JSON.stringify(record)));
    try {
      await vscode.workspace.fs.rename(temporary, target, { overwrite: true });
    } catch (err) {
      await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
      throw err;
    }
  }

  async load(id: string): Promise<RunRecord | undefined> {
    if (!isRunId(id)) {
      this.warn(`ignored a request for run ${JSON.stringify(String(id).slice(0, 80))}: not a run id`);
      return undefined;
    }
    const read = await this.read(runFileName(id));
    return read && 'record' in read ? read.record : undefined;
  }

  whyNotLoaded(id: string): string {
    if (!isRunId(id)) return `${JSON.stringify(String(id).slice(0, 80))} is not a run id`;
    const file = this.fileOf(id).toString(true);
    const problem = known.get(file)?.problem;
    return problem ? `${file}: ${problem}` : `${file} is no longer there (deleted or moved since the list was shown)`;
  }

  async summaries(): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    for (const name of await this.runFileNames()) {
      const read = await this.read(name, { summaryOnly: true });
      if (read) summaries.push('record' in read ? summarize(read.record) : read.summary);
    }
    return summaries.sort((a, b) => b.startedAt - a.startedAt);
  }

  async clearable(): Promise<string[]> {
    const ids: string[] = [];
    for (const name of await this.runFileNames()) {
      const read = await this.read(name, { summaryOnly: true });
      if (read) ids.push('record' in read ? read.record.id : read.summary.id);
    }
    return ids;
  }

  async clear(only?: readonly string[]): Promise<ClearResult> {
    const clearable = await this.clearable();
    const ids = only ? clearable.filter((id) => only.includes(id)) : clearable;
    const names = (await this.entries()).map(([name]) => name);
    const deleted: string[] = [];
    for (const id of ids) {
      // Checked again just before: still a run file holding this run's record.
      if (!(await this.read(runFileName(id), { summaryOnly: true }))) continue;
      await vscode.workspace.fs.delete(this.fileOf(id));
      known.delete(this.fileOf(id).toString(true));
      deleted.push(id);
    }
    return { deleted, kept: names.filter((n) => !deleted.includes(runIdOfFile(n) ?? '')) };
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

  private fileOf(id: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, runFileName(id));
  }

  private async entries(): Promise<[string, vscode.FileType][]> {
    try {
      return await vscode.workspace.fs.readDirectory(this.folder);
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound'))
        this.warn(`could not list the runs folder ${this.dir}: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  private async runFileNames(): Promise<string[]> {
    return (await this.entries()).map(([name]) => name).filter((name) => runIdOfFile(name) !== undefined);
  }

  private async read(
    name: string,
    { summaryOnly = false } = {},
  ): Promise<{ record: RunRecord } | { summary: RunSummary } | undefined> {
    const uri = vscode.Uri.joinPath(this.folder, name);
    const file = uri.toString(true);
    const stat = await vscode.workspace.fs.stat(uri).then(
      (s) => s,
      () => undefined,
    );
    if (!stat) {
      known.delete(file);
      return undefined;
    }
    const signature = `${stat.type}:${stat.size}:${stat.mtime}`;
    const remembered = known.get(file);
    if (remembered?.signature === signature) {
      if (remembered.problem !== undefined) return undefined;
      if (summaryOnly && remembered.summary) return { summary: remembered.summary };
    }
    const outcome = await this.readChecked(uri, name, stat);
    if ('problem' in outcome && remembered?.problem !== outcome.problem)
      this.warn(`skipped ${file}: ${outcome.problem}`);
    known.set(
      file,
      'problem' in outcome
        ? { signature, problem: outcome.problem }
        : { signature, summary: summarize(outcome.record) },
    );
    return 'record' in outcome ? outcome : undefined;
  }

  private async readChecked(
    uri: vscode.Uri,
    name: string,
    stat: vscode.FileStat,
  ): Promise<{ record: RunRecord } | { problem: string }> {
    if (stat.type & vscode.FileType.SymbolicLink)
      return { problem: 'a symbolic link, not a regular file; a run file is one' };
    if (stat.type !== vscode.FileType.File) return { problem: 'not a regular file; a run file is one' };
    if (stat.size > MAX_RECORD_BYTES)
      return {
        problem: `${(stat.size / 2 ** 20).toFixed(1)} MB, more than the ${(MAX_RECORD_BYTES / 2 ** 20).toFixed(1)} MB a run record may be; move it out of the runs folder to keep it`,
      };
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (err) {
      return { problem: `could not be read (${err instanceof Error ? err.message : String(err)})` };
    }
    const outcome = runRecordOfText(new TextDecoder().decode(bytes));
    if ('problem' in outcome) return outcome;
    const id = runIdOfFile(name);
    if (outcome.record.id !== id)
      return { problem: `holds run ${JSON.stringify(outcome.record.id)}, not ${JSON.stringify(id)} as its name says` };
    return outcome;
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
