import type { KernelExports } from './kernelExports';
import type { WasmMemory, WasmModule } from './webAssemblyApi';

/** Int32 slots of the control block shared by the calling thread and every helper. */
const SEQ = 0; // job number, bumped by the calling thread to post a job
const NEXT = 1; // (job tag << 16) | next unclaimed block: claiming is a compare-exchange on it
const FINISHED = 2; // blocks of the current job computed so far
const STATUS = 3; // 0, or 1 when a helper's block threw
const CMD = 4; // what the posted job is: one of JOBS' commands, or CMD_EXIT
// The job's arguments (JOBS below gives each command's, in order; unused slots hold 0), then its block size
// and block count, then the sum of the counts its blocks returned (nonzeros of a fused pass's output).
const ARGS = 5;
/** Argument slots of every job. */
export const ARG_SLOTS = 9;
const BLOCK_SIZE = ARGS + ARG_SLOTS; // 14
const BLOCKS = BLOCK_SIZE + 1; // 15
const COUNT = BLOCKS + 1; // 16
/** Int32 slots of the control block (two 64-byte lines). */
export const CONTROL_SLOTS = 32;

/** Blocks of C per thread and GEMM: each column block re-packs all of A, so more blocks cost more copying. */
const BLOCKS_PER_THREAD = 2;

/**
 * The jobs the threads share, by command (the CMD slot): the block kernel of assembly/jobs.ts that computes
 * one block, and the names of the arguments it takes after (block, from, to, scratch), in slot order.
 */
export const JOBS = {
  gemm: {
    cmd: 1,
    kernel: 'gemmBlock',
    args: ['a', 'b', 'c', 'm', 'n', 'k', 'flags', 'byColumns', 'epilogue'],
  },
  sparse: {
    cmd: 3,
    kernel: 'sparseBlock',
    args: ['rowStart', 'colIndex', 'values', 'packedB', 'k', 'c', 'm', 'n', 'epilogue'],
  },
  adam: { cmd: 4, kernel: 'adamBlock', args: ['table', 'params', 'entries'] },
  pack: { cmd: 5, kernel: 'packBlock', args: ['b', 'k', 'n', 'transposed', 'dst'] },
  transposeScale: { cmd: 6, kernel: 'transposeScaleBlock', args: ['a', 'out', 'rows', 'cols', 'params'] },
  countColumns: { cmd: 7, kernel: 'countBlock', args: ['rowStart', 'colIndex', 'rows', 'cols', 'span', 'counts'] },
  scatterColumns: {
    cmd: 8,
    kernel: 'scatterBlock',
    args: ['rowStart', 'colIndex', 'values', 'rows', 'cols', 'span', 'cursors', 'outIndex', 'outValues'],
  },
} as const;
type JobName = keyof typeof JOBS;
/** A job's arguments by name. */
export type JobArgs<J extends JobName> = Record<(typeof JOBS)[J]['args'][number], number>;
/** The kernels a thread computes blocks with. */
export type BlockKernels = Pick<KernelExports, (typeof JOBS)[JobName]['kernel']>;
/** A block kernel: (block, from, to, scratch, ...the job's ARG_SLOTS arguments) => the block's count. */
export type BlockKernel = (...args: number[]) => number;
/** One thread's block kernels indexed by command; no kernel at the other indices. */
export type BlockKernelTable = readonly (BlockKernel | null | undefined)[];

/** Job commands (CMD slot). */
export const CMD_GEMM = JOBS.gemm.cmd;
const CMD_EXIT = 2;
export const CMD_SPARSE = JOBS.sparse.cmd;
export const CMD_ADAM = JOBS.adam.cmd;
/** Block kernel names by command, for the helpers' source text. */
const KERNEL_NAMES: string[] = [];
for (const job of Object.values(JOBS)) KERNEL_NAMES[job.cmd] = job.kernel;

