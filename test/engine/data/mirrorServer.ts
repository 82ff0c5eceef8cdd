// A real HTTP server on 127.0.0.1 that serves ../shared/datasets/mnist the way a mirror might: well or badly.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sharedGz } from './fixtures';

/** How the mirror answers a request for one of the files. */
export type Behaviour =
  | 'ok'
  | 'redirect twice'
  | 'redirect loop'
  | 'truncated'
  | 'short chunked body'
  | 'one flipped byte'
  | 'wrong file'
  | 'not found'
  | 'stall before headers'
  | 'stall mid-body';

/** A running loopback mirror. */
export interface Mirror {
  /** Base URL, ending in a slash, to put in the mirrors list. */
  readonly url: string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const BASE = '/mnist/';

function sendFile(res: ServerResponse, bytes: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
  res.end(bytes);
}

function serve(behaviour: Behaviour, path: string, res: ServerResponse, onStall: () => void): void {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const bytes = sharedGz(name);
  switch (behaviour) {
    case 'ok':
      return sendFile(res, bytes);
    case 'redirect twice':
      // A relative Location, then an absolute-path one, as CDNs do.
      if (path.startsWith(BASE)) res.writeHead(302, { location: `../moved/${name}` });
      else if (path.startsWith('/moved/')) res.writeHead(301, { location: `/final/${name}` });
      else return sendFile(res, bytes);
      return void res.end();
    case 'redirect loop':
      res.writeHead(307, { location: path });
      return void res.end();
    case 'truncated':
      // The promised length, half the bytes, then the connection drops.
      res.writeHead(200, { 'content-length': bytes.length });
      return void res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
    case 'short chunked body':
      // No Content-Length to compare against: only the known size catches it.
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      return void res.end(bytes.subarray(0, bytes.length - 100));
    case 'one flipped byte': {
      const copy = Buffer.from(bytes);
      copy[copy.length >> 1] ^= 0x01;
      return sendFile(res, copy);
    }
    case 'wrong file':
      return sendFile(
        res,
        sharedGz(name === 't10k-labels-idx1-ubyte.gz' ? 'train-labels-idx1-ubyte.gz' : 't10k-labels-idx1-ubyte.gz'),
      );
    case 'not found':
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('Not Found');
    case 'stall before headers':
      return onStall();
    case 'stall mid-body':
      res.writeHead(200, { 'content-length': bytes.length });
      return void res.write(bytes.subarray(0, 1000), onStall);
  }
}

/** Starts a mirror on 127.0.0.1 with an OS-chosen port; `onStall` runs once a stalling answer has stopped sending. */
export async function startMirror(behaviour: Behaviour, onStall: () => void = () => {}): Promise<Mirror> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    serve(behaviour, path, res, onStall);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    requests,
    close: () => {
      // Stalled responses would otherwise keep close() waiting forever.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A mirror URL on which nothing listens: a port that was just free, so connecting is refused. */
export async function unreachableMirrorUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${BASE}`;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
