// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { logTick } from '../../../webview/lesson/widgets/overfit';

describe("7-2's log-axis labels", () => {
  it('label exactly 1 and 3 times each power of ten', () => {
    expect([0.01, 0.03, 0.1, 0.3, 1, 3, 10].map(logTick)).toEqual(['0.01', '0.03', '0.1', '0.3', '1', '3', '10']);
  });

  it('leave every other tick blank: the empty axis read "10, 3, 1, 1, 1"', () => {
    expect([0.02, 0.05, 1.1, 1.2, 1.4, 2, 2.9, 5, 9].map(logTick)).toEqual(Array(9).fill(''));
    expect([0, -1, Number.NaN].map(logTick)).toEqual(['', '', '']);
  });
});
