import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RUN_RECORD_FORMAT, summarize, type RunRecord, type RunSummary } from './runRecord';

/** The folder runs are saved in, relative to the workspace folder. */
export const RUNS_FOLDER = path.join('.dnnlab', 'runs');

/** Run files saved atomically in one folder, newest first when listed. Plain Node: tested without VS Code. */
export class RunHistory {
  constructor(
    /** Absolute path of the runs folder, e.g. <workspace>/.dnnlab/runs. */
    readonly dir: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Writes the record to <id>.json through a temporary file and a rename, so a reader never sees half a file. */
  async save(record: RunRecord): Promise<void> {
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

  /** The run with this id, or undefined when its file is missing or unreadable (with a warning). */
  async load(id: string): Promise<RunRecord | undefined> {
    if (!/^[\w.-]+$/.test(id)) {
      this.warn(`ignored a request for run "${id}": not a run id`);
      return undefined;
    }
    return this.read(this.fileOf(id));
  }

  /** Every readable run, newest first. */
  async list(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.read(path.join(this.dir, n))));
    return records.filter((r): r is RunRecord => r !== undefined).sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Summaries of every readable run, newest first. */
  async summaries(): Promise<RunSummary[]> {
    return (await this.list()).map(summarize);
  }

  /** Deletes every run file. */
  async clear(): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => fs.rm(path.join(this.dir, n), { force: true })));
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private async read(file: string): Promise<RunRecord | undefined> {
    try {
      const record = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<RunRecord>;
      if (record.format !== RUN_RECORD_FORMAT || typeof record.id !== 'string' || !Array.isArray(record.epochs)) {
        this.warn(`skipped ${file}: not a run file of format ${RUN_RECORD_FORMAT}`);
        return undefined;
      }
      return record as RunRecord;
    } catch (err) {
      this.warn(`skipped ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}

/** A run id that sorts by time and names the config: "2026-11-26T15-40-02-123Z-corelab-1". */
export function newRunId(name: string, now: Date = new Date()): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${now.toISOString().replace(/[:.]/g, '-')}-${slug}`;
}
