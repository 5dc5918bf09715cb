/**
 * The identity queue worker: claims `event_identity_queue` rows with SKIP LOCKED (several processes
 * share the work), processes each message in a savepoint, and deletes it when done. A failing message
 * keeps its row with `attempts`, `last_error` and a `retry_at` after an exponential back-off: it is
 * never lost and never blocks the others.
 */
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import { markDirty, processIdentityMessage, type QueueRow } from './identity.ts';

const BATCH = 100;
const MAX_BACKOFF_S = 3600;

/** Handles up to `limit` ready messages; returns how many were claimed. */
export const processIdentityQueue = (deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>, limit = BATCH) =>
  deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const { rows } = await tx.query<QueueRow>(
      `SELECT id, source_id, channel_id, type, user_id, anonymous_id, previous_id, traits, "timestamp",
         received_at, attempts
       FROM event_identity_queue WHERE retry_at IS NULL OR retry_at <= $1
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    // Customers to re-evaluate: marked once, sorted, at the end (not message by message, which
    // locked audience_dirty rows in arbitrary order and deadlocked with the event group commits).
    const dirty = new Set<string>();
    for (const m of rows) {
      await tx.query('SAVEPOINT identity_message');
      try {
        const mine = new Set<string>();
        await processIdentityMessage(tx, deps, m, mine);
        await tx.query('DELETE FROM event_identity_queue WHERE id = $1', [m.id]);
        await tx.query('RELEASE SAVEPOINT identity_message');
        for (const id of mine) dirty.add(id);
      } catch (e) {
        await tx.query('ROLLBACK TO SAVEPOINT identity_message');
        const wait = Math.min(2 ** Math.min(m.attempts, 12), MAX_BACKOFF_S);
        await tx.query(
          `UPDATE event_identity_queue SET attempts = attempts + 1, last_error = $2, retry_at = $3 WHERE id = $1`,
          [
            m.id,
            (e instanceof Error ? e.message : String(e)).slice(0, 500),
            new Date(now.getTime() + wait * 1000),
          ],
        );
        deps.log.warn(
          { err: e, queueId: m.id, attempts: m.attempts + 1 },
          'identity message failed; retried later',
        );
      }
    }
    await markDirty(tx, [...dirty], deps.clock.now());
    return rows.length;
  });

/** NOTIFY channel that wakes the job early (sent by whoever queues messages, if they wish). */
export const IDENTITY_QUEUE_CHANNEL = 'plaza_identity_queue';

export const identityQueueJob = (deps: Deps): Job => ({
  name: 'customer-data:identity-queue',
  intervalMs: 250,
  wakeOn: IDENTITY_QUEUE_CHANNEL,
  runOnce: () => processIdentityQueue(deps),
});
