// Element-wise kernels over float32 matrices. The host rounds every allocation up to whole 64-byte
// lines, so loops over n elements run ceil(n / 4) full vectors: the extra lanes read and write only
// the owning allocation's padding. Reductions (sumRows, sumSquares) stop at the exact count instead.

import { finishSquares, sigmoidVector, squaresHigh, squaresLow, tanhVector } from './activations';
import { storeTransposed4x4 } from './transpose4x4';

// @ts-ignore: decorator
@inline function vectorEnd(out: usize, n: i32): usize {
  return out + (<usize>(n + 3) & ~3) * 4;
}

/** out = a + b, element by element. */
export function add(a: usize, b: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.add(v128.load(a), v128.load(b)));
}

/** out = a - b, element by element. */
export function sub(a: usize, b: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.sub(v128.load(a), v128.load(b)));
}

/** out = a ⊙ b (Hadamard product). */
export function mul(a: usize, b: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.mul(v128.load(a), v128.load(b)));
}

/** out = a / b, element by element. */
export function div(a: usize, b: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; a += 16, b += 16, out += 16) v128.store(out, f32x4.div(v128.load(a), v128.load(b)));
}

/**
 * out = a * s; returns Σout², the value sumSquares(out) would give, since the trainer asks it of every
 * gradient (∂C/∂W^l = δᵀa / batch is made by this pass).
 */
export function scale(a: usize, s: f32, out: usize, n: i32): f64 {
  const sv = f32x4.splat(s);
  const out0 = out;
  let low = f64x2.splat(0), high = f64x2.splat(0);
  const full = out + <usize>(n & ~3) * 4;
  for (; out < full; a += 16, out += 16) {
    const v = f32x4.mul(v128.load(a), sv);
    v128.store(out, v);
    low = f64x2.add(low, squaresLow(v));
    high = f64x2.add(high, squaresHigh(v));
  }
  if (out < vectorEnd(out0, n)) v128.store(out, f32x4.mul(v128.load(a), sv));
  return finishSquares(low, high, out0, n);
}

/** out = a + s. */
export function addScalar(a: usize, s: f32, out: usize, n: i32): void {
  const sv = f32x4.splat(s);
  for (const end = vectorEnd(out, n); out < end; a += 16, out += 16) v128.store(out, f32x4.add(v128.load(a), sv));
}

/** out = √a. */
export function sqrt(a: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; a += 16, out += 16) v128.store(out, f32x4.sqrt(v128.load(a)));
}

/** out = a². */
export function square(a: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; a += 16, out += 16) {
    const v = v128.load(a);
    v128.store(out, f32x4.mul(v, v));
  }
}

/** out = a with the row vector added to each of its rows (the bias). */
export function addRow(a: usize, row: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * 4;
  const vectorBytes = <usize>(cols & ~3) * 4;
  for (let i = 0; i < rows; i++) {
    let j: usize = 0;
    for (; j < vectorBytes; j += 16) v128.store(out + j, f32x4.add(v128.load(a + j), v128.load(row + j)));
    // A vector past the row's end would read the bias vector's padding, so the tail goes lane by lane.
    for (; j < rowBytes; j += 4) store<f32>(out + j, load<f32>(a + j) + load<f32>(row + j));
    a += rowBytes;
    out += rowBytes;
  }
}

/** out = max(z, 0). */
export function relu(z: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  for (const end = vectorEnd(out, n); out < end; z += 16, out += 16) v128.store(out, f32x4.max(v128.load(z), zero));
}

/** out = z > 0 ? 1 : 0 (tfjs' convention at 0). */
export function reluDerivative(z: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  for (const end = vectorEnd(out, n); out < end; z += 16, out += 16) v128.store(out, v128.and(f32x4.gt(v128.load(z), zero), one));
}

/** out = z > 0 ? z : alpha * z. */
export function leakyRelu(z: usize, alpha: f32, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const av = f32x4.splat(alpha);
  for (const end = vectorEnd(out, n); out < end; z += 16, out += 16) {
    const v = v128.load(z);
    v128.store(out, v128.bitselect(v, f32x4.mul(v, av), f32x4.gt(v, zero)));
  }
}

