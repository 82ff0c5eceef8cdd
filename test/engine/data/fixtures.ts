// Shared helpers for the data tests: the canonical MNIST files from ../shared and temporary folders.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Timers } from '../../../src/engine/data/download';

/** ../shared/datasets/mnist relative to the repo root, which is three levels above this folder. */
export const SHARED_MNIST = resolve(__dirname, '../../../../shared/datasets/mnist');

if (!existsSync(join(SHARED_MNIST, 'train-labels-idx1-ubyte.gz'))) {
  throw new Error(
    `The canonical MNIST files are expected in ${SHARED_MNIST} (../shared/datasets/mnist from the repo root).`,
  );
}

const gzCache = new Map<string, Buffer>();

/** The bytes of a canonical .gz file, read once per test file. */
export function sharedGz(name: string): Buffer {
  let bytes = gzCache.get(name);
  if (bytes === undefined) {
    bytes = readFileSync(join(SHARED_MNIST, name));
    gzCache.set(name, bytes);
  }
  return bytes;
}

/** The uncompressed bytes of a canonical file, by its .gz name. */
export function sharedRaw(gzName: string): Buffer {
  return gunzipSync(sharedGz(gzName));
}

/** A fresh temporary folder, removed after the test by the returned cleanup. */
export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `dnn-lab-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Timers that fire only when told to, so a timeout is tested without waiting for it. */
export class ManualTimers implements Timers {
  private readonly armed = new Map<number, () => void>();
  private nextId = 0;

  setTimeout(callback: () => void): number {
    this.armed.set(++this.nextId, callback);
    return this.nextId;
  }

  clearTimeout(handle: unknown): void {
    this.armed.delete(handle as number);
  }

  /** Fires every armed timer, as if their delays had passed. */
  elapse(): void {
    const callbacks = [...this.armed.values()];
    this.armed.clear();
    callbacks.forEach((callback) => callback());
  }
}
