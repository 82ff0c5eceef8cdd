import { describe, expect, it } from 'vitest';
import { signalsFromStats } from '../../../src/engine/probe/trainingSignals';
import { signalProblems } from '../../../src/engine/probe/signalHealth';
import { layer } from '../../support/nets';

describe('signalsFromStats', () => {
  it("turns a run's layer statistics into signals the thresholds judge like a probe", () => {
    const stats = [
      { layer: 1, deltaRms: 1e-5, gradNorm: 1e-4, weightNorm: 3, updateRatio: 0.01 },
      { layer: 2, deltaRms: Number.NaN, gradNorm: 1, weightNorm: 3, updateRatio: 0.01 },
      { layer: 3, deltaRms: 0.3, gradNorm: 0.5, weightNorm: 2, updateRatio: 0.01 },
    ];
    const signals = signalsFromStats(stats, [layer(64, 'sigmoid'), layer(32, 'relu'), layer(10, 'softmax')]);
    expect(signals.map((s) => [s.units, s.activation, s.finite])).toEqual([
      [64, 'sigmoid', true],
      [32, 'relu', false],
      [10, 'softmax', true],
    ]);
    expect(signalProblems(signals).map((p) => p.kind)).toEqual(['vanishing', 'nonFinite']);
  });
});