/** out = z > 0 ? 1 : alpha. */
export function leakyReluDerivative(z: usize, alpha: f32, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const av = f32x4.splat(alpha);
  for (const end = vectorEnd(out, n); out < end; z += 16, out += 16) v128.store(out, v128.bitselect(one, av, f32x4.gt(v128.load(z), zero)));
}

/** out = 1 / (1 + e^-z), four lanes at a time (activations.ts). */
export function sigmoid(z: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; z += 16, out += 16) v128.store(out, sigmoidVector(v128.load(z)));
}

/** out = a ⊙ (1 - a), with a = sigmoid(z). */
export function sigmoidDerivative(a: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  for (const end = vectorEnd(out, n); out < end; a += 16, out += 16) {
    const v = v128.load(a);
    v128.store(out, f32x4.mul(v, f32x4.sub(one, v)));
  }
}

/** out = tanh(z), four lanes at a time (activations.ts). */
export function tanh(z: usize, out: usize, n: i32): void {
  for (const end = vectorEnd(out, n); out < end; z += 16, out += 16) v128.store(out, tanhVector(v128.load(z)));
}

/** out = 1 - a², with a = tanh(z). */
export function tanhDerivative(a: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  for (const end = vectorEnd(out, n); out < end; a += 16, out += 16) {
    const v = v128.load(a);
    v128.store(out, f32x4.sub(one, f32x4.mul(v, v)));
  }
}

/** out = a copied (the linear activation), whole vectors. */
export function copy(a: usize, out: usize, n: i32): void {
  memory.copy(out, a, (<usize>(n + 3) & ~3) * 4);
}

/** out[i] = s for every element (the linear activation's derivative is all ones). */
export function fill(out: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  for (const end = vectorEnd(out, n); out < end; out += 16) v128.store(out, sv);
}

/** out [1 x cols] = the sum of a's rows (the batch). */
export function sumRows(a: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * 4;
  const vectorBytes = <usize>(cols & ~3) * 4;
  memory.fill(out, 0, rowBytes);
  for (let i = 0; i < rows; i++) {
    let j: usize = 0;
    for (; j < vectorBytes; j += 16) v128.store(out + j, f32x4.add(v128.load(out + j), v128.load(a + j)));
    for (; j < rowBytes; j += 4) store<f32>(out + j, load<f32>(out + j) + load<f32>(a + j));
    a += rowBytes;
  }
}

/** The sum of squares of a's n elements, accumulated in float64 so large gradients lose nothing. */
export function sumSquares(a: usize, n: i32): f64 {
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  const vectorEndAt = a + <usize>(n & ~3) * 4;
  let p = a;
  for (; p < vectorEndAt; p += 16) {
    const v = v128.load(p);
    const sq = f32x4.mul(v, v);
    low = f64x2.add(low, f64x2.promote_low_f32x4(sq));
    high = f64x2.add(high, f64x2.promote_low_f32x4(v128.shuffle<f32>(sq, sq, 2, 3, 0, 1)));
  }
  const both = f64x2.add(low, high);
  let sum = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (const end = a + <usize>n * 4; p < end; p += 4) {
    const x = <f64>load<f32>(p);
    sum += x * x;
  }
  return sum;
}

/** out [cols x rows] = aᵀ for a [rows x cols], in 4 x 4 blocks transposed in registers. */
export function transpose(a: usize, out: usize, rows: i32, cols: i32): void {
  const inRow = <usize>cols * 4;
  const outRow = <usize>rows * 4;
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  for (let i = 0; i < rows4; i += 4) {
    const r0 = a + <usize>i * inRow;
    const r1 = r0 + inRow, r2 = r1 + inRow, r3 = r2 + inRow;
    for (let j = 0; j < cols4; j += 4) {
      const at = <usize>j * 4;
      const v0 = v128.load(r0 + at), v1 = v128.load(r1 + at), v2 = v128.load(r2 + at), v3 = v128.load(r3 + at);
      storeTransposed4x4(v0, v1, v2, v3, out + <usize>j * outRow + <usize>i * 4, outRow);
    }
  }
  // The ragged right columns and bottom rows, element by element.
  for (let i = 0; i < rows; i++) {
    for (let j = i < rows4 ? cols4 : 0; j < cols; j++) {
      store<f32>(out + <usize>j * outRow + <usize>i * 4, load<f32>(a + <usize>i * inRow + <usize>j * 4));
    }
  }
}

