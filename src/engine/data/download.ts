import { createHash } from 'node:crypto';
import { DataError } from './errors';
import type { HttpClient } from './httpClient';
import { localCopyHint, type MnistFile } from './mnistFiles';

/** Called as bytes arrive: the file's name, the bytes received so far and the file's full size. */
export type ProgressCallback = (file: string, receivedBytes: number, totalBytes: number) => void;

/** The timer functions behind the idle timeout; tests pass manual ones to time out without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers. */
export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Where and how to download from. */
export interface DownloadOptions {
  /** Base URLs tried in order; a file's URL is the base plus its name. */
  readonly mirrors: readonly string[];
  readonly http: HttpClient;
  /** A mirror that sends nothing for this long (connecting, before headers or mid-body) is given up. */
  readonly timeoutMs: number;
  readonly timers: Timers;
  readonly maxRedirects: number;
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** SHA-256 of bytes, in hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Returns a function that downloads a file from the first mirror that delivers it intact (right size,
 * right SHA-256). A mirror that fails moves to the back of the order, so one that is down costs a
 * single timeout for the whole dataset rather than one per file.
 */
export function createMirrorDownloader(options: DownloadOptions): (file: MnistFile) => Promise<Uint8Array> {
  const order = [...options.mirrors];
  return async (file) => {
    const failures: string[] = [];
    for (const mirror of [...order]) {
      const url = new URL(file.name, mirror).href;
      try {
        return await fetchVerified(url, file, options);
      } catch (err) {
        if (err instanceof DataError && err.code === 'aborted') throw err;
        failures.push(`  ${url}: ${(err as Error).message}`);
        order.push(...order.splice(order.indexOf(mirror), 1));
      }
    }
    throw new DataError(
      'download-failed',
      `Could not download ${file.name} from any MNIST mirror:\n${failures.join('\n')}\n` +
        `Check the network connection or proxy. ${localCopyHint()}`,
      file.name,
    );
  };
}

/** One attempt at one URL, following redirects; the bytes are returned only once checked. */
async function fetchVerified(url: string, file: MnistFile, options: DownloadOptions): Promise<Uint8Array> {
  if (options.signal?.aborted) throw cancelled();
  const attempt = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, attempt.signal]) : attempt.signal;
  const { timers } = options;
  let timer: unknown;
  // An idle timer, re-armed on every chunk: a slow but moving download is fine, a stalled one is not.
  const rearm = (): void => {
    timers.clearTimeout(timer);
    timer = timers.setTimeout(() => attempt.abort(), options.timeoutMs);
  };
  rearm();
  try {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const res = await options.http.get(current, signal);
      rearm();
      if (REDIRECTS.has(res.status)) {
        res.discard();
        if (res.location === undefined) throw new Error(`HTTP ${res.status} without a Location header`);
        if (redirects >= options.maxRedirects) throw new Error(`more than ${options.maxRedirects} redirects`);
        current = new URL(res.location, current).href;
        continue;
      }
      if (res.status !== 200) {
        res.discard();
        throw new Error(`HTTP ${res.status}`);
      }
      if (res.contentLength !== undefined && res.contentLength !== file.bytes) {
        res.discard();
        throw new Error(`Content-Length is ${res.contentLength} bytes, expected ${file.bytes}: not the MNIST file`);
      }
      return await readVerified(res.body, file, rearm, options.onProgress);
    }
  } catch (err) {
    if (options.signal?.aborted) throw cancelled();
    if (attempt.signal.aborted) throw new Error(`timed out: nothing received for ${options.timeoutMs} ms`);
    throw err;
  } finally {
    timers.clearTimeout(timer);
    // Frees any connection still open on an error path; harmless after a complete response.
    attempt.abort();
  }
}

/** Reads the body into a buffer of the known size, hashing as it goes, and rejects short, long or altered bodies. */
async function readVerified(
  body: AsyncIterable<Uint8Array>,
  file: MnistFile,
  onChunk: () => void,
  onProgress: ProgressCallback | undefined,
): Promise<Uint8Array> {
  const out = new Uint8Array(file.bytes);
  const hash = createHash('sha256');
  let received = 0;
  let tooLong = false;
  onProgress?.(file.name, 0, file.bytes);
  try {
    for await (const chunk of body) {
      onChunk();
      if (received + chunk.length > file.bytes) {
        tooLong = true;
        break;
      }
      out.set(chunk, received);
      hash.update(chunk);
      received += chunk.length;
      onProgress?.(file.name, received, file.bytes);
    }
  } catch (err) {
    // Node reports a body cut short by the server as a bare "aborted"; say what it means here.
    throw new Error(`connection lost after ${received} of ${file.bytes} bytes (${(err as Error).message})`);
  }
  if (tooLong) throw new Error(`more than the expected ${file.bytes} bytes: not the MNIST file`);
  if (received !== file.bytes) throw new Error(`connection closed after ${received} of ${file.bytes} bytes`);
  const digest = hash.digest('hex');
  if (digest !== file.sha256) throw new Error(`SHA-256 is ${digest}, expected ${file.sha256}: the file is corrupt`);
  return out;
}

function cancelled(): DataError {
  return new DataError('aborted', 'Downloading MNIST was cancelled.');
}
