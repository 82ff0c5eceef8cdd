/**
 * Lesson 7-2's experiment measured over several seeds: does the baseline overfit (a turning point found by the
 * one overfitting rule, src/engine/train/overfitting.ts) and does each remedy visibly reduce it (remedyEffect:
 * lower final test loss, smaller train/test gap, test accuracy no lower)? It trains the shipped configs
 * (lessons/7-2-experiments/) and, with --all, the designs that were tried before them, on one thread of DNN Lab's
 * wasm kernels on real MNIST, and prints one line per seed and a verdict per design.
 *
 *   npm run sweep:7-2 -- [--seeds 1,2,3,4,5,6,7] [--all] [--data DIR]
 *
 * Exits 1 when the shipped design misses on any seed, so it doubles as the slow multi-seed check of what
 * test/lessons/overfitRule.test.ts asserts for the lesson's own seed.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LabConfig } from '../src/engine/config/labConfig';
import { parseLabConfig } from '../src/engine/config/parseLabConfig';
import { explicitDataFolder, loadIdxFolder, type MnistData } from '../src/engine/data';
import type { Kernels } from '../src/engine/kernels/kernels';
import { createWasmKernels } from '../src/engine/kernels/wasm/wasmKernels';
import { detectOverfitting } from '../src/engine/train/overfitting';
import { train } from '../src/engine/train/trainer';
import { lowestTestLoss, remedyEffect, runEnd } from '../webview/lesson/model/overfitCurves';
import type { OverfitResult } from '../src/protocol/lessonProtocol';
import { errorText } from '../src/engine/errorText';

/** The three configs of one design of the experiment. */
interface Design {
  name: string;
  baseline: LabConfig;
  smallerModel: LabConfig;
  moreData: LabConfig;
}

/** A design written as changes to the shipped baseline: hidden layer sizes, data, length, learning rate. */
interface DesignSpec {
  name: string;
  hidden: number[];
  smallerHidden: number[];
  trainSamples: number;
  moreDataSamples: number;
  epochs: number;
  learningRate: number;
  testSamples: number;
}

/** Designs tried on the way to the shipped one (issue #15 item 7), kept so the choice can be re-measured. */
const TRIED: DesignSpec[] = [
  // What lesson 7-2 shipped before: the smaller model ends worse than the baseline, whose test loss barely turns.
  {
    name: 'before #15: 256-256 vs 32, Adam 0.001, 20 epochs',
    hidden: [256, 256],
    smallerHidden: [32],
    trainSamples: 500,
    moreDataSamples: 2000,
    epochs: 20,
    learningRate: 0.001,
    testSamples: 2000,
  },
  // One narrower layer instead of four wide ones: test loss ends far lower, but wide networks are the more
  // accurate on MNIST, so the remedy's test accuracy ends lower on most seeds.
  {
    name: '256x4 vs 128, Adam 0.003, 30 epochs',
    hidden: [256, 256, 256, 256],
    smallerHidden: [128],
    trainSamples: 500,
    moreDataSamples: 2000,
    epochs: 30,
    learningRate: 0.003,
    testSamples: 5000,
  },
  // Fewer layers of the same width, at a higher learning rate: the accuracy margin is within the noise.
  {
    name: '128x6 vs 128-128, Adam 0.002, 30 epochs',
    hidden: [128, 128, 128, 128, 128, 128],
    smallerHidden: [128, 128],
    trainSamples: 500,
    moreDataSamples: 2000,
    epochs: 30,
    learningRate: 0.002,
    testSamples: 5000,
  },
  // Eight hidden layers: the smaller model's accuracy margin dips below zero on one seed in seven.
  {
    name: '128x8 vs 128-64, Adam 0.001, 30 epochs',
    hidden: [128, 128, 128, 128, 128, 128, 128, 128],
    smallerHidden: [128, 64],
    trainSamples: 500,
    moreDataSamples: 2000,
    epochs: 30,
    learningRate: 0.001,
    testSamples: 5000,
  },
  // The shipped networks at twice the learning rate and 20 epochs: it holds on seeds 1-7, but the deep network's
  // test loss jumps by a fifth from one epoch to the next, and the accuracy margin was 0.1 points on seed 7.
  {
    name: '128x10 vs 128-64, Adam 0.001, 20 epochs',
    hidden: [128, 128, 128, 128, 128, 128, 128, 128, 128, 128],
    smallerHidden: [128, 64],
    trainSamples: 500,
    moreDataSamples: 2000,
    epochs: 20,
    learningRate: 0.001,
    testSamples: 5000,
  },
];

