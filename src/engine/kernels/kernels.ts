import type { ElementwiseActivation } from '../config/labConfig';

/**
 * The math the engine needs, behind one small interface so that faster kernels can replace tfjs
 * without touching the backprop code. Matrices are row-major with the batch along the rows; `M` is
 * the implementation's own matrix handle. Every operation returns a new matrix and leaves its inputs
 * alone; `scope` frees what was made inside it except what it returns.
 */
export interface Kernels<M = unknown> {
  /** What ran, for logs and reports, e.g. "tfjs wasm (SIMD, 1 thread)". */
  readonly name: string;
  readonly precision: 'float32' | 'float64';
  /** A rows x cols matrix from row-major data. */
  fromArray(data: ArrayLike<number>, rows: number, cols: number): M;
  /**
   * Optional: a rows x cols matrix of bytes / divisor (MNIST pixels / 255), each the correctly rounded
   * float32 quotient, converted where the kernels keep their data rather than in JavaScript first.
   */
  fromBytes?(bytes: Uint8Array, rows: number, cols: number, divisor: number): M;
  /** The matrix's row-major data, copied out. */
  toArray(m: M): Float32Array | Float64Array;
  rows(m: M): number;
  cols(m: M): number;
  /**
   * a·b, or aᵀ·b / a·bᵀ with the flags. DNN Lab's wasm GEMM reads a transposed operand while packing, for
   * free; tfjs-wasm is ~13x slower with its own flags, so the tfjs kernels transpose first instead.
   */
  matMul(a: M, b: M, transposeA?: boolean, transposeB?: boolean): M;
  transpose(a: M): M;
  /** a [r x c] plus the row vector [1 x c] on every row (the bias). */
  addRow(a: M, row: M): M;
  add(a: M, b: M): M;
  sub(a: M, b: M): M;
  /** Element-wise (Hadamard) product: the lesson's ⊙. */
  mul(a: M, b: M): M;
  div(a: M, b: M): M;
  scale(a: M, s: number): M;
  addScalar(a: M, s: number): M;
  sqrt(a: M): M;
  square(a: M): M;
  /** sigma(z), unit by unit; `alpha` is leakyRelu's slope. */
  activate(kind: ElementwiseActivation, z: M, alpha: number): M;
  /** sigma'(z), unit by unit; `a` = sigma(z) is passed because sigmoid and tanh derive from it. */
  activationDerivative(kind: ElementwiseActivation, z: M, a: M, alpha: number): M;
  /**
   * Optional fused forward step of a hidden layer: z = a·Wᵀ + b and σ(z), the bias and σ in one pass
   * after the product. Kernels without it get the same from matMul, addRow and activate (model/network.ts).
   */
  layerForward?(kind: ElementwiseActivation, a: M, W: M, b: M, alpha: number): { z: M; a: M };
  /**
   * Optional fused backward step into a hidden layer: σ'(z) and δ = σ'(z) ⊙ (δ^next · W^next), σ' and ⊙
   * in one pass after the product. Kernels without it compose matMul, activationDerivative and mul.
   */
  layerBackward?(
    kind: ElementwiseActivation,
    deltaNext: M,
    WNext: M,
    z: M,
    a: M,
    alpha: number,
  ): { sigmaPrime: M; delta: M };
  /**
   * Optional: ∂C/∂W = δᵀ·a / (δ's rows), the weight gradient averaged over the batch, its product and its scaling
   * in one pass over the result. Kernels without it get the same from matMul and scale (model/network.ts).
   */
  weightGradient?(delta: M, aPrev: M): M;
  /** Sum over the rows (the batch): [r x c] to [1 x c]. */
  sumRows(a: M): M;
  /** Sum of squares of all elements, read back as a number. */
  sumSquares(a: M): number;
  /**
   * Optional fused Adam step for every parameter matrix of a step at once (θ' = θ − α_t·m'/(√v' + ε) with m', v'
   * the updated moments): one pass instead of thirteen element-wise ops per matrix, and, on threaded kernels, one
   * hand-over to the threads per step instead of one per matrix. Returns each matrix's new θ, m and v, in order.
   * Kernels without it get the same update composed from the ops above (model/optimizers.ts).
   */
  adamSteps?(tensors: readonly AdamTensor<M>[], step: AdamStep): { theta: M; m: M; v: M }[];
  /** Runs fn and frees every matrix made inside it except those in its result (a matrix, an array or a plain object of them). */
  scope<T>(fn: () => T): T;
  dispose(m: M): void;
  /** Matrices alive now; flat across training steps when nothing leaks. */
  liveMatrices(): number;
}

/** One parameter matrix of an Adam step: θ, its gradient and its two moments, all of θ's shape. */
export interface AdamTensor<M> {
  theta: M;
  g: M;
  m: M;
  v: M;
}

/** One Adam step's constants, Keras's formulation. */
export interface AdamStep {
  /** α_t = η·√(1 − β2^t)/(1 − β1^t): the learning rate with both bias corrections folded in. */
  stepSize: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
