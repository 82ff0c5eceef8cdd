// The thread pool's job hand-over, step by step, on one thread: the control block is put in every state
// the calling thread passes through between two jobs, and runBlocks is called as a helper that woke late
// and still holds the previous job's tag. It must claim nothing and count nothing, whatever the slots
// hold; a claim there computed a block of neither job and counted it in FINISHED, and the caller, waiting
// for FINISHED to equal its job's block count, waited forever.
import { describe, expect, it } from 'vitest';
import {
  awaitBlocks,
  blockKernels,
  type BlockKernelTable,
  ARG_SLOTS,
  CMD_ADAM,
  CMD_GEMM,
  CMD_SPARSE,
  CONTROL_SLOTS,
  openJob,
  runBlocks,
  sealJob,
  writeJob,
} from '../../../../src/engine/kernels/wasm/kernelThreads';

const NEXT = 1;
const FINISHED = 2;
const COUNT = 16;

/**
 * Block kernels that only record which block each call computes (its index and range, then the job's first
 * argument) and return 1: the hand-over is under test, not the products.
 */
function recordingKernels(): { kernels: BlockKernelTable; calls: string[] } {
  const calls: string[] = [];
  const record =
    (name: string) =>
    (...a: number[]) => {
      calls.push(`${name} block ${a[0]} ${a[1]}-${a[2]} of ${a[4]}`);
      return 1;
    };
  return {
    calls,
    kernels: blockKernels({
      gemmBlock: record('gemm'),
      sparseBlock: record('sparse'),
      adamBlock: record('adam'),
      packBlock: record('pack'),
      transposeScaleBlock: record('transposeScale'),
      countBlock: record('countColumns'),
      scatterBlock: record('scatterColumns'),
    }),
  };
}

function controlBlock(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
}

// Job 1: a GEMM of 16 x 24 in 2 row blocks of 8. Job 2: a sparse product of 64 rows in 32 blocks of 2,
// so a late helper of job 1 that read job 2's count would see blocks left to claim.
const JOB1 = { cmd: CMD_GEMM, args: [100, 200, 300, 16, 24, 5, 0, 0, 0], blockSize: 8, blocks: 2 };
const JOB2 = { cmd: CMD_SPARSE, args: [400, 500, 600, 700, 5, 800, 64, 24, 0], blockSize: 2, blocks: 32 };

/** The control block after job 1 was posted and computed by the caller, as run() leaves it. */
function afterJob1(): Int32Array {
  const ctl = controlBlock();
  sealJob(ctl, 0);
  writeJob(ctl, JOB1.cmd, JOB1.args, JOB1.blockSize, JOB1.blocks);
  openJob(ctl, 1);
  runBlocks(ctl, 1, recordingKernels().kernels, 0);
  awaitBlocks(ctl, 1, JOB1.blocks);
  return ctl;
}

/** Every state between sealing job 1 and opening job 2: each subset of the slots writeJob changes, written. */
function handOverStates(): { label: string; state: Int32Array }[] {
  const ctl = afterJob1();
  sealJob(ctl, 1);
  const sealed = ctl.slice();
  writeJob(ctl, JOB2.cmd, JOB2.args, JOB2.blockSize, JOB2.blocks);
  const written = ctl.slice();
  const changed = [...written.keys()].filter((i) => written[i] !== sealed[i]);
  return Array.from({ length: 2 ** changed.length }, (_, mask) => {
    const state = sealed.slice();
    const slots = changed.filter((_, bit) => mask & (1 << bit));
    for (const i of slots) state[i] = written[i];
    return { label: `slots ${slots.join(',') || 'none'}`, state };
  });
}

