import * as vscode from 'vscode';
import type { LayerSignalsController } from './layerSignalsController';

/** How long numbers that came after an edit wait for VS Code's own request before the lenses are said to change. */
const FALLBACK_MS = 1_000;

/** The command a layer's δ line runs: puts the cursor on the layer and opens its hover (the formula with numbers). */
export const SHOW_LAYER_HOVER = 'dnnLab.showLayerHover';

/**
 * The numbers of each layer on a line of their own above it (a CodeLens): it wraps with no layer line and is never
 * cut off at the right edge of a narrow editor, where text after the line is. Selecting it opens the layer's hover.
 */
export class SignalCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[];
  /** Per document: when it was last edited, when VS Code last asked for its lenses, a pending fallback. */
  private readonly editedAt = new Map<string, number>();
  private readonly askedAt = new Map<string, number>();
  private readonly fallbacks = new Map<string, ReturnType<typeof setTimeout>>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly controller: LayerSignalsController,
    selector: vscode.DocumentSelector,
  ) {
    this.disposables = [
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.editedAt.set(e.document.uri.toString(), performance.now());
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri.toString())),
      controller.onDidChange((uri) => this.numbersChanged(uri.toString())),
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
    this.askedAt.set(document.uri.toString(), performance.now());
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

  /**
   * VS Code asks for the lenses again on its own ≥250 ms after every edit, and telling it they changed restarts that
   * wait: numbers that arrive before it asked (the probe of the text just typed) are left for that request, which
   * draws them a whole wait sooner. If it asked already (and drew the numbers as stale), it is told at once; if it
   * does not ask within FALLBACK_MS (the editor lost focus, which cancels its request), it is told then.
   */
  private numbersChanged(key: string): void {
    clearTimeout(this.fallbacks.get(key));
    this.fallbacks.delete(key);
    const asked = this.askedAt.get(key) ?? -Infinity;
    if (asked >= (this.editedAt.get(key) ?? -Infinity)) {
      this.changed.fire();
      return;
    }
    const changedAt = performance.now();
    this.fallbacks.set(
      key,
      setTimeout(() => {
        this.fallbacks.delete(key);
        if ((this.askedAt.get(key) ?? -Infinity) < changedAt) this.changed.fire();
      }, FALLBACK_MS),
    );
  }

  private forget(key: string): void {
    clearTimeout(this.fallbacks.get(key));
    this.fallbacks.delete(key);
    this.editedAt.delete(key);
    this.askedAt.delete(key);
  }

  dispose(): void {
    for (const timer of this.fallbacks.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }
}
