import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll gives up after 1 s by default: too short for a page on a busy 2-core CI machine
    // (the strength meter alone waits 250 ms before it asks). A poll that succeeds returns at once.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Two test files at a time: most of a file's time is waiting (SMTP, databases, Chromium), and
    // the default (one fewer than the cores) runs them one by one on a 2-core CI machine.
    maxWorkers: 2,
  },
});
