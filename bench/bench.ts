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

/** FLOPs per training sample, counting backward as twice forward (the usual 3x-forward convention). */
function flopsPerSample(config: LabConfig): number {
  let fanIn = 784;
  let macs = 0;
  for (const layer of config.layers) {
    macs += fanIn * layer.units;
    fanIn = layer.units;
  }
  return 6 * macs;
}

async function oneEpoch(config: LabConfig, backend: BackendPreference): Promise<{ epoch: EpochMetrics; name: string }> {
  let name = backend as string;
  const result = await startTraining(join(__dirname, 'worker.js'), { config, backend, dataFolder: dataDir, cacheDir: defaultCacheDir() }, (e) => {
    if (e.type === 'run/backend') name = e.name;
  }).done;
  return { epoch: result.epochs[0], name };
}

/** The first python3 that imports torch: Debian's (/usr/bin) first, since python3-torch installs there. */
function torchPython(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

async function main(): Promise<void> {
  const parsed = parseLabConfig(readFileSync(join(root, 'labs/corelab-1/reference.dnn.json'), 'utf8'));
  if (!parsed.config) throw new Error('labs/corelab-1/reference.dnn.json does not parse');
  const flops = flopsPerSample(parsed.config);
  console.log(`Corelab 1 (784-256-128-64-32-10, Adam 0.02), one epoch of 60,000 MNIST images; ${(flops / 1e6).toFixed(3)} MFLOP per sample`);
  console.log(`Node ${process.version}, ${cpus().length} cores, data ${dataDir}; our epochs include the 10,000-image test evaluation\n`);

  const ours = new Map<number, number>();
  for (const backend of backends) {
    for (const batchSize of batchSizes) {
      const { epoch, name } = await oneEpoch({ ...parsed.config, batchSize, epochs: 1 }, backend);
      ours.set(batchSize, Math.min(ours.get(batchSize) ?? Infinity, epoch.seconds));
      const samples = 60000 / epoch.seconds;
      console.log(
        `${name.padEnd(34)} batch ${String(batchSize).padStart(4)}: ${epoch.seconds.toFixed(2).padStart(7)} s/epoch  ` +
          `${samples.toFixed(0).padStart(6)} samples/s  ${((samples * flops) / 1e9).toFixed(2).padStart(6)} GFLOP/s  ` +
          `train acc ${(100 * epoch.trainAccuracy).toFixed(2)}%  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      );
    }
  }

  const python = torchPython();
  if (!python) {
    console.log('\nPyTorch: not installed, so no comparison. On Debian: apt-get install python3-torch libopenblas0-pthread');
    console.log('(without libopenblas0-pthread PyTorch falls back to the reference BLAS and is about 20 times slower).');
    return;
  }
  const lines = execFileSync(python, [join(root, 'bench/torchBench.py'), dataDir, ...batchSizes.map(String)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number | string | boolean>);
  const info = lines[0];
  console.log(`\nPyTorch ${info.version} (${info.threads} intra-op thread(s); BLAS ${info.openblas ? 'OpenBLAS' : `NOT OpenBLAS (${info.blas}): slow reference BLAS`}); sgemm peak ${Number(info.gemmPeakGflops).toFixed(0)} GFLOP/s`);
  for (const line of lines.slice(1)) {
    const seconds = Number(line.seconds);
    const batchSize = Number(line.batchSize);
    const samples = 60000 / seconds;
    const ratio = (ours.get(batchSize) ?? NaN) / seconds;
    console.log(
      `${'PyTorch'.padEnd(34)} batch ${String(batchSize).padStart(4)}: ${seconds.toFixed(2).padStart(7)} s/epoch  ${samples.toFixed(0).padStart(6)} samples/s  ` +
        `${((samples * flops) / 1e9).toFixed(2).padStart(6)} GFLOP/s  -> ours takes ${ratio.toFixed(1)}x as long`,
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
