// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fillTable, tableNumber, tableRows } from '../../../webview/training/chartTable';

describe('tableRows', () => {
  it('gives one row per epoch, the last batch of each epoch for per-batch curves', () => {
    const perEpoch = { label: 'test loss', points: [1, 2, 3].map((x) => ({ x, y: 1 / x })) };
    const perBatch = { label: 'batch loss', points: [0.25, 0.5, 0.75, 1, 1.5, 2].map((x) => ({ x, y: 10 * x })) };
    expect(tableRows([perEpoch, perBatch])).toEqual([
      { epoch: 1, values: [1, 10] },
      { epoch: 2, values: [0.5, 20] },
      { epoch: 3, values: [1 / 3, undefined] },
    ]);
    expect(tableRows([])).toEqual([]);
  });
});

describe('tableNumber', () => {
  it.each([
    [0.123456, '0.1235'],
    [2, '2'],
    [0.00001234, '1.234e-5'],
    [undefined, '–'],
    [Number.NaN, 'NaN'],
  ])('%s → %s', (value, text) => expect(tableNumber(value)).toBe(text));
});

describe('fillTable', () => {
  it('writes a caption, column headers and a header cell per row', () => {
    const table = document.createElement('table');
    fillTable(table, 'Loss per epoch', 'epoch', [
      { label: 'train loss', points: [{ x: 1, y: 0.5 }] },
      { label: 'test loss', points: [{ x: 1, y: 0.25 }] },
    ]);
    expect(table.caption?.textContent).toBe('Loss per epoch');
    const texts = (selector: string) => [...table.querySelectorAll(selector)].map((c) => c.textContent);
    expect(texts('thead th')).toEqual(['epoch', 'train loss', 'test loss']);
    expect(texts('thead th[scope="col"]')).toHaveLength(3);
    expect(texts('tbody tr > *')).toEqual(['1', '0.5', '0.25']);
    expect(texts('tbody th[scope="row"]')).toEqual(['1']);
    // Refilled, not appended to.
    fillTable(table, 'Loss per epoch', 'epoch', []);
    expect(table.querySelectorAll('tbody tr')).toHaveLength(0);
    expect(table.querySelectorAll('caption')).toHaveLength(1);
  });
});
