import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { describeFileError } from '../engine/data/errors';
import { kindInWords, nodeFileSystem } from '../engine/data/fileSystem';
import { readRegularFile } from '../engine/data/regularFile';

/** Where the CLI writes; injectable so tests can capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: only then is the progress bar drawn. */
  interactive: boolean;
  columns: number;
  cwd: string;
}

/**
 * A path as the CLI prints it: relative to the working folder when it lies inside it, else absolute, never
 * `../../../tmp/x` (what `relative` gives for a file outside the folder) and never an empty string for the folder itself.
 */
export function shownPath(cwd: string, path: string): string {
  const near = relative(cwd, path);
  const outside = near === '..' || near.startsWith(`..${sep}`) || isAbsolute(near);
  return near && !outside ? near : path;
}

/**
 * The process's own streams. A reader that goes away (`dnn-lab ... | head`) ends the process quietly, as it does `cat`,
 * not with an unhandled EPIPE and its stack: at once (141) while writing, or with the command's code once it is done.
 */
export function processIo(): CliIo {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      // 141 is what a shell reports for a process ended by SIGPIPE.
      process.exit(141);
    });
  }
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    columns: process.stderr.columns ?? 80,
    cwd: process.cwd(),
  };
}

/**
 * Ends the process with `code` once stdout and stderr have handed everything to the OS. process.exit at once drops
 * what a pipe has not taken yet: a pipe holds 64 KiB, so `--json | reader` ended mid-object at byte 65537.
 */
export function exitWhenWritten(code: number): void {
  process.exitCode = code;
  let pending = 2;
  // A write's callback runs once it and every write before it are flushed; exit then rather than wait for the loop to
  // empty, which a stray handle could keep alive.
  const written = () => --pending === 0 && process.exit(code);
  process.stdout.write('', written);
  process.stderr.write('', written);
}

/** The largest file read as a config: a lab config is a few kilobytes, and a wrong file of gigabytes would take minutes. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * A config file's text: decoded as UTF-8 without its byte order mark, if any, so columns count as in an editor. A file
 * in another encoding is left for parseLabConfig to recognise (one error for UTF-16, not one per line). Only a regular
 * file is read, and at most MAX_CONFIG_BYTES of it, on a handle opened without waiting for a writer: a FIFO, a device
 * (/dev/zero), a socket or a folder is refused at once. Rejects with a message saying what the path is and the fix.
 */
export async function readConfigText(path: string): Promise<string> {
  const bytes = await readBoundedFile(path, MAX_CONFIG_BYTES, {
    fix: 'name the .dnn.json config',
    folderFix: 'name the .dnn.json config in it',
    what: 'a lab config is a few KB',
  });
  return new TextDecoder().decode(bytes);
}

/** What readBoundedFile says, besides what the path is: the fix, and what such a file usually weighs. */
export interface BoundedFileWords {
  /** What to do instead, e.g. "name the .dnn.json config". */
  fix: string;
  /** The fix when the path is a folder, if it differs. */
  folderFix?: string;
  /** How large the file should be, e.g. "a lab config is a few KB". */
  what: string;
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them, through the data layer's one bounded reader
 * (readRegularFile). Rejects with an Error whose message says what the path is ("it is a FIFO (named pipe), not a
 * regular file: ...") and the fix, without naming it: callers name the path as the user wrote it.
 */
export async function readBoundedFile(path: string, maxBytes: number, words: BoundedFileWords): Promise<Uint8Array> {
  const read = await readRegularFile(nodeFileSystem, path, maxBytes);
  if ('bytes' in read) return read.bytes;
  if ('missing' in read) throw new Error(`it does not exist; ${words.fix}`);
  if ('notAFile' in read) {
    throw new Error(
      read.notAFile === 'folder'
        ? `it is a folder; ${words.folderFix ?? words.fix}`
        : `it is ${kindInWords(read.notAFile)}, not a regular file: ${words.fix}`,
    );
  }
  if ('tooLarge' in read) {
    throw new Error(
      `it is ${(read.tooLarge / 2 ** 20).toFixed(0)} MiB, and ${words.what} (at most ${maxBytes / 2 ** 20} MiB is read): ${words.fix}`,
    );
  }
  throw new Error(`it ${describeFileError(read.failed)}; ${words.fix}`);
}

/** What a failed write means, in words a user can act on. */
const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space or name a file on another disk',
  EDQUOT: 'the disk quota is used up: free some space or name a file on another disk',
  EACCES: 'permission denied: name a file in a folder you can write to',
  EPERM: 'the operation is not permitted: name a file in a folder you can write to',
  EROFS: 'the file system is read-only: name a file on a writable disk',
  EISDIR: 'it is a folder: name a file in it',
};

/**
 * Why `path`, given as option `--<option> <shown>`, cannot take the file a command writes, or undefined when it can:
 * its folder must exist, and the path must name nothing yet or a regular file (never a folder, FIFO or device).
 * Checked before the work that makes the file, so a typo in --out costs no training.
 */
export async function outputFileProblem(
  option: string,
  path: string,
  shown: string,
  example = 'results.json',
): Promise<string | undefined> {
  const named = `--${option} ${shown}`;
  let info;
  try {
    info = await nodeFileSystem.stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR')
      return `${named}: a part of the path before ${basename(path)} is a file, not a folder: name a file in a folder`;
    return `${named} ${describeFileError(err)}: name another file`;
  }
  if (info?.kind === 'folder')
    return `${named} is a folder: name a file in it, e.g. --${option} ${join(shown, example)}`;
  if (info && info.kind !== 'file')
    return `${named} is ${kindInWords(info.kind)}, not a regular file: name a regular file, e.g. --${option} ${example}`;
  if (!info) {
    const folder = await nodeFileSystem.stat(dirname(path)).catch(() => undefined);
    if (folder?.kind !== 'folder')
      return `${named}: the folder ${dirname(path)} does not exist: create it first, or name a file in a folder that exists`;
  }
  return undefined;
}

/**
 * Writes `text` to `path` through a temporary file in the same folder and a rename, so the file is either the old
 * one or the whole new one, never half of it. Checks the target with outputFileProblem first; rejects with an Error
 * naming `--<option> <shown>`, what went wrong and the fix (`example`: a file name to suggest), and leaves no temporary
 * file behind.
 */
export async function writeOutputFile(
  option: string,
  path: string,
  shown: string,
  text: string,
  { mode = 0o644, example = 'results.json' } = {},
): Promise<void> {
  const problem = await outputFileProblem(option, path, shown, example);
  if (problem) throw new Error(problem);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temporary, text, { mode, flag: 'wx' });
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `--${option} ${shown} could not be written: ${(code && WRITE_ERRORS[code]) ?? (err as Error).message}`,
    );
  }
}
