import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfigError } from '../engine/config/configError';
import type { LabConfigParse } from '../engine/config/parseLabConfig';
import { explicitDataFolder } from '../engine/data/locations';
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

/** What resolveDataLocation needs from the machine: the packaged MNIST, the environment and the home folder. */
export interface DataMachine {
  /** The folder of the MNIST the package carries, or undefined in a build without it. */
  packagedMnist: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
}

/**
 * Resolves MNIST's location for a run started from `documentUri`: DNN_LAB_DATA, then the dnnLab.dataFolder
 * setting (a relative path counts from the document's workspace folder; see `absoluteDataFolder` for a file in
 * none), then the copy packaged with the extension, else the cache in `globalStorageUri` (downloaded once).
 * Shared by every feature that trains or probes a network (through HostPlatform), so they all read the same data.
 */
export function resolveDataLocation(
  globalStorageUri: vscode.Uri,
  documentUri: vscode.Uri | undefined,
  machine: DataMachine,
): DataLocation {
  const setting = vscode.workspace.getConfiguration('dnnLab', documentUri).get<string>('dataFolder', '');
  const chosen = explicitDataFolder({ setting }, machine.env);
  const cacheDir = path.join(globalStorageUri.fsPath, 'mnist');
  if (!chosen) return { dataFolder: machine.packagedMnist, cacheDir };
  return { dataFolder: absoluteDataFolder(chosen, labFilePlace(documentUri), machine.home), cacheDir };
}

/** Where `documentUri` sits among the window's folders; only a `file` document has a file on disk. */
export function labFilePlace(documentUri: vscode.Uri | undefined): LabFilePlace {
  return {
    workspaceFolder: documentUri && vscode.workspace.getWorkspaceFolder(documentUri)?.uri.fsPath,
    firstWorkspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    file: documentUri?.scheme === 'file' ? documentUri.fsPath : undefined,
  };
}

/**
 * The lab config as DNN Lab may use it in this window. In Restricted Mode (the folder is not trusted) a
 * config's `dataset.path` is not followed: DNN Lab then reads MNIST only from its own package, and the path
 * becomes a config error on its line that says how to trust the folder. Lab files are data, so everything
 * else (lessons, annotations, training on the packaged MNIST) works untrusted. Workspace values of
 * dnnLab.dataFolder, backend and threads are held back by VS Code itself (package.json's
 * restrictedConfigurations).
 */
export function withWorkspaceTrust(parsed: LabConfigParse): LabConfigParse {
  const dataset = parsed.config?.dataset;
  if (vscode.workspace.isTrusted || dataset?.kind !== 'path') return parsed;
  const error: ConfigError = {
    path: 'dataset',
    message: vscode.l10n.t(
      'dataset.path "{0}" is not read in Restricted Mode: this folder is not trusted. Trust it (Manage Workspace Trust in the Command Palette, or the Restricted Mode indicator in the status bar) to train on that folder, or remove "dataset" to train on the MNIST that comes with DNN Lab.',
      dataset.path,
    ),
    range: parsed.ranges.fields.get('dataset') ?? { offset: 0, length: 0 },
  };
  return { errors: [error], errorCount: 1, ranges: parsed.ranges };
}
