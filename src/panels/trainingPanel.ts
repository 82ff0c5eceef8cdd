import * as vscode from 'vscode';
import { MessageEndpoint } from '../shared/messaging';
import type { FromPanel, PanelState, ToPanel } from '../training/panelProtocol';
import type { BatchLoss, LayerSnapshot } from '../training/runRecord';
import type { TrainingSession } from '../training/trainingSession';
import { webviewHtml, webviewOptions } from '../webviews/webviewHtml';

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

  private readonly endpoint: MessageEndpoint<FromPanel, ToPanel>;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pendingLosses: BatchLoss[] = [];
  private pendingSnapshots: LayerSnapshot[] = [];
  private pendingRunId = '';
  private flushTimer?: ReturnType<typeof setTimeout>;

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
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel): TrainingPanel {
    TrainingPanel.current?.dispose();
    return new TrainingPanel(panel, extensionUri, session, log);
  }

  /** The serializer that brings the panel back after a reload; the page then asks for its state as usual. */
  static serializer(extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel): vscode.WebviewPanelSerializer {
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
    this.endpoint = new MessageEndpoint<FromPanel, ToPanel>(
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
    const runId = (payload: unknown): string => {
      const id = (payload as { runId?: unknown } | undefined)?.runId;
      if (typeof id !== 'string') throw new Error(`expected { runId: string }, got ${JSON.stringify(payload)}`);
      return id;
    };
    this.endpoint.on('panel/ready', async () => {
      const state = await this.state();
      // Only now may the host post: the page is listening. The state holds every batch so far, so batches
      // still waiting to be flushed would arrive twice.
      this.ready = true;
      this.clearPending(this.pendingRunId);
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      return state;
    });
    this.endpoint.on('run/stop', () => this.session.stop());
    this.endpoint.on('run/rerun', async (payload) => {
      const record = await this.session.history().load(runId(payload));
      const uri = record ? vscode.Uri.parse(record.documentUri) : this.session.current?.documentUri;
      if (!uri) throw new Error(vscode.l10n.t('No run to repeat: run a lab file first.'));
      await vscode.commands.executeCommand('dnnLab.runLab', uri);
    });
    this.endpoint.on('history/load', (payload) => this.session.history().load(runId(payload)));
    this.endpoint.on('history/clear', async () => {
      await this.session.history().clear();
      this.log.info(`Cleared the run history in ${this.session.history().dir}`);
      const state = await this.state();
      this.post('history/changed', { history: state.history, shown: state.shown });
    });
    this.endpoint.on('lesson/open', async (payload) => {
      const lesson = (payload as { lesson?: unknown } | undefined)?.lesson;
      if (typeof lesson !== 'string') throw new Error(`expected { lesson: string }, got ${JSON.stringify(payload)}`);
      const commands = await vscode.commands.getCommands(true);
      if (!commands.includes('dnnLab.openLesson')) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Lesson {0} is not available in this version of DNN Lab.', lesson));
        return;
      }
      await vscode.commands.executeCommand('dnnLab.openLesson', lesson);
    });
  }

  private async state(): Promise<PanelState> {
    const history = this.session.history();
    const summaries = await history.summaries();
    const shown = this.session.currentRecord ?? (summaries[0] && (await history.load(summaries[0].id)));
    return { shown, history: summaries, running: this.session.current !== undefined, error: this.session.error };
  }

  private forwardRunEvents(): vscode.Disposable[] {
    const s = this.session;
    return [
      s.onDidStartRun(() => {
        const record = s.currentRecord;
        if (record) this.post('run/started', { record });
      }),
      s.onDidEndBatch(({ run, metrics: m }) => {
        if (this.pendingRunId !== run.id) this.clearPending(run.id);
        this.pendingLosses.push({ epoch: m.epoch, batch: m.batch, batches: m.batches, loss: m.loss });
        if (m.layers) this.pendingSnapshots.push({ step: (m.epoch - 1) * m.batches + m.batch, epoch: m.epoch, layers: m.layers });
        this.flushTimer ??= setTimeout(() => this.flush(), BATCH_FLUSH_MS);
      }),
      s.onDidEndEpoch(({ run, metrics }) => {
        this.flush();
        this.post('run/epoch', { runId: run.id, metrics });
      }),
      s.onDidPredict(({ run, predictions }) => this.post('run/predictions', { runId: run.id, sample: predictions })),
      s.onDidFinishRun(({ run, result }) => void this.ended(run.id, result.status, result.backend)),
      s.onDidFailRun((failure) => {
        if (failure.run) void this.ended(failure.run.id, 'failed');
        if (s.error) this.post('run/error', s.error);
      }),
    ];
  }

  private async ended(runId: string, status: 'completed' | 'cancelled' | 'failed', backend?: string): Promise<void> {
    this.flush();
    this.post('run/ended', { runId, status, backend, history: await this.session.history().summaries() });
  }

  private clearPending(runId: string): void {
    this.pendingRunId = runId;
    this.pendingLosses = [];
    this.pendingSnapshots = [];
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingLosses.length === 0 && this.pendingSnapshots.length === 0) return;
    this.post('run/batches', { runId: this.pendingRunId, losses: this.pendingLosses, snapshots: this.pendingSnapshots });
    this.clearPending(this.pendingRunId);
  }

  private post<T extends keyof ToPanel & string>(type: T, payload: ToPanel[T]['payload']): void {
    // Before ready the page is not listening; it gets the whole state when it asks.
    if (this.ready) this.endpoint.notify(type, payload);
  }
}
