// Products with a mostly-zero operand, in compressed sparse row (CSR) form: the row starts (rows + 1
// i32), then the column index (i32) and value (f32) of each nonzero, row by row. MNIST images are
// ~81% zero pixels, so the first layer's X·(W¹)ᵀ and δ¹ᵀ·X skip four fifths of their multiply-adds
// (and dead or quiet ReLU units make a^l and δ^l as sparse); each product keeps the same terms as
// the dense one, only without the zero ones.

import { storeTransposed4x4 } from './transpose4x4';

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// For each 4-bit mask of nonzero lanes, the byte shuffle that moves those lanes, in order, to the front.
const COMPACT: usize = memory.data<u8>([
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128,
  8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128,
  12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128,
  8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

/**
 * Stores the lanes of v that `mask` (4 bits) marks, in order, at values + nnz and their column numbers (the lanes of
 * `columns`) at colIndex + nnz, and returns the new count: whole vectors are stored, so there must be room for 3 more.
 */
// @ts-ignore: decorator
@inline function storeNonzeros(v: v128, columns: v128, mask: i32, values: usize, colIndex: usize, nnz: i32): i32 {
  const shuffle = v128.load(COMPACT + <usize>(mask << 4));
  v128.store(values + <usize>nnz * 4, i8x16.swizzle(v, shuffle));
  v128.store(colIndex + <usize>nnz * 4, i8x16.swizzle(columns, shuffle));
  return nnz + popcnt(mask);
}

/**
 * Writes the CSR form of a [rows x cols] into rowStart / colIndex / values (room for rows x cols + 3
 * nonzeros) and returns the number of nonzeros, or -1 as soon as more than `limit` were found: then
 * the matrix is too dense for the sparse product to pay off and the caller stays dense.
 * Branch-free: each vector's nonzeros are shuffled to the front and stored whole, and the count moves
 * on by how many there were, so rows of unpredictable sparsity cost no mispredicted branches.
 */
export function compressRows(a: usize, rows: i32, cols: i32, rowStart: usize, colIndex: usize, values: usize, limit: i32): i32 {
  const zero = f32x4.splat(0);
  const step = i32x4.splat(4);
  const cols4 = cols & ~3;
  let nnz = 0;
  store<i32>(rowStart, 0);
  for (let i = 0; i < rows; i++) {
    const row = a + <usize>i * <usize>cols * 4;
    let columns = i32x4(0, 1, 2, 3);
    let j = 0;
    for (; j < cols4; j += 4) {
      const v = v128.load(row + <usize>j * 4);
      nnz = storeNonzeros(v, columns, i32x4.bitmask(f32x4.ne(v, zero)), values, colIndex, nnz);
      columns = i32x4.add(columns, step);
    }
    for (; j < cols; j++) {
      const v = load<f32>(row + <usize>j * 4);
      if (v != 0) {
        store<i32>(colIndex + <usize>nnz * 4, j);
        store<f32>(values + <usize>nnz * 4, v);
        nnz++;
      }
    }
    if (nnz > limit) return -1;
    store<i32>(rowStart + <usize>(i + 1) * 4, nnz);
  }
  return nnz;
}

/**
 * out = bytes / divisor for a [rows x cols] of bytes (as bytesToFloats) and, in the same pass, out's CSR form exactly
 * as compressRows makes it: MNIST's pixels become floats and CSR rows reading a quarter of the memory once, not the
 * floats again. The divisor must be finite and at least 1, so a float is 0 exactly where its byte is. Returns the
 * number of nonzeros, or -1 when there were more than `limit`: then the CSR is abandoned but out is whole.
 * Sixteen bytes at a time; the all-zero ones (most of an MNIST image's border) store zeros and nothing else.
 */
export function bytesToCompressed(bytes: usize, rows: i32, cols: i32, divisor: f32, out: usize, rowStart: usize, colIndex: usize, values: usize, limit: i32): i32 {
  const d = f32x4.splat(divisor);
  const zero = i8x16.splat(0);
  const step = i32x4.splat(4);
  const step8 = i32x4.splat(8);
  const step12 = i32x4.splat(12);
  const cols16 = cols & ~15;
  let nnz = 0;
  let compressing = true;
  store<i32>(rowStart, 0);
  for (let i = 0; i < rows; i++) {
    const src = bytes + <usize>i * <usize>cols;
    const dst = out + <usize>i * <usize>cols * 4;
    let j = 0;
    for (; j < cols16; j += 16) {
      const v = v128.load(src + <usize>j);
      const mask = i8x16.bitmask(i8x16.ne(v, zero));
      const o = dst + <usize>j * 4;
      if (mask == 0) {
        v128.store(o, zero);
        v128.store(o, zero, 16);
        v128.store(o, zero, 32);
        v128.store(o, zero, 48);
        continue;
      }
      const low = i16x8.extend_low_i8x16_u(v);
      const high = i16x8.extend_high_i8x16_u(v);
      const f0 = f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(low)), d);
      const f1 = f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(low)), d);
      const f2 = f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(high)), d);
      const f3 = f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(high)), d);
      v128.store(o, f0);
      v128.store(o, f1, 16);
      v128.store(o, f2, 32);
      v128.store(o, f3, 48);
      if (!compressing) continue;
      // Four lanes at a time, as compressRows: each nibble of the byte mask marks one float vector's nonzeros.
      const columns = i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(j));
      nnz = storeNonzeros(f0, columns, mask & 15, values, colIndex, nnz);
      nnz = storeNonzeros(f1, i32x4.add(columns, step), (mask >> 4) & 15, values, colIndex, nnz);
      nnz = storeNonzeros(f2, i32x4.add(columns, step8), (mask >> 8) & 15, values, colIndex, nnz);
      nnz = storeNonzeros(f3, i32x4.add(columns, step12), mask >> 12, values, colIndex, nnz);
    }
    for (; j < cols; j++) {
      const f = <f32>load<u8>(src + <usize>j) / divisor;
      store<f32>(dst + <usize>j * 4, f);
      if (compressing && f != 0) {
        store<i32>(colIndex + <usize>nnz * 4, j);
        store<f32>(values + <usize>nnz * 4, f);
        nnz++;
      }
    }
    if (!compressing) continue;
    if (nnz > limit) compressing = false;
    else store<i32>(rowStart + <usize>(i + 1) * 4, nnz);
  }
  return compressing ? nnz : -1;
}

