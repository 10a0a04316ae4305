import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    // Pooled frame memory is overwritten when released, so a view read too late fails a test.
    env: { BROKERSCOPE_POISON_FREED_FRAMES: '1' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] },
      },
      {
        // The UI in real Chromium against `npm run serve`; the window is built once first.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/build-once.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // The window waits on conditions; on two cores shared with the unit tests, a second may not be enough.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
