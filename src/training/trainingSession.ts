import * as vscode from 'vscode';
import type { LabConfig } from '../engine/config/labConfig';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import { newRunId } from '../engine/record/runHistory';
import type { RunRecord } from '../engine/record/runRecord';
import { applyRunEvent, finishRecord, newRunRecord } from '../engine/record/runReducer';
import type { RunEvent } from '../engine/run';
import { withWorkspaceTrust } from '../host/dataLocation';
import { DownloadProgress } from '../host/downloadProgress';
import { engineSettings } from '../host/engineSettings';
import { isLabFile } from '../host/labFiles';
import type { HostPlatform } from '../host/platform';
import type { RunStore } from '../host/runStore';
import type { PanelError } from '../protocol/trainingPageProtocol';
import type { TrainingHandle } from '../worker/trainingHandle';
import { ConfigDiagnostics } from './configDiagnostics';
import { watchEventLoop } from './eventLoopWatch';
import { RunEventHub } from './runEventHub';
import { configFailure, runFailure, tellUnsaved, type Failure } from './runFailure';
import { describeConfigErrors, describeEvent, describeRun } from './runLog';
import { configToRun, recordStart, runRequestFor } from './runPlan';
import { RunSaveQueue } from './runSaveQueue';
import type { RunInfo, RunOptions, RunOutcome, TrainingRuns } from './trainingRuns';

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
  handle: TrainingHandle;
  /** Resolves when the run ended and its record was saved. */
  ended: Promise<RunOutcome>;
}

/**
 * Turns a `*.dnn.json` document into a training run in the worker: validates it (errors become Diagnostics),
 * streams the worker's events to subscribers through the run-record reducer, and saves the run under .dnnlab/runs/.
 */
export class TrainingSession implements TrainingRuns, vscode.Disposable {
  private readonly events = new RunEventHub();
  private readonly diagnostics = new ConfigDiagnostics();
  private readonly download = new DownloadProgress();
  private readonly saves: RunSaveQueue;
  private readonly disposables: vscode.Disposable[];
  private active?: ActiveRun;
  private lastDocument?: vscode.Uri;
  private lastError?: PanelError;

  readonly onDidStartRun = this.events.onDidStartRun;
  readonly onDidEndBatch = this.events.onDidEndBatch;
  readonly onDidEndEpoch = this.events.onDidEndEpoch;
  readonly onDidPredict = this.events.onDidPredict;
  readonly onDidClearError = this.events.onDidClearError;
  readonly onDidFinishRun = this.events.onDidFinishRun;
  readonly onDidFailRun = this.events.onDidFailRun;

  constructor(private readonly deps: TrainingSessionDeps) {
    this.saves = new RunSaveQueue((message) => deps.log.error(message), tellUnsaved);
    this.disposables = [
      this.events,
      this.diagnostics,
      // Once a run attempt flagged a config, keep its Diagnostics current while the student fixes it.
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.recheck(document)),
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
    return this.deps.platform.runStore(this.lastDocument);
  }