/** Each command's block kernel of one thread's instance, indexed by command. */
export function blockKernels(kernels: BlockKernels): BlockKernelTable {
  const byName = kernels as unknown as Record<string, BlockKernel>;
  return Array.from(KERNEL_NAMES, (name) => (name ? byName[name] : undefined));
}

/** A job's named arguments as the slots' values, in the order the block kernel takes them. */
export function jobSlots<J extends JobName>(job: J, args: JobArgs<J>): number[] {
  return (JOBS[job].args as readonly string[]).map((name) => (args as Record<string, number>)[name]);
}

const TAG_MASK = 0xffff;
/** NEXT's block index once a job is sealed; no job has that many blocks, so nothing is left to claim. */
const SEALED = 0xffff;
/** Most blocks one job may have: every index a claim can take stays below SEALED. */
export const MAX_BLOCKS = SEALED - 1;

/** What a job's blocks returned: the sum of their counts, and how many blocks the job had. */
export interface JobResult {
  count: number;
  blocks: number;
}

/** Micro-kernel tile, as in assembly/gemm.ts: blocks are whole tiles. */
const MR = 4;
const NR = 8;

/*
 * Handing over from job N to job N+1. A helper can still be in runBlocks with job N's tag after job N
 * ended (it woke late, or was descheduled), so the calling thread posts the next job in three steps:
 *   sealJob  NEXT = (tag N << 16) | SEALED: every claim with job N's tag now fails;
 *   writeJob the command and arguments of job N+1, FINISHED = 0;
 *   openJob  NEXT = (tag N+1 << 16) | 0, then SEQ = N+1 and wake the helpers.
 * runBlocks reads BLOCKS after it loads NEXT and before its compare-exchange, so a claim that succeeds
 * proves NEXT was not sealed yet, hence that the count it checked was its own job's. Without the seal a
 * late helper could read job N+1's larger count while NEXT still said (N, blocks of N), claim a block of
 * neither job with half-written arguments and count it in FINISHED, which then overshot the count the
 * caller waited for, so the caller waited forever. Every slot is written with Atomics.store so that this ordering
 * holds in the memory model, not just on x86. A tag is 16 bits: a helper would have to stall between two
 * adjacent instructions for 65536 jobs for a stale claim to match again.
 */

/** Closes `job` to claims: a helper still holding its tag finds no block left, whatever the slots hold next. */
export function sealJob(ctl: Int32Array, job: number): void {
  Atomics.store(ctl, NEXT, ((job & TAG_MASK) << 16) | SEALED);
}

/** Writes the next job's command and arguments; only between sealJob and openJob. */
export function writeJob(
  ctl: Int32Array,
  cmd: number,
  args: readonly number[],
  blockSize: number,
  blocks: number,
): void {
  if (args.length > ARG_SLOTS) throw new Error(`kernel threads: a job takes at most ${ARG_SLOTS} arguments`);
  for (let i = 0; i < ARG_SLOTS; i++) Atomics.store(ctl, ARGS + i, args[i] ?? 0);
  Atomics.store(ctl, BLOCK_SIZE, blockSize);
  Atomics.store(ctl, BLOCKS, blocks);
  Atomics.store(ctl, FINISHED, 0);
  Atomics.store(ctl, COUNT, 0);
  Atomics.store(ctl, STATUS, 0);
  Atomics.store(ctl, CMD, cmd);
}

/** Opens `job` (the one writeJob wrote) for claiming and wakes the helpers. */
export function openJob(ctl: Int32Array, job: number): void {
  Atomics.store(ctl, NEXT, (job & TAG_MASK) << 16);
  Atomics.store(ctl, SEQ, job);
  Atomics.notify(ctl, SEQ);
}

/** How long awaitBlocks sleeps between looks, and after how many looks without progress it gives up. */
export interface AwaitOptions {
  waitMs: number;
  stalledWaits: number;
}

