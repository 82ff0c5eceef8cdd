import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { estimateTrainingMemory, MEMORY_BUDGET_BYTES, memoryProblem } from '../../../src/engine/train/memoryEstimate';
import { marked, textAt } from './markedText';

const OUTPUT = '{ "units": 10, "activation": "softmax" }';
const ADAM = { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** The one error of `source`, whose «marked» part is where it must be reported. */
function onlyError(source: string) {
  const { text, range } = marked(source);
  const { errors } = parseLabConfig(text);
  expect(errors).toHaveLength(1);
  expect(textAt(text, errors[0].range)).toBe(textAt(text, range));
  return errors[0];
}

/** The number after "use at most" / "of at most" in a message: the fix it proposes. */
function proposed(message: string): number {
  const match = /at most (\d+)/.exec(message);
  expect(match, message).not.toBeNull();
  return Number(match![1]);
}

describe('memory: configs too big to train are refused up front, at the field that drives it', () => {
  it('units 100000 (the schema maximum; it took 2.4 GB and died in the wasm heap) is refused at layers[0].units, and the fix it names parses', () => {
    const source = `{ "layers": [{ "units": «100000», "activation": "relu" }, ${OUTPUT}] }`;
    const error = onlyError(source);
    expect(error.path).toBe('layers[0].units');
    expect(error.message).toMatch(
      /^layers\[0\]\.units 100000 needs about \d+(\.\d)? GiB of memory to train \(.* for the weights of every layer with their gradients and the optimizer's state, .* for the batches\), more than the 512 MiB DNN Lab trains within: use at most \d+ units here$/,
    );
    const fix = proposed(error.message);
    expect(parseLabConfig(marked(source).text.replace('100000', String(fix))).errors).toEqual([]);
    expect(parseLabConfig(marked(source).text.replace('100000', String(fix + 100))).errors).toHaveLength(1);
  });

  it('units are blamed when the weights take most of the memory, even though a batch of a few images would fit', () => {
    const error = onlyError(`{ "layers": [{ "units": «14000», "activation": "relu" }, ${OUTPUT}], "batchSize": 32 }`);
    expect(error.message).toMatch(/^layers\[0\]\.units 14000 needs about \d+ MiB .*: use at most \d+ units here$/);
  });

  it('the widest layer is the one blamed, not the first', () => {
    const hidden = (units: string) => `{ "units": ${units}, "activation": "relu" }`;
    const error = onlyError(`{ "layers": [${hidden('256')}, ${hidden('256')}, ${hidden('«90000»')}, ${OUTPUT}] }`);
    expect(error.path).toBe('layers[2].units');
  });

  it('batchSize 60000 on 784-256-10 is refused at batchSize with the largest batch that fits, which parses', () => {
    const source = `{ "layers": [{ "units": 256, "activation": "relu" }, ${OUTPUT}], "batchSize": «60000» }`;
    const error = onlyError(source);
    expect(error.message).toMatch(
      /^batchSize 60000 needs about \d+(\.\d)? GiB of memory to train \(.* for the inputs, z, a and delta of every layer for each image of a batch\), more than the 512 MiB DNN Lab trains within: use a batchSize of at most \d+$/,
    );
    const fix = proposed(error.message);
    expect(parseLabConfig(marked(source).text.replace('60000', String(fix))).errors).toEqual([]);
  });

  it('a batch size in a sweep is judged where it is written, since it replaces batchSize in its run', () => {
    const error = onlyError(
      `{ "layers": [{ "units": 256, "activation": "relu" }, ${OUTPUT}], "batchSize": 32, "sweep": { "batchSize": [32, «50000»] } }`,
    );
    expect(error.path).toBe('sweep.batchSize[1]');
    expect(error.message).toMatch(/^sweep\.batchSize\[1\] 50000 needs about/);
  });

  it('a batch larger than the set and units too many for memory are both reported at once', () => {
    const { errors } = parseLabConfig(
      `{ "layers": [{ "units": 100000, "activation": "relu" }, ${OUTPUT}], "batchSize": 1e9 }`,
    );
    expect(errors.map((e) => e.path)).toEqual(['layers[0].units', 'batchSize']);
  });

  it('a folder dataset, whose size is unknown before loading, is judged at 784 pixels: batchSize 1e9 is refused', () => {
    const error = onlyError(`{ "dataset": { "path": "digits" }, "layers": [${OUTPUT}], "batchSize": «1e9» }`);
    expect(error.message).toMatch(/^batchSize 1000000000 needs about \d+ TiB .*use a batchSize of at most \d+$/);
  });

  it('the estimate is at most 50% above what the wasm heap measured (Corelab 1 at batch 300: 34.7 MiB; 784-256-10 at batch 18000: 462 MiB; 784-12000-10 at batch 32: 383 MiB)', () => {
    const corelab1 = estimateTrainingMemory({
      inputs: 784,
      units: [256, 128, 64, 32, 10],
      batchSize: 300,
      trainCount: 6000,
      testCount: 10000,
      optimizer: ADAM,
    });
    const wide = estimateTrainingMemory({
      inputs: 784,
      units: [256, 10],
      batchSize: 18000,
      trainCount: 18000,
      testCount: 1000,
      optimizer: { type: 'sgd', learningRate: 0.01 },
    });
    const wasm = (e: typeof corelab1) => (e.total - e.host) / 2 ** 20;
    expect(wasm(corelab1)).toBeGreaterThan(34.7);
    expect(wasm(corelab1)).toBeLessThan(34.7 * 1.5);
    expect(wasm(wide)).toBeGreaterThan(462);
    expect(wasm(wide)).toBeLessThan(462 * 1.5);
    const wideLayer = estimateTrainingMemory({
      inputs: 784,
      units: [12000, 10],
      batchSize: 32,
      trainCount: 320,
      testCount: 1000,
      optimizer: ADAM,
    });
    expect(wasm(wideLayer)).toBeGreaterThan(383);
    expect(wasm(wideLayer)).toBeLessThan(383 * 1.5);
  });

  it('every smaller batch than the one proposed fits too, whatever its last, shorter batch', () => {
    const shape = {
      inputs: 784,
      units: [256, 10],
      batchSize: 60000,
      trainCount: 60000,
      testCount: 10000,
      optimizer: ADAM,
    };
    const problem = memoryProblem(shape);
    expect(problem?.field).toBe('batchSize');
    const largest = problem!.largestFitting;
    for (let batchSize = 1; batchSize <= largest; batchSize += 97) {
      expect(estimateTrainingMemory({ ...shape, batchSize }).total, `batchSize ${batchSize}`).toBeLessThanOrEqual(
        MEMORY_BUDGET_BYTES,
      );
    }
  });
});

describe('the training set: no batch, and no sample count, larger than the data', () => {
  it.each([
    [
      'batchSize 1e9 (was "Invalid typed array length"), full-batch not fitting either',
      '"batchSize": «1e9»',
      "batchSize 1000000000 is more than MNIST's 60000 training images: a batch holds each image at most once, so use at most 12150 (the most that fits in memory)",
    ],
    ['batchSize 60001', '"batchSize": «60001»', "batchSize 60001 is more than MNIST's 60000 training images"],
    [
      'batchSize over trainSamples',
      '"trainSamples": 500, "batchSize": «501»',
      'batchSize 501 is more than the 500 training images trainSamples keeps: a batch holds each image at most once, so use at most 500 (500 itself is full-batch gradient descent, one step per epoch)',
    ],
    [
      'batchSize over trainSamples of a folder',
      '"dataset": { "path": "d" }, "trainSamples": 500, "batchSize": «501»',
      'batchSize 501 is more than the 500 training images trainSamples keeps',
    ],
    [
      'a sweep value over the training set',
      '"sweep": { "batchSize": [32, «70000»] }',
      "sweep.batchSize[1] 70000 is more than MNIST's 60000 training images",
    ],
    [
      'trainSamples past MNIST (was cut to 60000 without a word)',
      '"trainSamples": «70000»',
      "trainSamples 70000 is more than MNIST's 60000 training images: use at most 60000, or 0 for all of them",
    ],
    [
      'testSamples past MNIST',
      '"testSamples": «10001»',
      "testSamples 10001 is more than MNIST's 10000 test images: use at most 10000, or 0 for all of them",
    ],
  ])('%s', (_, fields, message) => {
    expect(onlyError(`{ "layers": [${OUTPUT}], ${fields} }`).message).toContain(message);
  });

  it.each([
    ['one batch of 20000 images (440 MiB estimated, 319 MiB measured)', '"trainSamples": 20000, "batchSize": 20000'],
    ['the whole of trainSamples as one batch', '"trainSamples": 500, "batchSize": 500'],
    ['every image of MNIST named explicitly', '"trainSamples": 60000, "testSamples": 10000'],
  ])('%s is valid', (_, fields) => {
    expect(parseLabConfig(`{ "layers": [${OUTPUT}], ${fields} }`).errors).toEqual([]);
  });
});

describe('no config the labs ship is refused by the limits', () => {
  const root = join(__dirname, '../../..');
  const files = execFileSync('git', ['ls-files', '*.dnn.json'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  it.each(files)('%s', (file) => {
    expect(parseLabConfig(readFileSync(join(root, file), 'utf8')).errors).toEqual([]);
  });
});
