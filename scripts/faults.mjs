#!/usr/bin/env node
// Runs every fault scenario in test/faults/ (long versions), one file at a time, each against a
// private PostgreSQL it starts itself (test/support/private-postgres.ts; never the shared server).
//   npm run faults                 long versions (PLAZA_FAULTS_FULL=1)
//   npm run faults -- --short      the short versions that `npm test` runs
//   npm run faults -- db-restart   only the files whose path contains "db-restart"
// Without a filter it then runs scripts/core-promises.ts (issue 18's scenarios 1–3, 6 and 7 on a
// private PostgreSQL of their own).
// See docs/faults.md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const args = process.argv.slice(2);
const short = args.includes('--short');
const filters = args.filter((a) => a !== '--short');
const files = readdirSync(new URL('../test/faults/', import.meta.url))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/faults/${f}`)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

if (files.length === 0) {
  console.error(`No fault scenario matches ${filters.join(' ')} in test/faults/`);
  process.exit(1);
}
console.log(`\n=== Fault scenarios (${short ? 'short' : 'long'} versions): ${files.join(', ')} ===\n`);
const { status } = spawnSync('npx', ['vitest', 'run', '--no-file-parallelism', ...files], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PLAZA_TEST_BACKEND: 'pglite',
    ...(short ? {} : { PLAZA_FAULTS_FULL: '1' }),
  },
});
if (status !== 0 || filters.length > 0) process.exit(status ?? 1);
// Then the core's promises (one order per cart, no money kept, no 500 under contention …) against a
// private PostgreSQL too: scripts/core-promises.ts starts its own server.
const core = spawnSync('npx', ['tsx', 'scripts/core-promises.ts'], { stdio: 'inherit', env: process.env });
process.exit(core.status ?? 1);
