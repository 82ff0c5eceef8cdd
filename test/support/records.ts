// Run records for the training tests, shaped as TrainingSession writes them.
import type { PredictionSample } from '../../src/engine/train/metrics';
import { newRunId } from '../../src/engine/record/runHistory';
import { RUN_RECORD_FORMAT, type RunRecord } from '../../src/engine/record/runRecord';
import type { RunStart } from '../../src/engine/record/runReducer';
import type { LabConfig } from '../../src/engine/config/labConfig';
import { sharedMnist } from './mnist';
import { labConfig, layer } from './nets';

/** The environment a test record says it ran in (RunRecord.environment), without a backend. */
export const RECORD_ENVIRONMENT: RunRecord['environment'] = {
  extensionVersion: '0.1.0',
  vscodeVersion: '1.99',
  node: '22',
  platform: 'linux',
  arch: 'x64',
  cpus: 2,
};

/** A run id as the session makes them, `ms` after the epoch, for config `name`. */
export function runId(ms: number, name = 'lab'): string {
  return newRunId(name, new Date(ms));
}

/** A run's start as the session records it: `config` trained from the lab file `<file>.dnn.json`, at `startedAt` ms. */
export function runStart(config: LabConfig, file: string, startedAt: number): RunStart {
  return {
    id: runId(startedAt, file),
    name: config.name,
    documentPath: `${file}.dnn.json`,
    documentUri: `file:///w/${file}.dnn.json`,
    startedAt,
    config,
    environment: {
      extensionVersion: '0.1.0',
      vscodeVersion: 'test',
      node: 'v22',
      platform: 'linux',
      arch: 'x64',
      cpus: 2,
    },
  };
}

const stats = (l: number, deltaRms: number) => ({
  layer: l,
  deltaRms,
  gradNorm: 10 * deltaRms,
  weightNorm: 5,
  updateRatio: 0.01,
});

/** A finished 2-epoch run of a 32-10 net, started at `startedAt` ms, with the given final test accuracy (none: no epochs yet). */
export function record(startedAt: number, testAccuracy?: number, predictions?: PredictionSample): RunRecord {
  const epochs =
    testAccuracy === undefined
      ? []
      : [1, 2].map((epoch) => ({
          epoch,
          trainLoss: 1 / epoch,
          testLoss: 1.1 / epoch,
          trainAccuracy: 0.8,
          testAccuracy,
          seconds: 1.5,
          layers: [stats(1, 0.01), stats(2, 0.1)],
        }));
  return {
    format: RUN_RECORD_FORMAT,
    id: runId(startedAt),
    name: 'lab',
    documentPath: 'lab.dnn.json',
    documentUri: 'file:///w/lab.dnn.json',
    startedAt,
    finishedAt: startedAt + 3000,
    status: testAccuracy === undefined ? 'running' : 'completed',
    config: labConfig({ epochs: 2, layers: [layer(32, 'relu'), layer(10, 'softmax')] }),
    environment: { ...RECORD_ENVIRONMENT, backend: 'dnn-wasm' },
    epochs,
    batchLosses: epochs.flatMap((e) =>
      [1, 2, 3, 4].map((batch) => ({ epoch: e.epoch, batch, batches: 4, loss: 1 / (e.epoch * batch) })),
    ),
    layerSnapshots: epochs.map((e) => ({ step: 4 * e.epoch, epoch: e.epoch, layers: [stats(1, 0.01), stats(2, 0.1)] })),
    ...(predictions && { predictions }),
  };
}

/** The first `count` MNIST test images as an epoch's predictions, each predicted right but the first. */
export async function mnistPredictions(count = 3): Promise<PredictionSample> {
  const { test } = await sharedMnist();
  const digits = Array.from({ length: count }, (_, i) => {
    const label = test.labels[i];
    const pixels = Array.from(test.images.subarray(i * 784, (i + 1) * 784));
    const predicted = i === 0 ? (label + 1) % 10 : label;
    const probabilities = Array.from({ length: 10 }, (_, k) => (k === predicted ? 0.91 : 0.01));
    return { index: i, pixels, rows: 28, cols: 28, label, predicted, probabilities };
  });
  const confusion = Array.from({ length: 10 }, (_, r) => Array.from({ length: 10 }, (_, c) => (r === c ? 95 : 1)));
  return { epoch: 2, digits, confusion, testCount: 1040 };
}
