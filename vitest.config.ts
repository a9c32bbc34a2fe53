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
    reporters: ['default'],
  },
});
