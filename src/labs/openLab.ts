import * as vscode from 'vscode';
import { LABS, planCopy, starterFiles, type LabEntry, type LabFolders } from './labCatalog';

/** Titles and one-line descriptions in the quick pick, localized. */
function describe(lab: LabEntry): { label: string; detail: string } {
  switch (lab.id) {
    case 'lab01':
      return { label: vscode.l10n.t('Lab01: train and validate a DNN'), detail: vscode.l10n.t('Train on MNIST, compare training and test accuracy, and make a network overfit.') };
    case 'lab02':
      return { label: vscode.l10n.t('Lab02: change the batch size'), detail: vscode.l10n.t('Compare batch sizes 32 to 2048: noise of the curves and time per epoch.') };
    case 'lab03':
      return { label: vscode.l10n.t('Lab03: change the learning rate and the initialization'), detail: vscode.l10n.t('Compare learning rates and initializers: divergence, symmetry, vanishing deltas.') };
    case 'corelab-1':
      return { label: vscode.l10n.t('Corelab 1 (basic): 5 layers, EPOCH=20, batch size 300, Adam 0.02'), detail: vscode.l10n.t('Change the given DNN to 5 layers and report the training accuracy.') };
    case 'corelab-2':
      return { label: vscode.l10n.t('Corelab 2 (intermediate): the same with batch size 640'), detail: vscode.l10n.t('Change the given DNN to 5 layers and report the training accuracy.') };
    default:
      return { label: vscode.l10n.t('Corelab 3 (advanced): learning rate 0.01 against 0.001'), detail: vscode.l10n.t('Choose the epochs and batch size; compare the two learning rates.') };
  }
}

/**
 * Opens a lab: asks which one (unless `id` names it), copies its starter files into `<workspace folder>/<id>/`,
 * asking before replacing files the student changed, then opens the config with its README in a tab behind it.
 */
export async function openLab(extensionUri: vscode.Uri, kind: LabEntry['kind'], id?: string): Promise<void> {
  const lab = id !== undefined ? LABS.find((l) => l.id === id) : await pickLab(kind);
  if (!lab) {
    if (id !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('There is no lab "{0}"; the labs are {1}.', id, LABS.map((l) => l.id).join(', ')));
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const open = vscode.l10n.t('Open Folder…');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Labs are copied into your workspace: open a folder first, then open the lab again.'), open);
    if (choice === open) await vscode.commands.executeCommand('vscode.openFolder');
    return;
  }
  const target = vscode.Uri.joinPath(folder.uri, lab.id);
  const files = await starterFiles(extensionLabs(extensionUri), lab.id);
  const existing = new Map<string, string>();
  for (const file of files) {
    const text = await readText(vscode.Uri.joinPath(target, file.name));
    if (text !== undefined) existing.set(file.name, text);
  }
  const plan = planCopy(files, (name) => existing.get(name));
  let toWrite = plan.create;
  if (plan.edited.length > 0) {
    const replace = vscode.l10n.t('Replace with the starter files');
    const keep = vscode.l10n.t('Keep my files');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already has your changes in {1}. Keep them, or replace them with the starter files?', lab.id, plan.edited.map((f) => f.name).join(', ')),
      { modal: true },
      keep,
      replace,
    );
    if (choice === undefined) return;
    if (choice === replace) toWrite = [...toWrite, ...plan.edited];
  }
  for (const file of toWrite) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(target, file.name), new TextEncoder().encode(file.text));
  const config = vscode.Uri.joinPath(target, lab.mainFile);
  // The README opens as a preview tab in the config's own group, behind it, rather than as a group beside it: beside
  // the config and the training panel it left the config ~340 px. Its tab and the config's README CodeLens open it.
  const editor = await vscode.window.showTextDocument(config, { preview: false });
  await vscode.commands.executeCommand('markdown.showPreview', readmeOf(target));
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preview: false });
}

/** The README of a lab folder in the display language: 繁體中文 for any Chinese, else English. */
export function readmeOf(folder: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(folder, vscode.env.language.toLowerCase().startsWith('zh') ? 'README.zh-tw.md' : 'README.md');
}

async function pickLab(kind: LabEntry['kind']): Promise<LabEntry | undefined> {
  const items = LABS.filter((lab) => lab.kind === kind).map((lab) => ({ ...describe(lab), lab }));
  const picked = await vscode.window.showQuickPick(items, {
    title: kind === 'lab' ? vscode.l10n.t('Open Lab') : vscode.l10n.t('Open Corelab Problem'),
    placeHolder: vscode.l10n.t('The starter files are copied into a folder of your workspace'),
    matchOnDetail: true,
  });
  return picked?.lab;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    // Only a missing file is "not there yet"; anything else (permissions) must not lead to overwriting it.
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
    throw err;
  }
}

/** The extension's labs/ through `vscode.workspace.fs`: the extension's folder is a URL in the browser's extension host. */
function extensionLabs(extensionUri: vscode.Uri): LabFolders {
  const folder = (id: string) => vscode.Uri.joinPath(extensionUri, 'labs', id);
  return {
    fileNames: async (id) =>
      (await vscode.workspace.fs.readDirectory(folder(id)))
        .filter(([, type]) => type === vscode.FileType.File)
        .map(([name]) => name),
    readText: async (id, name) =>
      new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder(id), name))),
  };
}
