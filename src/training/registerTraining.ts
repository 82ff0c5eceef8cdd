import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import { sweepRunCount } from '../engine/sweep/expandSweep';
import { TrainingPanel } from './trainingPanel';
import { keepRunWeights } from './runWeightsStore';
import { isLabFile } from '../host/labFiles';
import type { HostPlatform } from '../host/platform';
import { RunStatusBar } from './runStatusBar';
import { TrainingSession } from './trainingSession';
import type { TrainingRuns } from './trainingRuns';
import { errorText } from '../engine/errorText';

/** What the training feature gives the extension: its registrations, and the runs other features build on. */
export interface TrainingFeature {
  /** The session, the status bar, the panel's serializer and the commands, disposed with the extension. */
  readonly disposables: vscode.Disposable[];
  /** Training runs to start and to subscribe to (labs, sweeps, Corelab tests, the editor's δ annotations). */
  readonly runs: TrainingRuns;
}

/**
 * The training feature as the extension wires it: the session (the TrainingRuns API other features use),
 * the panel with its serializer, the status bar, and the commands Open Training Panel, Run Lab and Stop Run.
 */
export function registerTraining(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  platform: HostPlatform,
): TrainingFeature {
  const { extensionUri } = context;
  const session: TrainingSession = new TrainingSession({
    platform,
    log,
    extensionVersion: String(context.extension.packageJSON.version),
    showPanel: () => TrainingPanel.createOrShow(extensionUri, session, log),
  });
  const disposables = [
    session,
    new RunStatusBar(session),
    keepRunWeights(session, log),
    vscode.window.registerWebviewPanelSerializer(
      TrainingPanel.viewType,
      TrainingPanel.serializer(extensionUri, session, log),
    ),
    vscode.commands.registerCommand(
      'dnnLab.openTrainingPanel',
      () => void TrainingPanel.createOrShow(extensionUri, session, log),
    ),
    vscode.commands.registerCommand('dnnLab.runLab', (uri?: vscode.Uri) => runLab(session, log, uri)),
    vscode.commands.registerCommand('dnnLab.stopRun', () => {
      if (!session.current) void vscode.window.showInformationMessage(vscode.l10n.t('No training run is in progress.'));
      session.stop();
    }),
  ];
  return { disposables, runs: session };
}

/**
 * The lab file to run: the one the command names (editor title, explorer, panel), else the active editor's when it
 * is one, else the one lab file a visible editor shows (the palette opened from the training panel has no active
 * text editor; after a click in the Output view or on the README beside it, that is the active one). Otherwise
 * the active editor's file, for the message to name, or undefined.
 */
function labToRun(uri?: vscode.Uri): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri) return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isLabFile(active)) return active;
  const visible = new Map(
    vscode.window.visibleTextEditors
      .map((e) => e.document.uri)
      .filter(isLabFile)
      .map((u) => [u.toString(), u] as const),
  );
  return visible.size === 1 ? [...visible.values()][0] : active;
}

/** Runs the lab file `labToRun` finds; anything else gets a message saying what to open. */
async function runLab(session: TrainingSession, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<void> {
  const target = labToRun(uri);
  if (!target || !isLabFile(target)) {
    const shown = target ? path.basename(target.fsPath) : vscode.l10n.t('no file');
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'DNN Lab runs lab files named *.dnn.json; the active editor shows {0}. Open a lab file (e.g. labs/corelab-1/reference.dnn.json) and run it again.',
        shown,
      ),
    );
    return;
  }
  try {
    const document = await vscode.workspace.openTextDocument(target);
    // A sweep runs every combination in turn, which the labs feature does (its CodeLens goes there too).
    const { config } = parseLabConfig(document.getText());
    if (config && sweepRunCount(config) > 1) {
      await vscode.commands.executeCommand('dnnLab.runSweep', target);
      return;
    }
    const outcome = await session.runDocument(document);
    if (outcome.status === 'failed' && outcome.kind !== 'config') {
      void vscode.window.showErrorMessage(vscode.l10n.t('DNN Lab: the run failed: {0}', outcome.message));
    }
  } catch (err) {
    const message = errorText(err);
    log.error(`Run Lab failed for ${target.toString()}: ${message}`);
    void vscode.window.showErrorMessage(
      vscode.l10n.t('DNN Lab could not run {0}: {1}', path.basename(target.fsPath), message),
    );
  }
}
