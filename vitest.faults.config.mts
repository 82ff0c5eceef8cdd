import { defineConfig } from 'vitest/config';

// The fault harness (npm run test:faults): generated bad configs, data folders, run records and interrupts,
// through the engine, the run history and the built CLI. Each part bounds its own cases' time, so the
// vitest timeouts are only a backstop. Parts run one after another: their time bounds assume the cores are theirs.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts', 'test/faults/**/*.faults.ts'],
    globalSetup: ['test/support/tmpRoot.ts', 'test/faults/summary.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
