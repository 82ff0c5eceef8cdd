// The exported chart's legend layout: entries flow left to right and wrap before passing the picture's width, so
// every series of a chart with four overlays gets its swatch and name into the PNG.
import { describe, expect, it } from 'vitest';
import { layoutLegend, legendMetrics } from '../../../webview/training/chartImage';

const metrics = legendMetrics(2);
const entryWidth = (label: number) => metrics.swatch + metrics.gap + label;

describe('layoutLegend', () => {
  it('puts two short entries on one row, the second after the first and the spacing', () => {
    const layout = layoutLegend([100, 120], 1200, metrics);
    expect(layout.rows).toEqual([
      [
        { entry: 0, x: 0 },
        { entry: 1, x: entryWidth(100) + metrics.spacing },
      ],
    ]);
    expect(layout.width).toBe(entryWidth(100) + metrics.spacing + entryWidth(120));
  });

  it('wraps the loss chart with four overlays into rows no wider than the picture, keeping every entry once', () => {
    // The shown run's train and test loss, then four overlaid runs' test loss ("lab01 · 2026-12-01 10:00 · test loss").
    const labels = [180, 170, 520, 520, 520, 520];
    const maxWidth = 1100;
    const layout = layoutLegend(labels, maxWidth, metrics);
    expect(layout.rows.length).toBeGreaterThan(1);
    expect(layout.rows.flat().map((p) => p.entry)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const row of layout.rows) {
      const last = row[row.length - 1];
      expect(last.x + entryWidth(labels[last.entry])).toBeLessThanOrEqual(maxWidth);
    }
    expect(layout.width).toBeLessThanOrEqual(maxWidth);
  });

  it('gives an entry wider than the picture a row of its own, clipped to the width', () => {
    const layout = layoutLegend([50, 5000, 50], 800, metrics);
    expect(layout.rows.map((r) => r.map((p) => p.entry))).toEqual([[0], [1], [2]]);
    expect(layout.width).toBe(800);
  });

  it('has no rows for a chart without series', () => {
    expect(layoutLegend([], 800, metrics)).toEqual({ rows: [], width: 0 });
  });
});
