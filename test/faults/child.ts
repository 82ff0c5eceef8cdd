import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI as BUILT_CLI } from '../support/cli';
import type { Problem } from './tally';

/**
 * The CLI under test: this checkout's build, or DNN_LAB_FAULTS_CLI (another checkout's bin/dnn-lab.js), to run the
 * harness against older code and see which cases a fix turned green.
 */
export const CLI = process.env.DNN_LAB_FAULTS_CLI ?? BUILT_CLI;

/** GNU time, when installed, measures the child's peak memory. */
const GNU_TIME = '/usr/bin/time';

/** How one CLI process ended. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Killed by the harness at its bound. */
  timedOut: boolean;
  /** Signals the harness sent (a death by one of them is no crash). */
  sent: NodeJS.Signals[];
  /** Peak resident memory of the CLI process and its threads, when GNU time is installed. */
  maxRssMb?: number;
}

export interface ChildOptions {
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The Node binary; the one running the harness by default. */
  node?: string;
  /** Measure peak memory with GNU time (the child then is time's, and signals would reach time, not node). */
  measureRss?: boolean;
  /** Called as output arrives, with a way to signal the CLI process itself. */
  onOutput?: (stdout: string, stderr: string, signal: (s: NodeJS.Signals) => void) => void;
  /** Called once the process has started. */
  onSpawn?: (signal: (s: NodeJS.Signals) => void) => void;
  /** A shell command line to run instead; `$CLI` and `$NODE` in it are the built CLI and the Node binary. */
  shell?: string;
}

/** Runs `node bin/dnn-lab.js ...args` in its own process group, killed whole at the bound. */
export function runCliChild(args: readonly string[], options: ChildOptions): Promise<ChildRun> {
  const node = options.node ?? process.execPath;
  const timeDir =
    options.measureRss && existsSync(GNU_TIME) ? mkdtempSync(join(tmpdir(), 'dnn-lab-faults-time-')) : undefined;
  const timeFile = timeDir && join(timeDir, 'time.txt');
  const [command, argv] = options.shell
    ? ['sh', ['-c', options.shell]]
    : timeFile
      ? [GNU_TIME, ['-v', '-o', timeFile, node, CLI, ...args]]
      : [node, [CLI, ...args]];
  const started = performance.now();
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: { ...process.env, CLI, NODE: node, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sent: NodeJS.Signals[] = [];
  const signal = (s: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    sent.push(s);
    child.kill(s);
  };
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onOutput?.(stdout, stderr, signal);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onOutput?.(stdout, stderr, signal);
    });
    options.onSpawn?.(signal);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      // Nothing of the run may outlive it: kill what is left of its group (a worker the CLI forgot).
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // The group is gone.
      }
      let maxRssMb: number | undefined;
      if (timeFile && existsSync(timeFile)) {
        const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
        if (kb) maxRssMb = Number(kb[1]) / 1024;
        // GNU time exits 128 + n when the command died of signal n.
        const died = /Command terminated by signal (\d+)/.exec(readFileSync(timeFile, 'utf8'));
        if (died && code !== null) {
          rmSync(timeDir as string, { recursive: true, force: true });
          return resolve({
            code: null,
            signal: signalName(Number(died[1])),
            stdout,
            stderr,
            ms: performance.now() - started,
            timedOut,
            sent,
            maxRssMb,
          });
        }
      }
      if (timeDir) rmSync(timeDir, { recursive: true, force: true });
      resolve({ code, signal: sig, stdout, stderr, ms: performance.now() - started, timedOut, sent, maxRssMb });
    });
  });
}

function signalName(n: number): NodeJS.Signals {
  return (
    ({ 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' } as Record<number, NodeJS.Signals>)[n] ??
    'SIGKILL'
  );
}

/** Stack traces, internal errors and V8's fatal reports in what the CLI printed. */
export function crashSigns(run: ChildRun): Problem[] {
  const text = `${run.stdout}\n${run.stderr}`;
  const problems: Problem[] = [];
  const internal = /internal error[^\n]*/i.exec(text);
  if (internal) problems.push({ kind: 'crash', text: `printed "${internal[0].slice(0, 200)}"` });
  const stack = /^\s+at .+:\d+:\d+\)?$/m.exec(text);
  if (stack) problems.push({ kind: 'crash', text: `printed a stack trace: ${stack[0].trim().slice(0, 160)}` });
  const fatal =
    /FATAL ERROR[^\n]*|Maximum call stack size exceeded|JavaScript heap out of memory|Segmentation fault|RangeError[^\n]*/.exec(
      text,
    );
  if (fatal) problems.push({ kind: 'crash', text: `printed "${fatal[0].slice(0, 160)}"` });
  if (run.signal && !run.sent.includes(run.signal) && !run.timedOut)
    problems.push({ kind: 'crash', text: `died of ${run.signal}` });
  if (run.timedOut) problems.push({ kind: 'hang', text: `still running after ${run.ms.toFixed(0)} ms; killed` });
  return problems;
}

/** The lines a --json run printed that are not JSON objects. */
export function badJsonLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return value === null || typeof value !== 'object';
      } catch {
        return true;
      }
    })
    .map((line) => (line.length > 120 ? `${line.slice(0, 60)}...${line.slice(-40)} (${line.length} chars)` : line));
}
