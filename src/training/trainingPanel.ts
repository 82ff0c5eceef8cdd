import * as vscode from 'vscode';
import { MessageEndpoint } from '../protocol/endpoint';
import {
  fromTrainingPageGuards,
  toTrainingPageReplyGuards,
  type FromTrainingPage,
  type PanelState,
  type ToTrainingPage,
} from '../protocol/trainingPageProtocol';
import { RunHistoryError } from '../engine/record/runHistory';
import type { BatchMetrics } from '../engine/train/metrics';
import type { ExportRequest } from '../protocol/trainingPageProtocol';
import type { TrainingSession } from './trainingSession';
import { webviewHtml, webviewOptions } from '../host/webviewHtml';
import { isLabFile } from '../host/labFiles';
import { exportFromPanel } from './panelExports';
import { digitRequestOf, PanelDigit } from './panelDigit';

// Batches can end hundreds of times a second; the page redraws at most this often.
const BATCH_FLUSH_MS = 250;

/**
 * The training panel: live charts of the run in progress, its predictions, errors and the run history.
 * Holds no state of its own beyond the page: the page asks for everything on `panel/ready`, so reopening the
 * panel or reloading the window (through the serializer) shows the same runs.
 */
export class TrainingPanel implements vscode.Disposable {
  static readonly viewType = 'dnnLab.training';
  private static current: TrainingPanel | undefined;
  /** The page's last saved view in this window: a closed panel's page state is gone, this is not. */
  private static savedView: unknown;

  private readonly endpoint: MessageEndpoint<FromTrainingPage, ToTrainingPage>;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pendingBatches: BatchMetrics[] = [];
  private pendingRunId = '';
  private flushTimer?: ReturnType<typeof setTimeout>;
  private readonly digit: PanelDigit;

