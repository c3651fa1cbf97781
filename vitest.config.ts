import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two test files at a time: most of a file's time is waiting (SMTP, databases, Chromium), and
    // the default (one fewer than the cores) runs them one by one on a 2-core CI machine.
    maxWorkers: 2,
  },
});