/**
 * The CSR form of Aᵀ [cols x rows] from that of A [rows x cols], by counting sort: within each row
 * of Aᵀ the entries keep A's row order, so products over them add in a fixed order.
 * `cursor` is scratch for cols i32.
 */
export function transposeRows(rows: i32, cols: i32, rowStart: usize, colIndex: usize, values: usize, outStart: usize, outIndex: usize, outValues: usize, cursor: usize): void {
  // The threaded phases below with one block: count, cursors, scatter.
  countColumns(rowStart, colIndex, 0, rows, cols, cursor);
  columnCursors(cursor, 1, cols, outStart);
  scatterColumns(rowStart, colIndex, values, 0, rows, cursor, outIndex, outValues);
}

/**
 * transposeRows split over threads, phase 1 (jobs.ts countBlock): the nonzeros of each column in rows [r0, r1), into
 * `counts` (cols i32).
 */
export function countColumns(rowStart: usize, colIndex: usize, r0: i32, r1: i32, cols: i32, counts: usize): void {
  memory.fill(counts, 0, <usize>cols * 4);
  const to = load<i32>(rowStart + <usize>r1 * 4);
  for (let p = load<i32>(rowStart + <usize>r0 * 4); p < to; p++) {
    const at = counts + <usize>load<i32>(colIndex + <usize>p * 4) * 4;
    store<i32>(at, load<i32>(at) + 1);
  }
}

/**
 * Phase 2, on one thread: from each block's column counts (blocks x cols i32), the row starts of Aᵀ (outStart,
 * cols + 1 i32) and each block's cursors (blocks x cols i32: where its next entry of each column goes), in place of
 * the counts. Block b's entries of column j follow those of blocks before it: the order transposeRows gives.
 */
export function columnCursors(counts: usize, blocks: i32, cols: i32, outStart: usize): void {
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    store<i32>(outStart + <usize>j * 4, sum);
    for (let b = 0; b < blocks; b++) {
      const at = counts + (<usize>b * <usize>cols + <usize>j) * 4;
      const count = load<i32>(at);
      store<i32>(at, sum);
      sum += count;
    }
  }
  store<i32>(outStart + <usize>cols * 4, sum);
}

/** Phase 3 (jobs.ts scatterBlock): rows [r0, r1) into Aᵀ's CSR, moving on `cursor` (cols i32) as they go. */
export function scatterColumns(rowStart: usize, colIndex: usize, values: usize, r0: i32, r1: i32, cursor: usize, outIndex: usize, outValues: usize): void {
  for (let i = r0; i < r1; i++) {
    const end = load<i32>(rowStart + <usize>(i + 1) * 4);
    for (let p = load<i32>(rowStart + <usize>i * 4); p < end; p++) {
      const at = cursor + <usize>load<i32>(colIndex + <usize>p * 4) * 4;
      const q = load<i32>(at);
      store<i32>(at, q + 1);
      store<i32>(outIndex + <usize>q * 4, i);
      store<f32>(outValues + <usize>q * 4, load<f32>(values + <usize>p * 4));
    }
  }
}

/** Columns of B per packed strip: 32 columns of C fill eight f32x4 registers. */
export const STRIP: i32 = 32;

