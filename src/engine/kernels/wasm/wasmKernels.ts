import type { ElementwiseActivation } from '../../config/labConfig';
import type { AdamStep, AdamTensor, Kernels } from '../kernels';
import { KernelThreadPool, CONTROL_SLOTS, type HelperSpawner, type JobResult } from './kernelThreads';
import { nodeHelperSpawner } from './nodeHelperThreads';
import { instantiateKernels, type KernelExports } from './kernelExports';
import { MatrixScopes } from './matrixScopes';
import { SparseProducts, type SparsityPolicy } from './sparseProducts';
import { checkFromArray, checkMatMul, checkRow, checkSameShape, checkUsable } from './shapeChecks';
import { loadKernelModule, MAXIMUM_MEMORY_PAGES, type LoadedKernelModule, type WasmFlavor } from './wasmBinaries';
import { webAssembly } from './webAssemblyApi';
import { WasmHeap } from './wasmHeap';

/** A float32 matrix stored in the kernels' wasm memory at byte offset `ptr`. */
export class WasmMatrix {
  disposed = false;
  /**
   * Σx², when the pass that made the matrix computed it on the way (Adam's new weights, a fused backward step's
   * σ' and δ, scale's and weightGradient's outputs), as sumSquares would within float64 rounding (float32 for a
   * sparse weight gradient's): the trainer asks for it every step. Matrices never change. A field rather than a
   * WeakMap, whose entries (a dozen a step) cost the garbage collector more.
   */
  squares: number | undefined = undefined;
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly ptr: number,
  ) {}
}

/** How to build the wasm kernels. */
export interface WasmKernelsOptions {
  /** Threads per GEMM, the calling one included (default 1). */
  threads?: number;
  /** Starts the helper threads: Node worker threads by default, Web Workers in a browser (webHelperThreads.ts). */
  helpers?: HelperSpawner;
  /** Force a build instead of the fastest supported one (benchmarks compare them). */
  flavor?: WasmFlavor;
  /** Folder holding the .wasm files, if not next to the bundle or in the repository's dist/. */
  wasmDir?: string;
  /** The kernels already compiled by the caller (a Web Worker has no files next to its bundle); skips loadKernelModule. */
  compiled?: LoadedKernelModule;
  /** Products (GEMM or sparse) below this many multiply-adds stay on the calling thread: waking a helper costs more. */
  minThreadedMultiplyAdds?: number;
  /**
   * How long an idle helper spins for the next job before sleeping, in microseconds (default 1000). A sleeping
   * helper joins a job 25-30 µs late (a 300x256·(128x256)ᵀ product after a 400 µs pause: 186 µs spinning, 207-218
   * asleep); at 200 µs the helper slept before almost every batch's first product (224 times an epoch at batch 300:
   * the batch copy and conversion take longer), at 1000 µs 7 times.
   */
  helperSpinMicros?: number;
  /** Bytes of memory reserved up front (default 64 MiB, enough for Corelab 1 at batch 640). */
  initialBytes?: number;
  /** When a product's operand counts as sparse (default DEFAULT_SPARSITY); false keeps every product dense. */
  sparsity?: SparsityPolicy | false;
}

/**
 * Measured on Corelab 1's first layer (bench/kernels/sparse.ts), the sparse products beat the GEMM
 * below 35-45% nonzeros, so 30% leaves a margin. MNIST batches hold ~19%; Corelab 1's ReLU outputs
 * start near 50% (dense) and fall to 6-16% within the first epoch, when layers 2 and 3 go sparse too.
 * Below 16k elements compressing can cost more than it saves (300x32 ReLU outputs into 10 units: 13 us dense, 16 us
 * sparse), while at 16-32k it pays when the other operand is wide: batch 32's pixels (32x784) through the first
 * layer, forward and weight gradient, 300 us dense against 200 us sparse; 300x64 ReLU outputs at 15% into 32 units,
 * 54 against 23 us (2 threads, best of 400, side by side).
 */
