/** The engine settings every training run started in VS Code reads, one rule for the labs and the lessons. */
import * as vscode from 'vscode';
import type { BackendPreference } from '../engine/kernels/backend';
// Only node:os: the extension host must not load the engine's kernels.
import { automaticThreads } from '../engine/kernels/threads';

/** `dnnLab.backend`, and `dnnLab.threads` where 0 means automatic, keeping a core for the VS Code window. */
export function engineSettings(scope?: vscode.Uri): { backend: BackendPreference; threads: number } {
  const settings = vscode.workspace.getConfiguration('dnnLab', scope);
  return {
    backend: settings.get<BackendPreference>('backend', 'auto'),
    threads: settings.get<number>('threads', 0) || automaticThreads(1),
  };
}
