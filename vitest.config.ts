import { basename, join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once, for the tests that run the published bundle as a user would.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Snapshot files live in snapshots/ at the top level (design card), not beside the tests.
    resolveSnapshotPath: (testPath, extension) => join(import.meta.dirname, 'snapshots', `${basename(testPath)}${extension}`),
  },
});
