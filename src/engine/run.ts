import { errorText } from './errorText';
import type { LabConfig } from './config/labConfig';
import { DataError, inEditorTerms, loadMnist, loadIdxFolder, type MnistData } from './data';
import { BackendError, chooseKernels, type BackendPreference, type KernelChoice } from './kernels/backend';
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
  /** Test images in each epoch's `run/predicted` sample; 0 or absent sends no predictions. */
  predictionSampleSize?: number;
  /** Send the final weights with `run/done` (TrainResult.weights), e.g. to keep them beside the run record. */
  keepWeights?: boolean;
}

/** Why a run failed, so the caller can show it in the right place ('config': a limit only the loaded data could show). */
export type RunErrorKind = 'backend' | 'data' | 'config' | 'diverged' | 'internal';

/** What a run reports as it goes, in order; every payload is plain data. */
export type RunEvent =
  /** The kernels were chosen (first event of every run); `skipped` says which preferred ones did not load. */
  | { type: 'run/backendChosen'; name: string; skipped: string[] }
  /** A piece of an MNIST download arrived. */
  | { type: 'data/progress'; file: string; receivedBytes: number; totalBytes: number }
  /** The data is in memory; training starts next. */
  | { type: 'data/loaded'; source: 'folder' | 'cache' | 'download'; dir: string; trainCount: number; testCount: number }
  /** A batch ended: its loss, and layer statistics every `batchStatsEvery` batches. */
  | { type: 'run/batchEnded'; metrics: BatchMetrics }
  /** An epoch ended and the test set was evaluated. */
  | { type: 'run/epochEnded'; metrics: EpochMetrics }
  /** The test-set predictions after an epoch (when `predictionSampleSize` asked for them). */
  | { type: 'run/predicted'; sample: PredictionSample }
  /** The run ended, completed or cancelled; the last event of a run that did not fail. */
  | { type: 'run/finished'; result: TrainResult }
  /** The run failed; the last event of a run that did. */
  | {
      type: 'run/failed';
      kind: RunErrorKind;
      message: string;
      epoch?: number;
      batch?: number;
      layer?: number;
      /** The config field a data error is about ("dataset.path"), so a host can show it on that line. */
      field?: string;
    };

/** MNIST as a run loaded it, and from where. */
export interface LoadedRunData {
  data: MnistData;
  source: 'folder' | 'cache' | 'download';
  dir: string;
}

/**
 * Where a run gets its kernels and its data. The defaults read files next to the bundle and on disk (a worker
 * thread); a Web Worker passes its own, built on the bytes the host sent it.
 */
export interface RunSources {
  chooseKernels(preference: BackendPreference, threads: number): Promise<KernelChoice>;
  loadData(request: RunRequest, emit: (event: RunEvent) => void): Promise<LoadedRunData>;
  /** Awaited between batches (see TrainOptions.betweenBatches): how a Web Worker lets a cancel message in. */
  betweenBatches?: () => Promise<void>;
}

/** The sources of a worker thread: every backend, MNIST from a folder, the cache or a download. */
export const diskRunSources: RunSources = {
  chooseKernels: (preference, threads) => chooseKernels(preference, threads || automaticThreads()),
  loadData,
};

/**
 * One training run from request to result: picks the kernels, loads the data, trains, and reports every
 * step through `emit`, ending with exactly one `run/finished` or `run/failed`. Never throws.
 */
export async function runTraining(
  request: RunRequest,
  emit: (event: RunEvent) => void,
  shouldStop: () => boolean,
  sources: RunSources = diskRunSources,
): Promise<void> {
  try {
    const { kernels, skipped } = await sources.chooseKernels(request.backend, request.threads ?? 0);
    emit({ type: 'run/backendChosen', name: kernels.name, skipped });
    const loaded = await sources.loadData(request, emit);
    emit({
      type: 'data/loaded',
      source: loaded.source,
      dir: loaded.dir,
      trainCount: loaded.data.train.count,
      testCount: loaded.data.test.count,
    });
    const data = loaded.data;
    const result = await train({
      config: request.config,
      data,
      kernels,
      batchStatsEvery: request.batchStatsEvery,
      shouldStop,
      betweenBatches: sources.betweenBatches,
      onBatchEnd: (metrics) => emit({ type: 'run/batchEnded', metrics }),
      onEpochEnd: (metrics) => emit({ type: 'run/epochEnded', metrics }),
      onPredictions: request.predictionSampleSize ? (sample) => emit({ type: 'run/predicted', sample }) : undefined,
      predictionSampleSize: request.predictionSampleSize,
      keepWeights: request.keepWeights,
    });
    emit({ type: 'run/finished', result });
  } catch (err) {
    emit(toRunError(err));
  }
}

async function loadData(request: RunRequest, emit: (event: RunEvent) => void): Promise<LoadedRunData> {
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
  return loaded;
}

function toRunError(err: unknown): Extract<RunEvent, { type: 'run/failed' }> {
  if (err instanceof TrainingDivergedError) {
    return {
      type: 'run/failed',
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
  const message = errorText(err);
  const field = err instanceof DataError ? err.field : undefined;
  return {
    type: 'run/failed',
    kind,
    // The runs of this module are the editor's (its training worker): a data error speaks of its setting, not of --data.
    message: kind === 'internal' ? `Internal error: ${message}` : kind === 'data' ? inEditorTerms(message) : message,
    ...(field && { field }),
  };
}
