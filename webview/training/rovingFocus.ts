// Keyboard reach for a grid of cells (the predictions grid, the confusion matrix): one Tab stop, then the arrow
// keys, Home and End move between cells (the roving tabindex of the WAI-ARIA Authoring Practices' grid pattern).

/** How the cells are laid out: `columns` per row, or measured from the cells' positions when omitted. */
export interface RovingOptions {
  columns?: number;
  /** Called with the cell that got the focus. */
  onFocus?(cell: HTMLElement, index: number): void;
}

/** Cells per row of a wrapping grid, from where the cells are drawn (1 when nothing is laid out, as in tests). */
function measuredColumns(cells: readonly HTMLElement[]): number {
  const top = cells[0]?.offsetTop;
  const inFirstRow = cells.findIndex((c) => c.offsetTop !== top);
  return inFirstRow > 0 ? inFirstRow : cells.length || 1;
}

/** The index the key moves to from `index`, or undefined for a key that does not move. */
export function nextIndex(key: string, index: number, count: number, columns: number): number | undefined {
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowRight':
      return clamp(index + 1);
    case 'ArrowLeft':
      return clamp(index - 1);
    case 'ArrowDown':
      return index + columns < count ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

/** Makes `cells` one Tab stop in `container`, moved between by the arrow keys. */
export function rovingFocus(container: HTMLElement, cells: readonly HTMLElement[], options: RovingOptions = {}): void {
  cells.forEach((cell, i) => {
    cell.tabIndex = i === 0 ? 0 : -1;
    cell.addEventListener('focus', () => {
      for (const other of cells) other.tabIndex = other === cell ? 0 : -1;
      options.onFocus?.(cell, i);
    });
  });
  container.addEventListener('keydown', (event) => {
    const index = cells.indexOf(event.target as HTMLElement);
    if (index < 0) return;
    const to = nextIndex(event.key, index, cells.length, options.columns ?? measuredColumns(cells));
    if (to === undefined) return;
    event.preventDefault();
    cells[to].focus();
  });
}
