/**
 * Lesson 7-2's real training runs: one at a time in the training worker, on the small MNIST subsets the
 * experiment configs name, with finished curves cached in the extension's global storage so a student who
 * comes back sees them at once.
 */
import * as vscode from 'vscode';
import type { LabConfig } from '../engine/config/labConfig';
import { engineSettings } from '../host/engineSettings';
import type { HostPlatform } from '../host/platform';
import type { TrainingHandle } from '../worker/trainingHandle';

import type { ExperimentConfig } from './lessonContent';
import type { OverfitExperiment, OverfitExperimentId, OverfitResult } from '../protocol/lessonProtocol';
import { errorText } from '../engine/errorText';

/** Where the run of one experiment reports as it goes. */
export interface OverfitProgress {
  onEpoch(epoch: OverfitResult['epochs'][number]): void;
  onStatus(message: string): void;
}

/** Runs and caches the 7-2 experiments. */
export class OverfitRuns implements vscode.Disposable {
  private running: TrainingHandle | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly platform: HostPlatform,
  ) {}

  /** The experiments as the page shows them, with cached curves where this machine already ran them. */
  async describe(configs: Record<OverfitExperimentId, ExperimentConfig>): Promise<OverfitExperiment[]> {
    return Promise.all(
      (Object.keys(configs) as OverfitExperimentId[]).map(async (id) => {
        const { config } = configs[id];
        const sizes = [784, ...config.layers.map((l) => l.units)];
        const parameters = sizes.slice(1).reduce((sum, units, i) => sum + units * sizes[i] + units, 0);
        return { id, sizes, parameters, trainSamples: config.trainSamples, testSamples: config.testSamples, epochs: config.epochs, result: await this.cached(configs[id]) };
      }),
    );
  }

  /** Trains one experiment (stopping any other first) and caches its curves; rejects with the run's error message. */
  async run(experiment: ExperimentConfig, progress: OverfitProgress): Promise<OverfitResult> {
    this.stop();
    const data = this.platform.resolveDataLocation();
    const handle = this.platform.startTraining(
      { config: experiment.config, dataFolder: data.dataFolder, cacheDir: data.cacheDir, ...engineSettings() },
      (event) => {
        if (event.type === 'run/epochEnded') {
          const { epoch, trainLoss, trainAccuracy, testLoss, testAccuracy } = event.metrics;
          progress.onEpoch({ epoch, trainLoss, trainAccuracy, testLoss, testAccuracy });
        } else if (event.type === 'data/progress') {
          progress.onStatus(vscode.l10n.t('Downloading {0}: {1}%', event.file, Math.round((100 * event.receivedBytes) / Math.max(event.totalBytes, 1))));
        } else if (event.type === 'run/backendChosen') {
          progress.onStatus(vscode.l10n.t('Training on {0}…', event.name));
        }
      },
      (message) => this.log.warn(message),
    );
    this.running = handle;
    try {
      const result = await handle.done;
      if (result.status === 'cancelled') throw new Error(vscode.l10n.t('Stopped after {0} epochs. Run it again to see the whole curve.', result.epochs.length));
      const curves: OverfitResult = {
        epochs: result.epochs.map(({ epoch, trainLoss, trainAccuracy, testLoss, testAccuracy }) => ({ epoch, trainLoss, trainAccuracy, testLoss, testAccuracy })),
        backend: result.backend,
        seconds: result.seconds,
      };
      await this.store(experiment, curves);
      return curves;
    } finally {
      if (this.running === handle) this.running = undefined;
    }
  }

  /** Stops the experiment in progress, if any; its `run` rejects as stopped. */
  stop(): void {
    this.running?.cancel();
    this.running = undefined;
  }

  dispose(): void {
    this.stop();
  }

  private async cacheUri(experiment: ExperimentConfig): Promise<vscode.Uri> {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'lesson-7-2', `${await runKey(experiment.config)}.json`);
  }

  private async cached(experiment: ExperimentConfig): Promise<OverfitResult | undefined> {
    try {
      const json: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(await this.cacheUri(experiment))));
      return isOverfitResult(json, experiment.config.epochs) ? json : undefined;
    } catch {
      return undefined; // not run on this machine yet
    }
  }

  private async store(experiment: ExperimentConfig, result: OverfitResult): Promise<void> {
    try {
      await vscode.workspace.fs.writeFile(await this.cacheUri(experiment), new TextEncoder().encode(JSON.stringify(result)));
    } catch (err) {
      this.log.warn(`Could not cache the 7-2 run: ${errorText(err)}`);
    }
  }
}

/** A cache key that changes whenever anything that shapes the curves changes. */
async function runKey(config: LabConfig): Promise<string> {
  // Web Crypto: the same digest in Node's extension host and in the browser's.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(config)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16);
}

/** Checks a cached result before it is trusted: a run's whole curve, every number finite. */
function isOverfitResult(value: unknown, epochs: number): value is OverfitResult {
  const v = value as Partial<OverfitResult> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.backend === 'string' &&
    typeof v.seconds === 'number' &&
    Array.isArray(v.epochs) &&
    v.epochs.length === epochs &&
    v.epochs.every((e) => [e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy].every((n) => typeof n === 'number' && Number.isFinite(n)))
  );
}
