// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextIndex, rovingFocus } from '../../../webview/training/rovingFocus';

describe('nextIndex', () => {
  it.each([
    ['ArrowRight', 0, 1],
    ['ArrowRight', 9, 9],
    ['ArrowLeft', 0, 0],
    ['ArrowDown', 1, 5],
    ['ArrowDown', 8, 8],
    ['ArrowUp', 5, 1],
    ['ArrowUp', 2, 2],
    ['Home', 7, 0],
    ['End', 3, 9],
  ])('%s from %i of 10 in rows of 4 → %i', (key, from, to) => expect(nextIndex(key, from, 10, 4)).toBe(to));

  it('ignores other keys', () => expect(nextIndex('a', 3, 10, 4)).toBeUndefined());
});

describe('rovingFocus', () => {
  it('makes the cells one Tab stop that the arrow keys move', () => {
    const container = document.createElement('div');
    const cells = Array.from({ length: 6 }, (_, i) => {
      const cell = document.createElement('span');
      cell.textContent = String(i);
      container.append(cell);
      return cell;
    });
    document.body.append(container);
    const focused: number[] = [];
    rovingFocus(container, cells, { columns: 3, onFocus: (_, i) => focused.push(i) });
    expect(cells.map((c) => c.tabIndex)).toEqual([0, -1, -1, -1, -1, -1]);
    cells[0].focus();
    cells[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(cells[3]);
    cells[3].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(document.activeElement).toBe(cells[4]);
    // The last focused cell is the Tab stop now.
    expect(cells.map((c) => c.tabIndex)).toEqual([-1, -1, -1, -1, 0, -1]);
    expect(focused).toEqual([0, 3, 4]);
  });
});
