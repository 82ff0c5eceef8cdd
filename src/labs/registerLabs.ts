import * as vscode from 'vscode';
import type { TrainingRuns } from '../training/trainingRuns';
import { CorelabTests } from './corelabTests';
import { LabCodeLens } from './labCodeLens';
import { openLab } from './openLab';
import { SET_DATA_FOLDER, setDataFolder } from './setDataFolder';
import { SweepRunner } from './sweepRunner';

/** The labs feature: Open Lab / Open Corelab Problem, the CodeLens actions, sweeps, and Corelab grading in the Test Explorer. */
export function registerLabs(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, session: TrainingRuns): vscode.Disposable[] {
  const sweeps = new SweepRunner(session, log, context.extensionUri);
  const tests = new CorelabTests(session, log);
  const target = (uri: unknown) => (uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
  return [
    sweeps,
    tests,
    new LabCodeLens(session),
    vscode.commands.registerCommand(SET_DATA_FOLDER, () => setDataFolder()),
    vscode.commands.registerCommand('dnnLab.openLab', (id?: unknown) => openLab(context.extensionUri, 'lab', typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand('dnnLab.openCorelab', (id?: unknown) => openLab(context.extensionUri, 'corelab', typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand('dnnLab.runSweep', async (uri?: unknown) => {
      const file = target(uri);
      if (file) await sweeps.run(await vscode.workspace.openTextDocument(file));
    }),
    vscode.commands.registerCommand('dnnLab.gradeLab', async (uri?: unknown) => {
      const file = target(uri);
      if (file) await tests.grade(file);
    }),
  ];
}
