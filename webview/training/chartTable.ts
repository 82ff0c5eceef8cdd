// The data-table twin of a chart: the numbers a canvas cannot tell a screen reader, a keyboard or a copy-paste.
import type { Point } from './chartSeries';

/** One curve of a chart, as the table lists it. */
export interface TableSeries {
  label: string;
  points: readonly Point[];
}

/**
 * The rows of a chart's table: one per whole epoch, each curve's value at that epoch. Per-batch curves (x in
 * fractional epochs) give the value of the epoch's last batch, so a table stays a handful of rows long.
 */
export function tableRows(series: readonly TableSeries[]): { epoch: number; values: (number | undefined)[] }[] {
  const byEpoch = new Map<number, (number | undefined)[]>();
  series.forEach((s, column) => {
    for (const p of s.points) {
      const epoch = Math.ceil(p.x - 1e-9);
      const row = byEpoch.get(epoch) ?? Array.from({ length: series.length }, () => undefined);
      // Points come in x order: the last one of an epoch wins.
      row[column] = p.y;
      byEpoch.set(epoch, row);
    }
  });
  return [...byEpoch.entries()].sort(([a], [b]) => a - b).map(([epoch, values]) => ({ epoch, values }));
}

/** A number as the tables print it: four significant digits, "–" for none. */
export function tableNumber(value: number | undefined): string {
  if (value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5
    ? String(Number(value.toPrecision(4)))
    : value.toExponential(3);
}

/** Fills `table` with a header row (`epochHeading`, then each curve's label) and one row per epoch. */
export function fillTable(
  table: HTMLTableElement,
  caption: string,
  epochHeading: string,
  series: readonly TableSeries[],
): void {
  table.replaceChildren();
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const text of [epochHeading, ...series.map((s) => s.label)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of tableRows(series)) {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(row.epoch);
    tr.append(th);
    for (const value of row.values) tr.insertCell().textContent = tableNumber(value);
  }
}
