import type { ProbeResult } from '../engine/probe/layerSignal';
import type { ProbeRequest } from '../engine/probe/probeSession';

/** Messages the host sends to the probe worker. */
export type ToProbeWorker =
  /** Sent whenever the config changed and the worker is idle: probe this; `id` comes back with the answer. */
  { type: 'probe/run'; id: number; request: ProbeRequest };

/** Why a probe failed: MNIST could not be read, or something unexpected. */
export type ProbeErrorKind = 'data' | 'internal';

/** Messages the probe worker sends to the host. */
export type FromProbeWorker =
  /** The answer to `probe/run` with the same id. */
  | { type: 'probe/result'; id: number; result: ProbeResult }
  /** `probe/run` with the same id failed; `message` says why and what to do. */
  | { type: 'probe/error'; id: number; kind: ProbeErrorKind; message: string }
  /** Something worth a line in the output channel (kernels chosen, fallbacks). */
  | { type: 'probe/log'; message: string };

/** Checks a message from the probe worker before the host uses it. */
export function isFromProbeWorker(message: unknown): message is FromProbeWorker {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; id?: unknown; message?: unknown; result?: unknown };
  switch (m.type) {
    case 'probe/result':
      return typeof m.id === 'number' && typeof m.result === 'object' && m.result !== null;
    case 'probe/error':
      return typeof m.id === 'number' && typeof m.message === 'string';
    case 'probe/log':
      return typeof m.message === 'string';
    default:
      return false;
  }
}