/**
 * Returns once all `blocks` blocks of `job` are counted in FINISHED. Throws, instead of waiting forever,
 * when more were counted (a block computed twice or for another job) or when no block finished in
 * `stalledWaits` consecutive waits of `waitMs` (a helper thread died holding a block). Counting waits,
 * not wall time, keeps a process that was stopped (Ctrl-Z) and resumed from failing.
 */
export function awaitBlocks(
  ctl: Int32Array,
  job: number,
  blocks: number,
  options: AwaitOptions = { waitMs: 1000, stalledWaits: 60 },
): void {
  // Blocks a helper claimed may still be running; they were started at most one block ago.
  for (let spins = 0; spins < 100_000 && Atomics.load(ctl, FINISHED) < blocks; spins++);
  let stalled = 0;
  for (let done = Atomics.load(ctl, FINISHED); done < blocks;) {
    Atomics.wait(ctl, FINISHED, done, options.waitMs);
    const now = Atomics.load(ctl, FINISHED);
    stalled = now === done ? stalled + 1 : 0;
    done = now;
    if (stalled >= options.stalledWaits && done < blocks) {
      throw new Error(
        `kernel threads: job ${job} has had ${done} of its ${blocks} blocks finished for ${(stalled * options.waitMs) / 1000} s; a helper thread stopped while computing one. Train with --threads 1 (the dnnLab.threads setting) and report this.`,
      );
    }
  }
  const finished = Atomics.load(ctl, FINISHED);
  if (finished !== blocks) {
    throw new Error(
      `kernel threads: job ${job} counted ${finished} finished blocks of its ${blocks}: a block was computed twice or for another job. Train with --threads 1 (the dnnLab.threads setting) and report this.`,
    );
  }
}

/**
 * Claims blocks of the current job until none is left, computing each with the command's block kernel
 * (`kernels` as blockKernels gives them) and adding the counts they return to COUNT; shared verbatim by the
 * calling thread and (as source text) the helpers. A claim is valid only while NEXT still carries
 * this job's tag and is not sealed, so a helper that wakes late can never compute a block of a
 * finished job, nor of the next one (see the hand-over above).
 * Slots are literal numbers (NEXT = 1, FINISHED = 2, STATUS = 3, CMD = 4, ARGS = 5-13, BLOCK_SIZE = 14,
 * BLOCKS = 15, COUNT = 16) because the helper gets this function as text, where the module's constants
 * (renamed by a minifier) do not exist. `scratch` is the thread's own: GEMM panels, or the sparse
 * product's edge strip.
 */
export function runBlocks(ctl: Int32Array, job: number, kernels: BlockKernelTable, scratch: number): void {
  const tag = job & 0xffff;
  for (;;) {
    const next = Atomics.load(ctl, 1);
    if (next >>> 16 !== tag) return;
    // After NEXT, before the claim: if the claim succeeds, NEXT was not sealed, so this is still our job's count.
    const blocks = Atomics.load(ctl, 15);
    const index = next & 0xffff;
    if (index >= blocks) return;
    if (Atomics.compareExchange(ctl, 1, next, next + 1) !== next) continue;
    // The caller waits for this block, so the job's arguments stay as they are until FINISHED counts it.
    const from = index * ctl[14];
    try {
      const count = (kernels[ctl[4]] as BlockKernel)(
        index,
        from,
        from + ctl[14],
        scratch,
        ctl[5],
        ctl[6],
        ctl[7],
        ctl[8],
        ctl[9],
        ctl[10],
        ctl[11],
        ctl[12],
        ctl[13],
      );
      // Before FINISHED: once the caller sees every block finished, COUNT holds all of theirs.
      if (count !== 0) Atomics.add(ctl, 16, count);
    } catch {
      Atomics.store(ctl, 3, 1);
    }
    if (Atomics.add(ctl, 2, 1) + 1 === blocks) Atomics.notify(ctl, 2);
  }
}

/** What every helper thread is given: the kernels' module and shared memory, and where its control block and scratch are. */
export interface HelperData {
  module: WasmModule;
  memory: WasmMemory;
  control: number;
  scratch: number;
  spinMicros: number;
}