export const DEFAULT_SPARSITY: SparsityPolicy = { maxDensity: 0.3, minElements: 16384 };

/** Whether bytes / divisor can be compressed as they are converted: each float is then 0 exactly where its byte is. */
function convertsExactly(divisor: number): boolean {
  return divisor >= 1 && Math.fround(divisor) < Infinity;
}

/**
 * Below what Adam stores a moment as 0 (assembly/optimizers.ts adam), so that moments decaying where g stays 0 never
 * reach float32's subnormals, where every operation costs a microcode assist: |m| < ε·2^-80 moves w by at most
 * α·m/ε < 2^-80 α (8e-27 at α = 0.01), and v < (ε·2^-30)² changes √v + ε by under 2^-30 ε, which rounds away. Both
 * are capped at 2^-100 and, where ε is so small that a floor would fall among the subnormals anyway, 0: nothing is
 * flushed and Adam keeps the exact arithmetic, slow or not.
 */
export function adamFloors(epsilon: number): [mFloor: number, vFloor: number] {
  const SMALLEST_NORMAL = 2 ** -126;
  const floor = (x: number) => (x < SMALLEST_NORMAL ? 0 : Math.min(x, 2 ** -100));
  return [floor(epsilon * 2 ** -80), floor((epsilon * 2 ** -30) ** 2)];
}

/** Loads the wasm build, starts the helper threads and returns kernels ready for use. */
export async function createWasmKernels(options: WasmKernelsOptions = {}): Promise<WasmKernels> {
  const { module, flavor } = options.compiled ?? loadKernelModule({ dir: options.wasmDir, flavor: options.flavor });
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  // A throwaway instance only to read HEAP_BASE, which the heap must know before memory exists.
  const probe = instantiateKernels(
    module,
    new webAssembly.Memory({ initial: 1, maximum: MAXIMUM_MEMORY_PAGES, shared: true }),
  );
  const heap = new WasmHeap(probe.HEAP_BASE.value, options.initialBytes ?? 64 * 2 ** 20);
  const kernels = instantiateKernels(module, heap.memory);
  const scratchFloats = kernels.SCRATCH_FLOATS.value;
  const ownScratch = heap.alloc(scratchFloats);
  let pool: KernelThreadPool | undefined;
  if (threads > 1) {
    const helperScratch = Array.from({ length: threads - 1 }, () => heap.alloc(scratchFloats));
    pool = await KernelThreadPool.start(
      options.helpers ?? nodeHelperSpawner,
      module,
      heap.memory,
      heap.alloc(CONTROL_SLOTS),
      helperScratch,
      options.helperSpinMicros ?? 1000,
      kernels,
      ownScratch,
    );
  }
  const minThreadedMultiplyAdds = options.minThreadedMultiplyAdds ?? 200_000;
  const threaded = pool && { pool, minMultiplyAdds: minThreadedMultiplyAdds };
  const sparse =
    options.sparsity === false
      ? undefined
      : new SparseProducts(kernels, heap, options.sparsity ?? DEFAULT_SPARSITY, threaded);
  return new WasmKernels(kernels, heap, flavor, ownScratch, pool, minThreadedMultiplyAdds, sparse);
}

/**
 * Kernels on our own WebAssembly SIMD code (assembly/): a blocked GEMM with a 4 x 8 register tile,
 * optionally split over helper threads, and vectorized element-wise ops. Matrices live in one
 * shared wasm memory; freed storage is pooled by size, so steady-state training allocates none.
 */
export class WasmKernels implements Kernels<WasmMatrix> {
  readonly name: string;
  readonly precision = 'float32';
  /**
   * Products so far by path (the sparse ones skipped an operand's zeros, see SparseProducts), and the
   * multiply-adds performed against those a dense GEMM would have done for the same products.
   */
  readonly productCounts = { dense: 0, sparse: 0, multiplyAdds: 0, denseMultiplyAdds: 0 };
  /** Adam's eight constants for adamTable. */
  private readonly adamParams: number;
  private readonly adamBlock: number;
  private readonly adamEntryWords: number;
  /** Three float64 where backpropDelta leaves its sums of squares and δ's nonzero count. */
  private readonly squaresOut: number;
  /** The 8 words of the epilogue record a fused layer step hands its product's job. */
  private readonly epilogueRecord: number;
  private readonly transposeAFlag: number;
  private readonly transposeBFlag: number;
  private readonly scopes = new MatrixScopes<WasmMatrix>(
    (value): value is WasmMatrix => value instanceof WasmMatrix,
    (m) => {
      this.sparse?.release(m);
      this.heap.free(m.ptr, m.rows * m.cols);
    },
  );

