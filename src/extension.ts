import * as vscode from 'vscode';
import { registerTraining } from './training/trainingCommands';
import { registerLayerSignals } from './annotations/registerLayerSignals';
import { registerLabs } from './labs/registerLabs';
import { registerLessons } from './lessons/lessonCommands';

/** Builds the extension's parts; each owns its registrations and is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('DNN Lab', { log: true });
  context.subscriptions.push(log);
  log.info(`DNN Lab ${String(context.extension.packageJSON.version)} activated`);
  context.subscriptions.push(...registerLessons(context, log));
  const training = registerTraining(context, log);
  context.subscriptions.push(...registerLabs(context, log, training));
  context.subscriptions.push(...registerLayerSignals(context, log, training));
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {}
