import type { TrainResult } from '../engine/train/metrics';
import type { RunEvent } from '../engine/run';

/** A training run in its own worker (a worker thread, or a Web Worker in the browser), seen from the host. */
export interface TrainingHandle {
  /** Resolves with the result (completed or cancelled); rejects with the run's error message. */
  readonly done: Promise<TrainResult>;
  /** Asks the run to stop; it ends within a batch and `done` resolves as cancelled. */
  cancel(): void;
}

/** Thrown by `done` when the run failed; `event` says where (epoch, batch, layer) for divergence. */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';

  constructor(readonly event: Extract<RunEvent, { type: 'run/failed' }>) {
    super(event.message);
  }
}