  /** Use createWasmKernels(). */
  constructor(
    private readonly k: KernelExports,
    private readonly heap: WasmHeap,
    readonly flavor: WasmFlavor,
    private readonly ownScratch: number,
    private readonly pool: KernelThreadPool | undefined,
    private readonly minThreadedMultiplyAdds: number,
    private readonly sparse: SparseProducts | undefined,
  ) {
    this.squaresOut = heap.alloc(6);
    this.epilogueRecord = heap.alloc(8);
    this.adamParams = heap.alloc(8);
    this.adamBlock = k.ADAM_BLOCK.value;
    this.adamEntryWords = k.ADAM_ENTRY_BYTES.value / 4;
    this.transposeAFlag = k.TRANSPOSE_A.value;
    this.transposeBFlag = k.TRANSPOSE_B.value;
    const threads = pool?.threads ?? 1;
    this.name = `DNN Lab wasm (${flavor === 'relaxed-simd' ? 'relaxed SIMD, FMA' : 'SIMD'}, ${threads} thread${threads > 1 ? 's' : ''})`;
  }

  /** Seconds spent compressing sparse operands so far (bench/profile.ts). */
  get sparseCompressSeconds(): number {
    return this.sparse?.compressSeconds ?? 0;
  }

  /** Operands the sparse products have scanned so far, whether they turned out sparse or not. */
  get sparseCompressions(): number {
    return this.sparse?.compressions ?? 0;
  }

  /** Bytes of wasm memory taken so far; flat across training steps once every shape was seen. */
  get reservedBytes(): number {
    return this.heap.reservedBytes;
  }

  private make(rows: number, cols: number): WasmMatrix {
    return this.scopes.track(new WasmMatrix(rows, cols, this.heap.alloc(rows * cols)));
  }

  fromArray(data: ArrayLike<number>, rows: number, cols: number): WasmMatrix {
    checkFromArray(data.length, rows, cols);
    const m = this.make(rows, cols);
    this.heap.f32.set(data, m.ptr / 4);
    return m;
  }

  fromBytes(bytes: Uint8Array, rows: number, cols: number, divisor: number): WasmMatrix {
    checkFromArray(bytes.length, rows, cols);
    const m = this.make(rows, cols);
    // The bytes pass through a pooled block a quarter of the matrix's size, then SIMD converts them.
    const staging = this.heap.alloc(Math.ceil((rows * cols) / 4));
    this.heap.u8.set(bytes, staging);
    // A batch of pixels is compressed for the sparse products as it is converted, reading the bytes once.
    if (this.sparse && convertsExactly(divisor)) this.sparse.fromBytes(staging, m, divisor);
    else this.k.bytesToFloats(staging, rows * cols, divisor, m.ptr);
    this.heap.free(staging, Math.ceil((rows * cols) / 4));
    return m;
  }

  toArray(m: WasmMatrix): Float32Array {
    checkUsable('toArray', m);
    return this.heap.f32.slice(m.ptr / 4, m.ptr / 4 + m.rows * m.cols);
  }

  rows(m: WasmMatrix): number {
    return m.rows;
  }

  cols(m: WasmMatrix): number {
    return m.cols;
  }

