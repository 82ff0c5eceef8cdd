// One store of run records over one runs folder, whatever file system holds it: node:fs for lab files on disk, the
// CLI and the tests (nodeRunFolder.ts), vscode.workspace.fs for virtual folders and the browser
// (src/host/runStore.ts). The checks a run file passes, the atomic save, what is remembered of each file and why a
// run did not load are written here once. No Node or VS Code imports.
import { describeFileError } from '../data/errors';
import { kindInWords, type PathKind } from '../data/fileSystem';
import type { RegularFileRead } from '../data/regularFile';
import { errorText } from '../errorText';
import { checkRunRecord, isRunId, summarize, type RunRecord, type RunSummary } from './runRecord';
import type { LabConfig } from '../config/labConfig';
import type { LayerWeights } from '../train/metrics';
import { decodeWeights, encodeWeights, MAX_WEIGHTS_BYTES, runIdOfWeightsFile, weightsFileName } from './runWeights';

/**
 * The largest run file read. A 20-epoch Corelab 1 record (4,000 batch losses, 200 layer snapshots, 48 digits) is
 * 0.53 MB; 16 MB leaves thirty times that, and no list ever parses hundreds of megabytes to show one line.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** A run history operation refused, e.g. clearing a runs folder that is a symbolic link. The message says why and what to do. */
export class RunHistoryError extends Error {
  override readonly name = 'RunHistoryError';
}

/** What `clear` did: the runs it deleted, and the files it left alone (not run records DNN Lab wrote). */
export interface ClearResult {
  deleted: string[];
  kept: string[];
}

/** One entry of a runs folder as it is, never through a link. */
export interface RunFolderEntry {
  kind: PathKind | 'symbolic link';
  /** Changes whenever the file does (identity, size, modification time): an unchanged file is not read again. */
  signature: string;
}

/**
 * The files of one runs folder, by name, as the store needs them: a thin mapping onto node:fs or
 * vscode.workspace.fs. Names are plain file names inside the folder, never paths.
 */
export interface RunFolder {
  /** The folder as the user reads it: a path on disk, else a URI. */
  readonly dir: string;
  /** A file of the folder as the user reads it. */
  where(name: string): string;
  /** The names in the folder; undefined when there is no folder; rejects when it cannot be listed. */
  names(): Promise<string[] | undefined>;
  /** What `name` is (a link is reported as one, never followed); undefined when nothing is there. */
  entry(name: string): Promise<RunFolderEntry | undefined>;
  /** A regular file's bytes, at most `maxBytes` read and never through a link; never rejects. */
  read(name: string, maxBytes: number): Promise<RegularFileRead>;
  /** Creates the folder (and its parents) if needed. */
  create(): Promise<void>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Replaces `to` with `from` in one step. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes `name`; one already gone is not an error. */
  remove(name: string): Promise<void>;
  /** Why nothing may be deleted here (the folder, or one DNN Lab made above it, is a symbolic link), else undefined. */
  refuseClear(): Promise<string | undefined>;
}

/** The file name of a run: its id and `.json`. Anything else in the folder is not DNN Lab's and is never touched. */
export function runFileName(id: string): string {
  return `${id}.json`;
}

/** The run id a file name holds, or undefined when the name is not one DNN Lab gives a run file. */
export function runIdOfFile(name: string): string | undefined {
  const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : undefined;
  return isRunId(id) ? id : undefined;
}

/** The run record a file's text holds, checked by checkRunRecord, or what is wrong with it. */
export function runRecordOfText(text: string): { record: RunRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `not JSON (${errorText(err)})` };
  }
  const checked = checkRunRecord(value);
  if (!checked.ok) return { problem: `not a run record DNN Lab can show: ${checked.problem}` };
  return { record: checked.record };
}

/**
 * The record a bounded read of a run file found, or what is wrong without the file's name ("a FIFO (named pipe),
 * not a regular file; ...", "not a run record DNN Lab can show: epochs[0] must be an object, got null").
 */
export function runRecordOfRead(read: RegularFileRead): { record: RunRecord } | { problem: string } {
  if ('missing' in read) return { problem: 'does not exist' };
  if ('notAFile' in read) return { problem: notARunFile(read.notAFile) };
  if ('tooLarge' in read) return { problem: tooLarge(read.tooLarge) };
  if ('failed' in read) return { problem: describeFileError(read.failed) };
  return runRecordOfText(new TextDecoder().decode(read.bytes));
}

function notARunFile(kind: PathKind | 'symbolic link'): string {
  return `${kindInWords(kind)}, not a regular file; a run file is one`;
}

