import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./src/testing/global-setup.ts'],
    // Real PostgreSQL, and a few tests that start servers of their own: allow for a slow machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
