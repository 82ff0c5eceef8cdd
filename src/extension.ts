import type * as vscode from 'vscode';
import { activateFeatures } from './host/activate';
import { nodePlatform } from './host/nodePlatform';

/** The Node extension host's entry (package.json `main`): the features on worker threads and node:fs. */
export function activate(context: vscode.ExtensionContext): void {
  activateFeatures(context, (log) => nodePlatform(context, log));
}

export function deactivate(): void {}
