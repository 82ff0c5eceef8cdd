import * as vscode from 'vscode';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import { sweepRunCount } from '../engine/sweep/expandSweep';
import { LAB_FILE_PATTERN } from '../host/labFiles';
import type { TrainingRuns } from '../training/trainingRuns';
import { readmeOf } from './openLab';

/**
 * The one-click actions at the top of every lab config: "Run" (every combination for a sweep), "Run & grade" when
 * the config names a Corelab problem, and "Stop" while something trains.
 */
export class LabCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly session: TrainingRuns) {
    const refresh = () => this.changed.fire();
    this.disposables = [
      this.changed,
      vscode.languages.registerCodeLensProvider({ pattern: LAB_FILE_PATTERN }, this),
      session.onDidStartRun(refresh),
      session.onDidFinishRun(refresh),
      session.onDidFailRun(refresh),
      // VS Code asks again on its own only when the text changes: a lab opened before DNN Lab activated (a restored
      // window, Open Lab) would show its lenses only after the first click into it.
      vscode.window.onDidChangeVisibleTextEditors(refresh),
    ];
    setTimeout(refresh, 0);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const text = document.getText();
    // Above the opening brace, after the comment that explains the lab.
    const brace = text.indexOf('{');
    const line = new vscode.Range(document.positionAt(Math.max(0, brace)), document.positionAt(Math.max(0, brace)));
    if (this.session.current) {
      return [new vscode.CodeLens(line, { title: `$(debug-stop) ${vscode.l10n.t('Stop')}`, command: 'dnnLab.stopRun' })];
    }
    const { config } = parseLabConfig(text);
    const runs = config ? sweepRunCount(config) : 1;
    const lenses = [
      new vscode.CodeLens(line, {
        title: runs > 1 ? `$(play) ${vscode.l10n.t('Run all {0} combinations', runs)}` : `$(play) ${vscode.l10n.t('Run')}`,
        tooltip: vscode.l10n.t('Train this config in the training panel'),
        command: runs > 1 ? 'dnnLab.runSweep' : 'dnnLab.runLab',
        arguments: [document.uri],
      }),
    ];
    // A config with errors still offers grading when it names a problem: grading then shows what to fix.
    if (config?.problem !== undefined || /"problem"\s*:\s*"corelab-\d"/.test(text)) {
      lenses.push(
        new vscode.CodeLens(line, {
          title: `$(beaker) ${vscode.l10n.t('Run & grade')}`,
          tooltip: vscode.l10n.t('Check the problem\'s requirements, then train and grade the result in the Test Explorer'),
          command: 'dnnLab.gradeLab',
          arguments: [document.uri],
        }),
      );
    }
    // A lab's README, for a config in a lab folder: one click opens it beside the config, when the student wants it.
    const readme = readmeOf(vscode.Uri.joinPath(document.uri, '..'));
    if (await exists(readme)) {
      lenses.push(
        new vscode.CodeLens(line, {
          title: `$(book) ${vscode.l10n.t('README')}`,
          tooltip: vscode.l10n.t("Open this lab's instructions beside the config"),
          command: 'markdown.showPreviewToSide',
          arguments: [readme],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
