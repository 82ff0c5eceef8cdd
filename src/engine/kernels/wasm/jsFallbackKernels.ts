import type { ElementwiseActivation } from '../../config/labConfig';
import type { Kernels } from '../kernels';
import { MatrixScopes } from './matrixScopes';
import { checkFromArray, checkMatMul, checkRow, checkSameShape, checkUsable } from './shapeChecks';

/** A float32 matrix held in a plain Float32Array. */
export class Float32Matrix {
  disposed = false;
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float32Array,
  ) {}
}

/**
 * The same float32 math as the wasm kernels in plain JavaScript, for runtimes where no wasm build
 * loads (see createFastKernels). About 20x slower than wasm on GEMM; storage is left to the GC.
 */
export class JsFallbackKernels implements Kernels<Float32Matrix> {
  readonly name = 'js (float32, 1 thread)';
  readonly precision = 'float32';
  private readonly scopes = new MatrixScopes<Float32Matrix>(
    (value): value is Float32Matrix => value instanceof Float32Matrix,
    () => {},
  );

  private make(rows: number, cols: number): Float32Matrix {
    return this.scopes.track(new Float32Matrix(rows, cols, new Float32Array(rows * cols)));
  }

  private map(op: string, a: Float32Matrix, f: (x: number) => number): Float32Matrix {
    checkUsable(op, a);
    const out = this.make(a.rows, a.cols);
    const x = a.data;
    const y = out.data;
    for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
    return out;
  }

  private zip(op: string, a: Float32Matrix, b: Float32Matrix, f: (x: number, y: number) => number): Float32Matrix {
    checkSameShape(op, a, b);
    const out = this.make(a.rows, a.cols);
    const x = a.data;
    const y = b.data;
    const z = out.data;
    for (let i = 0; i < x.length; i++) z[i] = f(x[i], y[i]);
    return out;
  }

  fromArray(data: ArrayLike<number>, rows: number, cols: number): Float32Matrix {
    checkFromArray(data.length, rows, cols);
    const m = this.make(rows, cols);
    m.data.set(data);
    return m;
  }

  toArray(m: Float32Matrix): Float32Array {
    checkUsable('toArray', m);
    return m.data.slice();
  }

  rows(m: Float32Matrix): number {
    return m.rows;
  }

  cols(m: Float32Matrix): number {
    return m.cols;
  }

  /** a·b, or aᵀ·b / a·bᵀ with the flags (as WasmKernels.matMul; here by transposing first). */
  matMul(a: Float32Matrix, b: Float32Matrix, transposeA = false, transposeB = false): Float32Matrix {
    checkMatMul(a, b, transposeA, transposeB);
    if (!transposeA && !transposeB) return this.multiply(a, b);
    const left = transposeA ? this.transpose(a) : a;
    const right = transposeB ? this.transpose(b) : b;
    const c = this.multiply(left, right);
    if (left !== a) this.dispose(left);
    if (right !== b) this.dispose(right);
    return c;
  }

  /** Four rows of C at a time, so each loaded row of B feeds four rows of multiply-adds. */
  private multiply(a: Float32Matrix, b: Float32Matrix): Float32Matrix {
    const m = a.rows;
    const k = a.cols;
    const n = b.cols;
    const c = this.make(m, n);
    const A = a.data;
    const B = b.data;
    const C = c.data;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const c0 = i * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      for (let p = 0; p < k; p++) {
        const a0 = A[i * k + p];
        const a1 = A[(i + 1) * k + p];
        const a2 = A[(i + 2) * k + p];
        const a3 = A[(i + 3) * k + p];
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const bv = B[bp + j];
          C[c0 + j] += a0 * bv;
          C[c1 + j] += a1 * bv;
          C[c2 + j] += a2 * bv;
          C[c3 + j] += a3 * bv;
        }
      }
    }
    for (; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = A[i * k + p];
        const bp = p * n;
        for (let j = 0; j < n; j++) C[i * n + j] += av * B[bp + j];
      }
    }
    return c;
  }

  transpose(a: Float32Matrix): Float32Matrix {
    checkUsable('transpose', a);
    const out = this.make(a.cols, a.rows);
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
    return out;
  }

  addRow(a: Float32Matrix, row: Float32Matrix): Float32Matrix {
    checkRow(a, row);
    const out = this.make(a.rows, a.cols);
    for (let i = 0; i < a.rows; i++)
      for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] = a.data[i * a.cols + j] + row.data[j];
    return out;
  }

  add(a: Float32Matrix, b: Float32Matrix): Float32Matrix {
    return this.zip('add', a, b, (x, y) => x + y);
  }

  sub(a: Float32Matrix, b: Float32Matrix): Float32Matrix {
    return this.zip('sub', a, b, (x, y) => x - y);
  }

  mul(a: Float32Matrix, b: Float32Matrix): Float32Matrix {
    return this.zip('mul', a, b, (x, y) => x * y);
  }

  div(a: Float32Matrix, b: Float32Matrix): Float32Matrix {
    return this.zip('div', a, b, (x, y) => x / y);
  }

  scale(a: Float32Matrix, s: number): Float32Matrix {
    const sf = Math.fround(s);
    return this.map('scale', a, (x) => x * sf);
  }

  addScalar(a: Float32Matrix, s: number): Float32Matrix {
    const sf = Math.fround(s);
    return this.map('addScalar', a, (x) => x + sf);
  }

  sqrt(a: Float32Matrix): Float32Matrix {
    return this.map('sqrt', a, Math.sqrt);
  }

  square(a: Float32Matrix): Float32Matrix {
    return this.map('square', a, (x) => x * x);
  }

  activate(kind: ElementwiseActivation, z: Float32Matrix, alpha: number): Float32Matrix {
    switch (kind) {
      case 'relu':
        return this.map('activate', z, (x) => (x > 0 ? x : 0));
      case 'leakyRelu':
        return this.map('activate', z, (x) => (x > 0 ? x : alpha * x));
      case 'sigmoid':
        return this.map('activate', z, (x) => 1 / (1 + Math.exp(-x)));
      case 'tanh':
        return this.map('activate', z, Math.tanh);
      case 'linear':
        return this.map('activate', z, (x) => x);
    }
  }

  activationDerivative(kind: ElementwiseActivation, z: Float32Matrix, a: Float32Matrix, alpha: number): Float32Matrix {
    checkSameShape('activationDerivative', z, a);
    switch (kind) {
      case 'relu':
        return this.map('activationDerivative', z, (x) => (x > 0 ? 1 : 0));
      case 'leakyRelu':
        return this.map('activationDerivative', z, (x) => (x > 0 ? 1 : alpha));
      case 'sigmoid':
        return this.map('activationDerivative', a, (y) => y * (1 - y));
      case 'tanh':
        return this.map('activationDerivative', a, (y) => 1 - y * y);
      case 'linear':
        return this.map('activationDerivative', z, () => 1);
    }
  }

  sumRows(a: Float32Matrix): Float32Matrix {
    checkUsable('sumRows', a);
    const out = this.make(1, a.cols);
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j] += a.data[i * a.cols + j];
    return out;
  }

  sumSquares(a: Float32Matrix): number {
    checkUsable('sumSquares', a);
    let sum = 0;
    for (const x of a.data) sum += x * x;
    return sum;
  }

  scope<T>(fn: () => T): T {
    return this.scopes.scope(fn);
  }

  dispose(m: Float32Matrix): void {
    this.scopes.dispose(m);
  }

  liveMatrices(): number {
    return this.scopes.liveMatrices();
  }

  /** Nothing to stop; present so callers treat both kernels alike. */
  async close(): Promise<void> {}
}
