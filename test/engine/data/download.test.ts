import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMirrorDownloader, sha256Hex, type DownloadOptions } from '../../../src/engine/data/download';
import { DataError } from '../../../src/engine/data/errors';
import { nodeHttpClient, type HttpClient } from '../../../src/engine/data/httpClient';
import { MNIST_FILES, type MnistFile } from '../../../src/engine/data/mnistFiles';
import { ManualTimers } from './fixtures';
import { startMirror, unreachableMirrorUrl, type Behaviour } from './mirrorServer';

// Manual timers make a stall time out the moment the mirror stops sending, and nothing else ever time out.
const TIMEOUT_MS = 30_000;
const byName = (name: string): MnistFile => MNIST_FILES.find((f) => f.name === name) as MnistFile;
const TRAIN_IMAGES = byName('train-images-idx3-ubyte.gz');
const TEST_LABELS = byName('t10k-labels-idx1-ubyte.gz');

let timers: ManualTimers;
const closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  timers = new ManualTimers();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A loopback mirror for a behaviour, or for 'unreachable' the URL of a closed port. */
async function mirror(behaviour: Behaviour | 'unreachable'): Promise<{ url: string; requests: string[] }> {
  if (behaviour === 'unreachable') return { url: await unreachableMirrorUrl(), requests: [] };
  const m = await startMirror(behaviour, () => timers.elapse());
  closers.push(() => m.close());
  return m;
}

function downloader(mirrors: string[], extra: Partial<DownloadOptions> = {}) {
  return createMirrorDownloader({
    mirrors,
    http: nodeHttpClient,
    timeoutMs: TIMEOUT_MS,
    timers,
    maxRedirects: 5,
    ...extra,
  });
}

describe('createMirrorDownloader against a failing primary mirror', () => {
  it.each<{ primary: Behaviour | 'unreachable'; reason: RegExp }>([
    { primary: 'truncated', reason: /connection lost after \d+ of 9912422 bytes/ },
    { primary: 'short chunked body', reason: /connection closed after 9912322 of 9912422 bytes/ },
    { primary: 'one flipped byte', reason: /SHA-256 is [0-9a-f]{64}, expected 440fcabf.*: the file is corrupt/ },
    { primary: 'wrong file', reason: /Content-Length is 4542 bytes, expected 9912422/ },
    { primary: 'not found', reason: /HTTP 404/ },
    { primary: 'redirect loop', reason: /more than 5 redirects/ },
    { primary: 'stall before headers', reason: /timed out: nothing received for 30000 ms/ },
    { primary: 'stall mid-body', reason: /timed out: nothing received for 30000 ms/ },
    { primary: 'unreachable', reason: /ECONNREFUSED/ },
  ])('$primary: rejected with "$reason", fallback used, primary moved to the back', async ({ primary, reason }) => {
    const bad = await mirror(primary);
    const good = await mirror('ok');
    const download = downloader([bad.url, good.url]);

    expect(sha256Hex(await download(TRAIN_IMAGES))).toBe(TRAIN_IMAGES.sha256);
    expect(sha256Hex(await download(TEST_LABELS))).toBe(TEST_LABELS.sha256);
    // The second file went straight to the fallback: a mirror that is down costs one failure, not one per file.
    expect(bad.requests.every((p) => p.endsWith(TRAIN_IMAGES.name))).toBe(true);
    expect(good.requests).toEqual([`/mnist/${TRAIN_IMAGES.name}`, `/mnist/${TEST_LABELS.name}`]);

    const err = await downloader([bad.url])(TRAIN_IMAGES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ code: 'download-failed', file: TRAIN_IMAGES.name });
    expect((err as DataError).message).toContain(`${bad.url}${TRAIN_IMAGES.name}: `);
    expect((err as DataError).message).toMatch(reason);
  });
});

describe('createMirrorDownloader', () => {
  it('reports progress from 0 to the full size in order', async () => {
    const m = await mirror('ok');
    const events: [string, number, number][] = [];
    await downloader([m.url], { onProgress: (...e) => events.push(e) })(TRAIN_IMAGES);
    expect(events[0]).toEqual([TRAIN_IMAGES.name, 0, TRAIN_IMAGES.bytes]);
    expect(events.at(-1)).toEqual([TRAIN_IMAGES.name, TRAIN_IMAGES.bytes, TRAIN_IMAGES.bytes]);
    const received = events.map(([, r]) => r);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    // The big file arrives in many chunks, so a progress bar actually moves.
    expect(events.length).toBeGreaterThan(10);
  });

  it('follows a relative and then an absolute-path redirect', async () => {
    const m = await mirror('redirect twice');
    expect(sha256Hex(await downloader([m.url])(TEST_LABELS))).toBe(TEST_LABELS.sha256);
    expect(m.requests).toEqual([
      `/mnist/${TEST_LABELS.name}`,
      `/moved/${TEST_LABELS.name}`,
      `/final/${TEST_LABELS.name}`,
    ]);
  });

  it.each([0, 1])('gives up after maxRedirects = %i when redirects continue', async (maxRedirects) => {
    const m = await mirror('redirect loop');
    await expect(downloader([m.url], { maxRedirects })(TEST_LABELS)).rejects.toThrow(
      `more than ${maxRedirects} redirects`,
    );
    expect(m.requests).toHaveLength(maxRedirects + 1);
  });

  it('rejects a URL scheme other than http and https', async () => {
    await expect(downloader(['ftp://127.0.0.1/mnist/'])(TEST_LABELS)).rejects.toThrow('unsupported protocol ftp:');
  });
});

describe('createMirrorDownloader is bounded by the published size', () => {
  it('an endless body with no Content-Length is cut at the file size, without buffering past it', async () => {
    let sent = 0;
    let closed = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          sent += 64 * 1024;
          yield new Uint8Array(64 * 1024);
        }
      } finally {
        closed = true;
      }
    }
    const http: HttpClient = { get: async () => ({ status: 200, body: endless(), discard: () => {} }) };
    const err = await downloader(['http://mirror.invalid/mnist/'], { http })(TEST_LABELS).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'download-failed' });
    expect((err as DataError).message).toContain(
      `more than the expected ${TEST_LABELS.bytes} bytes: not the MNIST file`,
    );
    expect(sent).toBeLessThanOrEqual(TEST_LABELS.bytes + 64 * 1024);
    expect(closed).toBe(true);
  });
});
