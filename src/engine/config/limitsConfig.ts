import type { Node as JsonNode } from 'jsonc-parser';
import { EVAL_CHUNK_ROWS, memoryMessage, memoryProblem, oversizedBatchMessage } from '../train/memoryEstimate';
import type { ConfigChecker, Fields } from './configChecker';
import type { SourceRange } from './configError';
import { firstPropertyValue } from './configRanges';
import type { DatasetSpec, LayerSpec, OptimizerSpec, SweepSpec } from './labConfig';
import { MNIST_SIZES } from './labConfigFormat';

/** The parts of a config the limits judge; an undefined part was invalid, and what depends on it is not judged. */
export interface LimitsContext {
  dataset: DatasetSpec | undefined;
  layers: LayerSpec[] | undefined;
  optimizer: OptimizerSpec | undefined;
  batchSize: number | undefined;
  trainSamples: number | undefined;
  testSamples: number | undefined;
  sweep: SweepSpec | undefined;
}

/**
 * The limits no single field's rule can see, checked before anything runs so that every valid config trains:
 * trainSamples and testSamples within MNIST, a batch no larger than the training set, and the memory training
 * takes (layers x batch, see estimateTrainingMemory) within the budget, each reported at the field to change.
 * A sweep's batch sizes are judged instead of batchSize, since they replace it in every run.
 */
export function checkLimits(checker: ConfigChecker, fields: Fields, parts: LimitsContext): void {
  const { dataset, layers, optimizer, batchSize, trainSamples, testSamples, sweep } = parts;
  if (dataset === undefined || trainSamples === undefined || testSamples === undefined) return;
  const mnist = dataset.kind === 'mnist';
  if (mnist) {
    sampleLimit(checker, fields, 'trainSamples', trainSamples, MNIST_SIZES.train, 'training');
    sampleLimit(checker, fields, 'testSamples', testSamples, MNIST_SIZES.test, 'test');
  }
  // An invalid sweep leaves unknown which batch sizes run.
  const sweepInvalid = fields.value('sweep') !== undefined && sweep === undefined;
  if (layers === undefined || optimizer === undefined || batchSize === undefined || sweepInvalid) return;
  // The training set's size when known before loading: MNIST's, or at most trainSamples of any dataset.
  const trainCount = mnist ? cut(MNIST_SIZES.train, trainSamples) : trainSamples > 0 ? trainSamples : undefined;
  const kept = trainSamples > 0 && (!mnist || trainSamples < MNIST_SIZES.train);
  const trainSet = kept
    ? `the ${trainCount} training images trainSamples keeps`
    : `MNIST's ${MNIST_SIZES.train} training images`;
  // A folder's test set is unknown until loaded: one evaluation chunk is what it costs at least; the run checks again.
  const testCount = mnist ? cut(MNIST_SIZES.test, testSamples) : testSamples > 0 ? testSamples : EVAL_CHUNK_ROWS;
  let unitsReported = false;
  for (const batch of batchSizes(fields, batchSize, sweep)) {
    const tooLarge = trainCount !== undefined && batch.value > trainCount;
    const problem = memoryProblem({
      // A folder's images are checked against the estimate again once loaded (train/trainer.ts); MNIST-format data has 784 pixels.
      inputs: MNIST_SIZES.pixels,
      units: layers.map((layer) => layer.units),
      // A batch larger than the set trains on the whole set: judged so, its memory says how much of it fits.
      batchSize: tooLarge ? trainCount : batch.value,
      trainCount: trainCount ?? batch.value,
      testCount,
      optimizer,
    });
    if (tooLarge) {
      checker.report(
        batch.path,
        batch.at,
        oversizedBatchMessage(batch.path, batch.value, trainSet, trainCount, problem),
      );
    } else if (problem?.field === 'batchSize') {
      checker.report(batch.path, batch.at, memoryMessage(problem, batch.path, batch.value));
    }
    if (problem?.field === 'units' && !unitsReported) {
      unitsReported = true;
      const path = `layers[${problem.layer}].units`;
      checker.report(
        path,
        unitsNode(fields, problem.layer) ?? batch.at,
        memoryMessage(problem, path, layers[problem.layer].units),
      );
    }
  }
}

/** Refuses a sample count beyond the split, which would otherwise be cut to the split without a word. */
function sampleLimit(
  checker: ConfigChecker,
  fields: Fields,
  key: string,
  value: number,
  available: number,
  split: string,
): void {
  const node = fields.value(key);
  if (value <= available || node === undefined) return;
  const path = fields.pathOf(key);
  checker.report(
    path,
    node,
    `${path} ${value} is more than MNIST's ${available} ${split} images: use at most ${available}, or 0 for all of them`,
  );
}

/** The batch sizes the runs use, each with its path and where it is written (the object's brace when it is the default). */
function batchSizes(
  fields: Fields,
  batchSize: number,
  sweep: SweepSpec | undefined,
): { value: number; path: string; at: SourceRange }[] {
  const sweepNode = fields.value('sweep');
  const swept = sweepNode && firstPropertyValue(sweepNode, 'batchSize');
  if (sweep?.batchSize && swept?.type === 'array') {
    return sweep.batchSize.map((value, i) => ({
      value,
      path: `sweep.batchSize[${i}]`,
      at: swept.children?.[i] ?? swept,
    }));
  }
  return [
    { value: batchSize, path: 'batchSize', at: fields.value('batchSize') ?? { offset: fields.node.offset, length: 1 } },
  ];
}

function unitsNode(fields: Fields, layer: number): JsonNode | undefined {
  const element = fields.value('layers')?.children?.[layer];
  return element && firstPropertyValue(element, 'units');
}

/** The first `limit` of `count` (0 keeps them all), as the trainer cuts a split. */
function cut(count: number, limit: number): number {
  return limit > 0 ? Math.min(limit, count) : count;
}
