// npm run bench: the Corelab 1 network on MNIST, with each lab's hidden activation and batch size, through
// the extension's own path (the training worker), side by side with PyTorch when it is installed, and a
// profile of one epoch per workload. Prints figures; it is not a test.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ElementwiseActivation, LabConfig } from '../src/engine/config/labConfig';
import { parseLabConfig } from '../src/engine/config/parseLabConfig';
import { defaultCacheDir, loadIdxFolder } from '../src/engine/data';
import type { BackendPreference } from '../src/engine/kernels/backend';
import { automaticThreads } from '../src/engine/kernels/threads';
import { createWasmKernels } from '../src/engine/kernels/wasm/wasmKernels';
import type { EpochMetrics } from '../src/engine/train/metrics';
import { startTraining } from '../src/worker/trainingClient';
import { compareWithReference } from './numerics';
import { formatProfile, profileEpoch } from './profile';

const root = join(__dirname, '..');
const dataDir = process.env.DNN_LAB_DATA ?? join(root, '../shared/datasets/mnist');
const backends = (process.env.BENCH_BACKENDS ?? 'auto').split(',') as BackendPreference[];
const threadCounts = (process.env.BENCH_THREADS ?? String(automaticThreads())).split(',').map(Number);
// The machines are shared VMs whose speed drifts by tens of percent within a minute: each round runs
// PyTorch and then every variant of ours, and ratios are taken within a round.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * Epochs per run, for both engines; the last is the one timed (default 2). The first epoch of a fresh worker pays for
 * warming up (its first ten batches take about twice as long as later ones: V8 compiling the trainer's JavaScript, the
 * kernels' heap blocks made for each shape), which a lab's 20 epochs pay once; it is printed too.
 */
const epochsPerRun = Math.max(1, Math.floor(Number(process.env.BENCH_EPOCHS ?? 2)));
// Debian's pthread OpenBLAS runs its own threads whatever torch says; on a busy machine one thread can win, so
// PyTorch runs with each OPENBLAS_NUM_THREADS here and the fastest counts.
const torchThreadCounts = [
  ...new Set((process.env.BENCH_TORCH_THREADS ?? `1,${availableParallelism()}`).split(',').map(Number)),
];
const TRAIN = 60000;
const TEST = 10000;

/** One network to time: Corelab 1's layers with `activation` on the hidden ones, at one batch size. */
interface Workload {
  activation: ElementwiseActivation;
  batchSize: number;
}
const label = (w: Workload) => `${w.activation}:${w.batchSize}`;

/**
 * What the issue (#18) asks to hold at PyTorch's speed: every hidden activation the labs offer, and the labs' batch
 * sizes (Corelab 1's 300 and 640, Lab02's smallest and largest).
 */
const DEFAULT_WORKLOADS: Workload[] = [
  { activation: 'relu', batchSize: 300 },
  { activation: 'relu', batchSize: 640 },
  { activation: 'tanh', batchSize: 300 },
  { activation: 'sigmoid', batchSize: 300 },
  { activation: 'leakyRelu', batchSize: 300 },
  { activation: 'relu', batchSize: 32 },
  { activation: 'relu', batchSize: 2048 },
];
const ACTIVATIONS: readonly ElementwiseActivation[] = ['relu', 'tanh', 'sigmoid', 'leakyRelu'];

/**
 * BENCH_WORKLOADS picks what runs, comma-separated: `tanh:300` (any activation and batch), `tanh` (the default
 * workloads with that activation) or `640` (relu at that batch); absent, every default workload.
 */
function selectedWorkloads(filter: string | undefined): Workload[] {
  if (!filter) return DEFAULT_WORKLOADS;
  const chosen: Workload[] = [];
  for (const token of filter.split(',').map((t) => t.trim())) {
    const [name, batch] = token.includes(':') ? token.split(':') : /^\d+$/.test(token) ? ['relu', token] : [token];
    if (!ACTIVATIONS.includes(name as ElementwiseActivation))
      throw new Error(`BENCH_WORKLOADS: "${token}" names no hidden activation; use one of ${ACTIVATIONS.join(', ')}`);
    const activation = name as ElementwiseActivation;
    if (batch === undefined) {
      chosen.push(...DEFAULT_WORKLOADS.filter((w) => w.activation === activation));
      continue;
    }
    const batchSize = Number(batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > TRAIN)
      throw new Error(`BENCH_WORKLOADS: "${token}" needs a batch size from 1 to ${TRAIN}, e.g. tanh:300`);
    chosen.push({ activation, batchSize });
  }
  return chosen.filter((w, i) => chosen.findIndex((o) => label(o) === label(w)) === i);
}

/** Multiply-adds of one forward pass of one image. */
function macsPerImage(config: LabConfig): number {
  let fanIn = 784;
  let macs = 0;
  for (const layer of config.layers) {
    macs += fanIn * layer.units;
    fanIn = layer.units;
  }
  return macs;
}

/** The Corelab 1 reference config with the workload's hidden activation and batch size, for one epoch. */
function workloadConfig(base: LabConfig, w: Workload): LabConfig {
  const last = base.layers.length - 1;
  return {
    ...base,
    batchSize: w.batchSize,
    epochs: epochsPerRun,
    layers: base.layers.map((layer, i) => (i < last ? { ...layer, activation: w.activation } : layer)),
  };
}

/** Trains `config` in the training worker; the last epoch is the timed one, the first is reported as warm-up. */
async function timedEpoch(
  config: LabConfig,
  backend: BackendPreference,
  threads: number,
): Promise<{ epoch: EpochMetrics; first: EpochMetrics; name: string }> {
  let name = backend as string;
  const request = { config, backend, threads, dataFolder: dataDir, cacheDir: defaultCacheDir() };
  const result = await startTraining(join(__dirname, 'worker.js'), request, (e) => {
    if (e.type === 'run/backendChosen') name = e.name;
  }).done;
  return { epoch: result.epochs[result.epochs.length - 1], first: result.epochs[0], name };
}

/** The first python3 that imports torch: Debian's (/usr/bin) first, since python3-torch installs there. */
function torchPython(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find(
    (python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
  );
}

type TorchLine = Record<string, number | string | boolean | null>;

/**
 * bench/torchBench.py --serve at one OpenBLAS thread count: MNIST loaded once, then a workload (or "gemm") per
 * request, so that each round runs PyTorch and ours on a workload seconds apart rather than minutes.
 */
class TorchServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  readonly info: Promise<TorchLine>;

  constructor(python: string, openblasThreads: number) {
    this.child = spawn(python, [join(root, 'bench/torchBench.py'), dataDir, '--serve'], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(openblasThreads), BENCH_EPOCHS: String(epochsPerRun) },
    });
    this.child.stderr.pipe(process.stderr);
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.info = this.next();
  }

  private async next(): Promise<TorchLine> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`bench/torchBench.py --serve ended (exit code ${this.child.exitCode})`);
    return JSON.parse(value as string) as TorchLine;
  }

  /** The answer to one request: its lines, up to and without the "done" line. */
  async request(line: string): Promise<TorchLine[]> {
    await this.info;
    this.child.stdin.write(`${line}\n`);
    const answer: TorchLine[] = [];
    for (let next = await this.next(); next.event !== 'done'; next = await this.next()) answer.push(next);
    return answer;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** GFLOP/s of our 1024 x 1024 sgemm on `threads` threads, best of 10: the ceiling our epochs are measured against. */
async function wasmGemmPeak(threads: number): Promise<number> {
  const k = await createWasmKernels({ threads });
  try {
    return k.scope(() => {
      const n = 1024;
      const a = k.fromArray(new Float32Array(n * n).fill(0.5), n, n);
      const b = k.fromArray(new Float32Array(n * n).fill(0.25), n, n);
      k.dispose(k.matMul(a, b));
      let best = Infinity;
      for (let i = 0; i < 10; i++) {
        const start = performance.now();
        k.dispose(k.matMul(a, b));
        best = Math.min(best, (performance.now() - start) / 1000);
      }
      return (2 * n ** 3) / best / 1e9;
    });
  } finally {
    await k.close();
  }
}

/** One result line, the same columns for both engines. */
function row(
  name: string,
  w: Workload,
  seconds: number,
  epochFlops: number,
  peak: number,
  trainAcc: number,
  testAcc: number,
  rssMB: number,
): string {
  const gflops = epochFlops / seconds / 1e9;
  const ofPeak = Number.isFinite(peak) ? ` (${((100 * gflops) / peak).toFixed(0).padStart(3)}% of peak)` : '';
  return (
    `${name.padEnd(44)} ${label(w).padStart(12)}: ${seconds.toFixed(2).padStart(6)} s/epoch ${(TRAIN / seconds).toFixed(0).padStart(6)} samples/s ` +
    `${gflops.toFixed(2).padStart(6)} GFLOP/s${ofPeak}  acc train ${(100 * trainAcc).toFixed(2)}% test ${(100 * testAcc).toFixed(2)}%  peak RSS ${rssMB.toFixed(0)} MB`
  );
}

/**
 * What stops a workload: the multiply-adds our products performed in the profiled epoch (after skipping zeros) at our
 * 1024² GEMM's peak of this run is the least time our kernels could take; against it our best epoch, how long the
 * products themselves took in the profiled epoch (their real rate on these small shapes), and PyTorch's best epoch.
 */
function ceilingLine(
  w: Workload,
  profile: { multiplyAdds: number; denseMultiplyAdds: number; productSeconds: number; seconds: number },
  peak: number,
  oursSeconds: number,
  torchBest: TorchLine | undefined,
): string {
  const ceiling = (2 * profile.multiplyAdds) / (peak * 1e9);
  const skipped = 100 * (1 - profile.multiplyAdds / profile.denseMultiplyAdds);
  const productRate = (2 * profile.multiplyAdds) / profile.productSeconds / 1e9;
  const torchSeconds = torchBest ? Number(torchBest.seconds) : undefined;
  const against =
    torchSeconds === undefined
      ? ''
      : ceiling > torchSeconds
        ? `; PyTorch ${torchSeconds.toFixed(2)} s is below even that ceiling`
        : `; PyTorch ${torchSeconds.toFixed(2)} s, so the arithmetic does not stop us`;
  return (
    `Ceiling, ${label(w)}: ${(profile.multiplyAdds / 1e9).toFixed(1)} G multiply-adds an epoch (${skipped.toFixed(0)}% of the dense ones skipped as zeros) ` +
    `at our GEMM peak of ${peak.toFixed(0)} GFLOP/s take ${ceiling.toFixed(2)} s; ours ${oursSeconds.toFixed(2)} s ` +
    `(${((100 * ceiling) / oursSeconds).toFixed(0)}% of the way)${against}. In the profiled epoch the products took ` +
    `${profile.productSeconds.toFixed(2)} s of ${profile.seconds.toFixed(2)} (${productRate.toFixed(0)} GFLOP/s on these shapes).`
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const range = (values: number[], digits = 2) =>
  `[${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}]`;

async function main(): Promise<void> {
  const parsed = parseLabConfig(readFileSync(join(root, 'labs/corelab-1/reference.dnn.json'), 'utf8'));
  if (!parsed.config) throw new Error('labs/corelab-1/reference.dnn.json does not parse');
  const base = parsed.config;
  const workloads = selectedWorkloads(process.env.BENCH_WORKLOADS);
  // Backward counted as twice forward (the usual 3x-forward convention); the test pass is forward only.
  const macs = macsPerImage(base);
  const epochFlops = TRAIN * 6 * macs + TEST * 2 * macs;
  console.log(
    `Corelab 1's network (784-256-128-64-32-10, Adam 0.02) with the hidden activation and batch size of each workload ` +
      `(${workloads.map(label).join(', ')}). An epoch, for both engines: train on 60,000 MNIST images, then evaluate the ` +
      `10,000 test images (forward only, chunks of 1000, loss + accuracy); ${(epochFlops / 1e9).toFixed(1)} GFLOP per epoch. ` +
      `Each run trains ${epochsPerRun} epoch(s) from the same start and times the last (BENCH_EPOCHS)` +
      `${epochsPerRun > 1 ? ', so that neither engine is timed warming up' : ''}.`,
  );
  console.log(`Node ${process.version}, ${cpus().length} cores, data ${dataDir}. samples/s = 60,000 / epoch time.`);

  const python = torchPython();
  if (!python) {
    console.log(
      'PyTorch: not installed, so no comparison. On Debian: apt-get install python3-torch libopenblas0-pthread',
    );
    console.log(
      '(without libopenblas0-pthread PyTorch falls back to the reference BLAS and is about 20 times slower).',
    );
  }
  console.log(
    `${rounds} rounds, each our 1024x1024 GEMM and PyTorch's, then workload by workload PyTorch at each thread count and every variant of ours, ` +
      `seconds apart; the best epoch of each is shown with the range over rounds, and each ratio is the median over rounds of ` +
      `(our best variant / PyTorch's best setting) within the round.`,
  );
  console.log(
    'Peak RSS: ours is the whole bench process (main thread + training worker), PyTorch its python process; each the highest so far.',
  );
  console.log(
    'GFLOP/s count the dense work (6 x multiply-adds per training image): ours skips the zeros of sparse operands (sparse products), so for ours it is the effective rate.\n',
  );

  const variants = backends.flatMap((backend) => threadCounts.map((threads) => ({ backend, threads })));
  const ours = new Map<
    string,
    { name: string; workload: Workload; best?: EpochMetrics; rssMB: number; rounds: number[]; firstRounds: number[] }
  >();
  const torch = new Map<string, { best?: TorchLine; rounds: number[]; firstRounds: number[] }>();
  let torchInfo: TorchLine | undefined;
  const peakThreads = Math.max(...threadCounts);
  const wasmPeaks: number[] = [];
  const servers = python ? torchThreadCounts.map((threads) => new TorchServer(python, threads)) : [];
  for (const server of servers) {
    const info = await server.info;
    if (!torchInfo || Number(info.gemmPeakGflops) > Number(torchInfo.gemmPeakGflops)) torchInfo = info;
  }
  for (let round = 0; round < rounds; round++) {
    wasmPeaks.push(await wasmGemmPeak(peakThreads));
    for (const server of servers) {
      // The machine's ceiling: the best sgemm any round saw.
      const [gemm] = await server.request('gemm');
      if (torchInfo && Number(gemm.gemmPeakGflops) > Number(torchInfo.gemmPeakGflops))
        torchInfo = { ...torchInfo, gemmPeakGflops: gemm.gemmPeakGflops };
    }
    // Workload by workload, PyTorch at each thread count and then every variant of ours, seconds apart.
    for (const workload of workloads) {
      for (const server of servers) {
        for (const line of await server.request(label(workload))) {
          // PyTorch at its best thread setting in this round: the fastest of the settings tried.
          const key = label(workload);
          const entry = torch.get(key) ?? { rounds: [], firstRounds: [] };
          const seconds = Number(line.seconds);
          if (Number(line.epoch) === 1) {
            if (entry.firstRounds.length > round)
              entry.firstRounds[round] = Math.min(entry.firstRounds[round], seconds);
            else entry.firstRounds.push(seconds);
          }
          torch.set(key, entry);
          if (Number(line.epoch) !== epochsPerRun) continue;
          if (entry.rounds.length > round) entry.rounds[round] = Math.min(entry.rounds[round], seconds);
          else entry.rounds.push(seconds);
          if (!entry.best || seconds < Number(entry.best.seconds)) entry.best = line;
        }
      }
      for (const { backend, threads } of variants) {
        const { epoch, first, name } = await timedEpoch(workloadConfig(base, workload), backend, threads);
        const key = `${backend}:${threads}:${label(workload)}`;
        const entry = ours.get(key) ?? { name, workload, rounds: [], firstRounds: [], rssMB: 0 };
        entry.rounds.push(epoch.seconds);
        entry.firstRounds.push(first.seconds);
        if (!entry.best || epoch.seconds < entry.best.seconds) entry.best = epoch;
        entry.rssMB = process.resourceUsage().maxRSS / 1024; // KB: the bench process, worker threads included
        ours.set(key, entry);
      }
    }
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
  for (const server of servers) server.close();

  // Our ceiling: the best of the rounds' GEMMs, on as many threads as our widest variant.
  const peak = Math.max(...wasmPeaks);
  console.log(
    `Peak = our wasm 1024x1024 sgemm on ${peakThreads} thread(s), best of each round's 10: ${peak.toFixed(1)} GFLOP/s (rounds ${range(wasmPeaks, 1)}).`,
  );
  if (torchInfo) {
    const blas = torchInfo.openblas
      ? `OpenBLAS with ${torchInfo.openblasThreads ?? '?'} thread(s) of its own`
      : `NOT OpenBLAS (${torchInfo.blas}): slow reference BLAS`;
    console.log(
      `PyTorch ${torchInfo.version}: ${torchInfo.threads} intra-op thread(s), ${blas}, OPENBLAS_NUM_THREADS=${torchInfo.openblasEnv ?? 'unset'}; ` +
        `its 1024x1024 sgemm on those threads, best of the rounds: ${Number(torchInfo.gemmPeakGflops).toFixed(1)} GFLOP/s.`,
    );
  }
  const torchLabel =
    torchInfo && `PyTorch (${torchInfo.threads} thread(s), OpenBLAS ${torchInfo.openblasThreads ?? '?'})`;
  for (const workload of workloads) {
    console.log('');
    for (const entry of ours.values()) {
      const { best } = entry;
      if (best && label(entry.workload) === label(workload))
        console.log(
          `${row(entry.name, workload, best.seconds, epochFlops, peak, best.trainAccuracy, best.testAccuracy, entry.rssMB)}  ${range(entry.rounds)} s`,
        );
    }
    const entry = torch.get(label(workload));
    if (!torchLabel || !entry?.best) continue;
    const line = entry.best;
    console.log(
      `${row(torchLabel, workload, Number(line.seconds), epochFlops, peak, Number(line.trainAccuracy), Number(line.testAccuracy), Number(line.peakRssKB) / 1024)}  ${range(entry.rounds)} s`,
    );
    // Within each round, our fastest variant on this workload against PyTorch's epoch of the same round.
    const ratios = entry.rounds.map((torchSeconds, r) => {
      const oursSeconds = Math.min(
        ...[...ours.values()].filter((o) => label(o.workload) === label(workload)).map((o) => o.rounds[r]),
      );
      return oursSeconds / torchSeconds;
    });
    console.log(
      `${''.padEnd(44)} ${label(workload).padStart(12)}: ours takes ${median(ratios).toFixed(2)}x as long as PyTorch (median of rounds; each round: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    if (epochsPerRun > 1) {
      const mine = [...ours.values()].filter((o) => label(o.workload) === label(workload));
      const firsts = entry.firstRounds.map((torchSeconds, r) => ({
        ours: Math.min(...mine.map((o) => o.firstRounds[r])),
        torch: torchSeconds,
      }));
      console.log(
        `${''.padEnd(44)} ${label(workload).padStart(12)}: first epoch (warming up, not the one timed) ours ${range(firsts.map((f) => f.ours))} s, ` +
          `PyTorch ${range(firsts.map((f) => f.torch))} s, ${median(firsts.map((f) => f.ours / f.torch)).toFixed(2)}x (median of rounds)`,
      );
    }
  }

  if (process.env.BENCH_PROFILE !== '0') {
    // In this thread rather than the worker, on the widest variant's thread count; timing every call costs a little.
    const data = await loadIdxFolder(dataDir);
    for (const workload of workloads) {
      const profile = await profileEpoch(workloadConfig(base, workload), data, peakThreads);
      console.log(`\n${formatProfile(`${label(workload)}, ${peakThreads} thread(s)`, profile).join('\n')}`);
      const oursBest = Math.min(
        ...[...ours.values()].filter((o) => label(o.workload) === label(workload)).map((o) => o.best!.seconds),
      );
      console.log(ceilingLine(workload, profile, peak, oursBest, torch.get(label(workload))?.best));
    }
  }

  if (workloads.some((w) => label(w) === 'relu:300')) {
    const numerics = await compareWithReference({ ...base, batchSize: 300 }, (await loadIdxFolder(dataDir)).train, 200);
    const figures = (values: number[]) => values.map((v) => v.toExponential(1)).join(' ');
    console.log(
      `\nNumerics, ours (1 thread) against the same backprop on the tfjs cpu kernels, relu:300 after ${numerics.trainedBatches} batches of training, ` +
        `max |difference| / max |reference| per layer 1-5: δ^l ${figures(numerics.deltas)}; ∂C/∂W^l ${figures(numerics.weightGradients)}. ` +
        `Over those batches our kernels performed ${(100 * numerics.performedShare).toFixed(0)}% of the dense products' multiply-adds.`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
