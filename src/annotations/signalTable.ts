import * as path from 'node:path';
import * as vscode from 'vscode';
import { isLabConfig, type LayerSignalsController } from './layerSignalsController';
import { tableMarkdown } from './signalPresentation';

/** The URI scheme of the read-only Markdown table of a config's layer signals. */
export const SIGNAL_TABLE_SCHEME = 'dnn-lab-signals';

/**
 * "DNN Lab: Show Layer Error Signals": the same numbers as the annotations, one row per layer, in a Markdown
 * preview beside the config that refreshes as the numbers change.
 */
export class SignalTable implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(private readonly controller: LayerSignalsController) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(SIGNAL_TABLE_SCHEME, this),
      controller.onDidChange((uri) => this.changed.fire(tableUri(uri))),
      vscode.commands.registerCommand('dnnLab.showLayerSignals', (uri?: unknown) => this.show(uri)),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const config = vscode.Uri.parse(uri.query);
    const title = vscode.l10n.t('Layer error signals of {0}', path.basename(config.path));
    return tableMarkdown(title, this.controller.signalsOf(config));
  }

  private async show(argument: unknown): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    const config =
      argument instanceof vscode.Uri
        ? argument
        : active !== undefined && isLabConfig(active)
          ? active.uri
          : vscode.window.visibleTextEditors.find((e) => isLabConfig(e.document))?.document.uri;
    if (config === undefined) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Open a *.dnn.json lab config first: the table shows the error signals of its layers.'),
      );
      return;
    }
    await vscode.commands.executeCommand('markdown.showPreviewToSide', tableUri(config));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The table's URI for a config; the config's own URI rides in the query so that each config has its table. */
function tableUri(config: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({
    scheme: SIGNAL_TABLE_SCHEME,
    path: `/${path.basename(config.path)}.signals.md`,
    query: config.toString(),
  });
}
