import { describe, expect, it } from 'vitest';
import { DocumentSignals, type SignalSnapshot } from '../../src/annotations/documentSignals';
import type { LayerSignal } from '../../src/engine/probe/layerSignal';

function snapshot(deltas: number[]): SignalSnapshot {
  const layers = deltas.map((deltaRms, i): LayerSignal => ({
    layer: i + 1,
    units: 8,
    activation: 'relu',
    deltaRms,
    gradNorm: deltaRms * 2,
    weightNorm: 1,
    deadShare: 0,
    finite: true,
  }));
  return { layers, source: { kind: 'training', epoch: 1 }, fingerprint: { layers: deltas.map(String), shared: '' } };
}

describe('DocumentSignals', () => {
  it('keeps each layer its own history, oldest first, and the latest snapshot', () => {
    const signals = new DocumentSignals();
    signals.record(snapshot([0.1, 0.3]));
    signals.record(snapshot([0.2, 0.3]));
    expect(signals.history.map((h) => h.deltaRms)).toEqual([
      [0.1, 0.2],
      [0.3, 0.3],
    ]);
    expect(signals.history[0].gradNorm).toEqual([0.2, 0.4]);
    expect(signals.latest?.layers[0].deltaRms).toBe(0.2);
  });

  it('keeps the last 16 readings', () => {
    const signals = new DocumentSignals();
    for (let i = 1; i <= 20; i++) signals.record(snapshot([i, 1]));
    expect(signals.history[0].deltaRms).toEqual(Array.from({ length: 16 }, (_, i) => i + 5));
  });

  it('starts afresh when a layer is added, since layer l is another layer now', () => {
    const signals = new DocumentSignals();
    signals.record(snapshot([0.1, 0.3]));
    signals.record(snapshot([0.1, 0.2, 0.3]));
    expect(signals.history.map((h) => h.deltaRms)).toEqual([[0.1], [0.2], [0.3]]);
  });
});
