/**
 * The journey jobs: the engine (due entries advanced under a lease, each in its own transaction) and
 * the polling triggers (events, idle carts, stock watches, date traits).
 */
import { isDatabaseUnavailable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import { claimDue, getJourney, getVersion, lockEnrollment, saveEnrollment } from './repo.ts';
import { runSteps } from './steps.ts';
import { fireStockWatches } from './stock-watch.ts';
import { scanDateTraits, scanEventTriggers, scanIdleCarts } from './triggers.ts';

/** How long a claimed entry stays invisible to other workers (a worker that dies lets it go after this). */
export const ENTRY_LEASE_MS = 60_000;
const BATCH = 100;

type JobDeps = Pick<Deps, 'db' | 'clock' | 'log'>;

/**
 * Advances due entries: claims up to BATCH (SKIP LOCKED, lease), then runs each in its own
 * transaction from its current step. An entry whose step fails for a reason other than the database
 * is marked failed (with the error) rather than retried forever. Returns how many it ran.
 */
export const advanceJourneys = async (deps: JobDeps): Promise<number> => {
  const ids = await claimDue(deps.db, deps.clock.now(), ENTRY_LEASE_MS, BATCH);
  for (const id of ids) {
    try {
      await deps.db.tx(async (tx) => {
        const e = await lockEnrollment(tx, id);
        if (e?.state !== 'active') return;
        const j = await getJourney(tx, e.journey_id);
        if (j?.status !== 'active') {
          await tx.query('UPDATE journey_enrollments SET lease_until = NULL WHERE id = $1', [id]);
          return;
        }
        const v = await getVersion(tx, e.journey_id, e.version);
        await saveEnrollment(tx, await runSteps(tx, deps, j, v, e), deps.clock.now());
      });
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      deps.log.error({ err, enrollmentId: id }, 'journey step failed');
      await deps.db.query(
        `UPDATE journey_enrollments SET state = 'failed', exit_reason = $2, wake_at = NULL, lease_until = NULL,
           updated_at = $3 WHERE id = $1 AND state = 'active'`,
        [id, `error: ${(err as Error).message}`.slice(0, 500), deps.clock.now()],
      );
    }
  }
  return ids.length;
};

/** Runs every polling trigger once (tests call this, the worker runs them as separate jobs). */
export const scanTriggers = async (deps: JobDeps): Promise<number> =>
  (await scanEventTriggers(deps)) +
  (await scanIdleCarts(deps)) +
  (await fireStockWatches(deps)) +
  (await scanDateTraits(deps));

export const journeyJobs = (deps: Deps): Job[] => [
  { name: 'journeys-advance', intervalMs: 1_000, runOnce: () => advanceJourneys(deps) },
  { name: 'journeys-event-triggers', intervalMs: 2_000, runOnce: () => scanEventTriggers(deps) },
  { name: 'journeys-idle-carts', intervalMs: 30_000, runOnce: () => scanIdleCarts(deps) },
  { name: 'journeys-stock-watches', intervalMs: 15_000, runOnce: () => fireStockWatches(deps) },
  // cheap when nobody has today's date; runs hourly so a restart never misses a day
  { name: 'journeys-date-traits', intervalMs: 3_600_000, runOnce: () => scanDateTraits(deps) },
];
