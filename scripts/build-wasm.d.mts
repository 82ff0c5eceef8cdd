// Types for scripts/build-wasm.mjs, so tests and benchmarks written in TypeScript can build the kernels.

/** The binaries the script writes, by flavor. */
export declare const WASM_KERNEL_FILES: { relaxedSimd: string; simd: string };
/** Pages of 64 KiB the kernels' shared memory may grow to. */
export declare const MAXIMUM_MEMORY_PAGES: number;
/** Compiles both flavors into outDir (default dist/); with ifStale, only when a source changed. */
export declare function buildWasmKernels(options?: { outDir?: string; ifStale?: boolean }): Promise<void>;
