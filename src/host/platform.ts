import type * as vscode from 'vscode';
import type { RunEvent, RunRequest } from '../engine/run';
import type { RunEnvironment } from '../engine/record/runRecord';
import type { ProbeTransport } from '../worker/probeClient';
import type { TrainingHandle } from '../worker/trainingHandle';
import type { DataLocation } from './dataLocation';
import type { RunStore } from './runStore';

/** The facts of the machine a run record keeps (see RunEnvironment). */
export type MachineFacts = Pick<RunEnvironment, 'node' | 'platform' | 'arch' | 'cpus'>;

/**
 * What differs between VS Code's Node extension host (desktop, Remote, Codespaces) and its web-worker extension
 * host (vscode.dev, github.dev): workers, where MNIST and the runs are, and the machine's facts. The entry point
 * (src/extension.ts or src/web/extension.ts) builds one and hands it to every feature; nothing else asks which
 * host it runs in.
 */
export interface HostPlatform {
  /** 'node' in a Node extension host, 'web' in the browser's web-worker extension host. */
  readonly kind: 'node' | 'web';
  /** Starts a training run in its own worker; events reach `onEvent` in order, unknown messages go to `log`. */
  startTraining(
    request: RunRequest,
    onEvent: (event: RunEvent) => void,
    log: (message: string) => void,
  ): TrainingHandle;
  /** A new probe worker (see ProbeClient), started on first use. */
  probeTransport(): ProbeTransport;
  /** Where a run started from `documentUri` reads MNIST (see resolveDataLocation). */
  resolveDataLocation(documentUri?: vscode.Uri): DataLocation;
  /** The run history of a lab file: `.dnnlab/runs` of its folder, or the extension's storage where that cannot be written. */
  runStore(documentUri: vscode.Uri | undefined): RunStore;
  /** The machine facts a run record keeps. */
  machine(): MachineFacts;
  /** Starts measuring the host's event-loop delay for one run; `stop()` gives the log line, if this host can measure it. */
  measureEventLoop(): { stop(): string | undefined };
}
