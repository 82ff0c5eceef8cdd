import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import { errorText } from '../engine/errorText';
import {
  comparisonRows,
  comparisonTable,
  markdownTable,
  type ComparedRun,
  type ComparisonStatus,
} from '../engine/sweep/comparison';
import { expandSweep } from '../engine/sweep/expandSweep';
import type { ComparisonPageState } from '../protocol/comparisonProtocol';
import type { TrainingRuns } from '../training/trainingRuns';
import { ComparisonView } from './comparisonView';

/** The comparison of the latest sweep: its config and every run's epochs so far. */
interface Comparison {
  config: vscode.Uri;
  title: string;
  runs: ComparedRun[];
}

/**
 * Runs every combination of a config's sweep in the training panel, one after another, and keeps the comparison
 * table (final accuracies, time per epoch, first-epoch δ per layer) up to date in the panel area's comparison view;
 * "Save as Markdown…" there writes the same table as a Markdown file for a lab report.
 */
export class SweepRunner implements vscode.Disposable {
  private readonly view: ComparisonView;
  private comparison: Comparison | undefined;
  private running = false;

  constructor(
    private readonly session: TrainingRuns,
    private readonly log: vscode.LogOutputChannel,
    extensionUri: vscode.Uri,
  ) {
    this.view = new ComparisonView(extensionUri, log, () => this.save());
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
    const compared: ComparedRun[] = runs.map((run) => ({ run, status: 'waiting', epochs: [] }));
    const comparison: Comparison = { config: document.uri, title: config.name, runs: compared };
    this.comparison = comparison;
    const changed = () => {
      if (this.comparison === comparison) this.view.update(pageState(comparison));
    };
    changed();
    // Shown once the first run has opened the training panel: below the editors, so neither hides the other.
    const showTable = this.session.onDidStartRun(() => {
      showTable.dispose();
      void this.view.reveal().catch((err: unknown) => this.log.warn(`Comparison view: ${errorText(err)}`));
    });
    this.running = true;
    this.log.info(`Sweep of ${document.uri.fsPath}: ${runs.length} runs`);
    try {
      for (const [i, run] of runs.entries()) {
        const entry = compared[i];
        entry.status = 'running';
        changed();
        const listener = this.session.onDidEndEpoch((e) => {
          if (e.run.documentUri.toString() !== document.uri.toString()) return;
          entry.epochs.push(e.metrics);
          changed();
        });
        const outcome = await this.session.runDocument(document, { overrides: run.config, showPanel: i === 0 });
        listener.dispose();
        entry.status = outcome.status;
        if (outcome.status === 'failed') entry.error = outcome.message;
        changed();
        // Stop ends the whole comparison; a diverged run is a result and the sweep goes on.
        if (outcome.status === 'cancelled' || (outcome.status === 'failed' && outcome.kind === 'config')) break;
      }
    } finally {
      showTable.dispose();
      this.running = false;
    }
  }

  /** "Save as Markdown…": the shown comparison as a Markdown file the student picks, beside the config by default. */
  private async save(): Promise<void> {
    const comparison = this.comparison;
    if (!comparison) return;
    const name = `${path.posix.basename(comparison.config.path, '.dnn.json')}-comparison.md`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(comparison.config, '..', name),
      filters: { Markdown: ['md'] },
      title: vscode.l10n.t('Save the comparison as Markdown'),
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(comparisonMarkdown(comparison)));
    } catch (err) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Could not save the comparison to {0}: {1}. Pick another folder.', target.fsPath, errorText(err)),
      );
      return;
    }
    const open = vscode.l10n.t('Open');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Saved the comparison to {0}.', vscode.workspace.asRelativePath(target)),
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('markdown.showPreview', target);
  }

  dispose(): void {
    this.view.dispose();
  }
}

/** The table's cells, in VS Code's display language. */
function cells(comparison: Comparison): string[][] {
  const statuses: Record<ComparisonStatus, string> = {
    waiting: vscode.l10n.t('waiting'),
    running: vscode.l10n.t('running'),
    completed: vscode.l10n.t('completed'),
    cancelled: vscode.l10n.t('stopped'),
    failed: vscode.l10n.t('failed'),
  };
  return comparisonTable(
    comparisonRows(comparison.runs),
    {
      run: vscode.l10n.t('run'),
      status: vscode.l10n.t('status'),
      train: vscode.l10n.t('train accuracy'),
      test: vscode.l10n.t('test accuracy'),
      time: vscode.l10n.t('s / epoch'),
    },
    (status) => statuses[status],
  );
}

const DELTA_NOTE = () =>
  vscode.l10n.t(
    "δ columns: root mean square of each layer's error signal δ at the end of the first epoch. 0 means the layer never learns; values shrinking toward the first layer mean vanishing gradients.",
  );

/** What the comparison view shows. */
function pageState(comparison: Comparison): ComparisonPageState {
  const [headings, ...body] = cells(comparison);
  const finished = comparison.runs.filter((r) => r.status !== 'waiting' && r.status !== 'running').length;
  return {
    title: vscode.l10n.t('Comparison: {0}', comparison.title),
    caption: `${vscode.l10n.t('One row per combination of the sweep, in the order they run.')} ${DELTA_NOTE()}`,
    headings,
    rows: body.map((row, i) => ({ status: comparison.runs[i].status, cells: row })),
    summary: vscode.l10n.t('{0} of {1} runs finished.', finished, comparison.runs.length),
    saveLabel: vscode.l10n.t('Save as Markdown…'),
  };
}

/** The comparison as a Markdown document: a heading, the table and what the δ columns mean. */
function comparisonMarkdown(comparison: Comparison): string {
  return [
    `# ${vscode.l10n.t('Comparison: {0}', comparison.title)}`,
    '',
    markdownTable(cells(comparison)),
    '',
    DELTA_NOTE(),
    '',
  ].join('\n');
}
