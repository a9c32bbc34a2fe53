import { defineConfig } from 'vitest/config';

// The fault suite: real processes killed and dependencies taken away. One scenario at a time, since
// each loads the whole machine; figures go to docs/RELIABILITY.md.
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.fault.ts'],
    globalSetup: [],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
