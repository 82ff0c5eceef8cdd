/**
 * Request/reply and notifications over a message channel, the same code on both ends of every boundary: host <->
 * page (webview postMessage) and host <-> worker (worker_threads). A request carries an `id`; its reply carries the
 * same `id` with `result`, or `err` (and an optional `code`) which rejects the caller's promise. A handler that
 * throws answers with `err` instead of going silent. Every payload and every result that arrives passes its
 * message type's guard first; anything unknown or malformed is logged and dropped.
 */
import { errorText } from '../engine/errorText';
import type { Guard } from './guards';

/** What crosses the channel. Notifications have no id; replies have `replyTo`. */
export type Envelope =
  | { kind: 'notify'; type: string; payload: unknown }
  | { kind: 'request'; id: number; type: string; payload: unknown }
  | { kind: 'reply'; replyTo: number; result?: unknown; err?: string; code?: string };

/** Maps each message type to its payload and, for requests, its result. */
export type MessageMap = Record<string, { payload: unknown; result?: unknown }>;

/** One message of a map as a discriminated union member: `{ type, payload }`. */
export type MessageOf<M extends MessageMap> = {
  [K in keyof M & string]: { type: K; payload: M[K]['payload'] };
}[keyof M & string];

/** Checks that a value received from the other side is an envelope before anything uses it. */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'notify':
      return typeof v.type === 'string';
    case 'request':
      return typeof v.type === 'string' && typeof v.id === 'number';
    case 'reply':
      return (
        typeof v.replyTo === 'number' &&
        (v.err === undefined || typeof v.err === 'string') &&
        (v.code === undefined || typeof v.code === 'string')
      );
    default:
      return false;
  }
}

/**
 * A request that failed on the other side. `code` is the other side's word for the kind of failure (the probe
 * worker says "data" when MNIST could not be read); a handler throws one to send a code along with the message.
 */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';

  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Handler {
  guard: Guard<unknown>;
  handle: (payload: unknown) => unknown;
}

interface Pending {
  type: string;
  guard: Guard<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * One end of a channel. `Incoming` is what the other side sends us, `Outgoing` what we send it.
 * `post` sends an envelope; call `receive` with everything that arrives.
 */
export class MessageEndpoint<Incoming extends MessageMap, Outgoing extends MessageMap> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly post: (envelope: Envelope) => void,
    /** Told about messages that were malformed, unknown or unexpected; they are dropped. */
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Sends a message that expects no answer. */
  notify<T extends keyof Outgoing & string>(type: T, payload: Outgoing[T]['payload']): void {
    this.post({ kind: 'notify', type, payload });
  }

  /**
   * Sends a request; resolves with the other side's result once `guard` accepted it, or rejects with its `err`
   * (a `ReplyError`), or with a malformed result's description.
   */
  request<T extends keyof Outgoing & string>(
    type: T,
    payload: Outgoing[T]['payload'],
    guard: Guard<Outgoing[T]['result']>,
  ): Promise<Outgoing[T]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { type, guard, resolve: resolve as (value: unknown) => void, reject });
      this.post({ kind: 'request', id, type, payload });
    });
  }

  /**
   * Handles one type of incoming message whose payload passes `guard`; for a request, the return value (or
   * thrown error) is the reply. A payload the guard refuses is logged and dropped (a request is answered with `err`).
   */
  on<T extends keyof Incoming & string>(
    type: T,
    guard: Guard<Incoming[T]['payload']>,
    handler: (payload: Incoming[T]['payload']) => Incoming[T]['result'] | Promise<Incoming[T]['result']>,
  ): void {
    this.handlers.set(type, { guard, handle: handler as (payload: unknown) => unknown });
  }

  /** Feeds one received message in. Anything that is not a valid, expected envelope is dropped with a warning. */
  receive(message: unknown): void {
    if (!isEnvelope(message)) {
      this.warn(`dropped a malformed message: ${describe(message)}`);
      return;
    }
    if (message.kind === 'reply') {
      this.settle(message);
      return;
    }
    const handler = this.handlers.get(message.type);
    const refuse = (why: string) => {
      this.warn(why);
      if (message.kind === 'request') this.post({ kind: 'reply', replyTo: message.id, err: why });
    };
    if (!handler) return refuse(`dropped a message of unknown type "${message.type}"`);
    if (!handler.guard(message.payload))
      return refuse(`dropped a malformed "${message.type}" message: ${describe(message.payload)}`);
    // Called at once, not on a later tick: notifications keep their order and a burst of them costs no extra tasks.
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(handler.handle(message.payload));
    } catch (err) {
      outcome = Promise.reject(err);
    }
    if (message.kind === 'notify') {
      outcome.catch((err: unknown) => this.warn(`handler for "${message.type}" failed: ${errorText(err)}`));
      return;
    }
    const { id } = message;
    outcome.then(
      (result) => this.post({ kind: 'reply', replyTo: id, result }),
      (err: unknown) =>
        this.post({
          kind: 'reply',
          replyTo: id,
          err: errorText(err),
          ...(err instanceof ReplyError && err.code !== undefined && { code: err.code }),
        }),
    );
  }

  /** Rejects every request still waiting, e.g. when the panel closes or the worker died; `reason` says why. */
  dispose(reason = 'the other side went away before replying'): void {
    for (const waiting of this.pending.values()) waiting.reject(new ReplyError(reason));
    this.pending.clear();
  }

  private settle(reply: Extract<Envelope, { kind: 'reply' }>): void {
    const waiting = this.pending.get(reply.replyTo);
    if (!waiting) {
      this.warn(`dropped a reply to unknown request ${reply.replyTo}`);
      return;
    }
    this.pending.delete(reply.replyTo);
    if (reply.err !== undefined) {
      waiting.reject(new ReplyError(reply.err, reply.code));
    } else if (!waiting.guard(reply.result)) {
      const why = `dropped a malformed reply to "${waiting.type}": ${describe(reply.result)}`;
      this.warn(why);
      waiting.reject(new ReplyError(why));
    } else {
      waiting.resolve(reply.result);
    }
  }
}

function describe(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 200);
  } catch {
    return String(value);
  }
}
