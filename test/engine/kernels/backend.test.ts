import { describe, expect, it } from 'vitest';
import { BackendError, chooseKernels } from '../../../src/engine/kernels/backend';

describe('chooseKernels', () => {
  it("takes DNN Lab's own wasm kernels on auto when tfjs-node is absent, saying why tfjs-node was skipped", async () => {
    const { kernels, skipped } = await chooseKernels('auto');
    expect(kernels.name).toMatch(/^DNN Lab wasm \((relaxed SIMD, FMA|SIMD), 1 thread\)$/);
    expect(skipped).toEqual([expect.stringMatching(/^tfjs-node: Cannot find module '@tensorflow\/tfjs-node'/)]);
  });

  it.each([
    ['dnn-wasm', 2, /^DNN Lab wasm \(.*, 2 threads\)$/],
    ['wasm', 2, /^tfjs wasm \(SIMD, 1 thread\)$/],
    ['js', 1, /^JavaScript \(float64 reference\)$/],
  ] as const)('%s with %i thread(s) names what runs: %s', async (backend, threads, name) => {
    const { kernels } = await chooseKernels(backend, threads);
    expect(kernels.name).toMatch(name);
    // Small integer entries make the product exact in float32: every kernel and thread count must hit it.
    const a = kernels.fromArray(
      Array.from({ length: 600 * 400 }, (_, i) => (i % 7) - 3),
      600,
      400,
    );
    const b = kernels.fromArray(
      Array.from({ length: 400 * 300 }, (_, i) => (i % 5) - 2),
      400,
      300,
    );
    const product = kernels.toArray(kernels.matMul(a, b));
    let expected = 0;
    for (let k = 0; k < 400; k++) expected += (((599 * 400 + k) % 7) - 3) * (((k * 300 + 299) % 5) - 2);
    expect(product[600 * 300 - 1]).toBe(expected);
  });

  it('refuses a named backend that does not load, saying how to fall back', async () => {
    const error = await chooseKernels('tfjs-node').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(
      /^The "tfjs-node" backend does not load here: .*Use "auto" to take the fastest one that does\.$/,
    );
  });
});
