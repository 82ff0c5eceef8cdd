import { webAssembly, type WasmGlobal, type WasmMemory, type WasmModule } from './webAssemblyApi';

/** A block kernel of the threads' jobs (assembly/jobs.ts): (block, from, to, scratch, ...the job's args) => count. */
type BlockKernelExport<Args extends number[]> = (
  block: number,
  from: number,
  to: number,
  scratch: number,
  ...args: Args
) => number;

/** The functions and constants exported by assembly/index.ts; pointers are byte offsets into the shared memory. */
export interface KernelExports {
  /** First byte past the module's static data: the heap starts above it. */
  readonly HEAP_BASE: WasmGlobal;
  /** Floats of scratch each thread passes to gemm. */
  readonly SCRATCH_FLOATS: WasmGlobal;
  /** gemm flag: `a` holds Aᵀ. */
  readonly TRANSPOSE_A: WasmGlobal;
  /** gemm flag: `b` holds Bᵀ. */
  readonly TRANSPOSE_B: WasmGlobal;
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    flags: number,
    rowStart: number,
    rowEnd: number,
    colStart: number,
    colEnd: number,
    scratch: number,
  ): void;
  add(a: number, b: number, out: number, n: number): void;
  sub(a: number, b: number, out: number, n: number): void;
  mul(a: number, b: number, out: number, n: number): void;
  div(a: number, b: number, out: number, n: number): void;
  /** Returns Σout². */
  scale(a: number, s: number, out: number, n: number): number;
  addScalar(a: number, s: number, out: number, n: number): void;
  sqrt(a: number, out: number, n: number): void;
  square(a: number, out: number, n: number): void;
  addRow(a: number, row: number, out: number, rows: number, cols: number): void;
  relu(z: number, out: number, n: number): void;
  reluDerivative(z: number, out: number, n: number): void;
  leakyRelu(z: number, alpha: number, out: number, n: number): void;
  leakyReluDerivative(z: number, alpha: number, out: number, n: number): void;
  sigmoid(z: number, out: number, n: number): void;
  sigmoidDerivative(a: number, out: number, n: number): void;
  tanh(z: number, out: number, n: number): void;
  tanhDerivative(a: number, out: number, n: number): void;
  copy(a: number, out: number, n: number): void;
  fill(out: number, s: number, n: number): void;
  sumRows(a: number, out: number, rows: number, cols: number): void;
  sumSquares(a: number, n: number): number;
  transpose(a: number, out: number, rows: number, cols: number): void;
  /** out = s·aᵀ over blocks [fromBlock, toBlock) of TRANSPOSE_BLOCK rows of a; each block's Σout² to results + 8·block. */
  transposeScaleBlocks(
    a: number,
    out: number,
    rows: number,
    cols: number,
    s: number,
    results: number,
    fromBlock: number,
    toBlock: number,
  ): void;
  readonly TRANSPOSE_BLOCK: WasmGlobal;
  bytesToFloats(bytes: number, n: number, divisor: number, out: number): void;
  /** CSR form of a [rows x cols]; returns the nonzero count, or -1 once it exceeds `limit`. */
  compressRows(
    a: number,
    rows: number,
    cols: number,
    rowStart: number,
    colIndex: number,
    values: number,
    limit: number,
  ): number;
  /** out = bytes / divisor (divisor finite, ≥ 1) and its CSR form in one pass; -1 (out still whole) past `limit`. */
  bytesToCompressed(
    bytes: number,
    rows: number,
    cols: number,
    divisor: number,
    out: number,
    rowStart: number,
    colIndex: number,
    values: number,
    limit: number,
  ): number;
  /** CSR form of Aᵀ from that of A; `cursor` is scratch for cols i32. */
  transposeRows(
    rows: number,
    cols: number,
    rowStart: number,
    colIndex: number,
    values: number,
    outStart: number,
    outIndex: number,
    outValues: number,
    cursor: number,
  ): void;
  /** Columns per strip of packStrips. */
  readonly STRIP: WasmGlobal;
  /** B [k x n] (or Bᵀ stored, with transposed) into strips of STRIP columns for sparseTimesDense. */
  packStrips(b: number, k: number, n: number, transposed: boolean, dst: number): void;
  /** C[rowFrom:rowTo, :] = A·B for A in CSR form, B packed by packStrips and row-major C [m x n]; `edge` is scratch for STRIP floats. */
  sparseTimesDense(
    rowStart: number,
    colIndex: number,
    values: number,
    packedB: number,
    k: number,
    c: number,
    rowFrom: number,
    rowTo: number,
    n: number,
    edge: number,
  ): void;
  /** Activation codes of biasActivate and backpropDelta. */
  readonly ACT_LINEAR: WasmGlobal;
  readonly ACT_RELU: WasmGlobal;
  readonly ACT_LEAKY_RELU: WasmGlobal;
  readonly ACT_SIGMOID: WasmGlobal;
  readonly ACT_TANH: WasmGlobal;
  /** z = product + bias on every row, a = σ(z); z may be product. Returns a's count of nonzeros. */
  biasActivate(
    kind: number,
    product: number,
    bias: number,
    z: number,
    a: number,
    rows: number,
    cols: number,
    alpha: number,
  ): number;
  /** sigmaPrime = σ'(z) (from z or a), delta = sigmaPrime ⊙ g; delta may be g. Σσ'², Σδ² and δ's nonzero count go to the three float64 at `squares`. */
  backpropDelta(
    kind: number,
    z: number,
    a: number,
    g: number,
    alpha: number,
    sigmaPrime: number,
    delta: number,
    n: number,
    squares: number,
  ): void;
  /** biasActivate on rows of `cols` floats lying `stride` floats apart (a column block of a wider matrix). */
  biasActivateBlock(
    kind: number,
    product: number,
    bias: number,
    z: number,
    a: number,
    rows: number,
    cols: number,
    stride: number,
    alpha: number,
  ): number;
  /** backpropDelta on rows of `cols` floats lying `stride` floats apart; the block's Σσ'², Σδ² and nonzeros at `squares`. */
  backpropDeltaBlock(
    kind: number,
    z: number,
    a: number,
    g: number,
    alpha: number,
    sigmaPrime: number,
    delta: number,
    rows: number,
    cols: number,
    stride: number,
    squares: number,
  ): void;
  /** Epilogue kinds of an epilogue record (assembly/jobs.ts). */
  readonly EPILOGUE_BIAS_ACTIVATE: WasmGlobal;
  readonly EPILOGUE_BACKPROP: WasmGlobal;
  /** Block kernels of the threads' jobs (assembly/jobs.ts). */
  gemmBlock: BlockKernelExport<
    [
      a: number,
      b: number,
      c: number,
      m: number,
      n: number,
      k: number,
      flags: number,
      byColumns: number,
      epilogue: number,
    ]
  >;
  sparseBlock: BlockKernelExport<
    [
      rowStart: number,
      colIndex: number,
      values: number,
      packedB: number,
      k: number,
      c: number,
      m: number,
      n: number,
      epilogue: number,
    ]
  >;
  packBlock: BlockKernelExport<[b: number, k: number, n: number, transposed: number, dst: number]>;
  transposeScaleBlock: BlockKernelExport<[a: number, out: number, rows: number, cols: number, params: number]>;
  /** Phase 2 of the threaded CSR transpose (assembly/sparse.ts): row starts of Aᵀ and each block's cursors. */
  columnCursors(counts: number, blocks: number, cols: number, outStart: number): void;
  countBlock: BlockKernelExport<
    [rowStart: number, colIndex: number, rows: number, cols: number, span: number, counts: number]
  >;
  scatterBlock: BlockKernelExport<
    [
      rowStart: number,
      colIndex: number,
      values: number,
      rows: number,
      cols: number,
      span: number,
      cursors: number,
      outIndex: number,
      outValues: number,
    ]
  >;
  adamBlock: BlockKernelExport<[table: number, params: number, entries: number]>;
  /** Most elements of one Adam table entry: the host cuts each tensor into spans of this many. */
  readonly ADAM_BLOCK: WasmGlobal;
  /** Bytes of one Adam table entry (w, g, m, v, wOut, mOut, vOut, n, the address of its Σw'²). */
  readonly ADAM_ENTRY_BYTES: WasmGlobal;
  /** adam over entries [from, to) of the table; constants at `params`. */
  adamTable(table: number, params: number, from: number, to: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    wOut: number,
    mOut: number,
    vOut: number,
    n: number,
    stepSize: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    epsilon: number,
    mFloor: number,
    vFloor: number,
  ): number;
}

/** Instantiates the kernels module on a memory; each thread makes its own instance on the same shared memory. */
export function instantiateKernels(module: WasmModule, memory: WasmMemory): KernelExports {
  return new webAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}
