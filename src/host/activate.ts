import * as vscode from 'vscode';
import { registerLayerSignals } from '../annotations/registerLayerSignals';
import { registerLabs } from '../labs/registerLabs';
import { registerLessons } from '../lessons/lessonCommands';
import { registerTraining } from '../training/trainingCommands';
import type { HostPlatform } from './platform';

/**
 * Builds the extension's parts on the platform `makePlatform` makes (the Node or the web one, chosen by the entry point); each owns its
 * registrations and is disposed with the extension.
 */
export function activateFeatures(
  context: vscode.ExtensionContext,
  makePlatform: (log: vscode.LogOutputChannel) => HostPlatform,
): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('DNN Lab', { log: true });
  context.subscriptions.push(log);
  const platform = makePlatform(log);
  // `typeof process` says which runtime really loaded this bundle: "object" in Node, "undefined" in a web worker.
  log.info(
    `DNN Lab ${String(context.extension.packageJSON.version)} activated in the ${platform.kind} extension host (typeof process: ${typeof process})`,
  );
  context.subscriptions.push(...registerLessons(context, log, platform));
  const training = registerTraining(context, log, platform);
  context.subscriptions.push(...registerLabs(context, log, training));
  context.subscriptions.push(...registerLayerSignals(log, platform, training));
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
}
