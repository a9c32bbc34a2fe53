import { defineConfig } from 'vitest/config';

// Tests talk to the real PostgreSQL and Redis; the global setup makes one template database per run
// and each test file clones its own from it, with its own QUEUE_PREFIX.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // most of a test's time is waiting on PostgreSQL, Redis, loopback HTTP or a child process, not CPU: four
    // files at a time keep a 2-core machine busy (one a core leaves it idle two thirds of the time). Every file
    // has its own database, queue prefix and ports, so files never see each other's state. TEST_WORKERS overrides.
    maxWorkers: Number(process.env.TEST_WORKERS) || 4,
    reporters: ['default'],
  },
});
