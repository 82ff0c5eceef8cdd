import { join } from 'node:path';
import { loadIdxFolder, type MnistData } from '../../src/engine/data';

/** The canonical MNIST files that tests, CI and benchmarks share: ../shared/datasets/mnist from the repo. */
export const SHARED_MNIST = join(__dirname, '../../../shared/datasets/mnist');

let loading: Promise<MnistData> | undefined;

/** MNIST from the shared folder, read once per test file. */
export function sharedMnist(): Promise<MnistData> {
  loading ??= loadIdxFolder(SHARED_MNIST);
  return loading;
}
