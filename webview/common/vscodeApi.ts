import { MessageEndpoint, type MessageMap } from '../../src/protocol/endpoint';

/** The slice of the VS Code webview API a page uses, injectable so pages can be tested without VS Code. */
export interface WebviewTransport {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

let transport: WebviewTransport | undefined;

/** The page's transport to the extension host; `acquireVsCodeApi()` may be called only once per page. */
export function vscodeTransport(): WebviewTransport {
  if (!transport) {
    const api = acquireVsCodeApi();
    transport = {
      postMessage: (message) => api.postMessage(message),
      onMessage: (listener) => window.addEventListener('message', (event: MessageEvent) => listener(event.data)),
      getState: () => api.getState(),
      setState: (state) => api.setState(state),
    };
  }
  return transport;
}

/** A typed endpoint talking to the host over `transport`. */
export function connectToHost<FromHost extends MessageMap, ToHost extends MessageMap>(
  transport: WebviewTransport = vscodeTransport(),
): MessageEndpoint<FromHost, ToHost> {
  const endpoint = new MessageEndpoint<FromHost, ToHost>(
    (envelope) => transport.postMessage(envelope),
    (warning) => console.warn(`[dnn-lab] ${warning}`),
  );
  transport.onMessage((message) => endpoint.receive(message));
  return endpoint;
}
