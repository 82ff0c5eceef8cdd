// The helper threads must never keep a process alive or burn CPU while idle, and every product must
// return with the right result while the cores are busy. Each case runs a small script in a child Node
// process (bundled with esbuild) and checks how that process ends: a hang is a child killed at its timeout.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasmBuilt } from './kernelsUnderTest';

const repo = resolve(__dirname, '../../../..');
const work = mkdtempSync(join(tmpdir(), 'dnn-wasm-threads-'));

/**
 * Bundles a script that gets `kernels` (2 threads unless `kernelOptions`, source text of an object,
 * says otherwise) and returns what the child prints; rejects if the child is not done in `timeoutMs`.
 */
async function runChild(
  name: string,
  body: string,
  { kernelOptions = '{}', timeoutMs = 20_000 } = {},
): Promise<{ stdout: string; ms: number }> {
  const entry = join(work, `${name}.ts`);
  writeFileSync(
    entry,
    `import { createWasmKernels } from ${JSON.stringify(join(repo, 'src/engine/kernels/wasm/wasmKernels'))};
     (async () => {
       const kernels = await createWasmKernels({ threads: 2, minThreadedMultiplyAdds: 0, wasmDir: ${JSON.stringify(join(repo, 'dist'))}, ...${kernelOptions} });
       const a = kernels.fromArray(new Float32Array(64 * 64).fill(1), 64, 64);
       const product = kernels.toArray(kernels.matMul(a, a));
       ${body}
     })();`,
  );
  const outfile = join(work, `${name}.js`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'error' });
  const started = Date.now();
  const { stdout } = await promisify(execFile)(process.execPath, [outfile], { timeout: timeoutMs });
  return { stdout, ms: Date.now() - started };
}

beforeAll(ensureWasmBuilt, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gemm helper threads', () => {
  it('let the process exit on its own when nobody calls close()', async () => {
    const { stdout, ms } = await runChild('noClose', `console.log(product[0]);`);
    expect(stdout.trim()).toBe('64');
    expect(ms).toBeLessThan(15_000);
  });

  it('stop on close(), after which a threaded GEMM throws', async () => {
    const { stdout } = await runChild(
      'close',
      `await kernels.close();
       try { kernels.matMul(a, a); console.log('no error'); } catch (e) { console.log(String(e.message)); }`,
    );
    expect(stdout.trim()).toBe('kernel threads: the thread pool was closed');
  });

  it('start all or none: when one helper cannot start, the others are stopped and the error is thrown', async () => {
    const { stdout } = await runChild(
      'partialStart',
      `const { nodeHelperSpawner } = require(${JSON.stringify(join(repo, 'src/engine/kernels/wasm/nodeHelperThreads'))});
       const stopped = [];
       let n = 0;
       const spawner = async (data) => {
         if (++n === 2) throw new Error('helper 2 refused');
         const helper = await nodeHelperSpawner(data);
         return { terminate: () => (stopped.push(n), helper.terminate()) };
       };
       const failed = await createWasmKernels({ threads: 3, helpers: spawner, wasmDir: ${JSON.stringify(join(repo, 'dist'))} }).catch((e) => e.message);
       console.log(JSON.stringify({ failed, stopped: stopped.length, spawned: n }));`,
      { kernelOptions: '{ threads: 1 }' },
    );
    expect(JSON.parse(stdout)).toEqual({ failed: 'helper 2 refused', stopped: 1, spawned: 2 });
  });

  it('sleep when idle instead of spinning', async () => {
    const { stdout } = await runChild(
      'idle',
      `const before = process.cpuUsage();
       await new Promise((done) => setTimeout(done, 500));
       const used = process.cpuUsage(before);
       console.log(JSON.stringify((used.user + used.system) / 1000));`,
    );
    // Both threads idle for 500 ms: a spinning helper would show ~500 ms of CPU.
    expect(Number(stdout)).toBeLessThan(100);
  });
});

/**
 * The stress case: products of random small shapes, sparse and dense in turn, with few and many blocks in
 * turn so that each job's block count differs from the one before, on 3 threads (2 helpers that sleep at
 * once, so they often wake late) while 2 busy-loop threads keep both cores taken. Every product is
 * checked against a float64 reference; the child prints its progress, so a hang shows where it stopped.
 */
const STRESS = (products: number) => `
  const { Worker } = require('node:worker_threads');
  const busy = Array.from({ length: 2 }, () => new Worker('for (;;) {}', { eval: true }));
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const fill = (length, zeros) => Float32Array.from({ length }, () => (random() < zeros ? 0 : random() - 0.5));
  let worst = 0;
  const started = Date.now();
  for (let i = 0; i < ${products}; i++) {
    const m = i % 4 < 2 ? 1 + Math.floor(random() * 8) : 40 + Math.floor(random() * 60);
    const k = 1 + Math.floor(random() * 24);
    const n = 1 + Math.floor(random() * 80);
    const av = fill(m * k, i % 2 === 0 ? 0.8 : 0);
    const bv = fill(k * n, 0);
    const c = kernels.scope(() => kernels.toArray(kernels.matMul(kernels.fromArray(av, m, k), kernels.fromArray(bv, k, n))));
    for (let r = 0; r < m; r++) {
      for (let col = 0; col < n; col++) {
        let sum = 0;
        for (let j = 0; j < k; j++) sum += av[r * k + j] * bv[j * n + col];
        worst = Math.max(worst, Math.abs(c[r * n + col] - sum));
      }
    }
    if ((i + 1) % 2000 === 0) console.log('progress ' + (i + 1) + ' products in ' + (Date.now() - started) + ' ms');
  }
  await Promise.all(busy.map((w) => w.terminate()));
  await kernels.close();
  console.log(JSON.stringify({ products: ${products}, worst, counts: kernels.productCounts }));
`;

describe('the thread pool under load', () => {
  it('returns every one of 20000 small products, each right, while busy threads take the cores', async () => {
    const child = runChild('stress', STRESS(20_000), {
      kernelOptions: '{ threads: 3, helperSpinMicros: 0, sparsity: { maxDensity: 0.3, minElements: 0 } }',
      timeoutMs: 25_000,
    });
    const { stdout, ms } = await child.catch((err: { killed?: boolean; stdout?: string }) => {
      // The watchdog: a product that never returns leaves the child killed at its timeout.
      throw new Error(
        `the stress child ${err.killed ? 'hung and was killed' : 'failed'}; it printed:\n${err.stdout ?? ''}\n${String(err)}`,
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.products).toBe(20_000);
    expect(result.worst).toBeLessThan(1e-5);
    // Both kinds of job, with many hand-overs between them (the warm-up 64 x 64 product is the one more).
    expect(result.counts.sparse).toBeGreaterThan(9_000);
    expect(result.counts.dense).toBeGreaterThan(9_000);
    expect(ms).toBeLessThan(25_000);
  }, 60_000);
});
