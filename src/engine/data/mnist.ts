import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { MnistData } from './dataset';
import { createMirrorDownloader, realTimers, sha256Hex, type ProgressCallback, type Timers } from './download';
import { DataError } from './errors';
import { nodeFileSystem, type DataFileSystem } from './fileSystem';
import { decodeMnist, loadIdxFolder, type MnistFileBytes } from './folder';
import { nodeHttpClient, type HttpClient } from './httpClient';
import { LOCAL_COPY_WAYS, MNIST_FILES, MNIST_MIRRORS, type MnistFile } from './mnistFiles';
import { readExactly, statRegularFile } from './regularFile';

/** Where MNIST may come from and how to fetch it; only cacheDir is required. */
export interface LoadMnistOptions {
  /** A folder the user chose (see explicitDataFolder); when set, MNIST is read from there and nothing else. */
  readonly dataFolder?: string;
  /** Where downloads are kept (see defaultCacheDir). */
  readonly cacheDir: string;
  /** Base URLs tried in order (default MNIST_MIRRORS). */
  readonly mirrors?: readonly string[];
  readonly fs?: DataFileSystem;
  readonly http?: HttpClient;
  /** Give up on a mirror that sends nothing for this long (default 30 s). */
  readonly timeoutMs?: number;
  readonly timers?: Timers;
  /** Redirects followed per file (default 5). */
  readonly maxRedirects?: number;
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
}

/** MNIST and where it came from: the user's folder, the cache as it was, or the cache after downloading. */
export interface LoadedMnist {
  readonly data: MnistData;
  readonly source: 'folder' | 'cache' | 'download';
  readonly dir: string;
}

/**
 * Loads MNIST from the user's folder if one is given, else from the cache, downloading into it whatever is
 * missing or fails its SHA-256. Only verified files are ever written to the cache, each atomically.
 */
export async function loadMnist(options: LoadMnistOptions): Promise<LoadedMnist> {
  const fs = options.fs ?? nodeFileSystem;
  if (options.dataFolder !== undefined) {
    return { data: await loadIdxFolder(options.dataFolder, { fs }), source: 'folder', dir: options.dataFolder };
  }
  const { cacheDir } = options;
  const cached = await Promise.all(MNIST_FILES.map((file) => readVerifiedCacheFile(fs, cacheDir, file)));
  const missing = MNIST_FILES.filter((_, i) => cached[i] === undefined);
  if (missing.length > 0) {
    const download = createMirrorDownloader({
      mirrors: options.mirrors ?? MNIST_MIRRORS,
      http: options.http ?? nodeHttpClient,
      timeoutMs: options.timeoutMs ?? 30_000,
      timers: options.timers ?? realTimers,
      maxRedirects: options.maxRedirects ?? 5,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    await fs.mkdirp(cacheDir);
    // One file after another: each is cached as soon as it is verified, so an interrupted download resumes there.
    for (const file of missing) {
      const bytes = await download(file);
      await writeAtomically(fs, cacheDir, file.name, bytes);
      cached[MNIST_FILES.indexOf(file)] = bytes;
    }
  }
  const files: MnistFileBytes[] = MNIST_FILES.map((file, i) => ({
    file,
    path: join(cacheDir, file.name),
    bytes: cached[i] as Uint8Array,
  }));
  return { data: await decodeMnist(files), source: missing.length > 0 ? 'download' : 'cache', dir: cacheDir };
}

/**
 * A cached file's bytes if they match the published size and SHA-256; a regular file that does not is deleted
 * so it gets replaced. Reads at most one byte past the published size; anything but a regular file under the
 * name (a folder, a FIFO, a link to /dev/zero) is reported, neither read nor deleted.
 */
async function readVerifiedCacheFile(
  fs: DataFileSystem,
  dir: string,
  file: MnistFile,
): Promise<Uint8Array | undefined> {
  const path = join(dir, file.name);
  const fix = `remove it, and DNN Lab downloads the file again into ${dir}`;
  const info = await statRegularFile(fs, path, fix);
  if (info === undefined) return undefined;
  const bytes = info.size === file.bytes ? await readExactly(fs, path, file.bytes) : undefined;
  if (bytes !== undefined && sha256Hex(bytes) === file.sha256) return bytes;
  await fs.remove(path);
  return undefined;
}

/** Writes to a temporary file in the same folder and renames it, so a crash never leaves a partial file under the real name. */
async function writeAtomically(fs: DataFileSystem, dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const path = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, path);
  } catch (err) {
    await fs.remove(temp);
    throw new DataError(
      'cache-write-failed',
      `Could not save ${path} (${(err as Error).message}); make ${dir} writable, or point DNN Lab at a local copy with ` +
        `${LOCAL_COPY_WAYS}.`,
      path,
    );
  }
}
