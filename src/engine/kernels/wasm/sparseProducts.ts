import type { KernelExports } from './kernelExports';
import type { JobResult, KernelThreadPool } from './kernelThreads';
import type { WasmHeap } from './wasmHeap';

/** What a product needs of a matrix: its shape and where its row-major floats start. */
export interface StoredMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly ptr: number;
}

/** A matrix's nonzeros in CSR form (see assembly/sparse.ts), in the kernels' memory. */
interface CompressedRows {
  rows: number;
  cols: number;
  nonzeros: number;
  rowStart: number;
  colIndex: number;
  values: number;
}

/** A matrix's CSR forms, made when a product first asks: of the matrix itself and of its transpose. */
interface SparseForms {
  rows: CompressedRows | null;
  transposed?: CompressedRows;
}

/** When a matrix counts as sparse enough for the CSR products. */
export interface SparsityPolicy {
  /** Largest share of nonzeros for which the sparse product beats the dense GEMM (measured: bench/kernels/sparse.ts). */
  maxDensity: number;
  /** Smaller matrices stay dense: compressing them costs more than it saves. */
  minElements: number;
}

/** The helper threads a large sparse product is split over (see KernelThreadPool.sparseTimesDense). */
export interface SparseThreads {
  pool: KernelThreadPool;
  /** Products below this many multiply-adds stay on the calling thread. */
  minMultiplyAdds: number;
}

/**
 * Matrix products with a mostly-zero operand: MNIST's pixels are ~81% zeros, and once ReLU units die
 * or go quiet so are a^l and δ^l, so X·(W¹)ᵀ, δᵀ·a and δ·W skip most of their multiply-adds. An
 * operand is compressed once, on first use; matrices never change after they are made, so a
 * compressed form stays valid until the matrix is disposed, when `release` frees it.
 */
export class SparseProducts {
  /** Multiply-adds the sparse products performed so far: nonzeros x columns of the other operand. */
  multiplyAdds = 0;
  /** Seconds spent compressing operands (or finding them too dense), for the bench's profile. */
  compressSeconds = 0;
  /** Operands compressRows has scanned so far (each found sparse or too dense). */
  compressions = 0;
  private readonly forms = new Map<number, SparseForms>();
  private readonly strip: number;
  private readonly transposeBlock: number;
  private readonly edge: number;

  constructor(
    private readonly k: KernelExports,
    private readonly heap: WasmHeap,
    private readonly policy: SparsityPolicy,
    private readonly threads?: SparseThreads,
  ) {
    this.strip = k.STRIP.value;
    this.transposeBlock = k.TRANSPOSE_BLOCK.value;
    this.edge = heap.alloc(this.strip);
  }

  /**
   * c = a·op(b) when a is sparse (op(b) = bᵀ with transposeB); false, touching nothing, when it is not.
   * With an `epilogue` record (assembly/jobs.ts), a product split over the threads runs it on every block and
   * sets `epilogue.result`; a product on the calling thread alone leaves it unset and the epilogue to the caller.
   */
  multiplyLeft(
    a: StoredMatrix,
    b: StoredMatrix,
    transposeB: boolean,
    c: StoredMatrix,
    epilogue?: { record: number; result?: JobResult },
  ): boolean {
    const csr = this.formsOf(a).rows;
    if (!csr) return false;
    this.times(csr, b, transposeB, c.ptr, epilogue);
    return true;
  }

  /**
   * c = op(a)·b when b is sparse, as cᵀ = bᵀ·op(a)ᵀ: bᵀ's CSR rows select rows of op(a)ᵀ, which with
   * transposeA is a as stored. With `scale`, c = scale·op(a)·b, scaled as the product is transposed into c (a weight
   * gradient's 1/batch). Returns Σc² when scaled, 0 when not; false, touching nothing, when b is not sparse.
   */
  multiplyRight(
    a: StoredMatrix,
    transposeA: boolean,
    b: StoredMatrix,
    c: StoredMatrix,
    scale?: number,
  ): number | false {
    const csr = this.transposedFormOf(b);
    if (!csr) return false;
    const product = this.heap.alloc(c.rows * c.cols);
    this.times(csr, a, !transposeA, product);
    let squares = 0;
    if (scale === undefined) this.k.transpose(product, c.ptr, c.cols, c.rows);
    else squares = this.transposeScale(product, c, scale);
    this.heap.free(product, c.rows * c.cols);
    return squares;
  }

