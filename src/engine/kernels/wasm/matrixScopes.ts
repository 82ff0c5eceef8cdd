/** What the scope bookkeeping needs of a matrix handle. */
export interface ScopedMatrix {
  disposed: boolean;
}

/**
 * The bookkeeping behind Kernels.scope/dispose/liveMatrices, shared by the wasm and JS float32
 * kernels: counts live matrices, remembers which scope made each one, and on leaving a scope frees
 * what was made inside it except what it returns (those then belong to the enclosing scope).
 * Semantics follow tf.tidy: disposing twice is harmless, and a scope may not return a Promise.
 */
export class MatrixScopes<M extends ScopedMatrix> {
  private live = 0;
  private readonly open: M[][] = [];

  /** `isMatrix` recognizes handles inside a scope's result; `release` gives a matrix's storage back. */
  constructor(
    private readonly isMatrix: (value: unknown) => value is M,
    private readonly release: (m: M) => void,
  ) {}

  /** Registers a newly made matrix with the innermost open scope. */
  track(m: M): M {
    this.live++;
    this.open[this.open.length - 1]?.push(m);
    return m;
  }

  dispose(m: M): void {
    if (m.disposed) return;
    m.disposed = true;
    this.live--;
    this.release(m);
  }

  liveMatrices(): number {
    return this.live;
  }

  scope<T>(fn: () => T): T {
    const made: M[] = [];
    this.open.push(made);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.open.pop();
      for (const m of made) this.dispose(m);
      throw error;
    }
    this.open.pop();
    if (result instanceof Promise) {
      for (const m of made) this.dispose(m);
      throw new Error(
        'scope(fn): fn must not be async (returned a Promise); matrices cannot outlive a scope across awaits',
      );
    }
    const kept = new Set<M>();
    this.collect(result, kept);
    const parent = this.open[this.open.length - 1];
    for (const m of made) {
      if (kept.has(m)) parent?.push(m);
      else this.dispose(m);
    }
    return result;
  }

  /** Finds the matrices in a result: a matrix, or arrays and plain objects holding them, at any depth. */
  private collect(value: unknown, into: Set<M>): void {
    if (this.isMatrix(value)) {
      into.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) this.collect(item, into);
    } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      for (const item of Object.values(value)) this.collect(item, into);
    }
  }
}
