// Single-precision GEMM for row-major matrices, C = A·B, blocked the BLIS way: B is packed into
// KC x NR strips that stay in L1 while the micro-kernel walks MC rows of A (kept in L2), and each
// micro-kernel call keeps a 4 x 8 tile of C in eight f32x4 registers for the whole KC loop.
// A is packed too, into MR-row strips, so the micro-kernel broadcasts from one pointer with immediate
// offsets: V8 then emits one vbroadcastss per row and step and no address arithmetic.

import { storeTransposed4x4 } from './transpose4x4';

/** Rows of C per micro-kernel tile. */
export const MR: i32 = 4;
/** Columns of C per micro-kernel tile: two f32x4 vectors. */
export const NR: i32 = 8;
/** Largest depth block: a KC x NR strip of packed B (10 KiB) fits L1 next to 4 rows of A. */
export const KC_MAX: i32 = 320;
/** Rows of A walked per B strip: MC x KC floats (~160 KiB) stay in the 512 KiB L2. */
export const MC: i32 = 128;
/** Widest column block: the packed KC x NC panel of B (320 KiB) lives in L2/L3. */
export const NC_MAX: i32 = 256;
const PACK_A_FLOATS: i32 = MC * KC_MAX;
const PACK_B_FLOATS: i32 = KC_MAX * NC_MAX;
/** Floats of scratch each thread passes to gemm: packed A, packed B and one edge tile. */
export const SCRATCH_FLOATS: i32 = PACK_A_FLOATS + PACK_B_FLOATS + MR * NR;

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  // The relaxed build fuses to one FMA instruction; the plain build needs a separate multiply and add.
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Copies B[0:kc, 0:nc] (row stride ldb bytes) into NR-column strips, each kc rows of NR floats in a
 * row, so the micro-kernel reads B sequentially; columns past nc are zero.
 */
function packB(b: usize, ldb: usize, kc: i32, nc: i32, dst: usize): void {
  const fullStrips = nc / NR;
  for (let t = 0; t < fullStrips; t++) {
    let src = b + <usize>(t * NR * 4);
    let out = dst + <usize>(t * kc * NR * 4);
    for (let p = 0; p < kc; p++) {
      v128.store(out, v128.load(src));
      v128.store(out, v128.load(src, 16), 16);
      src += ldb;
      out += NR * 4;
    }
  }
  const rest = nc - fullStrips * NR;
  if (rest > 0) {
    let src = b + <usize>(fullStrips * NR * 4);
    let out = dst + <usize>(fullStrips * kc * NR * 4);
    for (let p = 0; p < kc; p++) {
      v128.store(out, f32x4.splat(0));
      v128.store(out, f32x4.splat(0), 16);
      for (let j = 0; j < rest; j++) store<f32>(out + <usize>(j * 4), load<f32>(src + <usize>(j * 4)));
      src += ldb;
      out += NR * 4;
    }
  }
}

/**
 * The 4 x 8 micro-kernel: tile = packed A strip (kc steps of 4 floats) · packed B strip (kc steps of
 * 8 floats), stored to c (row stride ldc bytes), added to what c holds when accumulate is set (every
 * depth block after the first). Not unrolled on purpose: TurboFan hoists every load of an unrolled
 * body to its top and then spills accumulators, which costs more than the loop overhead it saves.
 */
function kernel4x8(kc: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // The A pointer doubles as the loop counter: one compare per step and no separate index.
  const aEnd = a + <usize>(kc * MR * 4);
  while (a < aEnd) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    a += MR * 4;
    b += NR * 4;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc));
    c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}

/** Writes the valid mr x nr corner of an edge tile into C, adding to C after the first depth block. */
function mergeEdgeTile(tile: usize, c: usize, ldc: usize, mr: i32, nr: i32, accumulate: bool): void {
  for (let r = 0; r < mr; r++) {
    const src = tile + <usize>(r * NR * 4);
    const dst = c + <usize>r * ldc;
    for (let j = 0; j < nr; j++) {
      const at = <usize>(j * 4);
      const v = load<f32>(src + at);
      store<f32>(dst + at, accumulate ? load<f32>(dst + at) + v : v);
    }
  }
}