  /**
   * c = scale·productᵀ for the c.cols x c.rows product, on every thread when c is large enough, in blocks of rows of
   * the product whose sums of squares are added in block order: the same Σc² on any number of threads.
   */
  private transposeScale(product: number, c: StoredMatrix, scale: number): number {
    const rows = c.cols;
    const blocks = Math.max(1, Math.ceil(rows / this.transposeBlock));
    const results = this.heap.alloc(2 * blocks);
    if (this.threads && blocks > 1 && c.rows * c.cols >= this.threads.minMultiplyAdds / 4) {
      const params = this.heap.alloc(2);
      this.heap.f32[params / 4] = scale;
      this.heap.u32[params / 4 + 1] = results;
      this.threads.pool.transposeScale({ a: product, out: c.ptr, rows, cols: c.rows, params }, blocks);
      this.heap.free(params, 2);
    } else this.k.transposeScaleBlocks(product, c.ptr, rows, c.rows, scale, results, 0, blocks);
    const sums = this.heap.f64;
    let squares = 0;
    for (let i = results / 8, end = i + blocks; i < end; i++) squares += sums[i];
    this.heap.free(results, 2 * blocks);
    return squares;
  }

  /**
   * Tells the products that m has `nonzeros` nonzeros (counted by the pass that made it): when that is too
   * many, no product tries to compress it, which would cost a pass over a third of it for nothing.
   */
  noteNonzeros(m: StoredMatrix, nonzeros: number): void {
    const elements = m.rows * m.cols;
    if (elements >= this.policy.minElements && nonzeros > Math.floor(elements * this.policy.maxDensity))
      this.forms.set(m.ptr, { rows: null });
  }

  /**
   * Fills m with bytes / divisor (the m.rows x m.cols bytes at `bytes` in the kernels' memory) and, in the same
   * pass, makes the CSR form a product would otherwise compress m into on first use (assembly/sparse.ts
   * bytesToCompressed): a batch of MNIST pixels is read once, as bytes. Wants a finite divisor of at least 1.
   */
  fromBytes(bytes: number, m: StoredMatrix, divisor: number): void {
    if (m.rows * m.cols < this.policy.minElements) {
      this.k.bytesToFloats(bytes, m.rows * m.cols, divisor, m.ptr);
      return;
    }
    const rows = this.compressWith(m, (csr, limit) =>
      this.k.bytesToCompressed(bytes, m.rows, m.cols, divisor, m.ptr, csr.rowStart, csr.colIndex, csr.values, limit),
    );
    this.forms.set(m.ptr, { rows });
  }

  /** Frees the compressed forms of a matrix that is being disposed. */
  release(m: StoredMatrix): void {
    const forms = this.forms.get(m.ptr);
    if (!forms) return;
    this.forms.delete(m.ptr);
    if (forms.rows) this.freeCompressed(forms.rows);
    if (forms.transposed) this.freeCompressed(forms.transposed);
  }

  private formsOf(m: StoredMatrix): SparseForms {
    let forms = this.forms.get(m.ptr);
    if (!forms) {
      const start = performance.now();
      forms = { rows: this.compress(m) };
      this.compressSeconds += (performance.now() - start) / 1000;
      this.forms.set(m.ptr, forms);
    }
    return forms;
  }

  private transposedFormOf(m: StoredMatrix): CompressedRows | null {
    const forms = this.formsOf(m);
    if (!forms.rows) return null;
    if (!forms.transposed) {
      const { rows, cols, rowStart, colIndex, values } = forms.rows;
      const transposed = this.allocCompressed(cols, rows, forms.rows.nonzeros);
      // A counting sort over every nonzero (1.6 M of them for 2048 MNIST images): the threads share it by rows.
      const wanted = this.threads ? Math.min(rows, 4 * this.threads.pool.threads) : 1;
      const span = Math.max(1, Math.ceil(rows / Math.max(1, wanted)));
      const blocks = Math.max(1, Math.ceil(rows / span)); // none of them empty
      const cursors = this.heap.alloc(blocks * cols);
      if (this.threads && blocks > 1 && forms.rows.nonzeros >= this.threads.minMultiplyAdds / 8) {
        const args = {
          rowStart,
          colIndex,
          values,
          rows,
          cols,
          span,
          outIndex: transposed.colIndex,
          outValues: transposed.values,
        };
        this.threads.pool.transposeRows(args, blocks, transposed.rowStart, cursors, (...a) =>
          this.k.columnCursors(...a),
        );
      } else {
        this.k.transposeRows(
          rows,
          cols,
          rowStart,
          colIndex,
          values,
          transposed.rowStart,
          transposed.colIndex,
          transposed.values,
          cursors,
        );
      }
      this.heap.free(cursors, blocks * cols);
      forms.transposed = transposed;
    }
    return forms.transposed;
  }

