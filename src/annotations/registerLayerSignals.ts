import * as vscode from 'vscode';
import { LAB_FILE_PATTERN } from '../host/labFiles';
import type { HostPlatform } from '../host/platform';
import { ProbeClient } from '../worker/probeClient';
import { LayerSignalsController, type TrainingEvents } from './layerSignalsController';
import { SignalCodeLens } from './signalCodeLens';
import { SignalQuickFixes } from './signalDiagnostics';
import { SignalTable } from './signalTable';

// By name only, so that a lab file gets hovers and quick fixes whatever its scheme and folder, as it gets annotations.
const LAB_CONFIGS: vscode.DocumentSelector = { pattern: LAB_FILE_PATTERN };

/**
 * The per-layer error signals in the editor: annotations, hovers, diagnostics with quick fixes, and the table
 * command. Pass the training runs so the annotations follow training as well as edits.
 */
export function registerLayerSignals(
  log: vscode.LogOutputChannel,
  platform: HostPlatform,
  training?: TrainingEvents,
): vscode.Disposable[] {
  const client = new ProbeClient(
    () => platform.probeTransport(),
    (message) => log.info(message),
  );
  const controller = new LayerSignalsController(client, (uri) => platform.resolveDataLocation(uri), log, training);
  return [
    controller,
    new SignalCodeLens(controller, LAB_CONFIGS),
    new SignalTable(controller),
    vscode.languages.registerHoverProvider(LAB_CONFIGS, {
      provideHover: (document, position) => controller.hoverAt(document, position),
    }),
    vscode.languages.registerCodeActionsProvider(LAB_CONFIGS, new SignalQuickFixes(), {
      providedCodeActionKinds: SignalQuickFixes.kinds,
    }),
  ];
}
