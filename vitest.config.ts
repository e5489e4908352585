import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,workers,simulator,test}/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest defaults to one file at a time on two cores (cores - 1). Most of the suite waits on I/O
    // (Redis, child processes, timers), so two files at a time roughly halves the wall time; tests
    // are written to hold on a loaded machine (they poll, never time).
    maxWorkers: 2,
  },
});