describe('the job hand-over', () => {
  it('lets the caller and a timely helper claim each block of a job exactly once', () => {
    const ctl = controlBlock();
    const caller = recordingKernels();
    const helper = recordingKernels();
    sealJob(ctl, 0);
    writeJob(ctl, JOB2.cmd, JOB2.args, JOB2.blockSize, JOB2.blocks);
    openJob(ctl, 1);
    runBlocks(ctl, 1, caller.kernels, 0);
    runBlocks(ctl, 1, helper.kernels, 0);
    expect(caller.calls).toEqual(
      Array.from({ length: 32 }, (_, i) => `sparse block ${i} ${2 * i}-${2 * i + 2} of 400`),
    );
    expect(helper.calls).toEqual([]);
    expect(Atomics.load(ctl, FINISHED)).toBe(32);
    // Every block's count (1 each here, a fused pass's nonzeros in a product) is added up.
    expect(Atomics.load(ctl, COUNT)).toBe(32);
  });

  it("hands each GEMM block its index and range (the block kernel cuts the last at m) and the job's arguments", () => {
    const ctl = controlBlock();
    const { kernels, calls } = recordingKernels();
    sealJob(ctl, 0);
    writeJob(ctl, CMD_GEMM, [100, 200, 300, 20, 24, 5, 0, 0, 0], 8, 3);
    openJob(ctl, 1);
    runBlocks(ctl, 1, kernels, 0);
    expect(calls).toEqual(['gemm block 0 0-8 of 100', 'gemm block 1 8-16 of 100', 'gemm block 2 16-24 of 100']);
  });

  it('clears the argument slots a job leaves unused, and refuses more arguments than the slots hold', () => {
    const ctl = controlBlock();
    writeJob(ctl, CMD_GEMM, [1, 2, 3, 4, 5, 6, 7, 8, 9], 8, 3);
    writeJob(ctl, CMD_ADAM, [1, 2, 3, 4, 5, 6, 7, 8], 1, 3);
    expect(ctl[5 + ARG_SLOTS - 1]).toBe(0);
    expect(() =>
      writeJob(
        ctl,
        CMD_ADAM,
        Array.from({ length: ARG_SLOTS + 1 }, () => 1),
        1,
        3,
      ),
    ).toThrow('kernel threads: a job takes at most 9 arguments');
  });

  it('gives a late helper of job 1 nothing once job 1 is sealed, in all 8192 states before job 2 opens', () => {
    const states = handOverStates();
    // 13 slots change: 8 arguments (the ninth, the epilogue, is 0 in both), block size, block count,
    // FINISHED, COUNT and the command.
    expect(states).toHaveLength(8192);
    const failures: string[] = [];
    for (const { label, state } of states) {
      const ctl = controlBlock();
      ctl.set(state);
      const { kernels, calls } = recordingKernels();
      runBlocks(ctl, 1, kernels, 0);
      if (calls.length > 0 || ctl.some((value, i) => value !== state[i])) {
        failures.push(
          `${label}: computed [${calls.join('; ')}], NEXT ${state[NEXT]} -> ${ctl[NEXT]}, FINISHED ${state[FINISHED]} -> ${ctl[FINISHED]}`,
        );
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('gives job 1 nothing once job 2 is open, and job 2 all of its blocks', () => {
    const ctl = afterJob1();
    sealJob(ctl, 1);
    writeJob(ctl, JOB2.cmd, JOB2.args, JOB2.blockSize, JOB2.blocks);
    openJob(ctl, 2);
    const late = recordingKernels();
    runBlocks(ctl, 1, late.kernels, 0);
    expect(late.calls).toEqual([]);
    const caller = recordingKernels();
    runBlocks(ctl, 2, caller.kernels, 0);
    expect(caller.calls).toHaveLength(32);
    expect(() => awaitBlocks(ctl, 2, JOB2.blocks)).not.toThrow();
  });

  it('keeps tags apart across the 16-bit wrap: job 65536 is not job 0, job 65537 is posted after 65536', () => {
    const ctl = controlBlock();
    sealJob(ctl, 65535);
    writeJob(ctl, JOB2.cmd, JOB2.args, JOB2.blockSize, JOB2.blocks);
    openJob(ctl, 65536);
    const stale = recordingKernels();
    runBlocks(ctl, 65535, stale.kernels, 0);
    expect(stale.calls).toEqual([]);
    const caller = recordingKernels();
    runBlocks(ctl, 65536, caller.kernels, 0);
    expect(caller.calls).toHaveLength(32);
    // Tags whose top bit is set make NEXT negative as an int32; claims must still count up to the end.
    sealJob(ctl, 65536 + 0x8000 - 1);
    writeJob(ctl, JOB2.cmd, JOB2.args, JOB2.blockSize, JOB2.blocks);
    openJob(ctl, 65536 + 0x8000);
    expect(ctl[NEXT]).toBeLessThan(0);
    const high = recordingKernels();
    runBlocks(ctl, 65536 + 0x8000, high.kernels, 0);
    expect(high.calls).toHaveLength(32);
  });
});

describe("the caller's wait", () => {
  it('throws, naming the counts, when more blocks were counted than the job has', () => {
    const ctl = afterJob1();
    Atomics.store(ctl, FINISHED, JOB1.blocks + 1);
    expect(() => awaitBlocks(ctl, 1, JOB1.blocks)).toThrow(
      'kernel threads: job 1 counted 3 finished blocks of its 2: a block was computed twice or for another job. Train with --threads 1',
    );
  });

  it('throws instead of waiting forever when no claimed block finishes', () => {
    const ctl = afterJob1();
    Atomics.store(ctl, FINISHED, 1);
    const started = performance.now();
    expect(() => awaitBlocks(ctl, 1, JOB1.blocks, { waitMs: 5, stalledWaits: 4 })).toThrow(
      'kernel threads: job 1 has had 1 of its 2 blocks finished for 0.02 s; a helper thread stopped while computing one.',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('returns once another thread counts the last block', async () => {
    const { Worker } = await import('node:worker_threads');
    const ctl = afterJob1();
    Atomics.store(ctl, FINISHED, 1);
    // A helper that finishes the last block 50 ms from now, as runBlocks does: add, then notify.
    const helper = new Worker(
      `const { workerData } = require('node:worker_threads');
       const ctl = new Int32Array(workerData);
       Atomics.wait(ctl, ${CONTROL_SLOTS - 1}, 0, 50);
       Atomics.add(ctl, 2, 1);
       Atomics.notify(ctl, 2);`,
      { eval: true, workerData: ctl.buffer },
    );
    try {
      awaitBlocks(ctl, 1, JOB1.blocks, { waitMs: 1000, stalledWaits: 30 });
      expect(Atomics.load(ctl, FINISHED)).toBe(2);
    } finally {
      await helper.terminate();
    }
  });
});
