import * as path from 'node:path';
import * as vscode from 'vscode';
import { locateErrors, type ConfigError } from '../engine/config/configError';
import type { LabConfig } from '../engine/config/labConfig';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import type { RunEvent, RunRequest } from '../engine/run';
import type { TrainResult } from '../engine/train/metrics';
import { RunFailedError, type TrainingHandle } from '../worker/trainingHandle';
import { ConfigDiagnostics } from './configDiagnostics';
import { withWorkspaceTrust } from '../host/dataLocation';
import { DownloadProgress } from '../host/downloadProgress';
import { engineSettings } from '../host/engineSettings';
import { isLabFile } from '../host/labFiles';
import type { HostPlatform } from '../host/platform';
import type { RunStore } from '../host/runStore';
import type { PanelError } from '../protocol/trainingPageProtocol';
import { newRunId } from '../engine/record/runHistory';
import { RUN_RECORD_FORMAT, type RunRecord } from '../engine/record/runRecord';
import type {
  RunBatchEnded,
  RunEpochEnded,
  RunFailed,
  RunFinished,
  RunInfo,
  RunOptions,
  RunOutcome,
  RunPredicted,
  RunStarted,
  TrainingRuns,
} from './trainingRuns';

/** Test images in each epoch's predictions sample: the panel's 8 x 6 grid. */
const PREDICTION_SAMPLE_SIZE = 48;
/** Layer statistics this many times per epoch, for the per-layer curves. */
const LAYER_SNAPSHOTS_PER_EPOCH = 10;
const MNIST_TRAIN_COUNT = 60_000;

/** What the session needs from the extension, injectable for tests. */
export interface TrainingSessionDeps {
  /** Workers, data and run storage of the extension host this runs in. */
  platform: HostPlatform;
  log: vscode.LogOutputChannel;
  extensionVersion: string;
  /** Opens the training panel (when a run asks for it). */
  showPanel: () => void;
}

/** The run in progress. */
interface ActiveRun {
  info: RunInfo;
  record: RunRecord;
  history: RunStore;
  handle: TrainingHandle;
  /** Resolves when the run ended and its record was saved. */
  ended: Promise<RunOutcome>;
}

/**
 * Turns a `*.dnn.json` document into a training run in the worker: validates it (errors become Diagnostics),
 * resolves the data, streams the worker's events to subscribers, and saves the run under .dnnlab/runs/.
 */
export class TrainingSession implements TrainingRuns, vscode.Disposable {
  private readonly startEmitter = new vscode.EventEmitter<RunStarted>();
  private readonly batchEmitter = new vscode.EventEmitter<RunBatchEnded>();
  private readonly epochEmitter = new vscode.EventEmitter<RunEpochEnded>();
  private readonly predictEmitter = new vscode.EventEmitter<RunPredicted>();
  private readonly finishEmitter = new vscode.EventEmitter<RunFinished>();
  private readonly failEmitter = new vscode.EventEmitter<RunFailed>();
  private readonly errorClearedEmitter = new vscode.EventEmitter<void>();
  private readonly diagnostics = new ConfigDiagnostics();
  private readonly download = new DownloadProgress();
  private readonly disposables: vscode.Disposable[];
  private active?: ActiveRun;
  private lastDocument?: vscode.Uri;
  private lastError?: PanelError;
  private saving = Promise.resolve();
  /** Runs whose record could not be written, told to the user once each. */
  private readonly unsaved = new Set<string>();

  readonly onDidStartRun = this.startEmitter.event;
  readonly onDidEndBatch = this.batchEmitter.event;
  readonly onDidEndEpoch = this.epochEmitter.event;
  readonly onDidPredict = this.predictEmitter.event;
  /** The config error the panel shows went away: its file validates now. */
  readonly onDidClearError = this.errorClearedEmitter.event;
  readonly onDidFinishRun = this.finishEmitter.event;
  readonly onDidFailRun = this.failEmitter.event;

