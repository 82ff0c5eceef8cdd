import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explicitDataFolder } from '../engine/data/locations';
import { MNIST_FILES } from '../engine/data/mnistFiles';
import { absoluteDataFolder, type LabFilePlace } from './labFiles';

/** Where a run finds MNIST: the folder the user named or the package's own copy, else the cache a download goes to. */
export interface DataLocation {
  /**
   * Absolute folder from DNN_LAB_DATA or the dnnLab.dataFolder setting, else the MNIST packaged with the
   * extension; undefined means "use the cache" (a development build without dist/mnist).
   */
  dataFolder?: string;
  /** The extension's own download cache, under its global storage. */
  cacheDir: string;
}

/**
 * The MNIST files the vsix carries (npm run package puts them in dist/mnist/, beside this bundle), or undefined
 * in a build without them. Checked once: the package does not change while the extension runs.
 */
let packagedMnist: string | null | undefined;
function packagedMnistFolder(): string | undefined {
  if (packagedMnist === undefined) {
    const dir = path.join(__dirname, 'mnist');
    packagedMnist = MNIST_FILES.every((file) => existsSync(path.join(dir, file.name))) ? dir : null;
  }
  return packagedMnist ?? undefined;
}

/**
 * Resolves MNIST's location for a run started from `documentUri`: DNN_LAB_DATA, then the dnnLab.dataFolder
 * setting (a relative path counts from the document's workspace folder; see `absoluteDataFolder` for a file in
 * none), then the copy packaged with the extension, else the cache in `globalStorageUri` (downloaded once).
 * Shared by every feature that trains or probes a network, so they all read the same data.
 */
export function resolveDataLocation(globalStorageUri: vscode.Uri, documentUri?: vscode.Uri, env: NodeJS.ProcessEnv = process.env): DataLocation {
  const setting = vscode.workspace.getConfiguration('dnnLab', documentUri).get<string>('dataFolder', '');
  const chosen = explicitDataFolder({ setting }, env);
  const cacheDir = path.join(globalStorageUri.fsPath, 'mnist');
  if (!chosen) return { dataFolder: packagedMnistFolder(), cacheDir };
  return { dataFolder: absoluteDataFolder(chosen, labFilePlace(documentUri), homedir()), cacheDir };
}

/** Where `documentUri` sits among the window's folders; only a `file` document has a file on disk. */
export function labFilePlace(documentUri: vscode.Uri | undefined): LabFilePlace {
  return {
    workspaceFolder: documentUri && vscode.workspace.getWorkspaceFolder(documentUri)?.uri.fsPath,
    firstWorkspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    file: documentUri?.scheme === 'file' ? documentUri.fsPath : undefined,
  };
}
