/** A matrix handle as the checks see it. */
export interface ShapedMatrix {
  readonly rows: number;
  readonly cols: number;
  disposed: boolean;
}

function describe(m: ShapedMatrix): string {
  return `${m.rows}x${m.cols}`;
}

/** Throws when an operation gets a matrix that was already disposed (a use-after-free in the caller). */
export function checkUsable(op: string, ...ms: ShapedMatrix[]): void {
  for (const m of ms) if (m.disposed) throw new Error(`${op}: the ${describe(m)} matrix was already disposed`);
}

/** Element-wise operations need equal shapes. */
export function checkSameShape(op: string, a: ShapedMatrix, b: ShapedMatrix): void {
  checkUsable(op, a, b);
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new Error(`${op}: shapes must match, got ${describe(a)} and ${describe(b)}`);
}

/** a [m x k] · b [k x n] needs a.cols = b.rows (after the optional transposes). */
export function checkMatMul(a: ShapedMatrix, b: ShapedMatrix, transposeA = false, transposeB = false): void {
  checkUsable('matMul', a, b);
  const inner = transposeA ? a.rows : a.cols;
  const outer = transposeB ? b.cols : b.rows;
  if (inner !== outer) {
    const name = (m: ShapedMatrix, t: boolean, letter: string) =>
      `${letter}${t ? 'ᵀ' : ''} ${t ? `${m.cols}x${m.rows}` : describe(m)}`;
    const what = transposeA || transposeB ? 'the inner dimensions must match' : 'a.cols must equal b.rows';
    throw new Error(`matMul: ${what}, got ${name(a, transposeA, 'a')} · ${name(b, transposeB, 'b')}`);
  }
}

/** addRow needs a 1 x cols row. */
export function checkRow(a: ShapedMatrix, row: ShapedMatrix): void {
  checkUsable('addRow', a, row);
  if (row.rows !== 1 || row.cols !== a.cols) throw new Error(`addRow: row must be 1x${a.cols}, got ${describe(row)}`);
}

/** fromArray needs whole, non-negative dimensions and exactly rows * cols values. */
export function checkFromArray(length: number, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 0)
    throw new Error(`fromArray: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0)
    throw new Error(`fromArray: cols must be a non-negative integer, got ${cols}`);
  if (length !== rows * cols)
    throw new Error(`fromArray: data.length must be rows * cols = ${rows * cols}, got ${length}`);
}
