import { readFile, stat } from 'node:fs/promises';

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
 * in another encoding is left for parseLabConfig to recognise (one error for UTF-16, not one per line). Rejects with
 * a message naming the fix for a folder or a file too large to be a config.
 */
export async function readConfigText(path: string): Promise<string> {
  const info = await stat(path);
  if (info.isDirectory()) throw new Error('it is a folder; name the .dnn.json config in it');
  if (info.size > MAX_CONFIG_BYTES) {
    throw new Error(`it is ${(info.size / 2 ** 20).toFixed(0)} MiB, and a lab config is a few KB (at most ${MAX_CONFIG_BYTES / 2 ** 20} MiB is read): name the .dnn.json config`);
  }
  return new TextDecoder().decode(await readFile(path));
}
