import { join } from 'node:path';
import type { LabConfig } from '../engine/config/labConfig';
import { defaultCacheDir } from '../engine/data';
import type { GradedOutcome } from '../engine/grading/verdict';
import type { BackendPreference } from '../engine/kernels/backend';
import type { EpochMetrics } from '../engine/train/metrics';
import { RunFailedError, startTraining } from '../worker/trainingClient';

/** How the autograder and `dnn-lab verify` train: which kernels, how many threads, which MNIST folder. */
export interface TrainingSetup {
  backend: BackendPreference;
  /** Kernel threads; undefined leaves the worker its default. */
  threads?: number;
  dataFolder: string | undefined;
  onEpoch?: (metrics: EpochMetrics) => void;
  /** performance.now() after which the run is stopped (within a batch); it then ends as cancelled. */
  deadline?: number;
}

/** Trains `config` in the training worker (dist/worker.js beside this bundle); a failed run is an outcome, never a throw. */
export async function trainOutcome(
  config: LabConfig,
  { backend, threads, dataFolder, onEpoch, deadline }: TrainingSetup,
): Promise<GradedOutcome> {
  const handle = startTraining(
    join(__dirname, 'worker.js'),
    { config, backend, threads, dataFolder, cacheDir: defaultCacheDir() },
    (event) => {
      if (event.type === 'run/epochEnded') onEpoch?.(event.metrics);
    },
  );
  const timer =
    deadline === undefined ? undefined : setTimeout(() => handle.cancel(), Math.max(0, deadline - performance.now()));
  try {
    return { kind: 'trained', result: await handle.done };
  } catch (err) {
    if (err instanceof RunFailedError)
      return { kind: 'failed', message: err.message, diverged: err.event.kind === 'diverged' };
    return { kind: 'failed', message: `Internal error: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
