import { MAXIMUM_MEMORY_PAGES } from './wasmBinaries';
import { webAssembly, type WasmMemory } from './webAssemblyApi';

const PAGE_BYTES = 65536;
/** Allocations are whole cache lines: 64-byte aligned (no false sharing between threads' tiles) and padded so SIMD loops may run whole vectors. */
const LINE_BYTES = 64;

/**
 * Float32 storage inside the kernels' shared WebAssembly.Memory. Freed blocks go to a free list per
 * size and are handed out again, last freed first (still in cache): a training step makes the same
 * shapes in the same order every batch, so after the first batch every allocation is a reuse and
 * the memory stops growing. Blocks are never split or merged; shapes seen once (the last, shorter
 * batch; an evaluation pass) keep their blocks pooled for the next time.
 */
export class WasmHeap {
  readonly memory: WasmMemory;
  private top: number;
  private readonly freeBySize = new Map<number, number[]>();
  private view: Float32Array;
  private bytes: Uint8Array;
  private words: Int32Array;
  private unsignedWords: Uint32Array;
  private doubles: Float64Array;

  /** `base` is the first usable byte (the module's HEAP_BASE); `initialBytes` is reserved up front. */
  constructor(base: number, initialBytes: number) {
    const pages = Math.ceil(Math.max(initialBytes, base + PAGE_BYTES) / PAGE_BYTES);
    this.memory = new webAssembly.Memory({ initial: pages, maximum: MAXIMUM_MEMORY_PAGES, shared: true });
    this.top = roundUp(base, LINE_BYTES);
    this.view = new Float32Array(this.memory.buffer);
    this.bytes = new Uint8Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
    this.unsignedWords = new Uint32Array(this.memory.buffer);
    this.doubles = new Float64Array(this.memory.buffer);
  }

  /** The whole memory as bytes; like f32, read it after allocating. */
  get u8(): Uint8Array {
    return this.bytes;
  }

  /** The whole memory as floats; a new view after the memory grew, so read it after allocating. */
  get f32(): Float32Array {
    return this.view;
  }

  /**
   * The whole memory as int32, uint32 and float64, like f32: the records and results the kernels exchange with the
   * host are read and written through these rather than through a new view per call (a step made ~20).
   */
  get i32(): Int32Array {
    return this.words;
  }

  get u32(): Uint32Array {
    return this.unsignedWords;
  }

  get f64(): Float64Array {
    return this.doubles;
  }

  /** Bytes taken from the memory so far (pooled blocks included). */
  get reservedBytes(): number {
    return this.top;
  }

  /** A block for `floats` floats; returns its byte offset (a multiple of 64). */
  alloc(floats: number): number {
    const bytes = blockBytes(floats);
    const pooled = this.freeBySize.get(bytes);
    if (pooled !== undefined && pooled.length > 0) return pooled.pop()!;
    const ptr = this.top;
    this.top += bytes;
    const needed = Math.ceil(this.top / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > 0) {
      // Grow by at least a quarter of the current size so growth (and re-viewing) stays rare.
      const pages = Math.max(needed, this.memory.buffer.byteLength / PAGE_BYTES / 4);
      try {
        this.memory.grow(pages);
      } catch {
        this.memory.grow(needed);
      }
      this.view = new Float32Array(this.memory.buffer);
      this.bytes = new Uint8Array(this.memory.buffer);
      this.words = new Int32Array(this.memory.buffer);
      this.unsignedWords = new Uint32Array(this.memory.buffer);
      this.doubles = new Float64Array(this.memory.buffer);
    }
    return ptr;
  }

  /** Returns a block obtained from alloc(floats) to its size's free list. */
  free(ptr: number, floats: number): void {
    const bytes = blockBytes(floats);
    let pooled = this.freeBySize.get(bytes);
    if (pooled === undefined) {
      pooled = [];
      this.freeBySize.set(bytes, pooled);
    }
    pooled.push(ptr);
  }
}

function blockBytes(floats: number): number {
  // A zero-element matrix still gets a line, so every matrix has a distinct address.
  return Math.max(LINE_BYTES, roundUp(floats * 4, LINE_BYTES));
}

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}
