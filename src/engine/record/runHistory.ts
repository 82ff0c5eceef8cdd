import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeFileError } from '../data/errors';
import { kindInWords, nodeFileSystem, pathKindOf, type ReadOptions } from '../data/fileSystem';
import { readRegularFile } from '../data/regularFile';
import { checkRunRecord, isRunId, summarize, type RunRecord, type RunSummary } from './runRecord';
import { runIdOfWeightsFile, weightsFileName } from './runWeights';
import { errorText } from '../errorText';

/** The folder runs are saved in, relative to the workspace folder. */
export const RUNS_FOLDER = path.join('.dnnlab', 'runs');

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

/** What reading one run file found, remembered by file identity so an unchanged file is read (and reported) once. */
interface Known {
  signature: string;
  summary?: RunSummary;
  problem?: string;
}

// Shared by every RunHistory of the window (the session makes one per call), so listing again after each run
// re-reads only the files that changed, and a bad file is reported once rather than on every list.
const known = new Map<string, Known>();

/** The file name of a run: its id and `.json`. Anything else in the folder is not DNN Lab's and is never touched. */
export function runFileName(id: string): string {
  return `${id}.json`;
}

/** The run id a file name holds, or undefined when the name is not one DNN Lab gives a run file. */
export function runIdOfFile(name: string): string | undefined {
  const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : undefined;
  return isRunId(id) ? id : undefined;
}

/**
 * Run files saved atomically in one folder, newest first when listed. Reads only regular files named like a run,
 * at most MAX_RECORD_BYTES, that pass the record guard; a file that does not is skipped and reported once (its
 * name and what is wrong), and the others still list. Plain Node: tested without VS Code.
 */
export class RunHistory {
  constructor(
    /** Absolute path of the runs folder, e.g. <workspace>/.dnnlab/runs. */
    readonly dir: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Writes the record to <id>.json through a temporary file and a rename, so a reader never sees half a file. */
  async save(record: RunRecord): Promise<void> {
    if (!isRunId(record.id))
      throw new RunHistoryError(`run id "${record.id}" is not one newRunId makes; not saving it in ${this.dir}`);
    await fs.mkdir(this.dir, { recursive: true });
    const target = this.fileOf(record.id);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      await fs.writeFile(temporary, JSON.stringify(record));
      await fs.rename(temporary, target);
    } catch (err) {
      await fs.rm(temporary, { force: true });
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
    const file = this.fileOf(id);
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
   * RunHistoryError when the runs folder (or the .dnnlab folder above it) is a symbolic link.
   */
  async clearable(): Promise<string[]> {
    await this.refuseLinkedFolder();
    const ids: string[] = [];
    for (const name of await this.runFileNames()) {
      const read = await this.read(name, { summaryOnly: true });
      if (read) ids.push('record' in read ? read.record.id : read.summary.id);
    }
    return ids;
  }

  /**
   * Deletes the run records DNN Lab wrote here (see `clearable`) and nothing else: other files, folders, links and
   * records that fail the guard stay. Refuses (RunHistoryError) a runs folder that is a symbolic link, so a link to
   * another folder never gets that folder's files deleted.
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
      await fs.rm(this.fileOf(id), { force: true });
      known.delete(this.fileOf(id));
      deleted.push(id);
      // Its weights (runWeights.ts) go with it, if they are a plain file DNN Lab wrote.
      const weights = path.join(this.dir, weightsFileName(id));
      if ((await fs.lstat(weights).catch(() => undefined))?.isFile()) await fs.rm(weights, { force: true });
    }
    const kept = names.filter((n) => !deleted.includes(runIdOfFile(n) ?? runIdOfWeightsFile(n) ?? ''));
    return { deleted, kept };
  }

  /**
   * The lab file Rerun may open for `record`: the path of its documentUri when that is a `file:` URI of a
   * `*.dnn.json` inside the folder that holds this runs folder (the run's workspace folder, or the lab file's own
   * folder when it was in none). Anything else, e.g. a record edited to point at another file, is a RunHistoryError
   * saying why.
   */
  labFileOf(record: Pick<RunRecord, 'id' | 'documentUri'>): string {
    const base = this.dir.endsWith(RUNS_FOLDER) ? path.dirname(path.dirname(this.dir)) : path.dirname(this.dir);
    const refuse = (why: string) =>
      new RunHistoryError(
        `Run ${record.id} cannot be rerun: its config ${JSON.stringify(record.documentUri.slice(0, 200))} ${why}. Open the lab file and run it from there.`,
      );
    let file: string;
    try {
      const url = new URL(record.documentUri);
      if (url.protocol !== 'file:') throw refuse(`is not a file on disk (it was an unsaved or virtual document)`);
      file = path.resolve(fileURLToPath(url));
    } catch (err) {
      if (err instanceof RunHistoryError) throw err;
      throw refuse('is not a valid file URI');
    }
    if (!file.endsWith('.dnn.json')) throw refuse('is not a lab file (*.dnn.json)');
    const inside = path.relative(base, file);
    if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside))
      throw refuse(`is outside ${base}, the folder these runs belong to`);
    return file;
  }

