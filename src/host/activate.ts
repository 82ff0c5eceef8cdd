import * as vscode from 'vscode';
import { registerLayerSignals } from '../annotations/registerLayerSignals';
import { registerLabs } from '../labs/registerLabs';
import { registerLessons } from '../lessons/registerLessons';
import { registerTraining } from '../training/registerTraining';
import type { HostPlatform } from './platform';

/**
 * Builds the extension's features on the platform `makePlatform` makes (the Node or the web one, chosen by the entry
 * point): each feature folder's one `register…` returns its disposables, which go into `context.subscriptions`.
 */
export function activateFeatures(
  context: vscode.ExtensionContext,
  makePlatform: (log: vscode.LogOutputChannel) => HostPlatform,
): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('DNN Lab', { log: true });
  context.subscriptions.push(log);
  const platform = makePlatform(log);
  // `typeof process` says which runtime really loaded this bundle: "object" in Node, "undefined" in a web worker;
  // crossOriginIsolated whether the kernels can have helper threads there (SharedArrayBuffer).
  log.info(
    `DNN Lab ${String(context.extension.packageJSON.version)} activated in the ${platform.kind} extension host (typeof process: ${typeof process}, crossOriginIsolated: ${String((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false)})`,
  );
  // Each feature returns its disposables; training also gives the runs that labs and the δ annotations follow.
  const training = registerTraining(context, log, platform);
  context.subscriptions.push(
    ...registerLessons(context, log, platform),
    ...training.disposables,
    ...registerLabs(context, log, training.runs),
    ...registerLayerSignals(log, platform, training.runs),
  );
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
}
