// The node tsconfig has neither the DOM lib nor @types/node's WebAssembly typings, so this module
// types the few parts of the WebAssembly global the kernels use, without declaring any globals
// (which would clash once a lib that has them is added).

/** A compiled module; can be posted to worker threads. */
export interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}

/** A (shared) linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** An exported global, e.g. a constant of the kernels. */
export interface WasmGlobal {
  readonly value: number;
}

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The runtime's WebAssembly object, typed. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