const SHIPPED = ['baseline', 'smaller-model', 'more-data'] as const;

function readExperiment(name: (typeof SHIPPED)[number]): LabConfig {
  const file = join('lessons', '7-2-experiments', `${name}.dnn.json`);
  const parsed = parseLabConfig(readFileSync(file, 'utf8'));
  if (!parsed.config) throw new Error(`${file}: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.config;
}

function shippedDesign(): Design {
  const [baseline, smallerModel, moreData] = SHIPPED.map(readExperiment);
  return { name: 'shipped (lessons/7-2-experiments)', baseline, smallerModel, moreData };
}

function designOf(spec: DesignSpec, template: LabConfig): Design {
  const output = template.layers[template.layers.length - 1];
  const hiddenLayer = template.layers[0];
  const withHidden = (units: number[]): LabConfig['layers'] => [
    ...units.map((u) => ({ ...hiddenLayer, units: u })),
    output,
  ];
  const baseline: LabConfig = {
    ...template,
    layers: withHidden(spec.hidden),
    trainSamples: spec.trainSamples,
    testSamples: spec.testSamples,
    epochs: spec.epochs,
    optimizer: { ...template.optimizer, learningRate: spec.learningRate },
  };
  return {
    name: spec.name,
    baseline,
    smallerModel: { ...baseline, layers: withHidden(spec.smallerHidden) },
    moreData: { ...baseline, trainSamples: spec.moreDataSamples },
  };
}

function parameters(config: LabConfig): number {
  const sizes = [784, ...config.layers.map((l) => l.units)];
  return sizes.slice(1).reduce((sum, units, i) => sum + units * sizes[i] + units, 0);
}

function describeConfig(config: LabConfig): string {
  const sizes = [784, ...config.layers.map((l) => l.units)].join('-');
  return `${sizes} (${parameters(config).toLocaleString('en')} parameters), ${config.trainSamples} images`;
}

interface Run {
  epochs: OverfitResult['epochs'];
  seconds: number;
  /** CPU seconds of this process: what the run takes on one idle core, whatever else the machine is doing. */
  cpuSeconds: number;
}

async function trainRun<M>(config: LabConfig, seed: number, data: MnistData, kernels: Kernels<M>): Promise<Run> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { epochs } = await train({ config: { ...config, seed }, data, kernels });
  const used = process.cpuUsage(cpu);
  return { epochs, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const fixed = (x: number, digits: number) => x.toFixed(digits);
const time = (run: Run) => `${fixed(run.seconds, 1)} s (cpu ${fixed(run.cpuSeconds, 1)} s)`;
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function baselineColumns(run: Run): string {
  const turn = detectOverfitting(run.epochs);
  const best = lowestTestLoss(run.epochs);
  const end = runEnd(run.epochs);
  const rise = end.testLoss / best.testLoss - 1;
  return [
    `turn ${turn ? String(turn.bestEpoch).padStart(2) : ' -'}`,
    `min ${fixed(best.testLoss, 3)}`,
    `rise ${percent(rise).padStart(6)}`,
    `loss ${fixed(end.testLoss, 3)}`,
    `acc ${percent(end.testAccuracy)}`,
    `gap ${fixed(end.gap, 3)}`,
    time(run),
  ].join('  ');
}

function remedyColumns(baseline: Run, remedy: Run): { text: string; holds: boolean } {
  const effect = remedyEffect(baseline.epochs, remedy.epochs);
  const misses = [
    effect.lowerTestLoss ? '' : 'loss',
    effect.smallerGap ? '' : 'gap',
    effect.accuracyNotWorse ? '' : 'accuracy',
  ].filter(Boolean);
  const accuracyDelta = 100 * (effect.remedy.testAccuracy - effect.baseline.testAccuracy);
  const text = [
    `loss ${fixed(effect.remedy.testLoss, 3)}`,
    `acc ${percent(effect.remedy.testAccuracy)} (${accuracyDelta >= 0 ? '+' : ''}${accuracyDelta.toFixed(1)})`,
    `gap ${fixed(effect.remedy.gap, 3)}`,
    time(remedy),
    effect.reducesOverfitting ? 'yes' : `NO (${misses.join(', ')})`,
  ].join('  ');
  return { text, holds: effect.reducesOverfitting };
}

/** Runs one design over the seeds; true when the baseline overfits and both remedies hold on every seed. */
async function sweep<M>(design: Design, seeds: number[], data: MnistData, kernels: Kernels<M>): Promise<boolean> {
  const { baseline, smallerModel, moreData } = design;
  const opt = baseline.optimizer;
  console.log(`\n== ${design.name}`);
  console.log(
    `   baseline ${describeConfig(baseline)}; smaller model ${describeConfig(smallerModel)}; more data ${describeConfig(moreData)}`,
  );
  console.log(
    `   ${baseline.epochs} epochs, batch ${baseline.batchSize}, ${opt.type} ${opt.learningRate}, tested on ${baseline.testSamples} images`,
  );
  const tally = { turns: 0, smaller: 0, more: 0 };
  let slowest = 0;
  let slowestCpu = 0;
  for (const seed of seeds) {
    const b = await trainRun(baseline, seed, data, kernels);
    const s = await trainRun(smallerModel, seed, data, kernels);
    const m = await trainRun(moreData, seed, data, kernels);
    slowest = Math.max(slowest, b.seconds, s.seconds, m.seconds);
    slowestCpu = Math.max(slowestCpu, b.cpuSeconds, s.cpuSeconds, m.cpuSeconds);
    const smaller = remedyColumns(b, s);
    const more = remedyColumns(b, m);
    if (detectOverfitting(b.epochs)) tally.turns++;
    if (smaller.holds) tally.smaller++;
    if (more.holds) tally.more++;
    console.log(`   seed ${String(seed).padStart(2)}  baseline: ${baselineColumns(b)}`);
    console.log(`            smaller model: ${smaller.text}`);
    console.log(`            more data:     ${more.text}`);
  }
  const n = seeds.length;
  const holds = tally.turns === n && tally.smaller === n && tally.more === n;
  console.log(
    `   => baseline overfits on ${tally.turns}/${n} seeds; smaller model reduces it on ${tally.smaller}/${n}, more data on ${tally.more}/${n}; slowest run ${fixed(slowest, 1)} s (cpu ${fixed(slowestCpu, 1)} s): ${holds ? 'HOLDS' : 'does not hold'}`,
  );
  return holds;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const seeds = (option('--seeds') ?? '1,2,3,4,5,6,7').split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0))
    throw new Error(`--seeds must be comma-separated whole numbers, got ${option('--seeds')}`);
  const folder = option('--data') ?? explicitDataFolder({}) ?? join('..', 'shared', 'datasets', 'mnist');
  const data = await loadIdxFolder(resolve(folder));
  const kernels = await createWasmKernels({ threads: 1 });
  try {
    console.log(`lesson 7-2 sweep: seeds ${seeds.join(', ')}; ${kernels.name}; MNIST from ${resolve(folder)}`);
    const shipped = shippedDesign();
    const designs = process.argv.includes('--all')
      ? [shipped, ...TRIED.map((spec) => designOf(spec, shipped.baseline))]
      : [shipped];
    let shippedHolds = false;
    for (const design of designs) {
      const holds = await sweep(design, seeds, data, kernels);
      if (design === shipped) shippedHolds = holds;
    }
    if (!shippedHolds) process.exitCode = 1;
  } finally {
    await kernels.close();
  }
}

main().catch((error: unknown) => {
  console.error(`sweep:7-2: ${errorText(error)}`);
  process.exit(1);
});
