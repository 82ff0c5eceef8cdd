import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from '../host/webviewHtml';
import {
  fromPageGuards,
  type ComparisonEmptyState,
  type ComparisonPageState,
  type FromComparisonPage,
  type ToComparisonPage,
} from '../protocol/comparisonProtocol';
import { MessageEndpoint } from '../protocol/endpoint';

/** The id of the comparison view, in the panel area's "DNN Lab" container (package.json `views`). */
export const COMPARISON_VIEW = 'dnnLab.comparison';

/**
 * The sweep comparison table as a webview view in the panel area, below the editors: the whole window's width for
 * the δ columns, and neither the config nor the training panel loses room or is covered. Its page has a language,
 * a title and a real table (caption, scoped headings), which VS Code's Markdown preview cannot give. The page asks
 * for its state when it loads (`comparison/ready`); a hidden view's page is destroyed and asks again when shown.
 */
export class ComparisonView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private endpoint: MessageEndpoint<FromComparisonPage, ToComparisonPage> | undefined;
  private ready = false;
  private state: ComparisonPageState | ComparisonEmptyState = {
    empty: vscode.l10n.t(
      'No sweep has run yet. A lab config with a "sweep" gets a "Run all … combinations" CodeLens; its runs are compared here as they train.',
    ),
  };
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** Called when the student presses "Save as Markdown…". */
    private readonly onSave: () => Promise<void>,
  ) {
    this.disposables.push(vscode.window.registerWebviewViewProvider(COMPARISON_VIEW, this));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    const endpoint = new MessageEndpoint<FromComparisonPage, ToComparisonPage>(
      (envelope) => void view.webview.postMessage(envelope),
      (warning) => this.log.warn(`comparison view: ${warning}`),
    );
    this.endpoint = endpoint;
    endpoint.on('comparison/ready', fromPageGuards['comparison/ready'], () => {
      this.ready = true;
      return this.state;
    });
    endpoint.on('comparison/save', fromPageGuards['comparison/save'], () => this.onSave());
    const subscriptions = [
      view.webview.onDidReceiveMessage((message: unknown) => endpoint.receive(message)),
      // A hidden view's page is gone; shown again it reloads and asks for the state.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
    ];
    view.onDidDispose(() => {
      for (const s of subscriptions) s.dispose();
      endpoint.dispose();
      if (this.view === view) {
        this.view = undefined;
        this.endpoint = undefined;
        this.ready = false;
      }
    });
    view.webview.html = webviewHtml(view.webview, this.extensionUri, {
      title: vscode.l10n.t('DNN Lab: Sweep comparison'),
      bundle: 'comparison',
      lang: vscode.env.language,
    });
  }

  /** Shows `state` now if the page is listening, else when it asks. */
  update(state: ComparisonPageState | ComparisonEmptyState): void {
    this.state = state;
    if (this.ready) this.endpoint?.notify('comparison/show', state);
  }

  /**
   * Opens the panel area on the view without taking the keyboard from the editor the student was in: the view
   * is revealed by its focus command (the only way before its first resolve), then the editor is focused again.
   */
  async reveal(): Promise<void> {
    if (this.view) {
      this.view.show(true);
      return;
    }
    const editor = vscode.window.activeTextEditor;
    await vscode.commands.executeCommand(`${COMPARISON_VIEW}.focus`);
    if (editor)
      await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  }

  dispose(): void {
    this.endpoint?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
