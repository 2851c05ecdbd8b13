import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests own real SQLite files and child processes; two cores here.
    pool: 'forks',
    maxWorkers: 2,
  },
});
