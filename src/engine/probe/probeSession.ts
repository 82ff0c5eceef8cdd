import type { LabConfig } from '../config/labConfig';
import { loadIdxFolder, loadMnist, type BatchBuffers } from '../data';
import { BackendError, chooseKernels, type BackendPreference } from '../kernels/backend';
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

/**
 * Probes one config after another while keeping what is slow to make: the fixed batch of each data folder
 * (MNIST is read once) and the kernels (tfjs/wasm stays warm). Falls back to the float64 JavaScript kernels
 * when the backend asked for does not load, and says so through `log`.
 */
export class ProbeSession {
  private readonly batches = new Map<string, Promise<BatchBuffers>>();
  private kernels?: { preference: BackendPreference; kernels: Promise<Kernels> };

  constructor(private readonly log: (message: string) => void = () => {}) {}

  /** One forward and backward pass of the request's config on the fixed batch of its data. */
  async run(request: ProbeRequest): Promise<ProbeResult> {
    const [kernels, batch] = await Promise.all([this.kernelsFor(request.backend), this.batchFor(request)]);
    return probeGradients(kernels, request.config, batch);
  }

  private batchFor(request: ProbeRequest): Promise<BatchBuffers> {
    const { dataset } = request.config;
    const key =
      dataset.kind === 'path' ? `path:${dataset.path}` : `mnist:${request.dataFolder ?? ''}:${request.cacheDir}`;
    let batch = this.batches.get(key);
    if (batch === undefined) {
      batch = (
        dataset.kind === 'path'
          ? loadIdxFolder(dataset.path, { field: 'dataset.path' })
          : loadMnist({ dataFolder: request.dataFolder, cacheDir: request.cacheDir }).then((loaded) => loaded.data)
      ).then((data) => probeBatch(data.train));
      this.batches.set(key, batch);
      // A failed load is not cached: the student may fix the folder and the next probe should try again.
      batch.catch(() => this.batches.delete(key));
    }
    return batch;
  }

  private kernelsFor(preference: BackendPreference): Promise<Kernels> {
    if (this.kernels?.preference !== preference) {
      const kernels = chooseKernels(preference).then(
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
