// One block of a job that the calling thread and the helper threads share (src/engine/kernels/wasm/
// kernelThreads.ts). Every job's block kernel takes the same leading parameters, (block, from, to, scratch),
// then the job's own arguments as the caller wrote them, and returns a count the threads add up, so the
// threads' loop makes one call whatever the job is. `to` may pass the end: each kernel cuts it.
// A product's job may carry an epilogue, the element-wise pass that follows it in a layer, run on each
// block as soon as it is computed, by the thread that computed it, while the block is still in cache:
// forward, z = product + b and a = σ(z); backward, σ'(z) and δ = σ'(z) ⊙ (δ^next·W^next).

import { backpropDeltaBlock, biasActivateBlock } from './activations';
import { gemm } from './gemm';
import { adamTable } from './optimizers';
import { countColumns, packStripRange, scatterColumns, sparseTimesDense, STRIP } from './sparse';
import { transposeScaleBlocks, TRANSPOSE_BLOCK } from './elementwise';

/** Epilogue kinds (the first i32 of an epilogue record). */
export const EPILOGUE_BIAS_ACTIVATE: i32 = 1;
export const EPILOGUE_BACKPROP: i32 = 2;

/**
 * An epilogue record, 8 words: [0] EPILOGUE_ kind, [1] activation code (ACT_), [2] alpha (f32), then
 * bias + activate: [3] bias, [4] a (z is the product, updated in place);
 * backprop: [3] z, [4] a, [5] sigmaPrime, [6] one result of 3 float64 per block (Σσ'², Σδ², δ's
 * nonzeros; δ is the product, updated in place).
 * Applies it to rows [r0, r1) x columns [c0, c1) of the m x n product at c; returns the nonzeros of a or δ.
 */
function epilogue(record: usize, block: i32, c: usize, n: i32, r0: i32, r1: i32, c0: i32, c1: i32): i32 {
  if (record == 0 || r1 <= r0 || c1 <= c0) return 0;
  const op = load<i32>(record);
  const kind = load<i32>(record, 4);
  const alpha = load<f32>(record, 8);
  const at = (<usize>r0 * <usize>n + <usize>c0) * 4;
  if (op == EPILOGUE_BIAS_ACTIVATE) {
    const bias = <usize>load<u32>(record, 12) + <usize>c0 * 4;
    const a = <usize>load<u32>(record, 16);
    return biasActivateBlock(kind, c + at, bias, c + at, a + at, r1 - r0, c1 - c0, n, alpha);
  }
  const z = <usize>load<u32>(record, 12);
  const a = <usize>load<u32>(record, 16);
  const sigmaPrime = <usize>load<u32>(record, 20);
  const squares = <usize>load<u32>(record, 24) + <usize>block * 24;
  backpropDeltaBlock(kind, z + at, a + at, c + at, alpha, sigmaPrime + at, c + at, r1 - r0, c1 - c0, n, squares);
  return <i32>load<f64>(squares, 16);
}

/** A block of C = op(A)·op(B) (gemm.ts): columns [from, to) when byColumns, else rows; then the epilogue. */
export function gemmBlock(block: i32, from: i32, to: i32, scratch: usize, a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, flags: i32, byColumns: i32, record: usize): i32 {
  if (byColumns) {
    to = min(to, n);
    gemm(a, b, c, m, n, k, flags, 0, m, from, to, scratch);
    return epilogue(record, block, c, n, 0, m, from, to);
  }
  to = min(to, m);
  gemm(a, b, c, m, n, k, flags, from, to, 0, n, scratch);
  return epilogue(record, block, c, n, from, to, 0, n);
}

/** Rows [from, to) of C = A·B for A in CSR form (sparse.ts), then the epilogue; scratch holds the edge strip. */
export function sparseBlock(block: i32, from: i32, to: i32, scratch: usize, rowStart: usize, colIndex: usize, values: usize, packedB: usize, k: i32, c: usize, m: i32, n: i32, record: usize): i32 {
  to = min(to, m);
  sparseTimesDense(rowStart, colIndex, values, packedB, k, c, from, to, n, scratch);
  return epilogue(record, block, c, n, from, to, 0, n);
}

/** Entries [from, to) of an Adam table (optimizers.ts adamTable): spans of every parameter tensor of a step. */
export function adamBlock(block: i32, from: i32, to: i32, scratch: usize, table: usize, params: usize, entries: i32): i32 {
  adamTable(table, params, from, min(to, entries));
  return 0;
}

/** Strips [from, to) of B packed for a sparse product (sparse.ts packStrips), so that threads share the packing. */
export function packBlock(block: i32, from: i32, to: i32, scratch: usize, b: usize, k: i32, n: i32, transposed: i32, dst: usize): i32 {
  packStripRange(b, k, n, transposed != 0, dst, from, min(to, (n + STRIP - 1) / STRIP));
  return 0;
}

/** Blocks [from, to) of TRANSPOSE_BLOCK rows of elementwise.ts transposeScaleBlocks; `params` holds s (f32) and results. */
export function transposeScaleBlock(block: i32, from: i32, to: i32, scratch: usize, a: usize, out: usize, rows: i32, cols: i32, params: usize): i32 {
  const blocks = (rows + TRANSPOSE_BLOCK - 1) / TRANSPOSE_BLOCK;
  transposeScaleBlocks(a, out, rows, cols, load<f32>(params), <usize>load<u32>(params, 4), from, min(to, blocks));
  return 0;
}

/** Blocks [from, to) of `span` rows each of a CSR matrix: their column counts, block b's at counts + 4·b·cols (sparse.ts). */
export function countBlock(block: i32, from: i32, to: i32, scratch: usize, rowStart: usize, colIndex: usize, rows: i32, cols: i32, span: i32, counts: usize): i32 {
  for (let b = from; b < to && b * span < rows; b++) {
    countColumns(rowStart, colIndex, b * span, min(rows, (b + 1) * span), cols, counts + <usize>b * <usize>cols * 4);
  }
  return 0;
}

/** Blocks [from, to) of `span` rows scattered into the transposed CSR with block b's cursors at cursors + 4·b·cols. */
export function scatterBlock(block: i32, from: i32, to: i32, scratch: usize, rowStart: usize, colIndex: usize, values: usize, rows: i32, cols: i32, span: i32, cursors: usize, outIndex: usize, outValues: usize): i32 {
  for (let b = from; b < to && b * span < rows; b++) {
    scatterColumns(rowStart, colIndex, values, b * span, min(rows, (b + 1) * span), cursors + <usize>b * <usize>cols * 4, outIndex, outValues);
  }
  return 0;
}
