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
});
