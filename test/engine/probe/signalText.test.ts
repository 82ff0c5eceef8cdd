import { describe, expect, it } from 'vitest';
import { formatSignal, sparkline } from '../../../src/engine/probe/signalText';

describe('formatSignal', () => {
  it.each([
    [0.2345, '0.23'],
    [0.01, '0.010'],
    [0.00456, '4.6e-3'],
    [1.2e-7, '1.2e-7'],
    [12.34, '12'],
    [1234, '1.2e+3'],
    [0, '0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '∞'],
  ])('%d reads %s', (value, text) => {
    expect(formatSignal(value)).toBe(text);
  });
});

describe('sparkline', () => {
  it('spans the lowest to the highest value on a log scale', () => {
    expect(sparkline([1e-4, 1e-3, 1e-2, 1e-1])).toBe('▁▃▆█');
  });

  it('keeps values within one order of magnitude low and flat-ish', () => {
    expect(sparkline([0.1, 0.1, 0.1])).toBe('▁▁▁');
  });

  it('marks NaN, Infinity and zero with a dot', () => {
    expect(sparkline([0.1, Number.NaN, 0, 1])).toBe('▁··█');
  });
});
