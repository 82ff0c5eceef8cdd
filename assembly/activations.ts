// The hidden layers' activations four lanes at a time, and the passes that fuse them with the bias
// (forward) and with δ = σ'(z) ⊙ (δ·W) (backward). wasm has no vector exp, so exp is Cephes' expf
// (Moshier, Cephes Math Library, expf.c: range reduction by ln 2 split in two, a degree-5 polynomial,
// 2^n through the exponent bits) and tanh is Cephes' tanhf (its odd polynomial below |x| = 0.625,
// 1 - 2/(e^2|x| + 1) above); both within 2 ulp of float32, against Mathf's one value at a time.
// Allocations are padded to whole 64-byte lines (elementwise.ts), so whole-matrix passes run whole
// vectors; the row-wise bias passes take a row's last 1-3 columns lane by lane.

/** Activation codes shared with the host (src/engine/kernels/wasm/wasmKernels.ts). */
export const ACT_LINEAR: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_LEAKY_RELU: i32 = 2;
export const ACT_SIGMOID: i32 = 3;
export const ACT_TANH: i32 = 4;

/** e^x per lane; x is clamped to [-87.3, 88.3] so 2^n stays a normal float; NaN stays NaN. */
// @ts-ignore: decorator
@inline function expVector(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  // x - n·ln 2 with ln 2 split into a part exact in float32 and the rest.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** 1 / (1 + e^-z) per lane. */
// @ts-ignore: decorator
@inline export function sigmoidVector(z: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expVector(f32x4.neg(z))));
}

/** tanh(z) per lane. */
// @ts-ignore: decorator
@inline export function tanhVector(z: v128): v128 {
  const sign = v128.and(z, i32x4.splat(0x80000000));
  const x = f32x4.abs(z);
  // |z| < 0.625: z + z·z²·P(z²).
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, x2), x), x);
  // Above: 1 - 2/(e^2|z| + 1); e^2|z| saturates, so large |z| gives exactly 1.
  const one = f32x4.splat(1);
  const large = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(expVector(f32x4.add(x, x)), one)));
  return v128.or(v128.bitselect(small, large, f32x4.lt(x, f32x4.splat(0.625))), sign);
}

/** σ(z) per lane for one of the ACT_ codes. */
// @ts-ignore: decorator
@inline function activateVector(kind: i32, z: v128, alpha: v128): v128 {
  if (kind == ACT_RELU) return f32x4.max(z, f32x4.splat(0));
  if (kind == ACT_LEAKY_RELU) return v128.bitselect(z, f32x4.mul(z, alpha), f32x4.gt(z, f32x4.splat(0)));
  if (kind == ACT_SIGMOID) return sigmoidVector(z);
  if (kind == ACT_TANH) return tanhVector(z);
  return z;
}

/** σ'(z) per lane, from z (relu, leakyRelu) or a = σ(z) (sigmoid, tanh). */
// @ts-ignore: decorator
@inline function derivativeVector(kind: i32, z: v128, a: v128, alpha: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == ACT_RELU) return v128.and(f32x4.gt(z, f32x4.splat(0)), one);
  if (kind == ACT_LEAKY_RELU) return v128.bitselect(one, alpha, f32x4.gt(z, f32x4.splat(0)));
  if (kind == ACT_SIGMOID) return f32x4.mul(a, f32x4.sub(one, a));
  if (kind == ACT_TANH) return f32x4.sub(one, f32x4.mul(a, a));
  return one;
}

