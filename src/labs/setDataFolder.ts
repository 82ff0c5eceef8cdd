import * as vscode from 'vscode';
import { MNIST_FILES } from '../engine/data/mnistFiles';

/** The command id of "DNN Lab: Set the MNIST Folder…", which the walkthrough and data errors link to. */
export const SET_DATA_FOLDER = 'dnnLab.setDataFolder';

/**
 * Where a new value of `dnnLab.dataFolder` goes so that this window reads it: the workspace when the workspace
 * already sets it (a user value would be overridden there), else the user settings, which VS Code writes to the
 * *Remote* tab in a remote window for a machine-overridable setting like this one (its User tab shows "No Settings
 * Found" there: the remote extension host does not read the local user settings).
 */
export function dataFolderTarget(inspected: { workspaceValue?: unknown } | undefined): vscode.ConfigurationTarget {
  return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/**
 * "DNN Lab: Set the MNIST Folder…": picks a folder with the system's (or, in a remote window, the remote machine's)
 * folder dialog, checks that it holds MNIST's four files, and saves it in the settings this window reads; "Use the
 * bundled MNIST" clears it.
 */
export async function setDataFolder(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('dnnLab');
  const inspected = configuration.inspect<string>('dataFolder');
  const target = dataFolderTarget(inspected);
  const current = configuration.get<string>('dataFolder', '');
  const choose = vscode.l10n.t('Choose a folder…');
  const bundled = vscode.l10n.t('Use the MNIST that comes with DNN Lab');
  const picked = await vscode.window.showQuickPick(
    [
      { label: `$(folder-opened) ${choose}`, id: 'choose' as const },
      { label: `$(package) ${bundled}`, description: current === '' ? vscode.l10n.t('(in use)') : '', id: 'bundled' as const },
    ],
    {
      title: vscode.l10n.t('MNIST for DNN Lab'),
      placeHolder:
        current === ''
          ? vscode.l10n.t('DNN Lab comes with MNIST: nothing to set unless your course gives you its own copy')
          : vscode.l10n.t('Now: {0}', current),
    },
  );
  if (picked === undefined) return;
  if (picked.id === 'bundled') {
    await configuration.update('dataFolder', undefined, target);
    void vscode.window.showInformationMessage(vscode.l10n.t('DNN Lab trains on the MNIST that comes with it.'));
    return;
  }
  const folders = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Use this MNIST folder'),
    title: vscode.l10n.t('The folder with the four MNIST files (train-images-idx3-ubyte.gz, …)'),
  });
  const folder = folders?.[0];
  if (folder === undefined) return;
  const missing = await missingFiles(folder);
  if (missing.length > 0) {
    const anyway = vscode.l10n.t('Use it anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} does not hold {1}. DNN Lab needs the four MNIST files there (.gz or not).', folder.fsPath, missing.join(', ')),
      { modal: true },
      anyway,
    );
    if (choice !== anyway) return;
  }
  await configuration.update('dataFolder', folder.fsPath, target);
  const where =
    target === vscode.ConfigurationTarget.Workspace
      ? vscode.l10n.t('the workspace settings')
      : vscode.env.remoteName !== undefined
        ? vscode.l10n.t('the Remote settings of this window ({0})', vscode.env.remoteName)
        : vscode.l10n.t('your user settings');
  void vscode.window.showInformationMessage(vscode.l10n.t('dnnLab.dataFolder is {0}, saved in {1}.', folder.fsPath, where));
}

/** The MNIST files (by their .gz name) that neither their .gz nor their raw name holds in `folder`. */
async function missingFiles(folder: vscode.Uri): Promise<string[]> {
  const names = new Set<string>();
  try {
    for (const [name] of await vscode.workspace.fs.readDirectory(folder)) names.add(name);
  } catch {
    // An unreadable folder holds none of them; the warning says which.
  }
  return MNIST_FILES.filter((file) => ![file.name, ...file.rawNames].some((n) => names.has(n) || names.has(`${n}.gz`))).map(
    (file) => file.name,
  );
}
