import { defineConfig } from 'vitest/config';

// npm run test:e2e: real docker builds, one engine, one fixture at a time (builds share the
// builder cache, which each fixture prunes), with timeouts sized for cold builds on 2 cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 10 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
