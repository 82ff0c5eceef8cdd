import type { ElementwiseActivation } from '../config/labConfig';
import { scalarActivations } from '../model/activationFunctions';
import type { Kernels } from './kernels';

/** A float64 matrix, row-major. */
export interface JsMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Plain-JavaScript kernels in float64: slow, but exact enough to check gradients against finite
 * differences, and small enough to run the lesson's worked example anywhere (CLI, webview, tests).
 */
export class JsKernels implements Kernels<JsMatrix> {
  readonly name = 'JavaScript (float64 reference)';
  readonly precision = 'float64' as const;
  fromArray(data: ArrayLike<number>, rows: number, cols: number): JsMatrix {
    if (data.length !== rows * cols) {
      throw new RangeError(`fromArray: ${data.length} values cannot fill a ${rows}x${cols} matrix`);
    }
    return this.make(Float64Array.from(data), rows, cols);
  }

  toArray(m: JsMatrix): Float64Array {
    return m.data.slice();
  }

  rows(m: JsMatrix): number {
    return m.rows;
  }

  cols(m: JsMatrix): number {
    return m.cols;
  }

  matMul(a: JsMatrix, b: JsMatrix, transposeA = false, transposeB = false): JsMatrix {
    if (transposeA || transposeB)
      return this.matMul(transposeA ? this.transpose(a) : a, transposeB ? this.transpose(b) : b);
    if (a.cols !== b.rows) throw new RangeError(`matMul: ${a.rows}x${a.cols} times ${b.rows}x${b.cols}`);
    const out = new Float64Array(a.rows * b.cols);
    for (let i = 0; i < a.rows; i++) {
      for (let k = 0; k < a.cols; k++) {
        const aik = a.data[i * a.cols + k];
        if (aik === 0) continue;
        for (let j = 0; j < b.cols; j++) out[i * b.cols + j] += aik * b.data[k * b.cols + j];
      }
    }
    return this.make(out, a.rows, b.cols);
  }

  transpose(a: JsMatrix): JsMatrix {
    const out = new Float64Array(a.rows * a.cols);
    for (let i = 0; i < a.rows; i++) {
      for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j];
    }
    return this.make(out, a.cols, a.rows);
  }

  addRow(a: JsMatrix, row: JsMatrix): JsMatrix {
    if (row.rows !== 1 || row.cols !== a.cols)
      throw new RangeError(`addRow: ${row.rows}x${row.cols} onto ${a.rows}x${a.cols}`);
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = a.data[i] + row.data[i % a.cols];
    return this.make(out, a.rows, a.cols);
  }

  add(a: JsMatrix, b: JsMatrix): JsMatrix {
    return this.zip(a, b, (x, y) => x + y);
  }

  sub(a: JsMatrix, b: JsMatrix): JsMatrix {
    return this.zip(a, b, (x, y) => x - y);
  }

  mul(a: JsMatrix, b: JsMatrix): JsMatrix {
    return this.zip(a, b, (x, y) => x * y);
  }

  div(a: JsMatrix, b: JsMatrix): JsMatrix {
    return this.zip(a, b, (x, y) => x / y);
  }

  scale(a: JsMatrix, s: number): JsMatrix {
    return this.map(a, (x) => x * s);
  }

  addScalar(a: JsMatrix, s: number): JsMatrix {
    return this.map(a, (x) => x + s);
  }

  sqrt(a: JsMatrix): JsMatrix {
    return this.map(a, Math.sqrt);
  }

  square(a: JsMatrix): JsMatrix {
    return this.map(a, (x) => x * x);
  }

  activate(kind: ElementwiseActivation, z: JsMatrix, alpha: number): JsMatrix {
    const { f } = scalarActivations[kind];
    return this.map(z, (x) => f(x, alpha));
  }

  activationDerivative(kind: ElementwiseActivation, z: JsMatrix, a: JsMatrix, alpha: number): JsMatrix {
    const { df } = scalarActivations[kind];
    return this.zip(z, a, (zi, ai) => df(zi, ai, alpha));
  }

  sumRows(a: JsMatrix): JsMatrix {
    const out = new Float64Array(a.cols);
    for (let i = 0; i < a.data.length; i++) out[i % a.cols] += a.data[i];
    return this.make(out, 1, a.cols);
  }

  sumSquares(a: JsMatrix): number {
    let sum = 0;
    for (const x of a.data) sum += x * x;
    return sum;
  }

  scope<T>(fn: () => T): T {
    return fn();
  }

  dispose(): void {
    // Nothing to free: the garbage collector owns float64 matrices.
  }

  /** Always 0: nothing here outlives its last reference, so there is nothing to leak. */
  liveMatrices(): number {
    return 0;
  }

  private make(data: Float64Array, rows: number, cols: number): JsMatrix {
    return { data, rows, cols };
  }

  private map(a: JsMatrix, f: (x: number) => number): JsMatrix {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[i]);
    return this.make(out, a.rows, a.cols);
  }

  private zip(a: JsMatrix, b: JsMatrix, f: (x: number, y: number) => number): JsMatrix {
    if (a.rows !== b.rows || a.cols !== b.cols)
      throw new RangeError(`element-wise op on ${a.rows}x${a.cols} and ${b.rows}x${b.cols}`);
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[i], b.data[i]);
    return this.make(out, a.rows, a.cols);
  }
}
