// npm run bench: the Corelab 1 network on MNIST through the extension's own path (the training worker),
// side by side with PyTorch when it is installed. Prints figures; it is not a test.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { LabConfig } from '../src/engine/config/labConfig';
import { parseLabConfig } from '../src/engine/config/parseLabConfig';
import { defaultCacheDir } from '../src/engine/data';
import type { BackendPreference } from '../src/engine/kernels/backend';
import type { EpochMetrics } from '../src/engine/train/metrics';
import { startTraining } from '../src/worker/trainingClient';

const root = join(__dirname, '..');
const dataDir = process.env.DNN_LAB_DATA ?? join(root, '../shared/datasets/mnist');
const batchSizes = (process.env.BENCH_BATCHES ?? '300,640').split(',').map(Number);
const backends = (process.env.BENCH_BACKENDS ?? 'auto').split(',') as BackendPreference[];
const threadCounts = (process.env.BENCH_THREADS ?? '1').split(',').map(Number);
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

async function oneEpoch(config: LabConfig, backend: BackendPreference, threads: number): Promise<{ epoch: EpochMetrics; name: string }> {
  let name = backend as string;
  const request = { config, backend, threads, dataFolder: dataDir, cacheDir: defaultCacheDir() };
  const result = await startTraining(join(__dirname, 'worker.js'), request, (e) => {
    if (e.type === 'run/backend') name = e.name;
  }).done;
  return { epoch: result.epochs[0], name };
}

/** The first python3 that imports torch: Debian's (/usr/bin) first, since python3-torch installs there. */
function torchPython(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

type TorchLine = Record<string, number | string | boolean | null>;

/** One result line, the same columns for both engines. */
function row(label: string, batchSize: number, seconds: number, epochFlops: number, peak: number, trainAcc: number, testAcc: number, rssMB: number): string {
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

  // PyTorch runs first, so that its measured GEMM peak is known when our lines print.
  const python = torchPython();
  let torch: TorchLine[] = [];
  let peak = NaN;
  if (python) {
    torch = execFileSync(python, [join(root, 'bench/torchBench.py'), dataDir, ...batchSizes.map(String)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TorchLine);
    const info = torch[0];
    peak = Number(info.gemmPeakGflops);
    const blas = info.openblas ? `OpenBLAS with ${info.openblasThreads ?? '?'} thread(s) of its own` : `NOT OpenBLAS (${info.blas}): slow reference BLAS`;
    console.log(
      `PyTorch ${info.version}: ${info.threads} intra-op thread(s), ${blas}, OPENBLAS_NUM_THREADS=${info.openblasEnv ?? 'unset'}; ` +
        `peak = its 1024x1024 sgemm (on those OpenBLAS threads), ${peak.toFixed(1)} GFLOP/s.`,
    );
  }
  console.log('Peak RSS: ours is the whole bench process (main thread + training worker), PyTorch its python process; each the highest so far.\n');

  // Our best epoch per batch size, for the ratio.
  const best = new Map<number, { seconds: number; name: string }>();
  for (const backend of backends) {
    for (const threads of threadCounts) {
      for (const batchSize of batchSizes) {
        const { epoch, name } = await oneEpoch({ ...parsed.config, batchSize, epochs: 1 }, backend, threads);
        if (epoch.seconds < (best.get(batchSize)?.seconds ?? Infinity)) best.set(batchSize, { seconds: epoch.seconds, name });
        const rssMB = process.resourceUsage().maxRSS / 1024; // KB: the bench process, worker threads included
        console.log(row(name, batchSize, epoch.seconds, epochFlops, peak, epoch.trainAccuracy, epoch.testAccuracy, rssMB));
      }
    }
  }

  if (!python) {
    console.log('\nPyTorch: not installed, so no comparison. On Debian: apt-get install python3-torch libopenblas0-pthread');
    console.log('(without libopenblas0-pthread PyTorch falls back to the reference BLAS and is about 20 times slower).');
    return;
  }
  const torchLabel = `PyTorch (${torch[0].threads} thread(s), OpenBLAS ${torch[0].openblasThreads ?? '?'})`;
  for (const line of torch.slice(1)) {
    const seconds = Number(line.seconds);
    const batchSize = Number(line.batchSize);
    const ours = best.get(batchSize);
    console.log(row(torchLabel, batchSize, seconds, epochFlops, peak, Number(line.trainAccuracy), Number(line.testAccuracy), Number(line.peakRssKB) / 1024));
    if (ours) console.log(`${''.padEnd(44)}   -> ours (best: ${ours.name}) takes ${(ours.seconds / seconds).toFixed(2)}x as long as PyTorch`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
