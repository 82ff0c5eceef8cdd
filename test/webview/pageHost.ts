// The host's end of a page's channel, for page tests: the real endpoint and the protocol's real guards, over a
// fake transport that delivers each message on a later microtask as postMessage would. Nothing of VS Code.
import { MessageEndpoint, type MessageMap } from '../../src/protocol/endpoint';
import type { WebviewTransport } from '../../webview/common/vscodeApi';

export interface PageHost<FromPage extends MessageMap, ToPage extends MessageMap> {
  /** The host's endpoint: register handlers for the page's requests, notify the page. */
  endpoint: MessageEndpoint<FromPage, ToPage>;
  /** The transport to mount the page with. */
  transport: WebviewTransport;
  /** What either end logged as dropped or failed. */
  warnings: string[];
  /** Waits until every message in flight was delivered and the page drew it (one animation frame). */
  settle(): Promise<void>;
}

export function pageHost<FromPage extends MessageMap, ToPage extends MessageMap>(): PageHost<FromPage, ToPage> {
  const warnings: string[] = [];
  const listeners: ((message: unknown) => void)[] = [];
  let saved: unknown;
  // Both directions go through structured JSON, as VS Code's webview messages do (NaN arrives as null).
  const endpoint = new MessageEndpoint<FromPage, ToPage>(
    (envelope) => {
      const copy = JSON.parse(JSON.stringify(envelope)) as unknown;
      queueMicrotask(() => listeners.forEach((l) => l(copy)));
    },
    (w) => warnings.push(`host: ${w}`),
  );
  const transport: WebviewTransport = {
    postMessage: (message) => {
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      queueMicrotask(() => endpoint.receive(copy));
    },
    onMessage: (listener) => listeners.push(listener),
    getState: () => saved,
    setState: (state) => (saved = state),
  };
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  };
  return { endpoint, transport, warnings, settle };
}
