import type { LabConfig } from './config/labConfig';
import { DataError, loadMnist, loadIdxFolder, type MnistData } from './data';
import { BackendError, chooseKernels, type BackendPreference } from './kernels/backend';
import { automaticThreads } from './kernels/threads';
import { TrainingConfigError, TrainingDivergedError } from './train/errors';
import type { BatchMetrics, EpochMetrics, TrainResult } from './train/metrics';
import type { PredictionSample } from './train/predictions';
import { train } from './train/trainer';

/** Everything a training run needs, as plain data so it can cross into a worker thread. */
export interface RunRequest {
  /** A validated config; a `path` dataset must already be absolute. */
  config: LabConfig;
  /** The folder the user named for MNIST (flag, env var or setting), if any. */
  dataFolder?: string;
  /** Where downloaded MNIST is cached. */
  cacheDir: string;
  backend: BackendPreference;
  /** Threads for the kernels that can use them (DNN Lab's wasm products); 0 or absent: automaticThreads(). */
  threads?: number;
  /** Layer statistics every N batches as well as at epoch ends (0: epoch ends only). */
  batchStatsEvery?: number;
  /** MNIST mirrors to try, for tests; the published ones by default. */
  mirrors?: string[];
  /** Test images in each epoch's `run/predictions` sample; 0 or absent sends no predictions. */
  predictionSampleSize?: number;
}

/** Why a run failed, so the caller can show it in the right place ('config': a limit only the loaded data could show). */
export type RunErrorKind = 'backend' | 'data' | 'config' | 'diverged' | 'internal';

/** What a run reports as it goes; every payload is plain data. */
export type RunEvent =
  | { type: 'run/backend'; name: string; skipped: string[] }
  | { type: 'data/progress'; file: string; receivedBytes: number; totalBytes: number }
  | { type: 'data/loaded'; source: 'folder' | 'cache' | 'download'; dir: string; trainCount: number; testCount: number }
  | { type: 'run/batchEnded'; metrics: BatchMetrics }
  | { type: 'run/epochEnded'; metrics: EpochMetrics }
  | { type: 'run/predictions'; sample: PredictionSample }
  | { type: 'run/done'; result: TrainResult }
  | {
      type: 'run/error';
      kind: RunErrorKind;
      message: string;
      epoch?: number;
      batch?: number;
      layer?: number;
      /** The config field a data error is about ("dataset.path"), so a host can show it on that line. */
      field?: string;
    };

/**
 * One training run from request to result: picks the kernels, loads the data, trains, and reports every
 * step through `emit`, ending with exactly one `run/done` or `run/error`. Never throws.
 */
export async function runTraining(
  request: RunRequest,
  emit: (event: RunEvent) => void,
  shouldStop: () => boolean,
): Promise<void> {
  try {
    const { kernels, skipped } = await chooseKernels(request.backend, request.threads || automaticThreads());
    emit({ type: 'run/backend', name: kernels.name, skipped });
    const data = await loadData(request, emit);
    const result = await train({
      config: request.config,
      data,
      kernels,
      batchStatsEvery: request.batchStatsEvery,
      shouldStop,
      onBatchEnd: (metrics) => emit({ type: 'run/batchEnded', metrics }),
      onEpochEnd: (metrics) => emit({ type: 'run/epochEnded', metrics }),
      onPredictions: request.predictionSampleSize ? (sample) => emit({ type: 'run/predictions', sample }) : undefined,
      predictionSampleSize: request.predictionSampleSize,
    });
    emit({ type: 'run/done', result });
  } catch (err) {
    emit(toRunError(err));
  }
}

async function loadData(request: RunRequest, emit: (event: RunEvent) => void): Promise<MnistData> {
  const { dataset } = request.config;
  const loaded =
    dataset.kind === 'path'
      ? {
          data: await loadIdxFolder(dataset.path, { field: 'dataset.path' }),
          source: 'folder' as const,
          dir: dataset.path,
        }
      : await loadMnist({
          dataFolder: request.dataFolder,
          cacheDir: request.cacheDir,
          mirrors: request.mirrors,
          onProgress: (file, receivedBytes, totalBytes) =>
            emit({ type: 'data/progress', file, receivedBytes, totalBytes }),
        });
  emit({
    type: 'data/loaded',
    source: loaded.source,
    dir: loaded.dir,
    trainCount: loaded.data.train.count,
    testCount: loaded.data.test.count,
  });
  return loaded.data;
}

function toRunError(err: unknown): Extract<RunEvent, { type: 'run/error' }> {
  if (err instanceof TrainingDivergedError) {
    return {
      type: 'run/error',
      kind: 'diverged',
      message: err.message,
      epoch: err.epoch,
      batch: err.batch,
      layer: err.layer,
    };
  }
  const kind: RunErrorKind =
    err instanceof DataError
      ? 'data'
      : err instanceof BackendError
        ? 'backend'
        : err instanceof TrainingConfigError
          ? 'config'
          : 'internal';
  const message = err instanceof Error ? err.message : String(err);
  const field = err instanceof DataError ? err.field : undefined;
  return {
    type: 'run/error',
    kind,
    message: kind === 'internal' ? `Internal error: ${message}` : message,
    ...(field && { field }),
  };
}
