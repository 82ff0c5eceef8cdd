import * as vscode from 'vscode';
import type { HostPlatform } from '../host/platform';
import { workspaceRunStore } from '../host/runStore';
import { startWebTraining, WebWorkerFactory, webProbeTransport } from './webWorkers';

/**
 * The browser's web-worker extension host (vscode.dev, github.dev, code-server with `remote.extensionKind` web):
 * training and probes in Web Workers, the kernels' wasm and MNIST read from the extension's URI through
 * `vscode.workspace.fs`, runs kept through `vscode.workspace.fs` in the lab file's folder (or the extension's
 * storage where that cannot be written).
 */
export function webPlatform(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): HostPlatform {
  const workers = new WebWorkerFactory(context.extensionUri);
  const navigatorInfo = (globalThis as { navigator?: { hardwareConcurrency?: number; userAgent?: string } }).navigator;
  return {
    kind: 'web',
    startTraining: (request, onEvent, warn) => startWebTraining(workers, request, onEvent, warn),
    probeTransport: () => webProbeTransport(workers),
    // A browser has no environment variables and no folders to read: the packaged MNIST, unless the setting names
    // a folder, which the worker then refuses with a message naming the setting.
    resolveDataLocation: (documentUri) => {
      const setting = vscode.workspace.getConfiguration('dnnLab', documentUri).get<string>('dataFolder', '').trim();
      return { dataFolder: setting || undefined, cacheDir: '' };
    },
    runStore: (documentUri) => workspaceRunStore(documentUri, context.globalStorageUri, (m) => log.warn(m)),
    machine: () => ({
      node: 'none (web worker extension host)',
      platform: 'web',
      arch: navigatorInfo?.userAgent?.match(/\b(x86_64|x64|arm64|aarch64)\b/i)?.[1] ?? 'unknown',
      cpus: navigatorInfo?.hardwareConcurrency ?? 1,
    }),
    measureEventLoop: () => ({ stop: () => undefined }),
  };
}