  /**
   * a·b, or aᵀ·b / a·bᵀ with the flags (a proposed extension of Kernels.matMul): the GEMM packs its
   * panels anyway, so reading an operand transposed is free, unlike transpose() then matMul.
   */
  matMul(a: WasmMatrix, b: WasmMatrix, transposeA = false, transposeB = false): WasmMatrix {
    checkMatMul(a, b, transposeA, transposeB);
    const c = this.make(transposeA ? a.cols : a.rows, transposeB ? b.rows : b.cols);
    this.product(a, b, transposeA, transposeB, c);
    return c;
  }

  /**
   * c = op(a)·op(b) into c, on every thread when it is large enough. With an `epilogue` record (assembly/jobs.ts)
   * a product split over the threads also runs it, block by block, and returns what the blocks returned;
   * undefined means the epilogue did not run and is the caller's to do.
   */
  private product(
    a: WasmMatrix,
    b: WasmMatrix,
    transposeA: boolean,
    transposeB: boolean,
    c: WasmMatrix,
    epilogue = 0,
  ): JobResult | undefined {
    const m = transposeA ? a.cols : a.rows;
    const k = transposeA ? a.rows : a.cols;
    const n = transposeB ? b.rows : b.cols;
    const counts = this.productCounts;
    counts.denseMultiplyAdds += m * n * k;
    const sparseBefore = this.sparse?.multiplyAdds ?? 0;
    const fused: { record: number; result?: JobResult } | undefined = epilogue ? { record: epilogue } : undefined;
    if (
      this.sparse &&
      ((!transposeA && this.sparse.multiplyLeft(a, b, transposeB, c, fused)) ||
        (!transposeB && this.sparse.multiplyRight(a, transposeA, b, c) !== false))
    ) {
      counts.sparse++;
      counts.multiplyAdds += this.sparse.multiplyAdds - sparseBefore;
      return fused?.result;
    }
    counts.dense++;
    counts.multiplyAdds += m * n * k;
    const flags = (transposeA ? this.transposeAFlag : 0) | (transposeB ? this.transposeBFlag : 0);
    if (this.pool && m * n * k >= this.minThreadedMultiplyAdds) {
      return this.pool.gemm({ a: a.ptr, b: b.ptr, c: c.ptr, m, n, k, flags, epilogue });
    }
    this.k.gemm(a.ptr, b.ptr, c.ptr, m, n, k, flags, 0, m, 0, n, this.ownScratch);
    return undefined;
  }

  /**
   * ∂C/∂W = δᵀ·a / (δ's rows): with a sparse, the sparse product's transpose into the result scales it on the way
   * (one pass fewer than matMul then scale); else the product, then the scaling in place. Either way each value is
   * the float32 product of the unscaled one and f32(1/batch), as scale() gives, and Σ∂C/∂W² comes with it.
   */
  weightGradient(delta: WasmMatrix, aPrev: WasmMatrix): WasmMatrix {
    checkMatMul(delta, aPrev, true, false);
    const c = this.make(delta.cols, aPrev.cols);
    const s = 1 / delta.rows;
    const counts = this.productCounts;
    const sparseBefore = this.sparse?.multiplyAdds ?? 0;
    const squares = this.sparse?.multiplyRight(delta, true, aPrev, c, s);
    if (squares !== undefined && squares !== false) {
      counts.denseMultiplyAdds += c.rows * c.cols * delta.rows;
      counts.sparse++;
      counts.multiplyAdds += this.sparse!.multiplyAdds - sparseBefore;
      c.squares = squares;
      return c;
    }
    this.product(delta, aPrev, true, false, c);
    c.squares = this.k.scale(c.ptr, s, c.ptr, c.rows * c.cols);
    return c;
  }

  transpose(a: WasmMatrix): WasmMatrix {
    checkUsable('transpose', a);
    const out = this.make(a.cols, a.rows);
    this.k.transpose(a.ptr, out.ptr, a.rows, a.cols);
    return out;
  }

  addRow(a: WasmMatrix, row: WasmMatrix): WasmMatrix {
    checkRow(a, row);
    const out = this.make(a.rows, a.cols);
    this.k.addRow(a.ptr, row.ptr, out.ptr, a.rows, a.cols);
    return out;
  }

