/**
 * Shared switches of the fault scenarios in test/faults/ (see docs/faults.md).
 *
 * - `npm test` runs a short version of every scenario in its first (PGlite) pass; the PostgreSQL pass
 *   skips them, since they bring their own private server and need not run twice.
 * - `npm run faults` (scripts/faults.mjs) runs the long versions: PLAZA_FAULTS_FULL=1.
 * - Without PostgreSQL binaries every scenario is skipped, and says so.
 */
import { testBackend } from '../../src/platform/testing.ts';
import { privatePostgresUnavailable } from '../support/private-postgres.ts';

/** Long versions (more restarts, more load), run by `npm run faults`. */
export const FULL = process.env.PLAZA_FAULTS_FULL === '1';

const whyNot = (): string | undefined => {
  if (!FULL && testBackend() === 'postgres') return 'already run in the PGlite pass of npm test';
  return privatePostgresUnavailable();
};

/** Why the fault scenarios are skipped here, or undefined when they run. Prints the reason once. */
export const faultsSkipped: string | undefined = whyNot();
if (faultsSkipped) {
  console.warn(`\n*** FAULT SCENARIOS SKIPPED: ${faultsSkipped} ***\n`);
}

/** A title that says in the test report why a scenario did not run. */
export const titled = (title: string): string =>
  faultsSkipped ? `${title} (SKIPPED: ${faultsSkipped})` : title;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true or `ms` pass; returns how long it took, or undefined. */
export const within = async (
  ms: number,
  probe: () => Promise<boolean>,
  every = 50,
): Promise<number | undefined> => {
  const started = Date.now();
  while (Date.now() - started <= ms) {
    if (await probe().catch(() => false)) return Date.now() - started;
    await sleep(every);
  }
  return undefined;
};
