import * as vscode from 'vscode';
import type { ConfigError } from '../engine/config/configError';

/** Config errors as Diagnostics on the lines they name, in one collection owned by the training session. */
export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('dnn-lab');

  /** Shows `errors` on `document`, replacing what was there; an empty list clears it. */
  set(document: vscode.TextDocument, errors: readonly ConfigError[]): void {
    this.collection.set(
      document.uri,
      errors.map((error) => {
        const start = document.positionAt(error.range.offset);
        const end = document.positionAt(error.range.offset + Math.max(error.range.length, 1));
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(start, end),
          error.message,
          vscode.DiagnosticSeverity.Error,
        );
        diagnostic.source = 'DNN Lab';
        diagnostic.code = error.path || undefined;
        return diagnostic;
      }),
    );
  }

  /** True when `uri` currently shows errors from a run attempt. */
  has(uri: vscode.Uri): boolean {
    return (this.collection.get(uri)?.length ?? 0) > 0;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