/**
 * The helper thread's loop, as the text of a statement list that expects `module, memory, control, scratch,
 * spinMicros` (HelperData) and `ready()` in scope: each host's helper program (nodeHelperThreads.ts,
 * webHelperThreads.ts) wraps it with how it receives them. It instantiates the kernels on the shared memory, then
 * loops: spin briefly for the next job (the products of one training step come tens of microseconds apart), else
 * sleep in Atomics.wait, so an idle pool burns no CPU.
 */
export const HELPER_LOOP = `
const instance = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = ${JSON.stringify(KERNEL_NAMES)}.map((name) => name && instance[name]);
const ctl = new Int32Array(memory.buffer, control, ${CONTROL_SLOTS});
const runBlocks = ${runBlocks.toString()};
let seen = Atomics.load(ctl, ${SEQ});
ready();
for (;;) {
  const spinUntil = performance.now() + spinMicros / 1000;
  while (Atomics.load(ctl, ${SEQ}) === seen && performance.now() < spinUntil);
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  if (Atomics.load(ctl, ${CMD}) === ${CMD_EXIT}) break;
  runBlocks(ctl, seen, kernels, scratch);
}
`;

/** One started helper thread. */
export interface HelperThread {
  terminate(): Promise<unknown> | void;
}

/**
 * Starts helper threads running HELPER_LOOP on `data`, resolving once each has instantiated the kernels (its
 * `ready()`), rejecting when one cannot start: Node's worker threads (nodeHelperThreads.ts) or a browser's Web
 * Workers (webHelperThreads.ts), which can share the memory only where the page is cross-origin isolated.
 */
export type HelperSpawner = (data: HelperData) => Promise<HelperThread>;

/**
 * Splits each GEMM into blocks of C (column blocks when C is wide enough, else row blocks), and each
 * sparse product into row blocks, that the calling thread and helper worker threads claim one at a
 * time; the helpers run the same wasm module on the same shared memory, each packing its own panels. Claiming rather than a fixed
 * split keeps a descheduled helper (a busy machine) from stalling the caller: the caller then
 * simply computes more blocks itself.
 */
export class KernelThreadPool {
  private readonly ctl: Int32Array;
  private job = 0;
  private closed = false;

  private readonly callerKernels: BlockKernelTable;

  private constructor(
    private readonly workers: HelperThread[],
    memory: WasmMemory,
    control: number,
    caller: BlockKernels,
    private readonly ownScratch: number,
  ) {
    this.ctl = new Int32Array(memory.buffer, control, CONTROL_SLOTS);
    this.callerKernels = blockKernels(caller);
  }

  /**
   * Starts one helper per scratch area (SCRATCH_FLOATS floats each) with `spawn` and resolves once every helper
   * has instantiated the module; `control` is the byte offset of CONTROL_SLOTS int32s. The calling thread
   * computes its blocks with `caller` (its own instance) in `ownScratch`. When one helper cannot start, the
   * others are stopped and the error is thrown.
   */
  static async start(
    spawn: HelperSpawner,
    module: WasmModule,
    memory: WasmMemory,
    control: number,
    helperScratch: number[],
    spinMicros: number,
    caller: BlockKernels,
    ownScratch: number,
  ): Promise<KernelThreadPool> {
    const started = await Promise.allSettled(
      helperScratch.map((scratch) => spawn({ module, memory, control, scratch, spinMicros })),
    );
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    return new KernelThreadPool(workers, memory, control, caller, ownScratch);
  }

