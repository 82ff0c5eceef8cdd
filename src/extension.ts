import * as vscode from 'vscode';

/** Builds the extension's parts; each owns its registrations and is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('DNN Lab', { log: true });
  context.subscriptions.push(log);
  log.info(`DNN Lab ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
