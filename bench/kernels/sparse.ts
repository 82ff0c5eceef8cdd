// The first layer's two products, X·(W¹)ᵀ and δ¹ᵀ·X, dense GEMM against the CSR products, on real
// MNIST batches and on random matrices of set densities, to place DEFAULT_SPARSITY.maxDensity where
// the sparse products stop paying off. Both kernels run in the same rounds, interleaved. Build and run:
//   node scripts/build-wasm.mjs
//   npx esbuild bench/kernels/sparse.ts --bundle --platform=node --outfile=dist/bench-kernels-sparse.js --external:@tensorflow/*
//   node dist/bench-kernels-sparse.js
import { join } from 'node:path';
import { createBatchBuffers, fillBatch, loadIdxFolder } from '../../src/engine/data';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm/wasmKernels';

const UNITS = 256;
const FEATURES = 784;
const DENSITIES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];

/** Best mean milliseconds per call over five samples of ~40 ms each (best filters other load). */
function bestMillis(fn: () => void): number {
  fn();
  let reps = 1;
  for (let t = performance.now(); performance.now() - t < 40; reps *= 2) for (let i = 0; i < reps; i++) fn();
  let best = Infinity;
  for (let s = 0; s < 5; s++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t) / reps);
  }
  return best;
}

/** Milliseconds of the forward and the weight-gradient product of the first layer on input x. */
function firstLayer(k: WasmKernels, xData: Float32Array, batch: number): { forward: number; gradient: number } {
  return k.scope(() => {
    const W = k.fromArray(
      Float32Array.from({ length: UNITS * FEATURES }, () => Math.random() - 0.5),
      UNITS,
      FEATURES,
    );
    const delta = k.fromArray(
      Float32Array.from({ length: batch * UNITS }, () => Math.random() - 0.5),
      batch,
      UNITS,
    );
    // A new input matrix per call, as in training, so compressing it is part of the time.
    const forward = bestMillis(() => k.scope(() => k.matMul(k.fromArray(xData, batch, FEATURES), W, false, true)));
    const gradient = bestMillis(() => k.scope(() => k.matMul(delta, k.fromArray(xData, batch, FEATURES), true, false)));
    return { forward, gradient };
  });
}

function randomInput(batch: number, density: number): Float32Array {
  return Float32Array.from({ length: batch * FEATURES }, () => (Math.random() < density ? Math.random() : 0));
}

async function main(): Promise<void> {
  const dense = await createWasmKernels({ sparsity: false });
  const sparse = await createWasmKernels({ sparsity: { maxDensity: 1, minElements: 0 } });
  const mnist = await loadIdxFolder(process.env.DNN_LAB_DATA ?? join(__dirname, '../../shared/datasets/mnist'));
  console.log(`${dense.name}; ms per call, best of 5; first layer ${FEATURES} -> ${UNITS}`);
  for (const batch of [300, 640]) {
    const buffers = createBatchBuffers(mnist.train, batch);
    fillBatch(
      mnist.train,
      Int32Array.from({ length: batch }, (_, i) => i),
      buffers,
    );
    const inputs: [string, Float32Array][] = [
      ['MNIST', buffers.x.slice(0, batch * FEATURES)],
      ...DENSITIES.map((d): [string, Float32Array] => [`random ${d}`, randomInput(batch, d)]),
    ];
    for (const [label, x] of inputs) {
      const nonzero = x.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0) / x.length;
      const d = firstLayer(dense, x, batch);
      const s = firstLayer(sparse, x, batch);
      console.log(
        `batch ${batch} ${label.padEnd(10)} ${(100 * nonzero).toFixed(0).padStart(3)}% nonzero: ` +
          `X·Wᵀ dense ${d.forward.toFixed(2)} sparse ${s.forward.toFixed(2)} (${(d.forward / s.forward).toFixed(2)}x)  ` +
          `δᵀ·X dense ${d.gradient.toFixed(2)} sparse ${s.gradient.toFixed(2)} (${(d.gradient / s.gradient).toFixed(2)}x)`,
      );
    }
  }
  await Promise.all([dense.close(), sparse.close()]);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
