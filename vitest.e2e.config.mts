import { defineConfig } from 'vitest/config';

// End-to-end tests: a real VS Code (code-server) driven by Chromium, see test/e2e/README.md.
// One VS Code at a time: each takes ~1.3 GB and most of the machine's two cores while starting.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    // Starting VS Code takes 10-20 s, a cold extension host longer; waits inside the harness have their own limits.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // Temporary files under one folder, removed at the end (test/support/tmpRoot.ts).
    globalSetup: ['test/support/tmpRoot.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
