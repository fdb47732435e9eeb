import { defineConfig } from 'vitest/config';

// Machines running the tests are shared and slow at times: generous time-outs, no timing asserts.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