/**
 * Copies A[0:mc, 0:kc] (row stride lda bytes) into MR-row strips, each kc steps of MR floats (one
 * per row), so the micro-kernel broadcasts all four rows from one pointer; rows past mc are zero.
 */
function packA(a: usize, lda: usize, mc: i32, kc: i32, dst: usize): void {
  const stripBytes = <usize>(kc * MR * 4);
  let row = 0;
  for (; row + MR <= mc; row += MR) {
    const r0 = a + <usize>row * lda;
    const r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
    let out = dst + <usize>(row / MR) * stripBytes;
    let p = 0;
    // Four rows x four steps at a time: a 4 x 4 transpose in registers.
    for (; p + 4 <= kc; p += 4) {
      const at = <usize>(p * 4);
      const v0 = v128.load(r0 + at), v1 = v128.load(r1 + at), v2 = v128.load(r2 + at), v3 = v128.load(r3 + at);
      storeTransposed4x4(v0, v1, v2, v3, out, 16);
      out += 64;
    }
    for (; p < kc; p++) {
      const at = <usize>(p * 4);
      store<f32>(out, load<f32>(r0 + at));
      store<f32>(out, load<f32>(r1 + at), 4);
      store<f32>(out, load<f32>(r2 + at), 8);
      store<f32>(out, load<f32>(r3 + at), 12);
      out += 16;
    }
  }
  if (row < mc) {
    const rows = mc - row;
    let out = dst + <usize>(row / MR) * stripBytes;
    for (let p = 0; p < kc; p++) {
      v128.store(out, f32x4.splat(0));
      for (let r = 0; r < rows; r++) store<f32>(out + <usize>(r * 4), load<f32>(a + <usize>(row + r) * lda + <usize>(p * 4)));
      out += 16;
    }
  }
}

/**
 * packA for an A stored transposed (Aᵀ, k x m, row stride ldat bytes; at points at Aᵀ[p0, i0]):
 * the MR values of one step are adjacent in Aᵀ, so a full strip step is one vector copy.
 */
function packATransposed(at: usize, ldat: usize, mc: i32, kc: i32, dst: usize): void {
  const stripBytes = <usize>(kc * MR * 4);
  let row = 0;
  for (; row + MR <= mc; row += MR) {
    let src = at + <usize>(row * 4);
    let out = dst + <usize>(row / MR) * stripBytes;
    for (let p = 0; p < kc; p++) {
      v128.store(out, v128.load(src));
      src += ldat;
      out += 16;
    }
  }
  if (row < mc) {
    const rows = mc - row;
    let out = dst + <usize>(row / MR) * stripBytes;
    for (let p = 0; p < kc; p++) {
      v128.store(out, f32x4.splat(0));
      for (let r = 0; r < rows; r++) store<f32>(out + <usize>(r * 4), load<f32>(at + <usize>p * ldat + <usize>((row + r) * 4)));
      out += 16;
    }
  }
}

/**
 * packB for a B stored transposed (Bᵀ, n x k, row stride ldbt bytes; bt points at Bᵀ[j0, p0]):
 * each strip gathers NR rows of Bᵀ, four rows by four steps at a time through a 4 x 4 transpose.
 */
