import { Worker } from 'node:worker_threads';
import type { KernelExports } from './kernelExports';
import type { WasmMemory, WasmModule } from './webAssemblyApi';

/** Int32 slots of one helper's control block (16 slots = one 64-byte line, so helpers never share a line). */
const SEQ = 0; // job number, bumped by the main thread to post a job
const DONE = 1; // job number the helper finished last
const STATUS = 2; // 0 = fine, 1 = the helper's last job threw
const CMD = 3; // what the posted job is
const ARGS = 4; // the 12 arguments of gemm
/** Int32 slots each helper's control block takes. */
export const CONTROL_SLOTS = 16;

const CMD_GEMM = 1;
const CMD_EXIT = 2;

/** Micro-kernel tile, as in assembly/gemm.ts: splits fall on whole tiles. */
const MR = 4;
const NR = 8;

/**
 * The helper thread's whole program, run with `eval: true` so the pool needs no separate bundle
 * entry. It instantiates the kernels on the shared memory, then loops: spin briefly for the next
 * job (GEMMs of one training step come tens of microseconds apart), otherwise sleep in
 * Atomics.wait, so an idle pool burns no CPU.
 */
const HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, spinMicros } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const ctl = new Int32Array(memory.buffer, control, ${CONTROL_SLOTS});
let seen = Atomics.load(ctl, ${SEQ});
parentPort.postMessage('ready');
for (;;) {
  const spinUntil = performance.now() + spinMicros / 1000;
  while (Atomics.load(ctl, ${SEQ}) === seen && performance.now() < spinUntil);
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  if (ctl[${CMD}] === ${CMD_EXIT}) break;
  try {
    gemm(ctl[${ARGS}], ctl[${ARGS + 1}], ctl[${ARGS + 2}], ctl[${ARGS + 3}], ctl[${ARGS + 4}], ctl[${ARGS + 5}],
      ctl[${ARGS + 6}], ctl[${ARGS + 7}], ctl[${ARGS + 8}], ctl[${ARGS + 9}], ctl[${ARGS + 10}], ctl[${ARGS + 11}]);
    ctl[${STATUS}] = 0;
  } catch (error) {
    ctl[${STATUS}] = 1;
    parentPort.postMessage(String(error));
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

/** Where a helper finds its control block and scratch in the shared memory. */
export interface HelperSlot {
  /** Byte offset of CONTROL_SLOTS int32s. */
  control: number;
  /** Byte offset of the helper's SCRATCH_FLOATS floats. */
  scratch: number;
}

/**
 * Splits each GEMM over the calling thread plus helper worker threads that run the same wasm module
 * on the same shared memory. Each thread computes a disjoint block of C (columns when C is wide
 * enough, else rows), packing its own panels, so the threads share nothing but the inputs.
 */
export class GemmThreadPool {
  private readonly controls: Int32Array[];
  /** Job number last posted to each helper. */
  private readonly posted: Int32Array;
  private closed = false;

  private constructor(
    private readonly workers: Worker[],
    memory: WasmMemory,
    private readonly slots: HelperSlot[],
  ) {
    this.controls = slots.map((slot) => new Int32Array(memory.buffer, slot.control, CONTROL_SLOTS));
    this.posted = new Int32Array(slots.length);
  }

  /** Starts one helper per slot and resolves once every helper has instantiated the module. */
  static async start(module: WasmModule, memory: WasmMemory, slots: HelperSlot[], spinMicros: number): Promise<GemmThreadPool> {
    const workers = slots.map(
      (slot) => new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, control: slot.control, spinMicros } }),
    );
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.once('message', () => resolve());
              worker.once('error', reject);
              worker.once('exit', (code) => reject(new Error(`gemm helper thread exited with code ${code} before it was ready`)));
            }),
        ),
      );
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    for (const worker of workers) {
      worker.removeAllListeners();
      // Idle helpers sleep in Atomics.wait; unref lets the process exit even if nobody calls close().
      worker.unref();
    }
    return new GemmThreadPool(workers, memory, slots);
  }

  /** Threads a GEMM runs on, the caller included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** C = A·B (flags as in assembly/gemm.ts) on all threads; the calling thread computes the first share with `ownScratch`. */
  gemm(kernels: KernelExports, ownScratch: number, a: number, b: number, c: number, m: number, n: number, k: number, flags: number): void {
    if (this.closed) throw new Error('gemm: the thread pool was closed');
    const parts = this.threads;
    const byColumns = n >= parts * 2 * NR;
    const tile = byColumns ? NR : MR;
    const extent = byColumns ? n : m;
    const tiles = Math.ceil(extent / tile);
    const bound = (part: number): number => Math.min(extent, Math.round((tiles * part) / parts) * tile);
    for (let h = 0; h < this.workers.length; h++) {
      const ctl = this.controls[h];
      const from = bound(h + 1);
      const to = bound(h + 2);
      ctl[CMD] = CMD_GEMM;
      ctl[ARGS] = a;
      ctl[ARGS + 1] = b;
      ctl[ARGS + 2] = c;
      ctl[ARGS + 3] = m;
      ctl[ARGS + 4] = n;
      ctl[ARGS + 5] = k;
      ctl[ARGS + 6] = flags;
      ctl[ARGS + 7] = byColumns ? 0 : from;
      ctl[ARGS + 8] = byColumns ? m : to;
      ctl[ARGS + 9] = byColumns ? from : 0;
      ctl[ARGS + 10] = byColumns ? to : n;
      ctl[ARGS + 11] = this.slots[h].scratch;
      // Atomics.add publishes the plain stores above before the helper can see the new job number.
      this.posted[h] = Atomics.add(ctl, SEQ, 1) + 1;
      Atomics.notify(ctl, SEQ);
    }
    const ownEnd = bound(1);
    if (byColumns) kernels.gemm(a, b, c, m, n, k, flags, 0, m, 0, ownEnd, ownScratch);
    else kernels.gemm(a, b, c, m, n, k, flags, 0, ownEnd, 0, n, ownScratch);
    for (let h = 0; h < this.workers.length; h++) this.awaitJob(this.controls[h], this.posted[h]);
  }

  private awaitJob(ctl: Int32Array, job: number): void {
    // The helper started at the same time on an equal share, so it is usually done or nearly: spin
    // a little before paying for a futex sleep and wake-up.
    for (let spins = 0; spins < 20000 && Atomics.load(ctl, DONE) !== job; spins++);
    for (let done = Atomics.load(ctl, DONE); done !== job; done = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, done, 1000);
    if (ctl[STATUS] !== 0) throw new Error('gemm: a helper thread failed (out-of-bounds pointer?)');
  }

  /** Stops the helpers; GEMMs after this throw. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const ctl of this.controls) {
      ctl[CMD] = CMD_EXIT;
      Atomics.add(ctl, SEQ, 1);
      Atomics.notify(ctl, SEQ);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