  private fileOf(id: string): string {
    return path.join(this.dir, runFileName(id));
  }

  private async refuseLinkedFolder(): Promise<void> {
    // The folders below the workspace folder: .dnnlab/runs and .dnnlab. The workspace folder itself may sit under a
    // link (a home folder on another disk); that is the user's layout, not something a run history made.
    const folders = [this.dir, ...(this.dir.endsWith(RUNS_FOLDER) ? [path.dirname(this.dir)] : [])];
    for (const folder of folders) {
      const stats = await fs.lstat(folder).catch(() => undefined);
      if (stats?.isSymbolicLink()) {
        const target = await fs.readlink(folder).catch(() => '?');
        throw new RunHistoryError(
          `${folder} is a symbolic link (to ${target}); DNN Lab does not clear run history through a link, so no file there was deleted. ` +
            `Delete the runs you no longer want from that folder yourself, or replace the link with a plain folder.`,
        );
      }
    }
  }

  private async entryNames(): Promise<string[]> {
    try {
      return await fs.readdir(this.dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.warn(`could not list the runs folder ${this.dir}: ${errorText(err)}`);
      return [];
    }
  }

  private async runFileNames(): Promise<string[]> {
    return (await this.entryNames()).filter((name) => runIdOfFile(name) !== undefined);
  }

  private async lstat(name: string): Promise<Stats | undefined> {
    return fs.lstat(path.join(this.dir, name)).catch(() => undefined);
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
    const file = path.join(this.dir, name);
    const before = await this.lstat(name);
    if (!before) {
      known.delete(file);
      return undefined;
    }
    const signature = `${before.ino}:${before.size}:${before.mtimeMs}:${before.mode}`;
    const remembered = known.get(file);
    if (remembered?.signature === signature) {
      if (remembered.problem !== undefined) return undefined;
      if (summaryOnly && remembered.summary) return { summary: remembered.summary };
    }
    const outcome = await this.readChecked(file, name, before);
    const entry: Known =
      'problem' in outcome
        ? { signature, problem: outcome.problem }
        : { signature, summary: summarize(outcome.record) };
    if ('problem' in outcome && remembered?.problem !== outcome.problem)
      this.warn(`skipped ${file}: ${outcome.problem}`);
    known.set(file, entry);
    return 'record' in outcome ? outcome : undefined;
  }

  private async readChecked(
    file: string,
    name: string,
    before: Stats,
  ): Promise<{ record: RunRecord } | { problem: string }> {
    if (!before.isFile())
      return { problem: notARunFile(before.isSymbolicLink() ? 'a symbolic link' : kindInWords(pathKindOf(before))) };
    // Never through a link: a run file in the folder is the extension's own plain file.
    const outcome = await readRunRecordFile(file, { noFollow: true });
    if ('problem' in outcome) return outcome;
    const id = runIdOfFile(name);
    if (outcome.record.id !== id)
      return { problem: `holds run ${JSON.stringify(outcome.record.id)}, not ${JSON.stringify(id)} as its name says` };
    return outcome;
  }
}

/**
 * The one reader of a run record file, for the run history and for `dnn-lab export` and `verify`: a regular file
 * only (never a FIFO or device, and with `noFollow` never a link), at most MAX_RECORD_BYTES read, whose JSON passes
 * checkRunRecord. A problem says what is wrong without the file's name ("a FIFO (named pipe), not a regular file;
 * ...", "not a run record DNN Lab can show: epochs[0] must be an object, got null"); never throws.
 */
export async function readRunRecordFile(
  file: string,
  options: ReadOptions = {},
): Promise<{ record: RunRecord } | { problem: string }> {
  const read = await readRegularFile(nodeFileSystem, file, MAX_RECORD_BYTES, options);
  if ('missing' in read) return { problem: 'does not exist' };
  if ('notAFile' in read) return { problem: notARunFile(kindInWords(read.notAFile)) };
  if ('tooLarge' in read) return { problem: tooLarge(read.tooLarge) };
  if ('failed' in read) return { problem: describeFileError(read.failed) };
  return runRecordOfText(new TextDecoder().decode(read.bytes));
}

/** The run record a file's text holds, checked by checkRunRecord, or what is wrong with it (see readRunRecordFile). */
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

function notARunFile(what: string): string {
  return `${what}, not a regular file; a run file is one`;
}

function tooLarge(bytes: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${mb(bytes)}, more than the ${mb(MAX_RECORD_BYTES)} a run record may be; move it out of the runs folder to keep it`;
}

/** A run id that sorts by time and names the config: "2026-11-26T15-40-02-123Z-corelab-1". */
export function newRunId(name: string, now: Date = new Date()): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'run';
  return `${now.toISOString().replace(/[:.]/g, '-')}-${slug}`;
}