function packBTransposed(bt: usize, ldbt: usize, kc: i32, nc: i32, dst: usize): void {
  const fullStrips = nc / NR;
  for (let t = 0; t < fullStrips; t++) {
    const strip = dst + <usize>(t * kc * NR * 4);
    // Two halves of four columns each: columns j..j+3 land at offset 0, j+4..j+7 at offset 16.
    for (let half = 0; half < 2; half++) {
      const r0 = bt + <usize>(t * NR + half * 4) * ldbt;
      const r1 = r0 + ldbt, r2 = r1 + ldbt, r3 = r2 + ldbt;
      let out = strip + <usize>(half * 16);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = <usize>(p * 4);
        const v0 = v128.load(r0 + at), v1 = v128.load(r1 + at), v2 = v128.load(r2 + at), v3 = v128.load(r3 + at);
        storeTransposed4x4(v0, v1, v2, v3, out, NR * 4);
        out += 4 * NR * 4;
      }
      for (; p < kc; p++) {
        const at = <usize>(p * 4);
        store<f32>(out, load<f32>(r0 + at));
        store<f32>(out, load<f32>(r1 + at), 4);
        store<f32>(out, load<f32>(r2 + at), 8);
        store<f32>(out, load<f32>(r3 + at), 12);
        out += NR * 4;
      }
    }
  }
  const rest = nc - fullStrips * NR;
  if (rest > 0) {
    let out = dst + <usize>(fullStrips * kc * NR * 4);
    for (let p = 0; p < kc; p++) {
      v128.store(out, f32x4.splat(0));
      v128.store(out, f32x4.splat(0), 16);
      for (let j = 0; j < rest; j++) store<f32>(out + <usize>(j * 4), load<f32>(bt + <usize>(fullStrips * NR + j) * ldbt + <usize>(p * 4)));
      out += NR * 4;
    }
  }
}

/** gemm flag: `a` holds Aᵀ (k x m, row-major) rather than A. */
export const TRANSPOSE_A: i32 = 1;
/** gemm flag: `b` holds Bᵀ (n x k, row-major) rather than B. */
export const TRANSPOSE_B: i32 = 2;

/**
 * C[rowStart:rowEnd, colStart:colEnd] = A[rowStart:rowEnd, :] · B[:, colStart:colEnd] for row-major
 * A (m x k), B (k x n), C (m x n); with TRANSPOSE_A / TRANSPOSE_B in flags, a / b hold Aᵀ / Bᵀ
 * instead, which only changes how panels are packed, so a transposed operand costs no extra pass.
 * Threads call it on disjoint blocks of C, each with its own scratch of SCRATCH_FLOATS floats.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, flags: i32, rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32, scratch: usize): void {
  const transposeA = (flags & TRANSPOSE_A) != 0;
  const transposeB = (flags & TRANSPOSE_B) != 0;
  // Row strides in bytes of the operands as stored.
  const lda = <usize>(transposeA ? m : k) * 4;
  const ldb = <usize>(transposeB ? k : n) * 4;
  const ldc = <usize>n * 4;
  const packedA = scratch;
  const packedB = packedA + <usize>PACK_A_FLOATS * 4;
  const edgeTile = packedB + <usize>PACK_B_FLOATS * 4;
  if (k == 0) {
    for (let i = rowStart; i < rowEnd; i++) memory.fill(c + <usize>i * ldc + <usize>colStart * 4, 0, <usize>(colEnd - colStart) * 4);
    return;
  }
  // Equal depth blocks (784 = 3 x 262 rather than 320 + 320 + 144) keep every block's loop long.
  const depthBlocks = (k + KC_MAX - 1) / KC_MAX;
  const kcStep = (k + depthBlocks - 1) / depthBlocks;
  for (let jc = colStart; jc < colEnd; jc += NC_MAX) {
    const nc = min(NC_MAX, colEnd - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      const accumulate = pc > 0;
      if (transposeB) packBTransposed(b + <usize>jc * ldb + <usize>pc * 4, ldb, kc, nc, packedB);
      else packB(b + <usize>pc * ldb + <usize>jc * 4, ldb, kc, nc, packedB);
      for (let ic = rowStart; ic < rowEnd; ic += MC) {
        const mc = min(MC, rowEnd - ic);
        if (transposeA) packATransposed(a + <usize>pc * lda + <usize>ic * 4, lda, mc, kc, packedA);
        else packA(a + <usize>ic * lda + <usize>pc * 4, lda, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bStrip = packedB + <usize>(jr * kc * 4);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const aStrip = packedA + <usize>(ir * kc * 4);
            const cTile = c + <usize>(ic + ir) * ldc + <usize>(jc + jr) * 4;
            if (mr == MR && nr == NR) {
              kernel4x8(kc, aStrip, bStrip, cTile, ldc, accumulate);
            } else {
              kernel4x8(kc, aStrip, bStrip, edgeTile, NR * 4, false);
              mergeEdgeTile(edgeTile, cTile, ldc, mr, nr, accumulate);
            }
          }
        }
      }
    }
  }
}