  private binary(op: 'add' | 'sub' | 'mul' | 'div', a: WasmMatrix, b: WasmMatrix): WasmMatrix {
    checkSameShape(op, a, b);
    const out = this.make(a.rows, a.cols);
    this.k[op](a.ptr, b.ptr, out.ptr, a.rows * a.cols);
    return out;
  }

  add(a: WasmMatrix, b: WasmMatrix): WasmMatrix {
    return this.binary('add', a, b);
  }

  sub(a: WasmMatrix, b: WasmMatrix): WasmMatrix {
    return this.binary('sub', a, b);
  }

  mul(a: WasmMatrix, b: WasmMatrix): WasmMatrix {
    return this.binary('mul', a, b);
  }

  div(a: WasmMatrix, b: WasmMatrix): WasmMatrix {
    return this.binary('div', a, b);
  }

  scale(a: WasmMatrix, s: number): WasmMatrix {
    checkUsable('scale', a);
    const out = this.make(a.rows, a.cols);
    out.squares = this.k.scale(a.ptr, s, out.ptr, a.rows * a.cols);
    return out;
  }

  addScalar(a: WasmMatrix, s: number): WasmMatrix {
    checkUsable('addScalar', a);
    const out = this.make(a.rows, a.cols);
    this.k.addScalar(a.ptr, s, out.ptr, a.rows * a.cols);
    return out;
  }

  private unary(op: 'sqrt' | 'square' | 'copy', a: WasmMatrix): WasmMatrix {
    checkUsable(op, a);
    const out = this.make(a.rows, a.cols);
    this.k[op](a.ptr, out.ptr, a.rows * a.cols);
    return out;
  }

  sqrt(a: WasmMatrix): WasmMatrix {
    return this.unary('sqrt', a);
  }

  square(a: WasmMatrix): WasmMatrix {
    return this.unary('square', a);
  }

  activate(kind: ElementwiseActivation, z: WasmMatrix, alpha: number): WasmMatrix {
    checkUsable('activate', z);
    const n = z.rows * z.cols;
    const out = this.make(z.rows, z.cols);
    switch (kind) {
      case 'relu':
        this.k.relu(z.ptr, out.ptr, n);
        break;
      case 'leakyRelu':
        this.k.leakyRelu(z.ptr, alpha, out.ptr, n);
        break;
      case 'sigmoid':
        this.k.sigmoid(z.ptr, out.ptr, n);
        break;
      case 'tanh':
        this.k.tanh(z.ptr, out.ptr, n);
        break;
      case 'linear':
        this.k.copy(z.ptr, out.ptr, n);
        break;
    }
    return out;
  }

  activationDerivative(kind: ElementwiseActivation, z: WasmMatrix, a: WasmMatrix, alpha: number): WasmMatrix {
    checkSameShape('activationDerivative', z, a);
    const n = z.rows * z.cols;
    const out = this.make(z.rows, z.cols);
    switch (kind) {
      case 'relu':
        this.k.reluDerivative(z.ptr, out.ptr, n);
        break;
      case 'leakyRelu':
        this.k.leakyReluDerivative(z.ptr, alpha, out.ptr, n);
        break;
      case 'sigmoid':
        this.k.sigmoidDerivative(a.ptr, out.ptr, n);
        break;
      case 'tanh':
        this.k.tanhDerivative(a.ptr, out.ptr, n);
        break;
      case 'linear':
        this.k.fill(out.ptr, 1, n);
        break;
    }
    return out;
  }

  /**
   * z = a·Wᵀ + b and σ(z): the product, then bias and σ in one pass (assembly/activations.ts), z in place.
   * A product split over the threads runs the pass too, each thread on the blocks it computed.
   */
  layerForward(
    kind: ElementwiseActivation,
    a: WasmMatrix,
    W: WasmMatrix,
    b: WasmMatrix,
    alpha: number,
  ): { z: WasmMatrix; a: WasmMatrix } {
    checkMatMul(a, W, false, true);
    const z = this.make(a.rows, W.rows);
    checkRow(z, b);
    const out = this.make(z.rows, z.cols);
    const code = this.activationCode(kind);
    const record = this.epilogue(this.k.EPILOGUE_BIAS_ACTIVATE.value, code, alpha, [b.ptr, out.ptr]);
    const threaded = this.product(a, W, false, true, z, record);
    const nonzeros = threaded?.count ?? this.k.biasActivate(code, z.ptr, b.ptr, z.ptr, out.ptr, z.rows, z.cols, alpha);
    this.sparse?.noteNonzeros(out, nonzeros);
    return { z, a: out };
  }

