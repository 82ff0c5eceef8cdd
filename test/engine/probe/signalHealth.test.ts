import { describe, expect, it } from 'vitest';
import type { LayerSignal } from '../../../src/engine/probe/layerSignal';
import { signalBand, signalProblems, SIGNAL_THRESHOLDS } from '../../../src/engine/probe/signalHealth';

function signal(layer: number, deltaRms: number, extra: Partial<LayerSignal> = {}): LayerSignal {
  return {
    layer,
    units: 8,
    activation: 'relu',
    deltaRms,
    gradNorm: deltaRms,
    weightNorm: 1,
    deadShare: 0,
    finite: true,
    trace: { kind: 'output', sample: 0, unit: 0, z: 0, y: 0, target: 0, delta: 0 },
    ...extra,
  };
}

const output = signal(3, 0.3);

describe('signalBand, by orders of magnitude below or above the output layer', () => {
  it.each([
    [0.3 * 1e-4, 'vanishing'],
    [0.3 * 0.99e-2, 'vanishing'],
    [0.3 * 1.01e-2, 'low'],
    [0.3 * 0.099, 'low'],
    [0.3 * 0.11, 'healthy'],
    [0.3, 'healthy'],
    [0.3 * 9.9, 'healthy'],
    [0.3 * 11, 'high'],
    [0.3 * 99, 'high'],
    [0.3 * 101, 'exploding'],
    [0, 'vanishing'],
    [Number.NaN, 'nonFinite'],
    [Number.POSITIVE_INFINITY, 'nonFinite'],
  ])('deltaRms %d against the output layer 0.3 is %s', (deltaRms, band) => {
    expect(signalBand(signal(1, deltaRms), output)).toBe(band);
  });

  it('calls every layer non-finite when the output layer is', () => {
    expect(signalBand(signal(1, 0.1), signal(3, 0.3, { finite: false }))).toBe('nonFinite');
  });
});

describe('signalProblems', () => {
  it('names vanishing and exploding layers with their ratio, never the output layer itself', () => {
    const problems = signalProblems([signal(1, 0.3e-3), signal(2, 0.3 * 200), output]);
    expect(problems).toEqual([
      { kind: 'vanishing', layer: 1, ratio: expect.closeTo(1e-3, 9) },
      { kind: 'exploding', layer: 2, ratio: expect.closeTo(200, 9) },
    ]);
  });

  it.each([
    [SIGNAL_THRESHOLDS.deadShare - 0.01, false],
    [SIGNAL_THRESHOLDS.deadShare, true],
    [1, true],
  ])('a dead share of %d is a problem: %s', (share, expected) => {
    const problems = signalProblems([signal(1, 0.3, { deadShare: share }), output]);
    expect(problems.some((p) => p.kind === 'deadUnits')).toBe(expected);
  });

  it('reports NaN/Inf once per layer and nothing else for it', () => {
    const problems = signalProblems([signal(1, Number.NaN, { finite: false, deadShare: 1 }), output]);
    expect(problems).toEqual([{ kind: 'nonFinite', layer: 1 }]);
  });

  it('finds nothing in a healthy net', () => {
    expect(signalProblems([signal(1, 0.1), signal(2, 0.2), output])).toEqual([]);
  });
});
