import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { ProbeReport } from './engineProbe';

/** A probe that did not answer in time: the worker was stopped and a new one starts for the next case. */
export interface ProbeTimeout {
  timedOut: true;
  ms: number;
}

/**
 * Checks config texts with the engine in a worker thread, one at a time, so a case that overflows the stack or
 * runs for minutes is stopped at its bound instead of stopping the harness. The stack is the main thread's
 * (about 1 MB), as in the CLI and the extension host.
 */
export class EngineWorker {
  private worker: Worker | undefined;
  private nextId = 0;

  private constructor(private readonly bundle: string) {}

  /** Bundles engineProbe.ts from the current src/ into a temporary file. */
  static async start(): Promise<EngineWorker> {
    const outfile = join(mkdtempSync(join(tmpdir(), 'dnn-lab-faults-engine-')), 'engineProbe.cjs');
    await build({
      entryPoints: [join(__dirname, 'engineProbe.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'error',
      mainFields: ['module', 'main'],
    });
    return new EngineWorker(outfile);
  }

  check(text: string, timeoutMs: number): Promise<ProbeReport | ProbeTimeout> {
    const worker = (this.worker ??= new Worker(this.bundle, { resourceLimits: { stackSizeMb: 1 } }));
    const id = this.nextId++;
    const started = performance.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        cleanup();
        void worker.terminate();
        this.worker = undefined;
        resolve({ timedOut: true, ms: performance.now() - started });
      }, timeoutMs);
      const onMessage = (report: ProbeReport) => {
        if (report.id !== id) return;
        cleanup();
        resolve(report);
      };
      const onError = (err: Error) => {
        cleanup();
        this.worker = undefined;
        resolve({
          id,
          thrown: `worker died: ${err.message}`,
          valid: false,
          errorCount: 0,
          errors: [],
          badPositions: [],
          internal: [],
          parseMs: 0,
          formatMs: 0,
        });
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, text });
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
    rmSync(dirname(this.bundle), { recursive: true, force: true });
  }
}