  async runDocument(document: vscode.TextDocument, options: RunOptions = {}): Promise<RunOutcome> {
    const parsed = withWorkspaceTrust(parseLabConfig(document.getText()));
    this.diagnostics.set(document, parsed.errors);
    if (!parsed.config) {
      const failed = configFailure(document, parsed);
      for (const line of describeConfigErrors(document.uri.fsPath, parsed.errorCount, failed.located))
        this.deps.log.warn(line);
      if (options.showPanel !== false) this.deps.showPanel();
      return this.fail(failed);
    }
    if (this.active) {
      this.deps.log.info(`Stopping run ${this.active.info.id} to start a new one`);
      this.active.handle.cancel();
      await this.active.ended;
    }
    return this.start(document.uri, configToRun(parsed.config, document.uri, options), options);
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

  /** A flagged config was edited: its Diagnostics anew, and the panel's error box goes once the file validates. */
  private recheck(document: vscode.TextDocument): void {
    if (!this.diagnostics.has(document.uri)) return;
    const { errors } = parseLabConfig(document.getText());
    this.diagnostics.set(document, errors);
    const shown = this.lastError;
    if (errors.length === 0 && shown?.kind === 'config' && shown.documentUri === document.uri.toString()) {
      this.lastError = undefined;
      this.events.errorCleared.fire();
    }
  }

  private start(documentUri: vscode.Uri, config: LabConfig, options: RunOptions): Promise<RunOutcome> {
    this.lastDocument = documentUri;
    this.lastError = undefined;
    const { log, platform } = this.deps;
    const history = platform.runStore(documentUri);
    const info: RunInfo = { id: newRunId(config.name), documentUri, config, startedAt: Date.now() };
    const request = runRequestFor(config, platform.resolveDataLocation(documentUri), engineSettings(documentUri));
    const record = newRunRecord(
      recordStart(info, vscode.workspace.getWorkspaceFolder(documentUri)?.uri.fsPath, {
        extensionVersion: this.deps.extensionVersion,
        vscodeVersion: vscode.version,
        ...platform.machine(),
      }),
    );
    log.info(describeRun(info, request));
    const watch = watchEventLoop(platform.measureEventLoop());
    const handle = platform.startTraining(
      request,
      (event) => watch.time(event.type, () => this.onWorkerEvent(info, record, history, event)),
      (m) => log.warn(m),
    );
    // The run stops being current before anyone hears it ended, so listeners (CodeLens, status bar) see it gone.
    const ended = handle.done.then(
      async (result) => {
        this.release(info);
        finishRecord(record, { status: result.status, backend: result.backend }, Date.now());
        await this.saves.save(history, record);
        log.info(
          `Run ${info.id}: ${result.status} after ${result.epochs.length} epoch(s) in ${result.seconds.toFixed(1)} s; saved ${history.dir}`,
        );
        this.events.finished.fire({ run: info, result });
        return { status: result.status, run: info, result };
      },
      async (err: unknown) => {
        this.release(info);
        const failed = runFailure(info, err, this.diagnostics);
        const { kind, message } = failed.failure;
        finishRecord(record, { status: 'failed', error: { kind, message } }, Date.now());
        await this.saves.save(history, record);
        log.error(`Run ${info.id} failed (${kind}): ${message}`);
        return this.fail(failed);
      },
    );
    const settled = ended.finally(() => {
      // The host's responsiveness during the run: the worker keeps the math off this thread.
      log.info(`Run ${info.id}: ${watch.stop()}`);
      this.download.end();
    });
    this.active = { info, record, handle, ended: settled };
    // Swaps the editor title's Run button for Stop while the run trains.
    void vscode.commands.executeCommand('setContext', 'dnnLab.running', true);
    if (options.showPanel !== false) this.deps.showPanel();
    void this.saves.save(history, record);
    this.events.started.fire({ run: info });
    return settled;
  }

  /** One event from the worker: into the record, the log and the subscribers. Ends are settled through `done`. */
  private onWorkerEvent(info: RunInfo, record: RunRecord, history: RunStore, event: RunEvent): void {
    if (event.type === 'run/finished' || event.type === 'run/failed') return;
    applyRunEvent(record, event);
    const line = describeEvent(info, event);
    if (line) this.deps.log.info(line);
    switch (event.type) {
      case 'data/progress':
        return this.download.update(event.file, event.receivedBytes, event.totalBytes);
      case 'data/loaded':
        return this.download.end();
      case 'run/batchEnded':
        return this.events.batchEnded.fire({ run: info, metrics: event.metrics });
      case 'run/epochEnded':
        this.events.epochEnded.fire({ run: info, metrics: event.metrics });
        void this.saves.save(history, record);
        return;
      case 'run/predicted':
        return this.events.predicted.fire({ run: info, predictions: event.sample });
    }
  }

  /** Ends `info`'s turn as the current run (if it still is) and swaps the editor title's Stop back to Run. */
  private release(info: RunInfo): void {
    if (this.active?.info !== info) return;
    this.active = undefined;
    void vscode.commands.executeCommand('setContext', 'dnnLab.running', false);
  }

  private fail({ failure, shown }: Failure): RunOutcome {
    this.lastError = shown;
    this.events.failed.fire(failure);
    return { status: 'failed', ...failure };
  }
}
