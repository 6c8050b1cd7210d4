import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['@sluice/db/testing/global-setup'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
