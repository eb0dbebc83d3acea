import { basename, join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real docker builds run with `npm run test:e2e` (vitest.e2e.config.ts), not here.
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    // Builds dist/ once, for the tests that run the published bundle as a user would.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Snapshot files live in snapshots/ at the top level (design card), not beside the tests.
    resolveSnapshotPath: (testPath, extension) => join(import.meta.dirname, 'snapshots', `${basename(testPath)}${extension}`),
  },
});
