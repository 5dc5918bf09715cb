import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // Test-only low scrypt cost (src/platform/crypto.ts); one test proves the production cost and its upgrade.
    env: { PLAZA_TEST_PASSWORD_COST: 'low' },
  },
});