  /** Shows the panel beside the editor, creating it if needed. */
  static createOrShow(extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel): TrainingPanel {
    if (TrainingPanel.current) {
      // Its own column: revealing "beside" the active editor would move the panel each time a run starts.
      TrainingPanel.current.panel.reveal(undefined, true);
      return TrainingPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      TrainingPanel.viewType,
      vscode.l10n.t('DNN Lab: Training'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    return new TrainingPanel(panel, extensionUri, session, log);
  }

  /** Restores the panel after a window reload; VS Code calls this through the serializer registered below. */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    session: TrainingSession,
    log: vscode.LogOutputChannel,
  ): TrainingPanel {
    TrainingPanel.current?.dispose();
    return new TrainingPanel(panel, extensionUri, session, log);
  }

  /** The serializer that brings the panel back after a reload; the page then asks for its state as usual. */
  static serializer(
    extensionUri: vscode.Uri,
    session: TrainingSession,
    log: vscode.LogOutputChannel,
  ): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel) => {
        panel.webview.options = webviewOptions(extensionUri);
        TrainingPanel.revive(panel, extensionUri, session, log);
      },
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly session: TrainingSession,
    private readonly log: vscode.LogOutputChannel,
  ) {
    TrainingPanel.current = this;
    this.digit = new PanelDigit(log);
    this.endpoint = new MessageEndpoint<FromTrainingPage, ToTrainingPage>(
      (envelope) => void panel.webview.postMessage(envelope),
      (warning) => log.warn(`training panel: ${warning}`),
    );
    this.handleRequests();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.endpoint.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      // A hidden panel's page is destroyed (no retainContextWhenHidden); shown again, it reloads and asks anew.
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.ready = false;
      }),
      ...this.forwardRunEvents(),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, {
      title: vscode.l10n.t('DNN Lab: Training'),
      bundle: 'training',
      lang: vscode.env.language,
    });
  }

  dispose(): void {
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    clearTimeout(this.flushTimer);
    this.endpoint.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private handleRequests(): void {
    const guards = fromTrainingPageGuards;
    this.endpoint.on('page/ready', guards['page/ready'], async () => {
      const state = await this.state();
      // Only now may the host post: the page is listening. The state holds every batch so far, so batches
      // still waiting to be flushed would arrive twice.
      this.ready = true;
      this.clearPending(this.pendingRunId);
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      return state;
    });
    this.endpoint.on('run/stop', guards['run/stop'], () => this.session.stop());
    this.endpoint.on('run/rerun', guards['run/rerun'], ({ runId }) => this.rerun(runId));
    this.endpoint.on('history/load', guards['history/load'], async ({ runId }) => {
      const history = this.session.history();
      const record = await history.load(runId);
      // The page asked for a run it listed; one that cannot be loaded any more is an answer with the reason.
      if (!record) throw new Error(vscode.l10n.t('Run {0} cannot be shown: {1}', runId, history.whyNotLoaded(runId)));
      return record;
    });
    this.endpoint.on('history/clear', guards['history/clear'], () => this.clearHistory());
    this.endpoint.on('error/open', guards['error/open'], (payload) => this.openError(payload));
    this.endpoint.on('view/save', guards['view/save'], (view) => {
      // Kept as sent, size-bounded; the page checks it when it reads it back (readViewState).
      if (JSON.stringify(view).length < 20_000) TrainingPanel.savedView = view;
    });
    this.endpoint.on('digit/probe', guards['digit/probe'], (payload) =>
      this.digit.probe(digitRequestOf(payload), this.session.history(), this.session.currentRecord),
    );
    this.endpoint.on('export/menu', guards['export/menu'], (request) =>
      exportFromPanel(exportRequestOf(request), {
        history: this.session.history(),
        current: this.session.currentRecord,
        chartImage: (chart) =>
          this.endpoint.request('chart/image', { chart }, toTrainingPageReplyGuards['chart/image']),
        log: this.log,
      }),
    );
    this.endpoint.on('lesson/open', guards['lesson/open'], async ({ lesson }) => {
      await vscode.commands.executeCommand('dnnLab.openLesson', lesson);
    });
  }

  /**
   * Reruns a saved run's config: only a lab file inside the folder its runs are kept in (see RunHistory.labFileOf);
   * a record pointing anywhere else is told to the user, not opened.
   */
  private async rerun(id: string): Promise<void> {
    const history = this.session.history();
    const record = await history.load(id);
    let uri = this.session.current?.documentUri;
    if (record) {
      try {
        uri = history.labFileOf(record);
      } catch (err) {
        if (!(err instanceof RunHistoryError)) throw err;
        this.log.warn(`Rerun refused: ${err.message}`);
        void vscode.window.showErrorMessage(err.message);
        return;
      }
    }
    if (!uri) {
      void vscode.window.showErrorMessage(vscode.l10n.t('No run to repeat: run a lab file first.'));
      return;
    }
    await vscode.commands.executeCommand('dnnLab.runLab', uri);
  }

  /**
   * Clear history: asks first (a modal naming how many runs and where), then deletes only the runs it counted;
   * a runs folder that is a symbolic link is refused with the reason.
   */
  private async clearHistory(): Promise<void> {
    if (this.session.current) {
      // The run in progress saves its record after every epoch; deleting it now would only bring it back half-told.
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Stop the training run before clearing the run history.'),
      );
      return;
    }
    const history = this.session.history();
    let ids: string[];
    try {
      ids = await history.clearable();
    } catch (err) {
      if (!(err instanceof RunHistoryError)) throw err;
      this.log.warn(`Clear history refused: ${err.message}`);
      void vscode.window.showErrorMessage(err.message);
      return;
    }
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('There are no saved runs to delete in {0}.', history.dir),
      );
    } else {
      const remove = vscode.l10n.t('Delete');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete {0} saved run(s)?', ids.length),
        {
          modal: true,
          detail: vscode.l10n.t(
            'Their run records in {0} are deleted for good; any other file there is kept.',
            history.dir,
          ),
        },
        remove,
      );
      if (answer !== remove) return;
      const { deleted, kept } = await history.clear(ids);
      this.log.info(
        `Cleared ${deleted.length} run(s) from ${history.dir}${kept.length ? `; kept ${kept.length} other file(s): ${kept.slice(0, 20).join(', ')}` : ''}`,
      );
    }
    const state = await this.state();
    this.post('history/changed', { history: state.history, shown: state.shown });
  }

  /**
   * Opens the file of an error entry at its line: only a lab file, and only the one the panel's error is about,
   * so a page cannot open any file it names.
   */
  private async openError({ documentUri, line, column }: FromTrainingPage['error/open']['payload']): Promise<void> {
    const place = (n: number) => Number.isInteger(n) && n >= 1;
    if (!place(line) || !place(column))
      throw new Error(`error/open: line and column must be positive integers, got ${line}:${column}`);
    const error = this.session.error;
    if (documentUri !== error?.documentUri || !isLabFile(vscode.Uri.parse(documentUri)))
      throw new Error(vscode.l10n.t('{0} is not the file of the error shown.', documentUri));
    const position = new vscode.Position(line - 1, column - 1);
    await vscode.window.showTextDocument(vscode.Uri.parse(documentUri), {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
    });
  }

  private async state(): Promise<PanelState> {
    const history = this.session.history();
    const running = this.session.current;
    const summaries = await history.summaries();
    // A run that started or ended while the folder was read (a slow virtual file system, a short run) sent its
    // events before the page listened: read again, so the page never gets a state older than what it missed.
    if (this.session.current !== running) return this.state();
    const shown = this.session.currentRecord ?? (summaries[0] && (await history.load(summaries[0].id)));
    return {
      shown,
      history: summaries,
      running: this.session.current !== undefined,
      error: this.session.error,
      view: TrainingPanel.savedView,
    };
  }

  private forwardRunEvents(): vscode.Disposable[] {
    const s = this.session;
    return [
      s.onDidStartRun(() => {
        const record = s.currentRecord;
        if (record) this.post('run/started', { record });
      }),
      s.onDidEndBatch(({ run, metrics }) => {
        if (this.pendingRunId !== run.id) this.clearPending(run.id);
        this.pendingBatches.push(metrics);
        this.flushTimer ??= setTimeout(() => this.flush(), BATCH_FLUSH_MS);
      }),
      s.onDidEndEpoch(({ run, metrics }) => {
        this.flush();
        this.post('run/epochEnded', { runId: run.id, metrics });
      }),
      s.onDidPredict(({ run, predictions }) => this.post('run/predicted', { runId: run.id, sample: predictions })),
      s.onDidFinishRun(({ run, result }) => void this.finished(run.id, result.status, result.backend)),
      s.onDidFailRun((failure) => void this.failed(failure.run?.id)),
      s.onDidClearError(() => this.post('run/errorCleared', {})),
    ];
  }

  private async finished(runId: string, status: 'completed' | 'cancelled', backend: string): Promise<void> {
    this.flush();
    this.post('run/finished', { runId, status, backend, history: await this.session.history().summaries() });
  }

  private async failed(runId: string | undefined): Promise<void> {
    this.flush();
    const error = this.session.error;
    if (!error) return;
    this.post('run/failed', { runId, error, history: await this.session.history().summaries() });
  }

  private clearPending(runId: string): void {
    this.pendingRunId = runId;
    this.pendingBatches = [];
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingBatches.length === 0) return;
    this.post('run/batchEnded', { runId: this.pendingRunId, batches: this.pendingBatches });
    this.clearPending(this.pendingRunId);
  }

  private post<T extends keyof ToTrainingPage & string>(type: T, payload: ToTrainingPage[T]['payload']): void {
    // Before ready the page is not listening; it gets the whole state when it asks.
    if (this.ready) this.endpoint.notify(type, payload);
  }
}

/** The page's Export request (its shape checked by the protocol's guard), bounded: at most 50 runs and 20 charts. */
function exportRequestOf(request: ExportRequest): ExportRequest {
  if (request.charts.length > 20) throw new Error(`expected at most 20 charts to export, got ${request.charts.length}`);
  return { runId: request.runId, compared: request.compared.slice(0, 50), charts: request.charts };
}
