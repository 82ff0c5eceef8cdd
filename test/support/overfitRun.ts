// A real run that overfits, for the page tests: 200 MNIST training images and a 128-unit layer, 12 epochs on the
// float64 JavaScript kernels (about 10 s). Its test loss turns up while the training loss keeps falling; it keeps
// a sample of test predictions and its final weights, as the extension's runs do.
import { runTraining, type RunEvent } from '../../src/engine/run';
import { labConfig, layer } from './nets';
import { SHARED_MNIST } from './mnist';

export const overfitConfig = labConfig({
  name: 'page',
  layers: [layer(128, 'relu'), layer(10, 'softmax')],
  optimizer: { type: 'adam', learningRate: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  epochs: 12,
  trainSamples: 200,
  testSamples: 500,
  batchSize: 20,
});

let run: Promise<RunEvent[]> | undefined;

/** The run's events, in order; trained once per test file. */
export function overfitRunEvents(): Promise<RunEvent[]> {
  run ??= (async () => {
    const events: RunEvent[] = [];
    await runTraining(
      {
        config: overfitConfig,
        dataFolder: SHARED_MNIST,
        cacheDir: '/nonexistent',
        backend: 'js',
        batchStatsEvery: 5,
        // For the training page's digit pad: test images to pick, and the network that predicted them.
        predictionSampleSize: 12,
        keepWeights: true,
      },
      (e) => events.push(e),
      () => false,
    );
    return events;
  })();
  return run;
}