/** The row's last `count` (1-3) floats at p as a vector, zeros past them. */
// @ts-ignore: decorator
@inline function loadTail(p: usize, count: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

// @ts-ignore: decorator
@inline function storeTail(p: usize, v: v128, count: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// @ts-ignore: decorator
@inline function biasActivateRows(kind: i32, product: usize, bias: usize, z: usize, a: usize, rows: i32, cols: i32, stride: i32, av: v128): i32 {
  // Rows of `cols` floats, `stride` floats apart (a block of columns of a wider matrix when cols < stride).
  const rowBytes = <usize>stride * 4;
  const vectorBytes = <usize>(cols & ~3) * 4;
  const tail = cols & 3;
  const zero = f32x4.splat(0);
  // Minus the nonzeros of a, lane by lane (a true comparison is -1): the sparse products skip dense operands by it.
  let nonzeros = i32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    let j: usize = 0;
    for (; j < vectorBytes; j += 16) {
      const zv = f32x4.add(v128.load(product + j), v128.load(bias + j));
      const av2 = activateVector(kind, zv, av);
      v128.store(z + j, zv);
      v128.store(a + j, av2);
      nonzeros = i32x4.add(nonzeros, f32x4.ne(av2, zero));
    }
    if (tail > 0) {
      const zv = f32x4.add(loadTail(product + j, tail), loadTail(bias + j, tail));
      const av2 = activateVector(kind, zv, av);
      storeTail(z + j, zv, tail);
      storeTail(a + j, av2, tail);
      // Lanes past the tail hold σ(0), which is nonzero for sigmoid: count only the real ones.
      nonzeros = i32x4.add(nonzeros, v128.and(f32x4.ne(av2, zero), i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(tail))));
    }
    product += rowBytes;
    z += rowBytes;
    a += rowBytes;
  }
  return -(i32x4.extract_lane(nonzeros, 0) + i32x4.extract_lane(nonzeros, 1) + i32x4.extract_lane(nonzeros, 2) + i32x4.extract_lane(nonzeros, 3));
}

/**
 * z = product + bias on every row and a = σ(z), in one pass over the product of a·Wᵀ; z may be the
 * product itself (updated in place). Returns how many elements of a are nonzero.
 */
export function biasActivate(kind: i32, product: usize, bias: usize, z: usize, a: usize, rows: i32, cols: i32, alpha: f32): i32 {
  return biasActivateBlock(kind, product, bias, z, a, rows, cols, cols, alpha);
}

/**
 * biasActivate on `rows` rows of `cols` columns that lie `stride` floats apart: a block of columns of a
 * wider matrix (the pointers and `bias` already at the block's first column), as one thread's share of a
 * product computes it (jobs.ts). Returns the block's count of nonzeros of a.
 */
export function biasActivateBlock(kind: i32, product: usize, bias: usize, z: usize, a: usize, rows: i32, cols: i32, stride: i32, alpha: f32): i32 {
  const av = f32x4.splat(alpha);
  if (kind == ACT_SIGMOID) return biasActivateRows(ACT_SIGMOID, product, bias, z, a, rows, cols, stride, av);
  if (kind == ACT_TANH) return biasActivateRows(ACT_TANH, product, bias, z, a, rows, cols, stride, av);
  if (kind == ACT_RELU) return biasActivateRows(ACT_RELU, product, bias, z, a, rows, cols, stride, av);
  if (kind == ACT_LEAKY_RELU) return biasActivateRows(ACT_LEAKY_RELU, product, bias, z, a, rows, cols, stride, av);
  return biasActivateRows(ACT_LINEAR, product, bias, z, a, rows, cols, stride, av);
}

/** The squares of v's lanes 0, 1 (low) or 2, 3 (high) in float64, the pairs sumSquares accumulates (elementwise.ts). */
// @ts-ignore: decorator
@inline export function squaresLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.mul(v, v));
}

// @ts-ignore: decorator
@inline export function squaresHigh(v: v128): v128 {
  const sq = f32x4.mul(v, v);
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(sq, sq, 2, 3, 0, 1));
}

/**
 * The sum of squares of the n floats at p, in exactly sumSquares' order (elementwise.ts), given the
 * float64 pairs it accumulated over the first n & ~3 of them.
 */
// @ts-ignore: decorator
@inline export function finishSquares(low: v128, high: v128, p: usize, n: i32): f64 {
  const both = f64x2.add(low, high);
  let sum = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (let i = n & ~3; i < n; i++) {
    const x = <f64>load<f32>(p + <usize>i * 4);
    sum += x * x;
  }
  return sum;
}

