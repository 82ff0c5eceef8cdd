import { Worker } from 'node:worker_threads';
import type { ProbeResult } from '../engine/probe/layerSignal';
import type { ProbeRequest } from '../engine/probe/probeSession';
import { isFromProbeWorker, type ProbeErrorKind, type ToProbeWorker } from '../protocol/probeProtocol';

/** The channel to one probe worker; a fake in tests, a worker thread in the extension. */
export interface ProbeTransport {
  post(message: ToProbeWorker): void;
  /** Every message from the worker, unchecked. */
  onMessage(listener: (message: unknown) => void): void;
  /** The worker died (crash or exit); `reason` says how. */
  onExit(listener: (reason: string) => void): void;
  terminate(): void;
}

/** How a probe ended: its result, or replaced by a newer request before it was sent. */
export type ProbeOutcome = { status: 'done'; result: ProbeResult } | { status: 'superseded' };

/** Rejects a probe: MNIST could not be read, or the worker failed. */
export class ProbeFailedError extends Error {
  override readonly name = 'ProbeFailedError';

  constructor(
    readonly kind: ProbeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  id: number;
  request: ProbeRequest;
  resolve(outcome: ProbeOutcome): void;
  reject(err: Error): void;
}

/**
 * The host's side of the probe worker. One probe runs at a time and only the latest request waits behind it:
 * while the student types, every request but the newest resolves as `superseded` without ever being computed.
 * A worker that dies fails the probe in flight and is started again for the next one.
 */
export class ProbeClient {
  private transport?: ProbeTransport;
  private inFlight?: Pending;
  private waiting?: Pending;
  private nextId = 1;

  constructor(
    private readonly createTransport: () => ProbeTransport,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Probes `request` as soon as the worker is free, unless a newer request comes first. */
  probe(request: ProbeRequest): Promise<ProbeOutcome> {
    return new Promise<ProbeOutcome>((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, request, resolve, reject };
      if (this.inFlight === undefined) {
        this.send(pending);
      } else {
        this.waiting?.resolve({ status: 'superseded' });
        this.waiting = pending;
      }
    });
  }

  /** Stops the worker; probes still open resolve as superseded. */
  dispose(): void {
    this.waiting?.resolve({ status: 'superseded' });
    this.inFlight?.resolve({ status: 'superseded' });
    this.waiting = this.inFlight = undefined;
    this.transport?.terminate();
    this.transport = undefined;
  }

  private send(pending: Pending): void {
    this.inFlight = pending;
    this.worker().post({ type: 'probe/run', id: pending.id, request: pending.request });
  }

  private worker(): ProbeTransport {
    if (this.transport === undefined) {
      const transport = this.createTransport();
      transport.onMessage((message) => this.receive(message));
      transport.onExit((reason) => {
        if (this.transport !== transport) return;
        this.transport = undefined;
        this.settle((p) => p.reject(new ProbeFailedError('internal', `The probe worker stopped: ${reason}`)));
      });
      this.transport = transport;
    }
    return this.transport;
  }

  private receive(message: unknown): void {
    if (!isFromProbeWorker(message)) {
      this.log(`Dropped an unknown message from the probe worker: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    if (message.type === 'probe/log') {
      this.log(message.message);
      return;
    }
    if (message.id !== this.inFlight?.id) return; // an answer nobody waits for any more
    if (message.type === 'probe/result') this.settle((p) => p.resolve({ status: 'done', result: message.result }));
    else this.settle((p) => p.reject(new ProbeFailedError(message.kind, message.message)));
  }

  /** Ends the probe in flight with `outcome`, then sends the one waiting, if any. */
  private settle(outcome: (pending: Pending) => void): void {
    const done = this.inFlight;
    this.inFlight = undefined;
    if (done !== undefined) outcome(done);
    const next = this.waiting;
    this.waiting = undefined;
    if (next !== undefined) this.send(next);
  }
}

/** A transport over a `worker_threads` worker running `workerScript` (the bundled dist/probeWorker.js). */
export function workerTransport(workerScript: string): ProbeTransport {
  const worker = new Worker(workerScript);
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      worker.on('error', (err) => listener(err.message));
      worker.on('exit', (code) => listener(`exit code ${code}`));
    },
    terminate: () => void worker.terminate(),
  };
}
