/**
 * Request/reply and notifications over a message channel (host <-> webview), the same code on both ends.
 * A request carries an `id`; its reply carries the same `id` with `result`, or `err` which rejects the
 * caller's promise. A handler that throws answers with `err` instead of going silent.
 */

/** What crosses the channel. Notifications have no id; replies have `replyTo`. */
export type Envelope =
  | { kind: 'notify'; type: string; payload: unknown }
  | { kind: 'request'; id: number; type: string; payload: unknown }
  | { kind: 'reply'; replyTo: number; result?: unknown; err?: string };

/** Maps each message type to its payload and, for requests, its result. */
export type MessageMap = Record<string, { payload: unknown; result?: unknown }>;

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
      return typeof v.replyTo === 'number' && (v.err === undefined || typeof v.err === 'string');
    default:
      return false;
  }
}

/**
 * One end of a channel. `Incoming` is what the other side sends us, `Outgoing` what we send it.
 * `post` sends an envelope; call `receive` with everything that arrives.
 */
export class MessageEndpoint<Incoming extends MessageMap, Outgoing extends MessageMap> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private readonly handlers = new Map<string, (payload: unknown) => unknown>();

  constructor(
    private readonly post: (envelope: Envelope) => void,
    /** Told about messages that were malformed, unknown or unexpected; they are dropped. */
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Sends a message that expects no answer. */
  notify<T extends keyof Outgoing & string>(type: T, payload: Outgoing[T]['payload']): void {
    this.post({ kind: 'notify', type, payload });
  }

  /** Sends a request; resolves with the other side's result or rejects with its `err`. */
  request<T extends keyof Outgoing & string>(type: T, payload: Outgoing[T]['payload']): Promise<Outgoing[T]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ kind: 'request', id, type, payload });
    });
  }

  /** Handles one type of incoming message; for a request, the return value (or thrown error) is the reply. */
  on<T extends keyof Incoming & string>(
    type: T,
    handler: (payload: Incoming[T]['payload']) => Incoming[T]['result'] | Promise<Incoming[T]['result']>,
  ): void {
    this.handlers.set(type, handler as (payload: unknown) => unknown);
  }

  /** Feeds one received message in. Anything that is not a valid, expected envelope is dropped with a warning. */
  receive(message: unknown): void {
    if (!isEnvelope(message)) {
      this.warn(`dropped a malformed message: ${describe(message)}`);
      return;
    }
    if (message.kind === 'reply') {
      const waiting = this.pending.get(message.replyTo);
      if (!waiting) {
        this.warn(`dropped a reply to unknown request ${message.replyTo}`);
        return;
      }
      this.pending.delete(message.replyTo);
      if (message.err !== undefined) waiting.reject(new Error(message.err));
      else waiting.resolve(message.result);
      return;
    }
    const handler = this.handlers.get(message.type);
    if (!handler) {
      this.warn(`dropped a message of unknown type "${message.type}"`);
      if (message.kind === 'request')
        this.post({ kind: 'reply', replyTo: message.id, err: `unknown request type "${message.type}"` });
      return;
    }
    if (message.kind === 'notify') {
      void Promise.resolve()
        .then(() => handler(message.payload))
        .catch((err: unknown) => this.warn(`handler for "${message.type}" failed: ${errorText(err)}`));
      return;
    }
    const { id } = message;
    void Promise.resolve()
      .then(() => handler(message.payload))
      .then(
        (result) => this.post({ kind: 'reply', replyTo: id, result }),
        (err: unknown) => this.post({ kind: 'reply', replyTo: id, err: errorText(err) }),
      );
  }

  /** Rejects every request still waiting, e.g. when the panel closes. */
  dispose(): void {
    for (const waiting of this.pending.values()) waiting.reject(new Error('the other side went away before replying'));
    this.pending.clear();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 200);
  } catch {
    return String(value);
  }
}