// @ts-ignore: decorator
@inline function backpropRows(kind: i32, z: usize, a: usize, g: usize, sigmaPrime: usize, delta: usize, n: i32, av: v128, squares: usize): void {
  const sp0 = sigmaPrime, delta0 = delta;
  const full = delta + <usize>(n & ~3) * 4;
  const end = delta + (<usize>(n + 3) & ~3) * 4;
  // Σσ'² and Σδ² as float64 pairs, in sumSquares' order.
  let spLow = f64x2.splat(0), spHigh = f64x2.splat(0), dLow = f64x2.splat(0), dHigh = f64x2.splat(0);
  let nonzeros = i32x4.splat(0); // minus δ's nonzeros per lane, as in biasActivateRows
  const zero = f32x4.splat(0);
  for (; delta < full; z += 16, a += 16, g += 16, sigmaPrime += 16, delta += 16) {
    const d = derivativeVector(kind, v128.load(z), v128.load(a), av);
    const out = f32x4.mul(d, v128.load(g));
    v128.store(sigmaPrime, d);
    v128.store(delta, out);
    nonzeros = i32x4.add(nonzeros, f32x4.ne(out, zero));
    spLow = f64x2.add(spLow, squaresLow(d));
    spHigh = f64x2.add(spHigh, squaresHigh(d));
    dLow = f64x2.add(dLow, squaresLow(out));
    dHigh = f64x2.add(dHigh, squaresHigh(out));
  }
  if (delta < end) {
    // The last 1-3 elements: a whole vector into the padding; finishSquares adds them one by one.
    const d = derivativeVector(kind, v128.load(z), v128.load(a), av);
    v128.store(sigmaPrime, d);
    v128.store(delta, f32x4.mul(d, v128.load(g)));
  }
  let count = -(i32x4.extract_lane(nonzeros, 0) + i32x4.extract_lane(nonzeros, 1) + i32x4.extract_lane(nonzeros, 2) + i32x4.extract_lane(nonzeros, 3));
  for (let i = n & ~3; i < n; i++) if (load<f32>(delta0 + <usize>i * 4) != 0) count++;
  store<f64>(squares, finishSquares(spLow, spHigh, sp0, n));
  store<f64>(squares, finishSquares(dLow, dHigh, delta0, n), 8);
  store<f64>(squares, <f64>count, 16);
}

/**
 * The backward step's element-wise half: σ'(z) into sigmaPrime and δ = σ'(z) ⊙ g into delta, where
 * g = δ^(l+1)·W^(l+1); delta may be g itself (updated in place). Leaves Σσ'² and Σδ² (float64, the
 * values sumSquares would give) and δ's count of nonzeros in the three float64 at `squares`.
 */
export function backpropDelta(kind: i32, z: usize, a: usize, g: usize, alpha: f32, sigmaPrime: usize, delta: usize, n: i32, squares: usize): void {
  const av = f32x4.splat(alpha);
  if (kind == ACT_SIGMOID) backpropRows(ACT_SIGMOID, z, a, g, sigmaPrime, delta, n, av, squares);
  else if (kind == ACT_TANH) backpropRows(ACT_TANH, z, a, g, sigmaPrime, delta, n, av, squares);
  else if (kind == ACT_RELU) backpropRows(ACT_RELU, z, a, g, sigmaPrime, delta, n, av, squares);
  else if (kind == ACT_LEAKY_RELU) backpropRows(ACT_LEAKY_RELU, z, a, g, sigmaPrime, delta, n, av, squares);
  else backpropRows(ACT_LINEAR, z, a, g, sigmaPrime, delta, n, av, squares);
}

