import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explicitDataFolder } from '../engine/data/locations';
import { absoluteDataFolder, type LabFilePlace } from './labFiles';

/** Where a run finds MNIST: the folder the user named (if any), and the cache a download goes to otherwise. */
export interface DataLocation {
  /** Absolute folder from DNN_LAB_DATA or the dnnLab.dataFolder setting; undefined means "use the cache". */
  dataFolder?: string;
  /** The extension's own download cache, under its global storage. */
  cacheDir: string;
}

/**
 * Resolves MNIST's location for a run started from `documentUri`: DNN_LAB_DATA, then the dnnLab.dataFolder
 * setting (a relative path counts from the document's workspace folder; see `absoluteDataFolder` for a file in
 * none), else the cache in `globalStorageUri`. Shared by every feature that trains or probes a network, so they
 * all read the same data.
 */
export function resolveDataLocation(globalStorageUri: vscode.Uri, documentUri?: vscode.Uri, env: NodeJS.ProcessEnv = process.env): DataLocation {
  const setting = vscode.workspace.getConfiguration('dnnLab', documentUri).get<string>('dataFolder', '');
  const chosen = explicitDataFolder({ setting }, env);
  const cacheDir = path.join(globalStorageUri.fsPath, 'mnist');
  if (!chosen) return { cacheDir };
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
