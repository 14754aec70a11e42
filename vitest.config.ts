import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: the e2e and GDAL suites spawn processes of their own.
    pool: 'forks',
    maxWorkers: 2,
  },
});
