import { describe, expect, it } from 'vitest';
import type { LayerStats } from '../../../src/engine/train/metrics';
import { runSeries } from '../../../webview/training/chartSeries';
import { labConfig, layer } from '../../support/nets';

const stats = (layerIndex: number, deltaRms: number): LayerStats => ({
  layer: layerIndex,
  deltaRms,
  gradNorm: 10 * deltaRms,
  weightNorm: 1,
  updateRatio: 0.01,
});

describe('runSeries', () => {
  it('puts per-epoch figures at their epoch and batches and layer snapshots at fractional epochs', () => {
    const series = runSeries({
      config: labConfig({ layers: [layer(8, 'relu'), layer(10, 'softmax')] }),
      epochs: [
        { epoch: 1, trainLoss: 0.5, testLoss: 0.6, trainAccuracy: 0.8, testAccuracy: 0.75, seconds: 1, layers: [] },
      ],
      batchLosses: [1, 2, 3, 4].map((batch) => ({ epoch: 1, batch, batches: 4, loss: 1 / batch })),
      layerSnapshots: [
        { step: 2, epoch: 1, layers: [stats(1, 0.1), stats(2, 0.2)] },
        { step: 4, epoch: 1, layers: [stats(1, 0.05), stats(2, 0.1)] },
      ],
    });
    expect(series.testLoss).toEqual([{ x: 1, y: 0.6 }]);
    expect(series.batchLoss.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(series.batchLossSmoothed[0].y).toBeCloseTo(1, 12);
    expect(series.deltaRms).toEqual([
      [
        { x: 0.5, y: 0.1 },
        { x: 1, y: 0.05 },
      ],
      [
        { x: 0.5, y: 0.2 },
        { x: 1, y: 0.1 },
      ],
    ]);
    expect(series.gradNorm[1].map((p) => p.y)).toEqual([2, 1]);
  });
});
