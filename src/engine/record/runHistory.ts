import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFileSystem, type ReadOptions } from '../data/fileSystem';
import { readRegularFile } from '../data/regularFile';
import { nodeRunFolder, RUNS_FOLDER } from './nodeRunFolder';
import type { RunRecord } from './runRecord';
import { MAX_RECORD_BYTES, RunFolderStore, RunHistoryError, runRecordOfRead } from './runFolderStore';

export { RUNS_FOLDER } from './nodeRunFolder';
export {
  MAX_RECORD_BYTES,
  RunHistoryError,
  runFileName,
  runIdOfFile,
  runRecordOfText,
  type ClearResult,
} from './runFolderStore';

/**
 * The run history of a folder on disk: the one store (RunFolderStore) over node:fs, plus what only a folder on disk
 * can answer, the lab file Rerun may open. Plain Node: tested without VS Code.
 */
export class RunHistory extends RunFolderStore {
  constructor(
    /** Absolute path of the runs folder, e.g. <workspace>/.dnnlab/runs. */
    dir: string,
    warn: (message: string) => void = () => {},
  ) {
    super(nodeRunFolder(dir), warn);
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
  return runRecordOfRead(await readRegularFile(nodeFileSystem, file, MAX_RECORD_BYTES, options));
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
