// Float64 reference math and seeded random matrices for the kernel tests.

/** A row-major matrix of float64 values. */
export interface RefMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Mulberry32: a small seeded generator, so every run draws the same matrices. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [lo, hi), already rounded to float32 so the reference sees exactly the kernels' inputs. */
export function randomMatrix(random: () => number, rows: number, cols: number, lo = -1, hi = 1): RefMatrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(lo + (hi - lo) * random());
  return { rows, cols, data };
}

/** C = A·B in float64, plus Σ|a_ip·b_pj| per element, the scale a float32 GEMM's rounding error grows with. */
export function refMatMul(a: RefMatrix, b: RefMatrix): { product: RefMatrix; magnitude: Float64Array } {
  const product = new Float64Array(a.rows * b.cols);
  const magnitude = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < a.cols; p++) {
        const term = a.data[i * a.cols + p] * b.data[p * b.cols + j];
        sum += term;
        abs += Math.abs(term);
      }
      product[i * b.cols + j] = sum;
      magnitude[i * b.cols + j] = abs;
    }
  }
  return { product: { rows: a.rows, cols: b.cols, data: product }, magnitude };
}

/** Largest |actual - expected| / (scale + tiny), element by element. */
export function maxScaledError(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  scale: (i: number) => number,
): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / (scale(i) + 1e-30);
    if (!(err <= worst)) worst = err; // also catches NaN
  }
  return worst;
}
