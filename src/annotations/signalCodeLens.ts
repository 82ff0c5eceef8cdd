import * as vscode from 'vscode';
import type { LayerSignalsController } from './layerSignalsController';

/** The command a layer's δ line runs: puts the cursor on the layer and opens its hover (the formula with numbers). */
export const SHOW_LAYER_HOVER = 'dnnLab.showLayerHover';

/**
 * The numbers of each layer on a line of their own above it (a CodeLens): it wraps with no layer line and is never
 * cut off at the right edge of a narrow editor, where text after the line is. Selecting it opens the layer's hover.
 */
export class SignalCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly controller: LayerSignalsController,
    selector: vscode.DocumentSelector,
  ) {
    this.disposables = [
      this.changed,
      controller.onDidChange(() => this.changed.fire()),
      vscode.languages.registerCodeLensProvider(selector, this),
      vscode.commands.registerCommand(SHOW_LAYER_HOVER, async (uri: unknown, line: unknown) => {
        const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === String(uri));
        if (editor === undefined || typeof line !== 'number') return;
        const at = editor.document.lineAt(line).firstNonWhitespaceCharacterIndex;
        editor.selection = new vscode.Selection(line, at, line, at);
        await vscode.window.showTextDocument(editor.document, editor.viewColumn);
        await vscode.commands.executeCommand('editor.action.showHover');
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.controller.annotationsOf(document.uri).flatMap((a) => {
      if (a.lines.first >= document.lineCount) return [];
      const range = new vscode.Range(a.lines.first, 0, a.lines.first, 0);
      return [
        new vscode.CodeLens(range, {
          title: a.text,
          tooltip: a.tooltip,
          command: SHOW_LAYER_HOVER,
          arguments: [document.uri.toString(), a.lines.first],
        }),
      ];
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