  /**
   * σ'(z) and δ = σ'(z) ⊙ (δ^next · W^next): the product, then σ' and ⊙ in one pass, δ in place. A product
   * split over the threads runs the pass too; its sums of squares are then added block by block.
   */
  layerBackward(
    kind: ElementwiseActivation,
    deltaNext: WasmMatrix,
    WNext: WasmMatrix,
    z: WasmMatrix,
    a: WasmMatrix,
    alpha: number,
  ): { sigmaPrime: WasmMatrix; delta: WasmMatrix } {
    checkSameShape('layerBackward', z, a);
    checkMatMul(deltaNext, WNext, false, false);
    const delta = this.make(deltaNext.rows, WNext.cols);
    checkSameShape('layerBackward', delta, z);
    const sigmaPrime = this.make(z.rows, z.cols);
    const n = z.rows * z.cols;
    const code = this.activationCode(kind);
    // One result (3 float64) per block; no split has more blocks than rows, or than columns / 8.
    const resultFloats = 6 * Math.max(z.rows, Math.ceil(z.cols / 8));
    const results = this.pool ? this.heap.alloc(resultFloats) : 0;
    const record = this.epilogue(this.k.EPILOGUE_BACKPROP.value, code, alpha, [z.ptr, a.ptr, sigmaPrime.ptr, results]);
    const threaded = this.product(deltaNext, WNext, false, false, delta, results ? record : 0);
    let sigmaPrimeSquares = 0;
    let deltaSquares = 0;
    let nonzeros = 0;
    if (threaded) {
      // Block by block in block order: within float64 rounding of sumSquares, as Adam's.
      const sums = this.heap.f64;
      for (let i = results / 8, end = i + 3 * threaded.blocks; i < end; i += 3) {
        sigmaPrimeSquares += sums[i];
        deltaSquares += sums[i + 1];
      }
      nonzeros = threaded.count;
    } else {
      this.k.backpropDelta(code, z.ptr, a.ptr, delta.ptr, alpha, sigmaPrime.ptr, delta.ptr, n, this.squaresOut);
      const out = this.heap.f64;
      const at = this.squaresOut / 8;
      [sigmaPrimeSquares, deltaSquares, nonzeros] = [out[at], out[at + 1], out[at + 2]];
    }
    if (results) this.heap.free(results, resultFloats);
    sigmaPrime.squares = sigmaPrimeSquares;
    delta.squares = deltaSquares;
    this.sparse?.noteNonzeros(delta, nonzeros);
    return { sigmaPrime, delta };
  }

  /** Writes the epilogue record (assembly/jobs.ts) of one fused pass: its kind, σ's code, alpha and pointers. */
  private epilogue(op: number, code: number, alpha: number, pointers: number[]): number {
    const words = this.heap.i32;
    const at = this.epilogueRecord / 4;
    words[at] = op;
    words[at + 1] = code;
    this.heap.f32[at + 2] = alpha;
    words.set(pointers, at + 3);
    return this.epilogueRecord;
  }

  private activationCode(kind: ElementwiseActivation): number {
    switch (kind) {
      case 'relu':
        return this.k.ACT_RELU.value;
      case 'leakyRelu':
        return this.k.ACT_LEAKY_RELU.value;
      case 'sigmoid':
        return this.k.ACT_SIGMOID.value;
      case 'tanh':
        return this.k.ACT_TANH.value;
      case 'linear':
        return this.k.ACT_LINEAR.value;
    }
  }