/**
 * Packs B (k x n) into strips of STRIP columns, each k rows of STRIP floats in a row (columns past n
 * are zero), so that the rows a sparse product selects are 128 contiguous bytes each: in B's own
 * layout, rows 1 KiB apart would all fall into the same few L1 sets. With `transposed`, `b` holds
 * Bᵀ (n x k, row-major) and the strips are gathered from its rows, four by four.
 */
export function packStrips(b: usize, k: i32, n: i32, transposed: bool, dst: usize): void {
  packStripRange(b, k, n, transposed, dst, 0, (n + STRIP - 1) / STRIP);
}

/** Strips [from, to) of packStrips: threads pack disjoint strips (jobs.ts packBlock). */
export function packStripRange(b: usize, k: i32, n: i32, transposed: bool, dst: usize, from: i32, to: i32): void {
  for (let s = from; s < to; s++) {
    const strip = dst + <usize>s * <usize>k * STRIP * 4;
    memory.fill(strip, 0, <usize>k * STRIP * 4);
    const j0 = s * STRIP;
    const width = min(STRIP, n - j0);
    if (!transposed) {
      for (let p = 0; p < k; p++) memory.copy(strip + <usize>p * STRIP * 4, b + (<usize>p * <usize>n + <usize>j0) * 4, <usize>width * 4);
      continue;
    }
    // Bᵀ rows j0..j0+width are B's columns: transpose them in 4 x 4 blocks.
    const width4 = width & ~3;
    const k4 = k & ~3;
    const ldbt = <usize>k * 4;
    for (let c = 0; c < width4; c += 4) {
      const r0 = b + <usize>(j0 + c) * ldbt;
      const r1 = r0 + ldbt, r2 = r1 + ldbt, r3 = r2 + ldbt;
      for (let p = 0; p < k4; p += 4) {
        const at = <usize>p * 4;
        const v0 = v128.load(r0 + at), v1 = v128.load(r1 + at), v2 = v128.load(r2 + at), v3 = v128.load(r3 + at);
        storeTransposed4x4(v0, v1, v2, v3, strip + (<usize>p * STRIP + <usize>c) * 4, STRIP * 4);
      }
    }
    // The ragged last columns and rows, element by element.
    for (let c = 0; c < width; c++) {
      for (let p = c < width4 ? k4 : 0; p < k; p++) {
        store<f32>(strip + (<usize>p * STRIP + <usize>c) * 4, load<f32>(b + <usize>(j0 + c) * ldbt + <usize>p * 4));
      }
    }
  }
}

/**
 * C[rowFrom:rowTo, :] = A[rowFrom:rowTo, :] · B for A in CSR form (m x k), B packed by packStrips and
 * C row-major (m x n): each row of C is the sum of the rows of B its nonzeros select, scaled by them.
 * A strip's 32 columns of a C row stay in eight registers while the row's nonzeros stream past.
 * `edge` is scratch for STRIP floats (the last strip when n is not a multiple of STRIP); threads may
 * take disjoint row ranges.
 */
export function sparseTimesDense(rowStart: usize, colIndex: usize, values: usize, packedB: usize, k: i32, c: usize, rowFrom: i32, rowTo: i32, n: i32, edge: usize): void {
  const strips = (n + STRIP - 1) / STRIP;
  const ldc = <usize>n * 4;
  for (let s = 0; s < strips; s++) {
    const strip = packedB + <usize>s * <usize>k * STRIP * 4;
    const j0 = s * STRIP;
    const whole = j0 + STRIP <= n;
    for (let i = rowFrom; i < rowTo; i++) {
      const first = <usize>load<i32>(rowStart + <usize>i * 4);
      const last = <usize>load<i32>(rowStart + <usize>(i + 1) * 4);
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
      for (let p = first; p < last; p++) {
        const x = v128.load32_splat(values + p * 4);
        const bRow = strip + (<usize>load<i32>(colIndex + p * 4) << 7); // x STRIP * 4 bytes
        c0 = madd(x, v128.load(bRow), c0);
        c1 = madd(x, v128.load(bRow, 16), c1);
        c2 = madd(x, v128.load(bRow, 32), c2);
        c3 = madd(x, v128.load(bRow, 48), c3);
        c4 = madd(x, v128.load(bRow, 64), c4);
        c5 = madd(x, v128.load(bRow, 80), c5);
        c6 = madd(x, v128.load(bRow, 96), c6);
        c7 = madd(x, v128.load(bRow, 112), c7);
      }
      const out = whole ? c + <usize>i * ldc + <usize>j0 * 4 : edge;
      v128.store(out, c0);
      v128.store(out, c1, 16);
      v128.store(out, c2, 32);
      v128.store(out, c3, 48);
      v128.store(out, c4, 64);
      v128.store(out, c5, 80);
      v128.store(out, c6, 96);
      v128.store(out, c7, 112);
      if (!whole) memory.copy(c + <usize>i * ldc + <usize>j0 * 4, edge, <usize>(n - j0) * 4);
    }
  }
}
