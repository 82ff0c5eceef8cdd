// The helper threads must never keep a process alive or burn CPU while idle. Each case runs a small
// script in a child Node process (bundled with esbuild) and checks how that process ends.
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

/** Bundles a script that gets `kernels` (2 threads) and returns what the child prints. */
async function runChild(name: string, body: string): Promise<{ stdout: string; ms: number }> {
  const entry = join(work, `${name}.ts`);
  writeFileSync(
    entry,
    `import { createWasmKernels } from ${JSON.stringify(join(repo, 'src/engine/kernels/wasm/wasmKernels'))};
     (async () => {
       const kernels = await createWasmKernels({ threads: 2, minThreadedMultiplyAdds: 0, wasmDir: ${JSON.stringify(join(repo, 'dist'))} });
       const a = kernels.fromArray(new Float32Array(64 * 64).fill(1), 64, 64);
       const product = kernels.toArray(kernels.matMul(a, a));
       ${body}
     })();`,
  );
  const outfile = join(work, `${name}.js`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'error' });
  const started = Date.now();
  const { stdout } = await promisify(execFile)(process.execPath, [outfile], { timeout: 20_000 });
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