  /** The CSR form of m, or null when m is small or too dense for the sparse products to pay off. */
  private compress(m: StoredMatrix): CompressedRows | null {
    return this.compressWith(m, (csr, limit) =>
      this.k.compressRows(m.ptr, m.rows, m.cols, csr.rowStart, csr.colIndex, csr.values, limit),
    );
  }

  /**
   * m's CSR form as `fill` writes it into fresh blocks (returning the nonzeros, or -1 past `limit`, the policy's
   * largest count), or null, nothing kept, when m is below the policy's size or `fill` found it too dense.
   */
  private compressWith(m: StoredMatrix, fill: (csr: CompressedRows, limit: number) => number): CompressedRows | null {
    const elements = m.rows * m.cols;
    if (elements < this.policy.minElements) return null;
    const csr = this.allocCompressed(m.rows, m.cols, 0);
    this.compressions++;
    csr.nonzeros = fill(csr, Math.floor(elements * this.policy.maxDensity));
    if (csr.nonzeros >= 0) return csr;
    this.freeCompressed(csr);
    return null;
  }

  /** out = csr · op(b), op(b) = bᵀ with transposeB; b is packed into column strips first (assembly/sparse.ts). */
  private times(
    csr: CompressedRows,
    b: StoredMatrix,
    transposeB: boolean,
    out: number,
    epilogue?: { record: number; result?: JobResult },
  ): void {
    const n = transposeB ? b.rows : b.cols;
    const packedFloats = Math.ceil(n / this.strip) * this.strip * csr.cols;
    const packed = this.heap.alloc(packedFloats);
    const strips = Math.ceil(n / this.strip);
    const threaded = this.threads && csr.nonzeros * n >= this.threads.minMultiplyAdds;
    // Packing copies all of B (layer 1's 784 x 256 weights, forward): the threads share it by strips.
    if (threaded && strips > 1)
      this.threads!.pool.pack({ b: b.ptr, k: csr.cols, n, transposed: transposeB ? 1 : 0, dst: packed }, strips);
    else this.k.packStrips(b.ptr, csr.cols, n, transposeB, packed);
    this.multiplyAdds += csr.nonzeros * n;
    if (this.threads && threaded) {
      const result = this.threads.pool.sparseTimesDense({
        rowStart: csr.rowStart,
        colIndex: csr.colIndex,
        values: csr.values,
        packedB: packed,
        k: csr.cols,
        c: out,
        m: csr.rows,
        n,
        epilogue: epilogue?.record ?? 0,
      });
      if (epilogue) epilogue.result = result;
    } else {
      this.k.sparseTimesDense(csr.rowStart, csr.colIndex, csr.values, packed, csr.cols, out, 0, csr.rows, n, this.edge);
    }
    this.heap.free(packed, packedFloats);
  }

  // Blocks are sized for a fully dense matrix, so every batch of one shape reuses the same pooled
  // blocks, plus 3: compressRows stores whole vectors past the last nonzero.
  private allocCompressed(rows: number, cols: number, nonzeros: number): CompressedRows {
    const room = rows * cols + 3;
    return {
      rows,
      cols,
      nonzeros,
      rowStart: this.heap.alloc(rows + 1),
      colIndex: this.heap.alloc(room),
      values: this.heap.alloc(room),
    };
  }

  private freeCompressed(csr: CompressedRows): void {
    this.heap.free(csr.rowStart, csr.rows + 1);
    this.heap.free(csr.colIndex, csr.rows * csr.cols + 3);
    this.heap.free(csr.values, csr.rows * csr.cols + 3);
  }
}
