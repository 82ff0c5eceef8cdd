import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start a real VS Code; they run with vitest.e2e.config.mts (npm run test:e2e).
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    // Training tests on real MNIST take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Temporary files under one folder, removed at the end (test/support/tmpRoot.ts).
    globalSetup: ['test/support/tmpRoot.ts'],
    pool: 'forks',
  },
});
