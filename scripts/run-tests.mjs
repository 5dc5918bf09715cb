#!/usr/bin/env node
// Runs the test suite on embedded PGlite, then on PostgreSQL when PLAZA_TEST_DATABASE_URL is set.
// Extra arguments are passed to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const vitest = (backend) =>
  spawnSync('npx', ['vitest', 'run', ...args], {
    stdio: 'inherit',
    env: { ...process.env, PLAZA_TEST_BACKEND: backend },
  }).status;

console.log('\n=== Tests on embedded PostgreSQL (PGlite) ===\n');
const lite = vitest('pglite');
let pgStatus = 0;
if (process.env.PLAZA_TEST_DATABASE_URL) {
  console.log(
    `\n=== Tests on PostgreSQL (${process.env.PLAZA_TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}) ===\n`,
  );
  pgStatus = vitest('postgres');
} else {
  console.log('\n=== PostgreSQL tests SKIPPED: PLAZA_TEST_DATABASE_URL is not set ===');
  console.log(
    '    (the multi-process tests need it; e.g. PLAZA_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres)\n',
  );
}
console.log(
  `\nPGlite: ${lite === 0 ? 'passed' : 'FAILED'}; PostgreSQL: ${process.env.PLAZA_TEST_DATABASE_URL ? (pgStatus === 0 ? 'passed' : 'FAILED') : 'skipped'}`,
);
process.exit(lite || pgStatus ? 1 : 0);
