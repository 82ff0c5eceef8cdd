import * as path from 'node:path';
import * as vscode from 'vscode';
import { locateErrors, type ConfigError } from '../engine/config/configError';
import { parseLabConfig, type LabConfigParse } from '../engine/config/parseLabConfig';
import type { PanelError } from '../protocol/trainingPageProtocol';
import { RunFailedError } from '../worker/trainingHandle';
import type { ConfigDiagnostics } from './configDiagnostics';
import type { RunFailed, RunInfo } from './trainingRuns';

/** A failure as the subscribers hear it (`onDidFailRun`) and as the panel shows it. */
export interface Failure {
  failure: RunFailed;
  shown: PanelError;
}

/** Tells the user a run's record could not be written (see RunSaveQueue: once per run); training goes on. */
export function tellUnsaved(runId: string, dir: string, message: string): void {
  void vscode.window.showWarningMessage(
    vscode.l10n.t(
      'DNN Lab could not save run {0} in {1}: {2}. Training goes on, but this run will be missing from the run history.',
      runId,
      dir,
      message,
    ),
  );
}

/** A document that did not validate: nothing trains; the errors are already Diagnostics on its lines. */
export function configFailure(
  document: vscode.TextDocument,
  parsed: LabConfigParse,
): Failure & { located: ReturnType<typeof locateErrors> } {
  const file = path.basename(document.uri.fsPath);
  const located = locateErrors(document.getText(), parsed.errors);
  const message = vscode.l10n.t(
    '{0} has {1} error(s); the first: {2}',
    file,
    parsed.errorCount,
    parsed.errors[0]?.message ?? '',
  );
  return {
    failure: { documentUri: document.uri, kind: 'config', message, configErrors: parsed.errors },
    shown: { file, documentUri: document.uri.toString(), kind: 'config', message, configErrors: located },
    located,
  };
}

/**
 * A run that failed in the worker. An error about one config field (a data folder that cannot be read names
 * "dataset.path") is placed on that field's line as a Diagnostic, as a config error would be.
 */
export function runFailure(info: RunInfo, err: unknown, diagnostics: ConfigDiagnostics): Failure {
  const event = err instanceof RunFailedError ? err.event : { kind: 'internal' as const, message: String(err) };
  const where = 'epoch' in event ? { epoch: event.epoch, batch: event.batch, layer: event.layer } : {};
  const onLine =
    'field' in event && event.field
      ? errorOnField(info.documentUri, event.field, event.message, diagnostics)
      : undefined;
  return {
    failure: {
      documentUri: info.documentUri,
      run: info,
      kind: event.kind,
      message: event.message,
      ...where,
      ...(onLine && { configErrors: [onLine.error] }),
    },
    shown: {
      file: path.basename(info.documentUri.fsPath),
      documentUri: info.documentUri.toString(),
      runId: info.id,
      kind: event.kind,
      message: event.message,
      ...(onLine && { configErrors: onLine.located }),
    },
  };
}

/** The error placed on `field`'s line of the open document; undefined when the document or the field is gone. */
function errorOnField(documentUri: vscode.Uri, field: string, message: string, diagnostics: ConfigDiagnostics) {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === documentUri.toString());
  if (!document) return undefined;
  const text = document.getText();
  const range = parseLabConfig(text).ranges.fields.get(field);
  if (!range) return undefined;
  const error: ConfigError = { path: field, message, range };
  diagnostics.set(document, [error]);
  return { error, located: locateErrors(text, [error]) };
}