  constructor(private readonly deps: TrainingSessionDeps) {
    this.disposables = [
      this.startEmitter,
      this.batchEmitter,
      this.epochEmitter,
      this.predictEmitter,
      this.finishEmitter,
      this.failEmitter,
      this.errorClearedEmitter,
      this.diagnostics,
      // Once a run attempt flagged a config, keep its Diagnostics current while the student fixes it.
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        if (!this.diagnostics.has(document.uri)) return;
        const { errors } = parseLabConfig(document.getText());
        this.diagnostics.set(document, errors);
        // The config the panel's error box is about validates now: the box goes with its errors.
        if (
          errors.length === 0 &&
          this.lastError?.kind === 'config' &&
          this.lastError.documentUri === document.uri.toString()
        ) {
          this.lastError = undefined;
          this.errorClearedEmitter.fire();
        }
      }),
    ];
  }

  get current(): RunInfo | undefined {
    return this.active?.info;
  }

  /** The record of the run in progress, for the panel. */
  get currentRecord(): RunRecord | undefined {
    return this.active?.record;
  }

  /** The last failure since the last run started, for the panel. */
  get error(): PanelError | undefined {
    return this.lastError;
  }

  /**
   * The run history the panel shows: that of the last run's config, else of the lab file in view when the panel
   * first asked (after a reload, a file outside any workspace folder keeps its runs in its own folder).
   */
  history(): RunStore {
    this.lastDocument ??= vscode.window.visibleTextEditors.map((e) => e.document.uri).find(isLabFile);
    return this.historyFor(this.lastDocument);
  }

  async runDocument(document: vscode.TextDocument, options: RunOptions = {}): Promise<RunOutcome> {
    const file = path.basename(document.uri.fsPath);
    const text = document.getText();
    const parsed = withWorkspaceTrust(parseLabConfig(text));
    this.diagnostics.set(document, parsed.errors);
    if (!parsed.config) {
      const configErrors = locateErrors(text, parsed.errors);
      const message = vscode.l10n.t(
        '{0} has {1} error(s); the first: {2}',
        file,
        parsed.errorCount,
        parsed.errors[0]?.message ?? '',
      );
      this.deps.log.warn(`Not running ${document.uri.fsPath}: ${parsed.errorCount} config error(s)`);
      for (const e of configErrors) this.deps.log.warn(`  ${file}:${e.line}:${e.column}: ${e.message}`);
      if (options.showPanel !== false) this.deps.showPanel();
      return this.fail(
        { documentUri: document.uri, kind: 'config', message, configErrors: parsed.errors },
        { file, documentUri: document.uri.toString(), kind: 'config', message, configErrors },
      );
    }
    if (this.active) {
      this.deps.log.info(`Stopping run ${this.active.info.id} to start a new one`);
      this.active.handle.cancel();
      await this.active.ended;
    }
    const config = this.withOverrides(parsed.config, document.uri, options);
    return this.start(document.uri, config, options);
  }

  stop(): void {
    if (!this.active) return;
    this.deps.log.info(`Stop requested for run ${this.active.info.id}`);
    this.active.handle.cancel();
  }

  dispose(): void {
    this.active?.handle.cancel();
    this.download.end();
    for (const d of this.disposables) d.dispose();
  }

  private withOverrides(config: LabConfig, documentUri: vscode.Uri, options: RunOptions): LabConfig {
    const merged = { ...config, ...options.overrides };
    // A relative dataset path counts from the config file's folder, as a student would expect.
    if (merged.dataset.kind === 'path' && !path.isAbsolute(merged.dataset.path)) {
      merged.dataset = { kind: 'path', path: path.resolve(path.dirname(documentUri.fsPath), merged.dataset.path) };
    }
    return merged;
  }

  private start(documentUri: vscode.Uri, config: LabConfig, options: RunOptions): Promise<RunOutcome> {
    this.lastDocument = documentUri;
    this.lastError = undefined;
    const history = this.historyFor(documentUri);
    const info: RunInfo = { id: newRunId(config.name), documentUri, config, startedAt: Date.now() };
    const { backend, threads } = engineSettings(documentUri);
    const data = this.deps.platform.resolveDataLocation(documentUri);
    const batches = Math.ceil((config.trainSamples || MNIST_TRAIN_COUNT) / config.batchSize);
    const request: RunRequest = {
      config,
      dataFolder: data.dataFolder,
      cacheDir: data.cacheDir,
      backend,
      threads,
      batchStatsEvery: Math.max(1, Math.round(batches / LAYER_SNAPSHOTS_PER_EPOCH)),
      predictionSampleSize: PREDICTION_SAMPLE_SIZE,
    };
    const record = this.newRecord(info);
    const { log } = this.deps;
    log.info(
      `Run ${info.id}: ${documentUri.fsPath}, ${config.layers.map((l) => l.units).join('-')} net, ${config.epochs} epoch(s), batch ${config.batchSize}, ` +
        `${config.optimizer.type} ${config.optimizer.learningRate}, backend ${backend}, data ${data.dataFolder ?? (data.cacheDir ? `cache ${data.cacheDir}` : 'packaged with DNN Lab')}`,
    );
    const delay = this.deps.platform.measureEventLoop();
    // The longest the host spent on one worker event, subscribers included: what this feature itself costs
    // the extension host's event loop (the delay histogram also counts CPU contention from everything else).
    let longestEvent = { ms: 0, type: '' };
    const onEvent = (event: RunEvent) => {
      const start = performance.now();
      this.onWorkerEvent(info, record, history, event);
      const ms = performance.now() - start;
      if (ms > longestEvent.ms) longestEvent = { ms, type: event.type };
    };
    const handle = this.deps.platform.startTraining(request, onEvent, (m) => log.warn(m));
    // The run stops being current before anyone hears it ended, so listeners (CodeLens, status bar) see it gone.
    const ended = handle.done.then(
      (result) => {
        this.release(info);
        return this.finished(info, record, history, result);
      },
      (err: unknown) => {
        this.release(info);
        return this.failed(info, record, history, err);
      },
    );
    const settled = ended.finally(() => {
      const loop = delay.stop();
      // The host's responsiveness during the run: the worker keeps the math off this thread.
      log.info(
        `Run ${info.id}: ${loop ? `${loop}; ` : ''}` +
          `longest handling of one worker event ${longestEvent.ms.toFixed(1)} ms (${longestEvent.type})`,
      );
      this.download.end();
    });
    this.active = { info, record, history, handle, ended: settled };
    // Swaps the editor title's Run button for Stop while the run trains.
    void vscode.commands.executeCommand('setContext', 'dnnLab.running', true);
    if (options.showPanel !== false) this.deps.showPanel();
    this.save(history, record);
    this.startEmitter.fire({ run: info });
    return settled;
  }

  private onWorkerEvent(info: RunInfo, record: RunRecord, history: RunStore, event: RunEvent): void {
    switch (event.type) {
      case 'run/backendChosen':
        record.environment.backend = event.name;
        this.deps.log.info(
          `Run ${info.id}: backend ${event.name}${event.skipped.length ? ` (skipped: ${event.skipped.join('; ')})` : ''}`,
        );
        return;
      case 'data/progress':
        this.download.update(event.file, event.receivedBytes, event.totalBytes);
        return;
      case 'data/loaded':
        this.download.end();
        record.environment.dataSource = event.source;
        record.environment.dataDir = event.dir;
        this.deps.log.info(
          `Run ${info.id}: MNIST from ${event.source} ${event.dir} (${event.trainCount} train, ${event.testCount} test)`,
        );
        return;
      case 'run/batchEnded': {
        const m = event.metrics;
        record.batchLosses.push({ epoch: m.epoch, batch: m.batch, batches: m.batches, loss: m.loss });
        if (m.layers)
          record.layerSnapshots.push({ step: (m.epoch - 1) * m.batches + m.batch, epoch: m.epoch, layers: m.layers });
        this.batchEmitter.fire({ run: info, metrics: m });
        return;
      }
      case 'run/epochEnded': {
        const m = event.metrics;
        record.epochs.push(m);
        this.deps.log.info(
          `Run ${info.id}: epoch ${m.epoch}/${info.config.epochs} train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(4)}, ` +
            `test loss ${m.testLoss.toFixed(4)} acc ${m.testAccuracy.toFixed(4)}, ${m.seconds.toFixed(1)} s`,
        );
        this.epochEmitter.fire({ run: info, metrics: m });
        this.save(history, record);
        return;
      }
      case 'run/predicted':
        record.predictions = event.sample;
        this.predictEmitter.fire({ run: info, predictions: event.sample });
        return;
      case 'run/finished':
      case 'run/failed':
        // Settled through the handle's promise, in finished() and failed().
        return;
    }
  }

  /** Ends `info`'s turn as the current run (if it still is) and swaps the editor title's Stop back to Run. */
  private release(info: RunInfo): void {
    if (this.active?.info !== info) return;
    this.active = undefined;
    void vscode.commands.executeCommand('setContext', 'dnnLab.running', false);
  }

  private async finished(
    info: RunInfo,
    record: RunRecord,
    history: RunStore,
    result: TrainResult,
  ): Promise<RunOutcome> {
    record.status = result.status;
    record.finishedAt = Date.now();
    record.environment.backend = result.backend;
    await this.save(history, record);
    this.deps.log.info(
      `Run ${info.id}: ${result.status} after ${result.epochs.length} epoch(s) in ${result.seconds.toFixed(1)} s; saved ${history.dir}`,
    );
    this.finishEmitter.fire({ run: info, result });
    return { status: result.status, run: info, result };
  }

  private async failed(info: RunInfo, record: RunRecord, history: RunStore, err: unknown): Promise<RunOutcome> {
    const event = err instanceof RunFailedError ? err.event : { kind: 'internal' as const, message: String(err) };
    record.status = 'failed';
    record.finishedAt = Date.now();
    record.error = { kind: event.kind, message: event.message };
    await this.save(history, record);
    this.deps.log.error(`Run ${info.id} failed (${event.kind}): ${event.message}`);
    const where = 'epoch' in event ? { epoch: event.epoch, batch: event.batch, layer: event.layer } : {};
    const file = path.basename(info.documentUri.fsPath);
    const onLine =
      'field' in event && event.field ? this.errorOnField(info.documentUri, event.field, event.message) : undefined;
    return this.fail(
      {
        documentUri: info.documentUri,
        run: info,
        kind: event.kind,
        message: event.message,
        ...where,
        ...(onLine && { configErrors: [onLine.error] }),
      },
      {
        file,
        documentUri: info.documentUri.toString(),
        runId: info.id,
        kind: event.kind,
        message: event.message,
        ...(onLine && { configErrors: onLine.located }),
      },
    );
  }

  /**
   * A run's error about one config field (a data folder that cannot be read names "dataset.path"), placed on that
   * field's line as a Diagnostic, as a config error would be; undefined when the document or field is gone.
   */
  private errorOnField(documentUri: vscode.Uri, field: string, message: string) {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === documentUri.toString());
    if (!document) return undefined;
    const text = document.getText();
    const range = parseLabConfig(text).ranges.fields.get(field);
    if (!range) return undefined;
    const error: ConfigError = { path: field, message, range };
    this.diagnostics.set(document, [error]);
    return { error, located: locateErrors(text, [error]) };
  }

  private fail(failure: RunFailed, shown: PanelError): RunOutcome {
    this.lastError = shown;
    this.failEmitter.fire(failure);
    return { status: 'failed', ...failure };
  }

  private newRecord(info: RunInfo): RunRecord {
    const folder = vscode.workspace.getWorkspaceFolder(info.documentUri);
    return {
      format: RUN_RECORD_FORMAT,
      id: info.id,
      name: info.config.name,
      documentPath: folder ? path.relative(folder.uri.fsPath, info.documentUri.fsPath) : info.documentUri.fsPath,
      documentUri: info.documentUri.toString(),
      startedAt: info.startedAt,
      status: 'running',
      config: info.config,
      environment: {
        extensionVersion: this.deps.extensionVersion,
        vscodeVersion: vscode.version,
        ...this.deps.platform.machine(),
      },
      epochs: [],
      batchLosses: [],
      layerSnapshots: [],
    };
  }

  private historyFor(documentUri: vscode.Uri | undefined): RunStore {
    return this.deps.platform.runStore(documentUri);
  }

  /**
   * Saves without blocking the caller, one write at a time so an epoch's save never lands after the final one;
   * a failed write is logged and told to the user once per run (a lab file's own folder may be read-only), and
   * training goes on.
   */
  private save(history: RunStore, record: RunRecord): Promise<void> {
    // Each write serializes the record as it is when its turn comes, so a later write never holds older data.
    this.saving = this.saving.then(() =>
      history.save(record).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.deps.log.error(`Could not save run ${record.id} to ${history.dir}: ${message}`);
        if (this.unsaved.has(record.id)) return;
        this.unsaved.add(record.id);
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'DNN Lab could not save run {0} in {1}: {2}. Training goes on, but this run will be missing from the run history.',
            record.id,
            history.dir,
            message,
          ),
        );
      }),
    );
    return this.saving;
  }
}
