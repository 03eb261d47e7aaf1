import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // the 20 MB page and the CLI's child processes take seconds on a loaded 2-core machine
    testTimeout: 60_000,
  },
});