// @ts-ignore: decorator
@inline function backpropBlockRows(kind: i32, z: usize, a: usize, g: usize, sigmaPrime: usize, delta: usize, rows: i32, cols: i32, stride: i32, av: v128, squares: usize): void {
  const rowBytes = <usize>stride * 4;
  const vectorBytes = <usize>(cols & ~3) * 4;
  const tail = cols & 3;
  const zero = f32x4.splat(0);
  const tailLanes = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(tail));
  let spLow = f64x2.splat(0), spHigh = f64x2.splat(0), dLow = f64x2.splat(0), dHigh = f64x2.splat(0);
  let spTail: f64 = 0, dTail: f64 = 0;
  let nonzeros = i32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    let j: usize = 0;
    for (; j < vectorBytes; j += 16) {
      const d = derivativeVector(kind, v128.load(z + j), v128.load(a + j), av);
      const out = f32x4.mul(d, v128.load(g + j));
      v128.store(sigmaPrime + j, d);
      v128.store(delta + j, out);
      nonzeros = i32x4.add(nonzeros, f32x4.ne(out, zero));
      spLow = f64x2.add(spLow, squaresLow(d));
      spHigh = f64x2.add(spHigh, squaresHigh(d));
      dLow = f64x2.add(dLow, squaresLow(out));
      dHigh = f64x2.add(dHigh, squaresHigh(out));
    }
    if (tail > 0) {
      // Lanes past the tail are zeros in, zeros out; only the real ones are stored, and squared in float64
      // as sumSquares squares a matrix's last 1-3 elements (finishSquares).
      const d = v128.and(derivativeVector(kind, loadTail(z + j, tail), loadTail(a + j, tail), av), tailLanes);
      const out = f32x4.mul(d, loadTail(g + j, tail));
      storeTail(sigmaPrime + j, d, tail);
      storeTail(delta + j, out, tail);
      nonzeros = i32x4.add(nonzeros, f32x4.ne(out, zero));
      for (let t: usize = 0; t < <usize>tail * 4; t += 4) {
        const x = <f64>load<f32>(sigmaPrime + j + t);
        const y = <f64>load<f32>(delta + j + t);
        spTail += x * x;
        dTail += y * y;
      }
    }
    z += rowBytes;
    a += rowBytes;
    g += rowBytes;
    sigmaPrime += rowBytes;
    delta += rowBytes;
  }
  const sp = f64x2.add(spLow, spHigh);
  const dd = f64x2.add(dLow, dHigh);
  store<f64>(squares, f64x2.extract_lane(sp, 0) + f64x2.extract_lane(sp, 1) + spTail);
  store<f64>(squares, f64x2.extract_lane(dd, 0) + f64x2.extract_lane(dd, 1) + dTail, 8);
  store<f64>(squares, <f64>-(i32x4.extract_lane(nonzeros, 0) + i32x4.extract_lane(nonzeros, 1) + i32x4.extract_lane(nonzeros, 2) + i32x4.extract_lane(nonzeros, 3)), 16);
}

/**
 * backpropDelta on a block of `rows` rows of `cols` columns lying `stride` floats apart (every pointer at
 * the block's first element), as one thread's share of δ·W computes it (jobs.ts). The block's Σσ'², Σδ²
 * and δ's nonzero count go to the three float64 at `squares`; the host adds the blocks' in block order.
 */
export function backpropDeltaBlock(kind: i32, z: usize, a: usize, g: usize, alpha: f32, sigmaPrime: usize, delta: usize, rows: i32, cols: i32, stride: i32, squares: usize): void {
  const av = f32x4.splat(alpha);
  if (kind == ACT_SIGMOID) backpropBlockRows(ACT_SIGMOID, z, a, g, sigmaPrime, delta, rows, cols, stride, av, squares);
  else if (kind == ACT_TANH) backpropBlockRows(ACT_TANH, z, a, g, sigmaPrime, delta, rows, cols, stride, av, squares);
  else if (kind == ACT_RELU) backpropBlockRows(ACT_RELU, z, a, g, sigmaPrime, delta, rows, cols, stride, av, squares);
  else if (kind == ACT_LEAKY_RELU) backpropBlockRows(ACT_LEAKY_RELU, z, a, g, sigmaPrime, delta, rows, cols, stride, av, squares);
  else backpropBlockRows(ACT_LINEAR, z, a, g, sigmaPrime, delta, rows, cols, stride, av, squares);
}
