import { defineConfig } from 'vitest/config';
import { TEST_PRIVACY_KEY } from './src/platform/testing.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    env: {
      // Plaza refuses PostgreSQL without a privacy key; every test process (and what it spawns) has one.
      PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY,
      // Test-only low scrypt cost (src/platform/crypto.ts); one test proves the production cost and its upgrade.
      PLAZA_TEST_PASSWORD_COST: 'low',
      // The demo's 60 days of history cost ~10 s per demo start; history.test.ts plays it directly.
      PLAZA_DEMO_HISTORY: '0',
    },
  },
});
