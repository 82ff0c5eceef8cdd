// GEMM throughput on the shapes of one Corelab 1 training step (784-256-128-64-32-10, batch 300 and
// 640), for our wasm kernels (1 and 2 threads), tfjs-wasm (plain matMul on pre-transposed operands)
// (tfjs-core + tfjs-backend-wasm) and PyTorch (Debian's python3-torch with OpenBLAS, if installed), measured in the same run in
// interleaved rounds because these VMs drift. (`npm run bench` times whole training epochs.) Build and run:
//   node scripts/build-wasm.mjs
//   npx esbuild bench/kernels/gemm.ts --bundle --platform=node --outfile=dist/bench-kernels-gemm.js --external:@tensorflow/*
//   node dist/bench-kernels-gemm.js [--rounds 3] [--flavor simd]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { WasmFlavor } from '../../src/engine/kernels/wasm/wasmBinaries';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm/wasmKernels';

const LAYER_SIZES = [784, 256, 128, 64, 32, 10];
const BATCHES = [300, 640];
const EPOCH_SAMPLES = 60_000;
const PYTHON = '/usr/bin/python3';

/** One GEMM of a training step: C[m x n] = A[m x k] · B[k x n]. */
interface Shape {
  batch: number;
  label: string;
  m: number;
  k: number;
  n: number;
}

/** Forward A·Wt per layer, backward Δ·W per layer but the first (its input gradient is unused), and Aᵀ·Δ per layer. */
function stepShapes(batch: number): Shape[] {
  const shapes: Shape[] = [];
  for (let l = 1; l < LAYER_SIZES.length; l++) {
    const fanIn = LAYER_SIZES[l - 1];
    const units = LAYER_SIZES[l];
    shapes.push({ batch, label: `L${l} fwd  A·Wt`, m: batch, k: fanIn, n: units });
    if (l > 1) shapes.push({ batch, label: `L${l} bwd  Δ·W`, m: batch, k: units, n: fanIn });
    shapes.push({ batch, label: `L${l} grad Aᵀ·Δ`, m: fanIn, k: batch, n: units });
  }
  return shapes;
}

const flops = (s: Shape) => 2 * s.m * s.k * s.n;

/** Best mean seconds per call: reps sized to ~40 ms per sample, best of five samples (best filters other load). */
function bestSeconds(fn: () => void): number {
  fn();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t > 8) break;
    reps *= 2;
  }
  let best = Infinity;
  for (let sample = 0; sample < 5; sample++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t) / 1000 / reps);
  }
  return best;
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** A timed engine: seconds per shape (index-aligned with the shape list) for one round. */
interface Engine {
  name: string;
  time(shapes: Shape[]): number[];
}

function oursEngine(kernels: WasmKernels): Engine {
  return {
    name: kernels.name,
    time: (shapes) =>
      shapes.map((s) =>
        kernels.scope(() => {
          const a = kernels.fromArray(new Float32Array(s.m * s.k).fill(0.5), s.m, s.k);
          const b = kernels.fromArray(new Float32Array(s.k * s.n).fill(0.25), s.k, s.n);
          return bestSeconds(() => kernels.dispose(kernels.matMul(a, b)));
        }),
      ),
  };
}

function tfjsEngine(): Engine {
  return {
    name: `tfjs-wasm ${tf.version_core} (SIMD, 1 thread)`,
    time: (shapes) =>
      shapes.map((s) =>
        tf.tidy(() => {
          const a = tf.fill([s.m, s.k], 0.5);
          const b = tf.fill([s.k, s.n], 0.25);
          return bestSeconds(() => tf.matMul(a, b).dispose());
        }),
      ),
  };
}

interface TorchResult {
  version: string;
  gemm: number[];
}

function torchRun(shapes: Shape[], threads: number): TorchResult {
  const request = JSON.stringify({ shapes: shapes.map((s) => [s.m, s.k, s.n]), threads });
  // The bundle runs from dist/, next to bench/.
  const script = join(__dirname, '..', 'bench', 'kernels', 'torch_gemm.py');
  return JSON.parse(execFileSync(PYTHON, [script, request], { encoding: 'utf8' })) as TorchResult;
}

function torchEngine(threads: number): Engine {
  return {
    name: `PyTorch (OpenBLAS, ${threads} thread${threads > 1 ? 's' : ''})`,
    time: (shapes) => torchRun(shapes, threads).gemm,
  };
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, digits = 1) => x.toFixed(digits).padStart(9);

async function main(): Promise<void> {
  const rounds = Number(argument('rounds') ?? 3);
  const flavor = argument('flavor') as WasmFlavor | undefined;
  await tf.setBackend('wasm');
  const ours1 = await createWasmKernels({ flavor, threads: 1 });
  const ours2 = await createWasmKernels({ flavor, threads: 2 });
  const torchAvailable =
    existsSync(PYTHON) &&
    (() => {
      try {
        execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
  const engines: Engine[] = [oursEngine(ours1), oursEngine(ours2), tfjsEngine()];
  if (torchAvailable) engines.push(torchEngine(1), torchEngine(2));
  const shapes = BATCHES.flatMap(stepShapes);

  console.log(`node ${process.version}; ${rounds} interleaved rounds; best per shape over rounds; GFLOP/s`);
  const best = engines.map(() => shapes.map(() => Infinity));
  for (let round = 0; round < rounds; round++) {
    engines.forEach((engine, e) => engine.time(shapes).forEach((t, i) => (best[e][i] = Math.min(best[e][i], t))));
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }

  console.log(pad('shape (m x k · k x n)', 34) + engines.map((_, i) => `[${i + 1}]`.padStart(9)).join(''));
  for (const batch of BATCHES) {
    shapes.forEach((s, i) => {
      if (s.batch !== batch) return;
      console.log(
        pad(`b${batch} ${s.label} ${s.m}x${s.k}·${s.k}x${s.n}`, 34) +
          engines.map((_, e) => num(flops(s) / best[e][i] / 1e9)).join(''),
      );
    });
    const all = shapes.map((s, i) => ({ s, i })).filter(({ s }) => s.batch === batch);
    const stepFlops = all.reduce((sum, { s }) => sum + flops(s), 0);
    const seconds = engines.map((_, e) => all.reduce((sum, { i }) => sum + best[e][i], 0));
    console.log(pad(`b${batch} all GEMMs of a step`, 34) + seconds.map((t) => num(stepFlops / t / 1e9)).join(''));
    console.log(
      pad(`b${batch} GEMM-only s/epoch`, 34) + seconds.map((t) => num((t * EPOCH_SAMPLES) / batch, 2)).join(''),
    );
  }
  engines.forEach((e, i) => console.log(`[${i + 1}] ${e.name}`));

  if (!torchAvailable) console.log('(PyTorch not measured: apt-get install -y python3-torch libopenblas0-pthread)');
  await ours1.close();
  await ours2.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