/** Rows of a per block of transposeScaleBlocks: fixed, so the sums are the same on any number of threads. */
export const TRANSPOSE_BLOCK: i32 = 64;

/**
 * out [cols x rows] = s·aᵀ for a [rows x cols], as transpose then scale would give (each value the float32 product
 * x·s), in one pass, over blocks [fromBlock, toBlock) of TRANSPOSE_BLOCK rows of a, so that threads can share it.
 * Each block's Σout² goes to the float64 at results + 8·block, each square rounded to float32 as sumSquares'
 * vectors do; the host adds them in block order: within float32 rounding of sumSquares (which squares its last
 * 1-3 elements in float64 and adds in out's order).
 */
export function transposeScaleBlocks(a: usize, out: usize, rows: i32, cols: i32, s: f32, results: usize, fromBlock: i32, toBlock: i32): void {
  const sv = f32x4.splat(s);
  const inRow = <usize>cols * 4;
  const outRow = <usize>rows * 4;
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  for (let block = fromBlock; block < toBlock; block++) {
    const r0 = block * TRANSPOSE_BLOCK;
    const r1 = min(rows, r0 + TRANSPOSE_BLOCK);
    let low = f64x2.splat(0), high = f64x2.splat(0);
    for (let i = r0; i < min(r1, rows4); i += 4) {
      const p0 = a + <usize>i * inRow;
      const p1 = p0 + inRow, p2 = p1 + inRow, p3 = p2 + inRow;
      for (let j = 0; j < cols4; j += 4) {
        const at = <usize>j * 4;
        const v0 = f32x4.mul(v128.load(p0 + at), sv), v1 = f32x4.mul(v128.load(p1 + at), sv);
        const v2 = f32x4.mul(v128.load(p2 + at), sv), v3 = f32x4.mul(v128.load(p3 + at), sv);
        low = f64x2.add(low, f64x2.add(squaresLow(v0), squaresLow(v1)));
        high = f64x2.add(high, f64x2.add(squaresHigh(v0), squaresHigh(v1)));
        low = f64x2.add(low, f64x2.add(squaresLow(v2), squaresLow(v3)));
        high = f64x2.add(high, f64x2.add(squaresHigh(v2), squaresHigh(v3)));
        storeTransposed4x4(v0, v1, v2, v3, out + <usize>j * outRow + <usize>i * 4, outRow);
      }
    }
    const both = f64x2.add(low, high);
    let sum = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
    // The ragged right columns and bottom rows, element by element.
    for (let i = r0; i < r1; i++) {
      for (let j = i < rows4 ? cols4 : 0; j < cols; j++) {
        const v = load<f32>(a + <usize>i * inRow + <usize>j * 4) * s;
        store<f32>(out + <usize>j * outRow + <usize>i * 4, v);
        sum += <f64>(v * v); // squared in float32, as the vectors' squaresLow/High
      }
    }
    store<f64>(results + <usize>block * 8, sum);
  }
}

/** out = bytes / divisor, n bytes to n floats; division rather than a reciprocal, so each float is the correctly rounded quotient. */
export function bytesToFloats(bytes: usize, n: i32, divisor: f32, out: usize): void {
  const d = f32x4.splat(divisor);
  const n16 = n & ~15;
  let i = 0;
  for (; i < n16; i += 16) {
    const v = v128.load(bytes + <usize>i);
    const low = i16x8.extend_low_i8x16_u(v);
    const high = i16x8.extend_high_i8x16_u(v);
    const o = out + <usize>i * 4;
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(low)), d));
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(low)), d), 16);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(high)), d), 32);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(high)), d), 48);
  }
  for (; i < n; i++) store<f32>(out + <usize>i * 4, <f32>load<u8>(bytes + <usize>i) / divisor);
}
