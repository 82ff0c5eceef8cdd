import type * as vscode from 'vscode';
import { activateFeatures } from '../host/activate';
import { webPlatform } from './webPlatform';

/** The web-worker extension host's entry (package.json `browser`, vscode.dev and github.dev): the features on Web Workers and `vscode.workspace.fs`. */
export function activate(context: vscode.ExtensionContext): void {
  activateFeatures(context, (log) => webPlatform(context, log));
}

export function deactivate(): void {}
