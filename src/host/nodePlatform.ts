import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { MNIST_FILES } from '../engine/data/mnistFiles';
import { RunHistory } from '../engine/record/runHistory';
import { workerTransport } from '../worker/probeClient';
import { startTraining } from '../worker/trainingClient';
import { labFilePlace, resolveDataLocation } from './dataLocation';
import { runsFolder } from './labFiles';
import type { HostPlatform } from './platform';
import { diskRunStore, workspaceRunStore } from './runStore';

/**
 * VS Code's Node extension host (desktop, Remote, Codespaces): worker threads from dist/, MNIST from dist/mnist/ or
 * a folder on disk, runs of files on disk through node:fs (RunHistory), those of a virtual folder through
 * `vscode.workspace.fs`.
 */
export function nodePlatform(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): HostPlatform {
  const dist = context.asAbsolutePath('dist');
  // Checked once: the package does not change while the extension runs.
  const mnist = path.join(dist, 'mnist');
  const packagedMnist = MNIST_FILES.every((file) => existsSync(path.join(mnist, file.name))) ? mnist : undefined;
  const warn = (message: string) => log.warn(message);
  return {
    kind: 'node',
    startTraining: (request, onEvent, log) => startTraining(path.join(dist, 'worker.js'), request, onEvent, log),
    probeTransport: () => workerTransport(path.join(dist, 'probeWorker.js')),
    resolveDataLocation: (documentUri) =>
      resolveDataLocation(context.globalStorageUri, documentUri, {
        packagedMnist,
        env: process.env,
        home: os.homedir(),
      }),
    runStore: (documentUri) => {
      if (!onDisk(documentUri)) return workspaceRunStore(documentUri, context.globalStorageUri, warn);
      return diskRunStore(new RunHistory(runsFolder(labFilePlace(documentUri), context.globalStorageUri.fsPath), warn));
    },
    machine: () => ({
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      cpus: os.cpus().length,
    }),
    measureEventLoop: () => {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      return {
        stop: () => {
          delay.disable();
          return `extension host event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`;
        },
      };
    },
  };
}

/** Whether a lab file's runs go to disk: a file on disk, or an untitled document (or none) in a window whose folder is on disk. */
function onDisk(documentUri: vscode.Uri | undefined): boolean {
  if (documentUri?.scheme === 'file') return true;
  if (documentUri !== undefined && documentUri.scheme !== 'untitled') return false;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder === undefined || folder.scheme === 'file';
}
