// npm run bench: the Corelab 1 network on MNIST through the extension's own path (the training worker),
// side by side with PyTorch when it is installed. Prints figures; it is not a test.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { LabConfig } from '../src/engine/config/labConfig';
import { parseLabConfig } from '../src/engine/config/parseLabConfig';
import { defaultCacheDir, loadIdxFolder } from '../src/engine/data';
import type { BackendPreference } from '../src/engine/kernels/backend';
import type { EpochMetrics } from '../src/engine/train/metrics';
import { startTraining } from '../src/worker/trainingClient';
import { compareWithReference } from './numerics';

const root = join(__dirname, '..');
const dataDir = process.env.DNN_LAB_DATA ?? join(root, '../shared/datasets/mnist');
const batchSizes = (process.env.BENCH_BATCHES ?? '300,640').split(',').map(Number);
const backends = (process.env.BENCH_BACKENDS ?? 'auto').split(',') as BackendPreference[];
const threadCounts = (process.env.BENCH_THREADS ?? '1').split(',').map(Number);
// The machines are shared VMs whose speed drifts by tens of percent within a minute: each round runs
// PyTorch and then every variant of ours, and ratios are taken within a round.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const TRAIN = 60000;
const TEST = 10000;

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

async function oneEpoch(
  config: LabConfig,
  backend: BackendPreference,
  threads: number,
): Promise<{ epoch: EpochMetrics; name: string }> {
  let name = backend as string;
  const request = { config, backend, threads, dataFolder: dataDir, cacheDir: defaultCacheDir() };
  const result = await startTraining(join(__dirname, 'worker.js'), request, (e) => {
    if (e.type === 'run/backendChosen') name = e.name;
  }).done;
  return { epoch: result.epochs[0], name };
}

/** The first python3 that imports torch: Debian's (/usr/bin) first, since python3-torch installs there. */
function torchPython(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find(
    (python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
  );
}

type TorchLine = Record<string, number | string | boolean | null>;

/** One result line, the same columns for both engines. */
function row(
  label: string,
  batchSize: number,
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
    `${label.padEnd(44)} batch ${String(batchSize).padStart(4)}: ${seconds.toFixed(2).padStart(6)} s/epoch ${(TRAIN / seconds).toFixed(0).padStart(6)} samples/s ` +
    `${gflops.toFixed(2).padStart(6)} GFLOP/s${ofPeak}  acc train ${(100 * trainAcc).toFixed(2)}% test ${(100 * testAcc).toFixed(2)}%  peak RSS ${rssMB.toFixed(0)} MB`
  );
}

