import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import { comparisonRows, comparisonTable, markdownTable, type ComparedRun } from '../engine/sweep/comparison';
import { expandSweep } from '../engine/sweep/expandSweep';
import type { TrainingRuns } from '../training/trainingRuns';

/** The scheme of the live comparison document shown in the Markdown preview. */
export const COMPARISON_SCHEME = 'dnnlab-comparison';

/**
 * Runs every combination of a config's sweep in the training panel, one after another, and keeps a Markdown
 * comparison table (final accuracies, time per epoch, first-epoch δ per layer) up to date beside it.
 */
export class SweepRunner implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly tables = new Map<string, { title: string; runs: ComparedRun[] }>();
  private readonly disposables: vscode.Disposable[];
  private running = false;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly session: TrainingRuns,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(COMPARISON_SCHEME, this),
      // VS Code drops a provider's change to a document the extension host does not hold yet: the preview asks for
      // the text, and the document reaches this side a moment later. A quick sweep's last change could fall in
      // between and the table stay at "running" after the runs had ended, so the text goes again once it is open.
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (this.tables.has(document.uri.toString())) this.changed.fire(document.uri);
      }),
    ];
  }

  /** Whether a sweep is in progress. */
  get busy(): boolean {
    return this.running;
  }

  /** Runs `document`'s sweep; a config without one (or with errors, which the session reports) runs as usual. */
  async run(document: vscode.TextDocument): Promise<void> {
    const config = parseLabConfig(document.getText()).config;
    if (!config?.sweep) {
      await this.session.runDocument(document);
      return;
    }
    const runs = expandSweep(config);
    const uri = vscode.Uri.from({ scheme: COMPARISON_SCHEME, path: `/${path.basename(document.uri.fsPath, '.dnn.json')}-comparison.md` });
    const compared: ComparedRun[] = runs.map((run) => ({ run, status: 'waiting', epochs: [] }));
    this.tables.set(uri.toString(), { title: config.name, runs: compared });
    this.changed.fire(uri);
    // Shown once the first run has opened the training panel, in a group of its own below the panel's, so that
    // neither hides the other and the config keeps its width.
    const showTable = this.session.onDidStartRun(() => {
      showTable.dispose();
      void showComparison(uri).catch((err: unknown) => this.log.warn(`Comparison table: ${String(err)}`));
    });
    this.running = true;
    this.log.info(`Sweep of ${document.uri.fsPath}: ${runs.length} runs`);
    try {
      for (const [i, run] of runs.entries()) {
        const entry = compared[i];
        entry.status = 'running';
        this.changed.fire(uri);
        const listener = this.session.onDidEndEpoch((e) => {
          if (e.run.documentUri.toString() !== document.uri.toString()) return;
          entry.epochs.push(e.metrics);
          this.changed.fire(uri);
        });
        const outcome = await this.session.runDocument(document, { overrides: run.config, showPanel: i === 0 });
        listener.dispose();
        entry.status = outcome.status;
        if (outcome.status === 'failed') entry.error = outcome.message;
        this.changed.fire(uri);
        // Stop ends the whole comparison; a diverged run is a result and the sweep goes on.
        if (outcome.status === 'cancelled' || (outcome.status === 'failed' && outcome.kind === 'config')) break;
      }
    } finally {
      showTable.dispose();
      this.running = false;
    }
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const table = this.tables.get(uri.toString());
    if (!table) return vscode.l10n.t('This comparison is no longer available: run the sweep again.');
    const cells = comparisonTable(comparisonRows(table.runs), {
      run: vscode.l10n.t('run'),
      status: vscode.l10n.t('status'),
      train: vscode.l10n.t('train accuracy'),
      test: vscode.l10n.t('test accuracy'),
      time: vscode.l10n.t('s / epoch'),
    });
    return [
      `# ${vscode.l10n.t('Comparison: {0}', table.title)}`,
      '',
      markdownTable(cells),
      '',
      vscode.l10n.t('δ columns: root mean square of each layer\'s error signal δ at the end of the first epoch. 0 means the layer never learns; values shrinking toward the first layer mean vanishing gradients.'),
    ].join('\n');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Whether a tab shows a webview of `viewType` (VS Code prefixes extension webviews' view types). */
function isWebview(tab: vscode.Tab, viewType: string): boolean {
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType);
}

/**
 * Opens the comparison `table` as a Markdown preview beside the active editor. A table already open (an earlier
 * sweep) stays where it is.
 */
async function showComparison(table: vscode.Uri): Promise<void> {
  const name = path.basename(table.path, '.md');
  const groups = vscode.window.tabGroups.all;
  const showsTable = (tab: vscode.Tab) =>
    (tab.input instanceof vscode.TabInputCustom && tab.input.uri.toString() === table.toString()) ||
    (isWebview(tab, 'markdown.preview') && tab.label.includes(name));
  if (groups.some((g) => g.tabs.some(showsTable))) return;
  // A new group below the training panel's was tried (workbench.action.newGroupBelow, then vscode.openWith into it):
  // in code-server 4.139 the preview then opened in the panel's group, over the panel, beside an empty group, and
  // with the new group's column given explicitly it stopped refreshing. Until that works, the table opens beside.
  await vscode.commands.executeCommand('markdown.showPreviewToSide', table);
}
