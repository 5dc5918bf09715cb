/**
 * Retention of the platform's own records that repeat personal data. Idempotency records keep the
 * first answer of a request (an order with its e-mail and address, a receipt, a return) so that a
 * replay gets the same answer: they are kept 24 hours, as Stripe keeps its keys, and then deleted.
 * A replay after that is a new request (and is refused by the state of what it would change: a
 * checked-out cart, a paid sale).
 */
import type { Clock } from './clock.ts';
import type { Queryable } from './db.ts';
import type { Job } from './worker.ts';

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;

/** Deletes idempotency records older than the retention (in bounded batches); returns how many. */
export const deleteOldIdempotencyKeys = async (q: Queryable, now: Date, batch = 1000): Promise<number> =>
  (
    await q.query(
      `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM idempotency_keys WHERE created_at < $1 AND (status = 'completed' OR locked_until < $2)
         LIMIT $3))`,
      [new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS), now, batch],
    )
  ).rowCount;

export const idempotencyRetentionJob = (deps: { db: Queryable; clock: Clock }): Job => ({
  name: 'idempotency-retention',
  intervalMs: 10 * 60_000,
  runOnce: () => deleteOldIdempotencyKeys(deps.db, deps.clock.now()),
});