async function main(): Promise<void> {
  const parsed = parseLabConfig(readFileSync(join(root, 'labs/corelab-1/reference.dnn.json'), 'utf8'));
  if (!parsed.config) throw new Error('labs/corelab-1/reference.dnn.json does not parse');
  // Backward counted as twice forward (the usual 3x-forward convention); the test pass is forward only.
  const macs = macsPerImage(parsed.config);
  const epochFlops = TRAIN * 6 * macs + TEST * 2 * macs;
  console.log(
    `Corelab 1 (784-256-128-64-32-10, Adam 0.02). One epoch, for both engines: train on 60,000 MNIST images, then evaluate the ` +
      `10,000 test images (forward only, chunks of 1000, loss + accuracy); ${(epochFlops / 1e9).toFixed(1)} GFLOP per epoch.`,
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
    `${rounds} rounds, each PyTorch then every variant of ours; the best epoch of each is shown, and each ratio is the median over rounds of (our best variant / PyTorch) within the round.`,
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
    { name: string; batchSize: number; best?: EpochMetrics; rssMB: number; rounds: number[] }
  >();
  const torch = new Map<number, { best?: TorchLine; rounds: number[] }>();
  let torchInfo: TorchLine | undefined;
  for (let round = 0; round < rounds; round++) {
    if (python) {
      const lines = execFileSync(python, [join(root, 'bench/torchBench.py'), dataDir, ...batchSizes.map(String)], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as TorchLine);
      // The machine's ceiling: the best sgemm any round saw.
      if (!torchInfo || Number(lines[0].gemmPeakGflops) > Number(torchInfo.gemmPeakGflops)) torchInfo = lines[0];
      for (const line of lines.slice(1)) {
        const entry = torch.get(Number(line.batchSize)) ?? { rounds: [] };
        entry.rounds.push(Number(line.seconds));
        if (!entry.best || Number(line.seconds) < Number(entry.best.seconds)) entry.best = line;
        torch.set(Number(line.batchSize), entry);
      }
    }
    for (const { backend, threads } of variants) {
      for (const batchSize of batchSizes) {
        const { epoch, name } = await oneEpoch({ ...parsed.config, batchSize, epochs: 1 }, backend, threads);
        const key = `${backend}:${threads}:${batchSize}`;
        const entry = ours.get(key) ?? { name, batchSize, rounds: [], rssMB: 0 };
        entry.rounds.push(epoch.seconds);
        if (!entry.best || epoch.seconds < entry.best.seconds) entry.best = epoch;
        entry.rssMB = process.resourceUsage().maxRSS / 1024; // KB: the bench process, worker threads included
        ours.set(key, entry);
      }
    }
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }

  const peak = Number(torchInfo?.gemmPeakGflops ?? NaN);
  if (torchInfo) {
    const blas = torchInfo.openblas
      ? `OpenBLAS with ${torchInfo.openblasThreads ?? '?'} thread(s) of its own`
      : `NOT OpenBLAS (${torchInfo.blas}): slow reference BLAS`;
    console.log(
      `PyTorch ${torchInfo.version}: ${torchInfo.threads} intra-op thread(s), ${blas}, OPENBLAS_NUM_THREADS=${torchInfo.openblasEnv ?? 'unset'}; ` +
        `peak = its 1024x1024 sgemm (on those OpenBLAS threads, best of the rounds), ${peak.toFixed(1)} GFLOP/s.`,
    );
  }
  const range = (values: number[]) => `[${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)} s]`;
  for (const entry of ours.values()) {
    const { best } = entry;
    if (best)
      console.log(
        `${row(entry.name, entry.batchSize, best.seconds, epochFlops, peak, best.trainAccuracy, best.testAccuracy, entry.rssMB)}  ${range(entry.rounds)}`,
      );
  }
  const numerics = await compareWithReference(
    { ...parsed.config, batchSize: 300 },
    (await loadIdxFolder(dataDir)).train,
    200,
  );
  const figures = (values: number[]) => values.map((v) => v.toExponential(1)).join(' ');
  console.log(
    `Numerics, ours (1 thread) against the same backprop on the tfjs cpu kernels, batch 300 after ${numerics.trainedBatches} batches of training, ` +
      `max |difference| / max |reference| per layer 1-5: δ^l ${figures(numerics.deltas)}; ∂C/∂W^l ${figures(numerics.weightGradients)}. ` +
      `Over those batches our kernels performed ${(100 * numerics.performedShare).toFixed(0)}% of the dense products' multiply-adds.`,
  );
  if (!torchInfo) return;
  const torchLabel = `PyTorch (${torchInfo.threads} thread(s), OpenBLAS ${torchInfo.openblasThreads ?? '?'})`;
  for (const batchSize of batchSizes) {
    const entry = torch.get(batchSize);
    if (!entry?.best) continue;
    const line = entry.best;
    console.log(
      `${row(torchLabel, batchSize, Number(line.seconds), epochFlops, peak, Number(line.trainAccuracy), Number(line.testAccuracy), Number(line.peakRssKB) / 1024)}  ${range(entry.rounds)}`,
    );
    // Within each round, our fastest variant at this batch size against PyTorch's epoch of the same round.
    const ratios = entry.rounds.map((torchSeconds, r) => {
      const oursSeconds = Math.min(
        ...[...ours.values()].filter((o) => o.batchSize === batchSize).map((o) => o.rounds[r]),
      );
      return oursSeconds / torchSeconds;
    });
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
    console.log(
      `${''.padEnd(44)}   -> ours takes ${median.toFixed(2)}x as long as PyTorch (median of rounds; each round: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
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
