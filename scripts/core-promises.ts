/**
 * The core's promises under contention and faults (issue 18, points 1–3 and 6, and 7's races), run
 * against a private PostgreSQL server this script starts itself (test/support/private-postgres.ts;
 * never the shared server): one order per cart whatever keys arrive, a dead attempt taken over, no
 * money kept for a failed sale (with real SIGKILLs between capture and commit), no 500 when holds race
 * restocks, no oversell across processes, unique-constraint races, and the hostile-input fuzzer.
 * `npm run faults` runs it after the database-restart scenarios; `tsx scripts/core-promises.ts` alone.
 */
import { spawnSync } from 'node:child_process';
import { privatePostgresUnavailable, startPrivatePostgres } from '../test/support/private-postgres.ts';

export const CORE_PROMISE_TESTS = [
  'src/flows/checkout/once.test.ts',
  'test/checkout-once.test.ts',
  'test/hold-contention.test.ts',
  'test/checkout-no-oversell.test.ts',
  'src/flows/pos/pay-compensation.test.ts',
  'src/flows/payments/reconcile.test.ts',
  'test/capture-kill.test.ts',
  'test/unique-races.test.ts',
  'test/fuzz.test.ts',
];

const why = privatePostgresUnavailable();
if (why) {
  process.stdout.write(`CORE PROMISE SCENARIOS SKIPPED: no private PostgreSQL here (${why})\n`);
  process.exit(0);
}
const pg = await startPrivatePostgres({ settings: { max_connections: 200 } });
process.stdout.write(`\n=== Core promises on a private PostgreSQL (${pg.url}) ===\n\n`);
let status = 1;
try {
  status =
    spawnSync('npx', ['vitest', 'run', ...CORE_PROMISE_TESTS], {
      stdio: 'inherit',
      env: { ...process.env, PLAZA_TEST_BACKEND: 'postgres', PLAZA_TEST_DATABASE_URL: pg.url },
    }).status ?? 1;
} finally {
  await pg.destroy();
}
process.exit(status);
