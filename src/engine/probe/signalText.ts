/** Short text for the numbers of a layer annotation; plain strings so the host and tests share them. */

const BARS = '▁▂▃▄▅▆▇█';

/** A number in 2 significant digits: 0.23, 4.6e-2 below 0.01, 1.2e+3 above 1000, and "NaN"/"∞" as such. */
export function formatSignal(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude < 0.01 || magnitude >= 1000 ? value.toExponential(1) : value.toPrecision(2);
}

/**
 * A sparkline of positive values on a log scale, one bar per value, oldest first; non-finite or non-positive
 * values show as "·". The scale spans the values' own range, at least one order of magnitude so noise stays flat.
 */
export function sparkline(values: readonly number[]): string {
  const logs = values.map((v) => (v > 0 && Number.isFinite(v) ? Math.log10(v) : undefined));
  const known = logs.filter((v): v is number => v !== undefined);
  if (known.length === 0) return '·'.repeat(values.length);
  const low = Math.min(...known);
  const span = Math.max(Math.max(...known) - low, 1);
  return logs.map((v) => (v === undefined ? '·' : BARS[Math.round(((v - low) / span) * (BARS.length - 1))])).join('');
}