  /** Threads a product runs on, the caller included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * C = A·B (flags as in assembly/gemm.ts) on all threads, then `epilogue` (an epilogue record of
   * assembly/jobs.ts, or 0) on each block; returns the blocks' summed counts and how many blocks there were.
   */
  gemm(args: Omit<JobArgs<'gemm'>, 'byColumns'>): JobResult {
    // BLOCKS_PER_THREAD blocks per thread: enough to even out, few enough that re-packing A
    // (column blocks) or B (row blocks) for every block stays a small fraction of the work.
    const byColumns = args.n >= 64;
    const tile = byColumns ? NR : MR;
    const extent = byColumns ? args.n : args.m;
    const blockSize = Math.max(2 * tile, Math.ceil(extent / (BLOCKS_PER_THREAD * this.threads) / tile) * tile);
    return this.run('gemm', { ...args, byColumns: byColumns ? 1 : 0 }, blockSize, Math.ceil(extent / blockSize));
  }

  /** The sparse product of assembly/sparse.ts on all threads, split by rows of C, then `epilogue` on each block. */
  sparseTimesDense(args: JobArgs<'sparse'>): JobResult {
    // Rows differ in their nonzeros (an image's border pixels have none): 16 small blocks per thread,
    // claimed as threads come free, cut the caller's wait for the last block by a third against 4.
    const blockSize = Math.max(1, Math.ceil(args.m / (16 * this.threads)));
    return this.run('sparse', args, blockSize, Math.ceil(args.m / blockSize));
  }

  /** Adam's update of a table of spans (assembly/optimizers.ts adamTable) on all threads, one span per claim. */
  adam(args: JobArgs<'adam'>): void {
    this.run('adam', args, 1, args.entries);
  }

  /** Packs B's `strips` strips for a sparse product (assembly/sparse.ts packStrips) on all threads, one strip a claim. */
  pack(args: JobArgs<'pack'>, strips: number): void {
    this.run('pack', args, 1, strips);
  }

  /** out = s·aᵀ (assembly/elementwise.ts transposeScaleBlocks) on all threads, one block of rows of a a claim. */
  transposeScale(args: JobArgs<'transposeScale'>, blocks: number): void {
    this.run('transposeScale', args, 1, blocks);
  }

  /**
   * The CSR form of Aᵀ from A's on all threads, the same as assembly/sparse.ts transposeRows gives: each of `blocks`
   * blocks of `span` rows counts its columns, the calling thread turns the counts into row starts and cursors
   * (`columnCursors`, from its own instance), then each block scatters its rows.
   */
  transposeRows(
    args: Omit<JobArgs<'scatterColumns'>, 'cursors'>,
    blocks: number,
    outStart: number,
    counts: number,
    columnCursors: (counts: number, blocks: number, cols: number, outStart: number) => void,
  ): void {
    const { rowStart, colIndex, rows, cols, span } = args;
    this.run('countColumns', { rowStart, colIndex, rows, cols, span, counts }, 1, blocks);
    columnCursors(counts, blocks, cols, outStart);
    this.run('scatterColumns', { ...args, cursors: counts }, 1, blocks);
  }

  /** Posts a job of `blocks` blocks, computes blocks on the calling thread too, and returns when all are done. */
  private run<J extends JobName>(job: J, args: JobArgs<J>, blockSize: number, blocks: number): JobResult {
    if (this.closed) throw new Error('kernel threads: the thread pool was closed');
    if (blocks > MAX_BLOCKS)
      throw new Error(
        `kernel threads: a product of ${blocks} blocks exceeds the ${MAX_BLOCKS} the claim counter holds`,
      );
    const ctl = this.ctl;
    sealJob(ctl, this.job);
    writeJob(ctl, JOBS[job].cmd, jobSlots(job, args), blockSize, blocks);
    this.job = (this.job + 1) | 0;
    openJob(ctl, this.job);
    runBlocks(ctl, this.job, this.callerKernels, this.ownScratch);
    awaitBlocks(ctl, this.job, blocks);
    if (Atomics.load(ctl, STATUS) !== 0)
      throw new Error('kernel threads: a helper thread failed (out-of-bounds pointer?)');
    return { count: Atomics.load(ctl, COUNT), blocks };
  }

  /** Stops the helpers; GEMMs after this throw. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, CMD, CMD_EXIT);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
