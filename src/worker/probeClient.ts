import { Worker } from 'node:worker_threads';
import type { ProbeResult } from '../engine/probe/layerSignal';
import type { ProbeRequest } from '../engine/probe/probeSession';
import { errorText } from '../engine/errorText';
import { MessageEndpoint, ReplyError, type Envelope } from '../protocol/endpoint';
import {
  isProbeErrorKind,
  isProbeLog,
  isProbeResult,
  type FromProbeWorker,
  type ProbeErrorKind,
  type ToProbeWorker,
} from '../protocol/probeProtocol';

/** The channel to one probe worker; a fake in tests, a worker thread in the extension. */
export interface ProbeTransport {
  post(message: Envelope): void;
  /** Every message from the worker, unchecked (the endpoint checks it). */
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
  private worker?: { transport: ProbeTransport; endpoint: MessageEndpoint<FromProbeWorker, ToProbeWorker> };
  private inFlight?: Pending;
  private waiting?: Pending;

  constructor(
    private readonly createTransport: () => ProbeTransport,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Probes `request` as soon as the worker is free, unless a newer request comes first. */
  probe(request: ProbeRequest): Promise<ProbeOutcome> {
    return new Promise<ProbeOutcome>((resolve, reject) => {
      const pending: Pending = { request, resolve, reject };
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
    this.worker?.transport.terminate();
    this.worker = undefined;
  }

  private send(pending: Pending): void {
    this.inFlight = pending;
    const worker = this.started();
    worker.endpoint.request('probe/run', { request: pending.request }, isProbeResult).then(
      (result) => {
        if (this.inFlight === pending) this.settle((p) => p.resolve({ status: 'done', result }));
      },
      (err: unknown) => {
        if (this.inFlight !== pending) return; // an answer nobody waits for any more
        const kind: ProbeErrorKind = err instanceof ReplyError && isProbeErrorKind(err.code) ? err.code : 'internal';
        this.settle((p) => p.reject(new ProbeFailedError(kind, errorText(err))));
      },
    );
  }

  private started(): NonNullable<ProbeClient['worker']> {
    if (this.worker === undefined) {
      const transport = this.createTransport();
      const endpoint = new MessageEndpoint<FromProbeWorker, ToProbeWorker>(
        (envelope) => transport.post(envelope),
        (warning) => this.log(`Probe worker: ${warning}`),
      );
      endpoint.on('probe/log', isProbeLog, ({ message }) => this.log(message));
      transport.onMessage((message) => endpoint.receive(message));
      const worker = { transport, endpoint };
      transport.onExit((reason) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        endpoint.dispose(`The probe worker stopped: ${reason}`);
      });
      this.worker = worker;
    }
    return this.worker;
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
    post: (envelope) => worker.postMessage(envelope),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      worker.on('error', (err) => listener(err.message));
      worker.on('exit', (code) => listener(`exit code ${code}`));
    },
    terminate: () => void worker.terminate(),
  };
}
