import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { comparisonRows, comparisonTable, markdownTable } from '../../../src/engine/sweep/comparison';
import { expandSweep } from '../../../src/engine/sweep/expandSweep';
import { train } from '../../../src/engine/train/trainer';
import { JsKernels } from '../../../src/engine/kernels/jsKernels';
import { sharedMnist } from '../../support/mnist';

const HEADINGS = { run: 'run', status: 'status', train: 'train acc', test: 'test acc', time: 's/epoch' };

describe('comparison of a sweep on real MNIST', () => {
  it(
    'shows zeros initialization with dead hidden deltas and heNormal with live ones, one row per run',
    { timeout: 120_000 },
    async () => {
      const { config } = parseLabConfig(`{
      "layers": [{ "units": 16, "activation": "relu" }, { "units": 10, "activation": "softmax" }],
      "optimizer": { "type": "adam", "learningRate": 0.01 }, "batchSize": 100, "epochs": 1,
      "trainSamples": 1000, "testSamples": 500, "sweep": { "kernelInitializer": ["zeros", "heNormal"] } }`);
      const data = await sharedMnist();
      const compared = [];
      for (const run of expandSweep(config!)) {
        const result = await train({ config: run.config, data, kernels: new JsKernels() });
        compared.push({ run, status: result.status, epochs: result.epochs });
      }
      const rows = comparisonRows(compared);
      expect(rows.map((r) => r.label)).toEqual(['kernelInitializer=zeros', 'kernelInitializer=heNormal']);
      // Zero weights everywhere: W^2 = 0 makes delta^1 = relu'(z^1) ⊙ (W^2)^T delta^2 exactly 0, and it stays 0.
      expect(rows[0].firstEpochDeltaRms[0]).toBe(0);
      expect(rows[1].firstEpochDeltaRms[0]).toBeGreaterThan(1e-4);
      expect(rows[1].finalTrainAccuracy!).toBeGreaterThan(rows[0].finalTrainAccuracy! + 0.3);
      const table = comparisonTable(rows, HEADINGS);
      expect(table[0]).toEqual(['run', 'status', 'train acc', 'test acc', 's/epoch', 'δ¹ rms', 'δ² rms']);
      expect(table[1][5]).toBe('0.0e+0');
    },
  );
});

describe('markdownTable', () => {
  it('escapes pipes and lays out a heading rule', () => {
    expect(
      markdownTable([
        ['a', 'b'],
        ['x|y', '1'],
      ]),
    ).toBe('| a | b |\n| --- | --- |\n| x\\|y | 1 |');
  });

  it('leaves the cells of a run still waiting empty', () => {
    const rows = comparisonRows([
      { run: { index: 0, label: 'batchSize=32', settings: [] }, status: 'waiting', epochs: [] },
    ]);
    expect(comparisonTable(rows, HEADINGS)[1]).toEqual(['batchSize=32', 'waiting', '', '', '']);
  });

  it("words each status in the reader's language, a failure with its reason", () => {
    const rows = comparisonRows([
      { run: { index: 0, label: 'learningRate=1', settings: [] }, status: 'failed', epochs: [], error: 'loss is NaN' },
      { run: { index: 1, label: 'learningRate=0.01', settings: [] }, status: 'waiting', epochs: [] },
    ]);
    const zh = { failed: '失敗', waiting: '等待中' } as Record<string, string>;
    const table = comparisonTable(rows, HEADINGS, (status) => zh[status] ?? status);
    expect(table.map((row) => row[1])).toEqual(['status', '失敗: loss is NaN', '等待中']);
  });

  it.each([
    [0.043, '0.04'],
    [0.96, '0.96'],
    [12.34, '12.3'],
  ])('prints %f seconds per epoch as %s', (seconds, shown) => {
    const epoch = { epoch: 1, trainLoss: 1, testLoss: 1, trainAccuracy: 0.5, testAccuracy: 0.5, seconds, layers: [] };
    const rows = comparisonRows([
      { run: { index: 0, label: 'a', settings: [] }, status: 'completed', epochs: [epoch] },
    ]);
    expect(comparisonTable(rows, HEADINGS)[1][4]).toBe(shown);
  });
});
