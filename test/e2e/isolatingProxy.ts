/**
 * A reverse proxy in front of code-server that adds the headers of a cross-origin isolated site (COOP same-origin,
 * COEP require-corp, CORP cross-origin) to every response, as vscode.dev sends them when asked (`?vscode-coi`).
 * code-server itself never sends them, so without this no e2e window has SharedArrayBuffer. WebSocket upgrades pass
 * through unchanged.
 */
import * as http from 'node:http';
import * as net from 'node:net';

/** The headers that make a page, and the workers and frames it loads, cross-origin isolated. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
} as const;

export interface IsolatingProxy {
  /** http://127.0.0.1:<port>, to open instead of the target. */
  url: string;
  close(): Promise<void>;
}

/** Starts the proxy for `target` (http://127.0.0.1:<port>) on a free port of 127.0.0.1. */
export async function startIsolatingProxy(target: string): Promise<IsolatingProxy> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    const upstream = http.request(
      { host: to.hostname, port: to.port, method: request.method, path: request.url, headers: request.headers },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, { ...reply.headers, ...ISOLATION_HEADERS });
        reply.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`e2e proxy: ${error.message}`);
    });
    request.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const upstream = net.connect(Number(to.port), to.hostname, () => {
      const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
      for (let i = 0; i < request.rawHeaders.length; i += 2)
        lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