  sumRows(a: WasmMatrix): WasmMatrix {
    checkUsable('sumRows', a);
    const out = this.make(1, a.cols);
    this.k.sumRows(a.ptr, out.ptr, a.rows, a.cols);
    return out;
  }

  sumSquares(a: WasmMatrix): number {
    checkUsable('sumSquares', a);
    return a.squares ?? this.k.sumSquares(a.ptr, a.rows * a.cols);
  }

  /**
   * Adam on every tensor in one job (assembly/optimizers.ts adamTable): each tensor is cut into spans of ADAM_BLOCK,
   * listed in a table that the threads share out span by span, so a step costs one hand-over to the helpers however
   * many tensors it has. Σθ'² of each tensor is added span by span in order: the same on any number of threads.
   */
  adamSteps(
    tensors: readonly AdamTensor<WasmMatrix>[],
    step: AdamStep,
  ): { theta: WasmMatrix; m: WasmMatrix; v: WasmMatrix }[] {
    const block = this.adamBlock;
    let entries = 0;
    let elements = 0;
    for (const { theta, g, m, v } of tensors) {
      checkSameShape('adamSteps', theta, g);
      checkSameShape('adamSteps', theta, m);
      checkSameShape('adamSteps', theta, v);
      const n = theta.rows * theta.cols;
      entries += Math.max(1, Math.ceil(n / block));
      elements += n;
    }
    const outs = tensors.map(({ theta }) => ({
      theta: this.make(theta.rows, theta.cols),
      m: this.make(theta.rows, theta.cols),
      v: this.make(theta.rows, theta.cols),
    }));
    const tableFloats = Math.max(1, entries * this.adamEntryWords);
    const table = this.heap.alloc(tableFloats);
    const results = this.heap.alloc(2 * Math.max(1, entries));
    // Views after the allocations: growing the memory replaces its buffer.
    const words = this.heap.u32;
    let at = table / 4;
    let entry = 0;
    tensors.forEach(({ theta, g, m, v }, i) => {
      const out = outs[i];
      const n = theta.rows * theta.cols;
      for (let start = 0; start === 0 || start < n; start += block) {
        const offset = start * 4;
        words[at] = theta.ptr + offset;
        words[at + 1] = g.ptr + offset;
        words[at + 2] = m.ptr + offset;
        words[at + 3] = v.ptr + offset;
        words[at + 4] = out.theta.ptr + offset;
        words[at + 5] = out.m.ptr + offset;
        words[at + 6] = out.v.ptr + offset;
        words[at + 7] = Math.min(block, n - start);
        words[at + 8] = results + 8 * entry;
        at += this.adamEntryWords;
        entry++;
      }
    });
    const { stepSize, beta1, beta2, epsilon } = step;
    // 1 - β computed in float64: 1 - f32(0.999) in float32 is off by 1.3e-5 relative.
    this.heap.f32.set(
      [stepSize, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, ...adamFloors(epsilon)],
      this.adamParams / 4,
    );
    if (this.pool && entries > 1 && elements > block) this.pool.adam({ table, params: this.adamParams, entries });
    else this.k.adamTable(table, this.adamParams, 0, entries);
    // Σθ'² span by span in order, from 0: the same sum on any number of threads.
    const sums = this.heap.f64;
    entry = results / 8;
    tensors.forEach(({ theta }, i) => {
      const spans = Math.max(1, Math.ceil((theta.rows * theta.cols) / block));
      let squares = 0;
      for (let s = 0; s < spans; s++) squares += sums[entry++];
      outs[i].theta.squares = squares;
    });
    this.heap.free(table, tableFloats);
    this.heap.free(results, 2 * Math.max(1, entries));
    return outs;
  }

  scope<T>(fn: () => T): T {
    return this.scopes.scope(fn);
  }

  dispose(m: WasmMatrix): void {
    this.scopes.dispose(m);
  }

  liveMatrices(): number {
    return this.scopes.liveMatrices();
  }

  /** Stops the helper threads (they never keep the process alive, but close frees them early). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
