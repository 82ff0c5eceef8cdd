import * as tf from '@tensorflow/tfjs-core';
import type { ElementwiseActivation } from '../config/labConfig';
import type { Kernels } from './kernels';

type Matrix = tf.Tensor2D;

/** Kernels on whichever tfjs backend is active (wasm, tfjs-node or the pure-JS CPU one), in float32. */
export class TfjsKernels implements Kernels<Matrix> {
  readonly precision = 'float32' as const;

  /** `name` says which tfjs backend runs, e.g. "tfjs wasm (SIMD, 1 thread)". */
  constructor(readonly name: string) {}

  fromArray(data: ArrayLike<number>, rows: number, cols: number): Matrix {
    // Always a copy: the cpu backend keeps the array it is given, and callers reuse their batch buffers.
    return tf.tensor2d(Float32Array.from(data), [rows, cols]);
  }

  toArray(m: Matrix): Float32Array {
    return Float32Array.from(m.dataSync());
  }

  rows(m: Matrix): number {
    return m.shape[0];
  }

  cols(m: Matrix): number {
    return m.shape[1];
  }

  matMul(a: Matrix, b: Matrix, transposeA = false, transposeB = false): Matrix {
    // Explicit transposes: tfjs-wasm runs matMul with its transpose flags on a slow scalar path.
    return tf.tidy(() => tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b));
  }

  transpose(a: Matrix): Matrix {
    return tf.transpose(a);
  }

  addRow(a: Matrix, row: Matrix): Matrix {
    return tf.add(a, row);
  }

  add(a: Matrix, b: Matrix): Matrix {
    return tf.add(a, b);
  }

  sub(a: Matrix, b: Matrix): Matrix {
    return tf.sub(a, b);
  }

  mul(a: Matrix, b: Matrix): Matrix {
    return tf.mul(a, b);
  }

  div(a: Matrix, b: Matrix): Matrix {
    return tf.div(a, b);
  }

  scale(a: Matrix, s: number): Matrix {
    return tf.mul(a, s);
  }

  addScalar(a: Matrix, s: number): Matrix {
    return tf.add(a, s);
  }

  sqrt(a: Matrix): Matrix {
    return tf.sqrt(a);
  }

  square(a: Matrix): Matrix {
    return tf.square(a);
  }

  activate(kind: ElementwiseActivation, z: Matrix, alpha: number): Matrix {
    switch (kind) {
      case 'sigmoid':
        return tf.sigmoid(z);
      case 'tanh':
        return tf.tanh(z);
      case 'relu':
        return tf.relu(z);
      case 'leakyRelu':
        return tf.leakyRelu(z, alpha);
      case 'linear':
        return tf.clone(z);
    }
  }

  activationDerivative(kind: ElementwiseActivation, z: Matrix, a: Matrix, alpha: number): Matrix {
    return tf.tidy(() => {
      switch (kind) {
        case 'sigmoid':
          return tf.mul(a, tf.sub(1, a));
        case 'tanh':
          return tf.sub(1, tf.square(a));
        case 'relu':
          return tf.step(z, 0);
        case 'leakyRelu':
          // tf.step gives 1 where z > 0 and `alpha` elsewhere: exactly leakyRelu'.
          return tf.step(z, alpha);
        case 'linear':
          return tf.onesLike(z);
      }
    });
  }

  sumRows(a: Matrix): Matrix {
    return tf.sum(a, 0, true);
  }

  sumSquares(a: Matrix): number {
    const total = tf.tidy(() => tf.sum(tf.square(a)));
    const value = total.dataSync()[0];
    total.dispose();
    return value;
  }

  scope<T>(fn: () => T): T {
    return tf.tidy(fn as () => tf.TensorContainer) as T;
  }

  dispose(m: Matrix): void {
    m.dispose();
  }

  liveMatrices(): number {
    return tf.memory().numTensors;
  }
}
