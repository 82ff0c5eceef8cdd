import type { LabConfig } from '../config/labConfig';
import { loadIdxFolder, loadMnist, type BatchBuffers, type MnistData } from '../data';
import { BackendError, chooseKernels, type BackendPreference, type KernelChoice } from '../kernels/backend';
import { JsKernels } from '../kernels/jsKernels';
import type { Kernels } from '../kernels/kernels';
import { probeGradients } from './gradientProbe';
import type { ProbeResult } from './layerSignal';
import { probeBatch } from './probeBatch';

/** What one probe needs, as plain data so it can cross into the probe worker. */
export interface ProbeRequest {
  /** A validated config; a `path` dataset must already be absolute. */
  config: LabConfig;
  /** The folder the user named for MNIST (setting or env var), if any. */
  dataFolder?: string;
  /** Where downloaded MNIST is cached. */
  cacheDir: string;
  backend: BackendPreference;
}

/** Where a probe gets its kernels and data: from disk in a worker thread, from the host's bytes in a Web Worker. */
export interface ProbeSources {
  chooseKernels(preference: BackendPreference): Promise<KernelChoice>;
  /** MNIST for a request (its config's `path` folder, else the user's folder or the cache). */
  loadData(request: ProbeRequest): Promise<MnistData>;
  /** What the batch cache keys a request's data by: requests with the same key share one batch. */
  dataKey(request: ProbeRequest): string;
}

/** The sources of a worker thread: every backend, MNIST from a folder or the cache. */
export const diskProbeSources: ProbeSources = {
  chooseKernels: (preference) => chooseKernels(preference),
  loadData: (request) =>
    request.config.dataset.kind === 'path'
      ? loadIdxFolder(request.config.dataset.path, { field: 'dataset.path' })
      : loadMnist({ dataFolder: request.dataFolder, cacheDir: request.cacheDir }).then((loaded) => loaded.data),
  dataKey: (request) =>
    request.config.dataset.kind === 'path'
      ? `path:${request.config.dataset.path}`
      : `mnist:${request.dataFolder ?? ''}:${request.cacheDir}`,
};

/**
 * Probes one config after another while keeping what is slow to make: the fixed batch of each data folder
 * (MNIST is read once) and the kernels (tfjs/wasm stays warm). Falls back to the float64 JavaScript kernels
 * when the backend asked for does not load, and says so through `log`.
 */
export class ProbeSession {
  private readonly batches = new Map<string, Promise<BatchBuffers>>();
  private kernels?: { preference: BackendPreference; kernels: Promise<Kernels> };

  constructor(
    private readonly log: (message: string) => void = () => {},
    private readonly sources: ProbeSources = diskProbeSources,
  ) {}

  /** One forward and backward pass of the request's config on the fixed batch of its data. */
  async run(request: ProbeRequest): Promise<ProbeResult> {
    const [kernels, batch] = await Promise.all([this.kernelsFor(request.backend), this.batchFor(request)]);
    return probeGradients(kernels, request.config, batch);
  }

  private batchFor(request: ProbeRequest): Promise<BatchBuffers> {
    const key = this.sources.dataKey(request);
    let batch = this.batches.get(key);
    if (batch === undefined) {
      batch = this.sources.loadData(request).then((data) => probeBatch(data.train));
      this.batches.set(key, batch);
      // A failed load is not cached: the student may fix the folder and the next probe should try again.
      batch.catch(() => this.batches.delete(key));
    }
    return batch;
  }

  private kernelsFor(preference: BackendPreference): Promise<Kernels> {
    if (this.kernels?.preference !== preference) {
      const kernels = this.sources.chooseKernels(preference).then(
        (choice) => {
          this.log(
            `probe kernels: ${choice.kernels.name}${choice.skipped.length > 0 ? ` (skipped ${choice.skipped.join('; ')})` : ''}`,
          );
          return choice.kernels;
        },
        (err: unknown) => {
          if (!(err instanceof BackendError)) throw err;
          this.log(`${err.message} The probe uses the float64 JavaScript kernels instead.`);
          return new JsKernels();
        },
      );
      this.kernels = { preference, kernels };
    }
    return this.kernels.kernels;
  }
}