function tooLarge(bytes: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${mb(bytes)}, more than the ${mb(MAX_RECORD_BYTES)} a run record may be; move it out of the runs folder to keep it`;
}

/** What reading one run file found, remembered by its signature so an unchanged file is read (and reported) once. */
interface Known {
  signature: string;
  summary?: RunSummary;
  problem?: string;
}

// Shared by every store of the window (the session makes one per call), so listing again after each run re-reads
// only the files that changed, and a bad file is reported once rather than on every list.
const known = new Map<string, Known>();

/**
 * Run files saved atomically in one folder, newest first when listed. Reads only regular files named like a run,
 * at most MAX_RECORD_BYTES, that pass the record guard and hold the id their name says; a file that does not is
 * skipped and reported once (its name and what is wrong), and the others still list. Deletes only such files.
 */
export class RunFolderStore {
  readonly dir: string;

  constructor(
    protected readonly folder: RunFolder,
    protected readonly warn: (message: string) => void = () => {},
  ) {
    this.dir = folder.dir;
  }

  /** Writes the record to <id>.json through a temporary file and a rename, so a reader never sees half a file. */
  async save(record: RunRecord): Promise<void> {
    if (!isRunId(record.id))
      throw new RunHistoryError(`run id "${record.id}" is not one newRunId makes; not saving it in ${this.dir}`);
    await this.replace(runFileName(record.id), new TextEncoder().encode(JSON.stringify(record)));
  }

  /** Writes run `id`'s final weights beside its record (`<id>.weights.bin`, runWeights.ts), atomically; returns the file. */
  async saveWeights(id: string, weights: readonly LayerWeights[]): Promise<string> {
    if (!isRunId(id))
      throw new RunHistoryError(`run id "${id}" is not one newRunId makes; not saving its weights in ${this.dir}`);
    await this.replace(weightsFileName(id), encodeWeights(weights));
    return this.folder.where(weightsFileName(id));
  }

  /**
   * Run `id`'s weights, checked against its config (`inputs` pixels in), or why there are none to use: read only as
   * a regular file (never through a link), at most MAX_WEIGHTS_BYTES.
   */
  async loadWeights(
    id: string,
    config: Pick<LabConfig, 'layers'>,
    inputs: number,
  ): Promise<{ weights: LayerWeights[] } | { problem: string }> {
    if (!isRunId(id)) return { problem: `${JSON.stringify(String(id).slice(0, 80))} is not a run id` };
    const file = this.folder.where(weightsFileName(id));
    const read = await this.folder.read(weightsFileName(id), MAX_WEIGHTS_BYTES);
    if ('missing' in read) return { problem: `${file} does not exist` };
    if ('notAFile' in read) return { problem: `${file} is ${kindInWords(read.notAFile)}, not a regular file` };
    if ('tooLarge' in read)
      return { problem: `${file} is ${read.tooLarge} bytes, more than the ${MAX_WEIGHTS_BYTES} a weights file may be` };
    if ('failed' in read) return { problem: `${file}: ${describeFileError(read.failed)}` };
    const decoded = decodeWeights(read.bytes, config, inputs);
    return 'problem' in decoded ? { problem: `${file}: ${decoded.problem}` } : decoded;
  }

  /** Replaces `target` with `bytes` through a temporary file and a rename, so a reader never sees half a file. */
  private async replace(target: string, bytes: Uint8Array): Promise<void> {
    await this.folder.create();
    // Not a run file's name, so a list never reads it; unique, so two windows saving at once never share one.
    const temporary = `.${target}.${Date.now()}-${Math.random().toString(36).slice(2, 8)}.tmp`;
    try {
      await this.folder.write(temporary, bytes);
      await this.folder.rename(temporary, target);
    } catch (err) {
      await this.folder.remove(temporary).catch(() => undefined);
      throw err;
    }
  }

  /** The run with this id, or undefined when its file is missing or not a run record (with a warning, once). */
  async load(id: string): Promise<RunRecord | undefined> {
    if (!isRunId(id)) {
      this.warn(`ignored a request for run ${JSON.stringify(String(id).slice(0, 80))}: not a run id`);
      return undefined;
    }
    const read = await this.read(runFileName(id));
    return read && 'record' in read ? read.record : undefined;
  }

  /** Why `load(id)` found no run: what was wrong with its file when last read, or that there is no such file. */
  whyNotLoaded(id: string): string {
    if (!isRunId(id)) return `${JSON.stringify(String(id).slice(0, 80))} is not a run id`;
    const file = this.folder.where(runFileName(id));
    const problem = known.get(file)?.problem;
    return problem ? `${file}: ${problem}` : `${file} is no longer there (deleted or moved since the list was shown)`;
  }

  /** Every run that passes the guard, newest first. */
  async list(): Promise<RunRecord[]> {
    const records: RunRecord[] = [];
    for (const name of await this.runFileNames()) {
      const read = await this.read(name);
      if (read && 'record' in read) records.push(read.record);
    }
    return records.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Summaries of every run that passes the guard, newest first; files unchanged since the last call are not read again. */
  async summaries(): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    for (const name of await this.runFileNames()) {
      const read = await this.read(name, { summaryOnly: true });
      if (read) summaries.push('record' in read ? summarize(read.record) : read.summary);
    }
    return summaries.sort((a, b) => b.startedAt - a.startedAt);
  }

  /**
   * The runs `clear` would delete: regular files named `<run id>.json` holding that run's record. Throws a
   * RunHistoryError when the folder says nothing may be deleted there (a runs folder that is a symbolic link).
   */
  async clearable(): Promise<string[]> {
    const refused = await this.folder.refuseClear();
    if (refused) throw new RunHistoryError(refused);
    const ids: string[] = [];
    for (const name of await this.runFileNames()) {
      const read = await this.read(name, { summaryOnly: true });
      if (read) ids.push('record' in read ? read.record.id : read.summary.id);
    }
    return ids;
  }

  /**
   * Deletes the run records DNN Lab wrote here (see `clearable`) and their weights, and nothing else: other files,
   * folders, links and records that fail the guard stay.
   */
  async clear(only?: readonly string[]): Promise<ClearResult> {
    const clearable = await this.clearable();
    // Only the runs the user agreed to delete, when named: one saved since the question was asked stays.
    const ids = new Set(only ? clearable.filter((id) => only.includes(id)) : clearable);
    const names = await this.entryNames();
    const deleted: string[] = [];
    for (const id of ids) {
      // Checked again just before (read anew if it changed since): still a regular file holding this run's record,
      // never a link or another file put there since.
      if (!(await this.read(runFileName(id), { summaryOnly: true }))) continue;
      await this.folder.remove(runFileName(id));
      known.delete(this.folder.where(runFileName(id)));
      deleted.push(id);
      // Its weights (runWeights.ts) go with it, if they are a plain file DNN Lab wrote.
      if ((await this.folder.entry(weightsFileName(id)).catch(() => undefined))?.kind === 'file')
        await this.folder.remove(weightsFileName(id));
    }
    const kept = names.filter((n) => !deleted.includes(runIdOfFile(n) ?? runIdOfWeightsFile(n) ?? ''));
    return { deleted, kept };
  }

  private async entryNames(): Promise<string[]> {
    try {
      return (await this.folder.names()) ?? [];
    } catch (err) {
      this.warn(`could not list the runs folder ${this.dir}: ${errorText(err)}`);
      return [];
    }
  }

  private async runFileNames(): Promise<string[]> {
    return (await this.entryNames()).filter((name) => runIdOfFile(name) !== undefined);
  }

  /**
   * Reads one run file: a regular file (never through a link, never a FIFO or device), at most MAX_RECORD_BYTES,
   * whose record passes the guard and has the id its name says. `summaryOnly` answers from memory when the file
   * has not changed since it was last read. Undefined (reported once per version of the file) for anything else.
   */
  private async read(
    name: string,
    { summaryOnly = false } = {},
  ): Promise<{ record: RunRecord } | { summary: RunSummary } | undefined> {
    const file = this.folder.where(name);
    const before = await this.folder.entry(name).catch(() => undefined);
    if (!before) {
      known.delete(file);
      return undefined;
    }
    const remembered = known.get(file);
    if (remembered?.signature === before.signature) {
      if (remembered.problem !== undefined) return undefined;
      if (summaryOnly && remembered.summary) return { summary: remembered.summary };
    }
    const outcome = await this.readChecked(name, before);
    if ('problem' in outcome && remembered?.problem !== outcome.problem)
      this.warn(`skipped ${file}: ${outcome.problem}`);
    known.set(
      file,
      'problem' in outcome
        ? { signature: before.signature, problem: outcome.problem }
        : { signature: before.signature, summary: summarize(outcome.record) },
    );
    return 'record' in outcome ? outcome : undefined;
  }

  private async readChecked(
    name: string,
    before: RunFolderEntry,
  ): Promise<{ record: RunRecord } | { problem: string }> {
    if (before.kind !== 'file') return { problem: notARunFile(before.kind) };
    const outcome = runRecordOfRead(await this.folder.read(name, MAX_RECORD_BYTES));
    if ('problem' in outcome) return outcome;
    const id = runIdOfFile(name);
    if (outcome.record.id !== id)
      return { problem: `holds run ${JSON.stringify(outcome.record.id)}, not ${JSON.stringify(id)} as its name says` };
    return outcome;
  }
}
