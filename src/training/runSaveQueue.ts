import { errorText } from '../engine/errorText';
import type { RunRecord } from '../engine/record/runRecord';

/** Where a record is saved: the run history of its config's folder (a RunStore, or the engine's RunHistory). */
export interface RecordStore {
  readonly dir: string;
  save(record: RunRecord): Promise<void>;
}

/**
 * Saves run records without blocking the caller, one write at a time, so an epoch's save never lands after the
 * final one. A failed write is logged each time and told to the user once per run (a lab file's own folder may be
 * read-only), and training goes on. No VS Code: the session passes how to log and how to tell the user.
 */
export class RunSaveQueue {
  private saving = Promise.resolve();
  /** Runs whose record could not be written, told to the user once each. */
  private readonly unsaved = new Set<string>();

  constructor(
    private readonly log: (message: string) => void,
    /** Tells the user a run will be missing from the history; called once per run. */
    private readonly tellUser: (runId: string, dir: string, message: string) => void,
  ) {}

  /** Queues a save of `record`; resolves once it (and every save queued before it) was written or failed. */
  save(store: RecordStore, record: RunRecord): Promise<void> {
    // Each write serializes the record as it is when its turn comes, so a later write never holds older data.
    this.saving = this.saving.then(() =>
      store.save(record).catch((err: unknown) => {
        const message = errorText(err);
        this.log(`Could not save run ${record.id} to ${store.dir}: ${message}`);
        if (this.unsaved.has(record.id)) return;
        this.unsaved.add(record.id);
        this.tellUser(record.id, store.dir, message);
      }),
    );
    return this.saving;
  }
}
