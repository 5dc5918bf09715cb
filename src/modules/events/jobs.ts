/**
 * Upkeep of the event store: monthly partitions made ahead of time, retention by dropping whole
 * partitions (never deleting rows), the messageId de-duplication window, and the debugger's refusals.
 *
 * Retention: a source's `retention_months` is copied into every event it receives, and events are
 * partitioned by received month and that tier, so a change of a source's retention applies to events
 * received from then on; stored events keep the tier they came with.
 */
import { DAY, HOUR } from '../../platform/clock.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';

/** Months of partitions kept ready, from the current one. */
export const PARTITIONS_AHEAD = 3;
/** Refusals are kept this long, and at most REFUSALS_PER_SOURCE per source. */
export const REFUSALS_DAYS = 7;
export const REFUSALS_PER_SOURCE = 1000;
const DELETE_BATCH = 5000;

/** The calendar day (UTC) of an instant, as the SQL functions take it. */
const day = (at: Date): string => at.toISOString().slice(0, 10);

/** One process at a time changes partitions (two workers would race on CREATE/DROP TABLE). */
const withPartitionLock = <T>(db: Db, fn: (q: Queryable) => Promise<T>, idle: T): Promise<T> =>
  db.tx(async (tx) => {
    const { rows } = await tx.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_xact_lock(hashtext('plaza_events_partitions')) AS ok`,
    );
    return rows[0]?.ok ? fn(tx) : idle;
  });

/** Creates the partitions of `from`'s month and the next ones (idempotent); returns how many months were new. */
export const ensurePartitions = (db: Db, from: Date, months = PARTITIONS_AHEAD): Promise<number> =>
  withPartitionLock(
    db,
    async (q) =>
      Number(
        (
          await q.query<{ made: number }>('SELECT plaza_events_ensure_partitions($1::date, $2) AS made', [
            day(from),
            months,
          ])
        ).rows[0]?.made ?? 0,
      ),
    0,
  );

/** Drops the partitions whose every event is past its source's retention on `today`; returns their names. */
export const dropExpiredPartitions = (db: Db, today: Date): Promise<string[]> =>
  withPartitionLock(
    db,
    async (q) =>
      (
        await q.query<{ name: string }>('SELECT plaza_events_drop_expired($1::date) AS name', [day(today)])
      ).rows.map((r) => r.name),
    [],
  );

/** Forgets messageIds older than the de-duplication window (a bounded batch); returns how many. */
export const purgeMessageIds = async (q: Queryable, now: Date, dedupeDays: number): Promise<number> =>
  (
    await q.query(
      `DELETE FROM event_message_ids WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM event_message_ids WHERE received_at < $1 LIMIT $2))`,
      [new Date(now.getTime() - dedupeDays * DAY), DELETE_BATCH],
    )
  ).rowCount;

/** Deletes refusals older than REFUSALS_DAYS and all but the newest REFUSALS_PER_SOURCE of each source. */
export const capRefusals = async (q: Queryable, now: Date): Promise<number> => {
  const old = await q.query(
    `DELETE FROM event_refusals WHERE id = ANY(ARRAY(
       SELECT id FROM event_refusals WHERE received_at < $1 LIMIT $2))`,
    [new Date(now.getTime() - REFUSALS_DAYS * DAY), DELETE_BATCH],
  );
  const over = await q.query(
    `DELETE FROM event_refusals WHERE id = ANY(ARRAY(
       SELECT id FROM (
         SELECT id, row_number() OVER (PARTITION BY source_id ORDER BY received_at DESC, id DESC) AS n
         FROM event_refusals) ranked
       WHERE n > $1 LIMIT $2))`,
    [REFUSALS_PER_SOURCE, DELETE_BATCH],
  );
  return old.rowCount + over.rowCount;
};

/** Keeps this month's and the next months' partitions ready (at start, then every 6 hours). */
export const eventPartitionsJob = (deps: Pick<Deps, 'db' | 'clock'>): Job => ({
  name: 'events-partitions',
  intervalMs: 6 * HOUR,
  // the count of new months is not "work waiting": never run again at once
  runOnce: async () => {
    await ensurePartitions(deps.db, deps.clock.now());
    return 0;
  },
});

/**
 * Retention and trimming: drops expired partitions, then purges old messageIds and refusals in
 * batches (a full batch runs again at once). Every 10 minutes.
 */
export const eventRetentionJob = (deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>): Job => ({
  name: 'events-retention',
  intervalMs: 10 * 60_000,
  runOnce: async () => {
    const now = deps.clock.now();
    const dropped = await dropExpiredPartitions(deps.db, now);
    if (dropped.length > 0)
      deps.log.info({ partitions: dropped }, 'event partitions past their retention dropped');
    const ids = await purgeMessageIds(deps.db, now, deps.config.events.dedupeDays);
    const refusals = await capRefusals(deps.db, now);
    return ids >= DELETE_BATCH || refusals >= DELETE_BATCH ? ids + refusals : 0;
  },
});
