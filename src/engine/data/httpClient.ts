import * as http from 'node:http';
import * as https from 'node:https';

/** The start of an HTTP response: status and headers, with the body still to be read. */
export interface HttpResponse {
  readonly status: number;
  /** The Location header, for redirects. */
  readonly location?: string;
  /** The Content-Length header, when the server sent one. */
  readonly contentLength?: number;
  readonly body: AsyncIterable<Uint8Array>;
  /** Closes the connection without reading the body. */
  discard(): void;
}

/** The network access the downloader needs: one GET, redirects not followed. */
export interface HttpClient {
  /** Starts a GET; aborting `signal` must reject the pending call or end the body with an error. */
  get(url: string, signal: AbortSignal): Promise<HttpResponse>;
}

/** HttpClient on node's http and https modules (which VS Code's proxy support patches). */
export const nodeHttpClient: HttpClient = {
  get(url, signal) {
    return new Promise((resolve, reject) => {
      const parsed = new URL(url);
      const transport = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
      if (transport === undefined) {
        reject(new Error(`unsupported protocol ${parsed.protocol}`));
        return;
      }
      // identity: the checksums are of the .gz bytes, so no server-side re-encoding may touch them.
      const headers = { 'user-agent': 'dnn-lab', 'accept-encoding': 'identity' };
      const request = transport.get(parsed, { signal, headers }, (res) => {
        const length = res.headers['content-length'];
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          contentLength: length === undefined ? undefined : Number(length),
          body: res,
          discard: () => res.destroy(),
        });
      });
      request.on('error', reject);
    });
  },
};
