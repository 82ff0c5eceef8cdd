import * as vscode from 'vscode';
import { errorReplacement } from '../engine/config/configChecker';
import type { ConfigError } from '../engine/config/configError';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import { withWorkspaceTrust } from '../host/dataLocation';
import { isLabFile, LAB_FILE_PATTERN } from '../host/labFiles';

/** The `source` of config errors in the Problems panel; the quick fixes answer only these. */
export const CONFIG_SOURCE = 'DNN Lab';

/** Milliseconds after the last keystroke before a lab file is validated again: past a burst of typing, well under a second. */
export const LIVE_VALIDATION_MS = 250;

/**
 * Config errors as Diagnostics on the lines they name, in one collection: DNN Lab's own validation, run as the
 * student types (debounced) in every open lab file and again by each run attempt, so the Problems panel lists each
 * mistake once, in DNN Lab's words (the JSON schema only completes and documents; it does not validate). A "did you
 * mean" or "remove the quotes" comes with a quick fix.
 */
export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('dnn-lab');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The errors last shown per document, which the quick fixes read. */
  private readonly shown = new Map<string, readonly ConfigError[]>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly delayMs = LIVE_VALIDATION_MS) {
    this.disposables = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.validateNow(document)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length > 0) this.schedule(document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() =>
        vscode.workspace.textDocuments.forEach((d) => this.validateNow(d)),
      ),
      vscode.languages.registerCodeActionsProvider({ pattern: LAB_FILE_PATTERN }, new ConfigQuickFixes(this), {
        providedCodeActionKinds: ConfigQuickFixes.kinds,
      }),
    ];
    for (const document of vscode.workspace.textDocuments) this.validateNow(document);
  }

  /** Shows `errors` on `document`, replacing what was there; an empty list clears it. */
  set(document: vscode.TextDocument, errors: readonly ConfigError[]): void {
    clearTimeout(this.timers.get(document.uri.toString()));
    this.timers.delete(document.uri.toString());
    this.shown.set(document.uri.toString(), errors);
    this.collection.set(
      document.uri,
      errors.map((error) => {
        const diagnostic = new vscode.Diagnostic(
          rangeOf(document, error),
          error.message,
          vscode.DiagnosticSeverity.Error,
        );
        diagnostic.source = CONFIG_SOURCE;
        diagnostic.code = error.path || undefined;
        return diagnostic;
      }),
    );
  }

  /** True when `uri` currently shows errors. */
  has(uri: vscode.Uri): boolean {
    return (this.collection.get(uri)?.length ?? 0) > 0;
  }

  /** The shown error a diagnostic stands for (same range and message), if it is still shown. */
  errorOf(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): ConfigError | undefined {
    return this.shown
      .get(document.uri.toString())
      ?.find((e) => e.message === diagnostic.message && rangeOf(document, e).isEqual(diagnostic.range));
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isLabFile(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.validateNow(document);
      }, this.delayMs),
    );
  }

  private validateNow(document: vscode.TextDocument): void {
    if (!isLabFile(document.uri) || document.isClosed) return;
    this.set(document, withWorkspaceTrust(parseLabConfig(document.getText())).errors);
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.shown.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** "Change "relux" to "relu"", "Remove the quotes": what a config error's hint says, as a preferred quick fix. */
class ConfigQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: ConfigDiagnostics) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    return context.diagnostics.flatMap((diagnostic) => {
      if (diagnostic.source !== CONFIG_SOURCE) return [];
      const error = this.diagnostics.errorOf(document, diagnostic);
      const replacement = error && errorReplacement(error, document.getText());
      if (replacement === undefined) return [];
      const current = document.getText(diagnostic.range);
      const title = replacement.startsWith('"')
        ? vscode.l10n.t('Change {0} to {1}', current, replacement)
        : vscode.l10n.t('Remove the quotes: {0}', replacement);
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, replacement);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}

function rangeOf(document: vscode.TextDocument, error: ConfigError): vscode.Range {
  const start = document.positionAt(error.range.offset);
  const end = document.positionAt(error.range.offset + Math.max(error.range.length, 1));
  return new vscode.Range(start, end);
}
