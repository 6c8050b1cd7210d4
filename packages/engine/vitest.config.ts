import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit tests sit beside the code; test/ holds the integration tests that run the engine on a
    // real PostgreSQL through packages/db's store (src/ may not import the db package).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['@sluice/db/testing/global-setup'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
