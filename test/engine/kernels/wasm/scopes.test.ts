// scope / dispose / liveMatrices semantics, the same for the wasm kernels and the JS fallback, and
// the wasm heap's promise: a repeated training step reuses its storage instead of growing memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../../../src/engine/kernels/kernels';
import { JsFallbackKernels } from '../../../../src/engine/kernels/wasm/jsFallbackKernels';
import { createWasmKernels, type WasmKernels } from '../../../../src/engine/kernels/wasm/wasmKernels';
import { ensureWasmBuilt } from './kernelsUnderTest';

beforeAll(ensureWasmBuilt, 120_000);

const cases: Array<[string, () => Promise<Kernels & { close(): Promise<void> }>]> = [
  ['wasm', () => createWasmKernels()],
  ['js fallback', async () => new JsFallbackKernels()],
];

describe.each(cases)('%s kernels', (_label, make) => {
  let k: Kernels & { close(): Promise<void> };
  beforeAll(async () => {
    k = await make();
  });
  afterAll(() => k.close());

  const ones = (rows: number, cols: number) => k.fromArray(new Array<number>(rows * cols).fill(1), rows, cols);

  it('scope frees what it made except the returned matrix', () => {
    const before = k.liveMatrices();
    const x = ones(2, 3);
    const y = k.scope(() => k.scale(k.add(x, x), 2));
    expect(k.liveMatrices()).toBe(before + 2);
    expect(Array.from(k.toArray(y))).toEqual([4, 4, 4, 4, 4, 4]);
    k.dispose(x);
    k.dispose(y);
    expect(k.liveMatrices()).toBe(before);
  });

  it('scope keeps matrices returned in arrays and plain objects, at any depth', () => {
    const before = k.liveMatrices();
    const result = k.scope(() => {
      const a = ones(1, 2);
      const b = k.scale(a, 3);
      k.square(b); // dropped
      return { kept: [a, { b }] as const, count: 2 };
    });
    expect(k.liveMatrices()).toBe(before + 2);
    const [a, { b }] = result.kept;
    expect(Array.from(k.toArray(b))).toEqual([3, 3]);
    k.dispose(a);
    k.dispose(b);
    expect(k.liveMatrices()).toBe(before);
  });

  it('a matrix returned from an inner scope belongs to the outer one', () => {
    const before = k.liveMatrices();
    const outerResult = k.scope(() => {
      const inner = k.scope(() => k.addScalar(ones(2, 2), 1));
      expect(k.liveMatrices()).toBe(before + 1);
      return k.mul(inner, inner);
    });
    // The inner result was freed by the outer scope; only the outer result is alive.
    expect(k.liveMatrices()).toBe(before + 1);
    expect(Array.from(k.toArray(outerResult))).toEqual([4, 4, 4, 4]);
    k.dispose(outerResult);
  });

  it('a scope that throws frees what it made and rethrows', () => {
    const before = k.liveMatrices();
    expect(() =>
      k.scope(() => {
        ones(3, 3);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(k.liveMatrices()).toBe(before);
  });

  it('matrices made outside the scope survive it, even when used inside', () => {
    const w = ones(4, 4);
    const before = k.liveMatrices();
    k.scope(() => {
      k.matMul(w, w);
    });
    expect(k.liveMatrices()).toBe(before);
    expect(k.toArray(w)[0]).toBe(1);
    k.dispose(w);
  });

  it('dispose twice is harmless; using a disposed matrix throws', () => {
    const before = k.liveMatrices();
    const m = ones(2, 2);
    k.dispose(m);
    k.dispose(m);
    expect(k.liveMatrices()).toBe(before);
    expect(() => k.add(m, m)).toThrow('add: the 2x2 matrix was already disposed');
  });

  it('an async scope function is rejected (matrices cannot outlive it across awaits)', () => {
    const before = k.liveMatrices();
    expect(() => k.scope(async () => ones(1, 1))).toThrow('must not be async');
    expect(k.liveMatrices()).toBe(before);
  });
});

describe('wasm heap in a training-like loop', () => {
  let k: WasmKernels;
  beforeAll(async () => {
    k = await createWasmKernels();
  });
  afterAll(() => k.close());

  it('keeps liveMatrices and reserved memory flat across steps', () => {
    const batch = 64;
    let w = k.fromArray(new Float32Array(784 * 32).fill(0.01), 784, 32);
    const x = k.fromArray(new Float32Array(batch * 784).fill(0.5), batch, 784);
    const step = () => {
      const next = k.scope(() => {
        const z = k.matMul(x, w);
        const a = k.activate('relu', z, 0);
        const grad = k.matMul(k.transpose(x), k.activationDerivative('relu', z, a, 0));
        return k.sub(w, k.scale(grad, 1e-4));
      });
      k.dispose(w);
      w = next;
    };
    step();
    step();
    const live = k.liveMatrices();
    const reserved = k.reservedBytes;
    for (let i = 0; i < 20; i++) step();
    expect(k.liveMatrices()).toBe(live);
    expect(k.reservedBytes).toBe(reserved);
  });
});
