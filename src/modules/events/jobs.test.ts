/** Event store upkeep: partitions ahead, retention by dropping partitions, messageId and refusal trimming. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../platform/clock.ts';
import { createTestDb, type TestDb } from '../../platform/testing.ts';
import {
  capRefusals,
  dropExpiredPartitions,
  ensurePartitions,
  purgeMessageIds,
  REFUSALS_PER_SOURCE,
} from './jobs.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

const partitions = async (like: string): Promise<string[]> =>
  (
    await t.db.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relname LIKE $1 AND relkind IN ('r', 'p') ORDER BY relname`,
      [like],
    )
  ).rows.map((r) => r.relname);

const insertEvent = (messageId: string, receivedAt: string, tier: number) =>
  t.db.query(
    `INSERT INTO events (source_id, message_id, type, event, anonymous_id, "timestamp", received_at, retention_months)
     VALUES ('src_plaza', $1, 'track', 'Order Completed', 'a', $2, $2, $3)`,
    [messageId, receivedAt, tier],
  );

describe('event store upkeep', () => {
  it('makes monthly partitions ahead (idempotent), split by retention tier', async () => {
    // one month only: each month is 8 tables, slow to create on PGlite
    expect(await ensurePartitions(t.db, new Date('2019-03-10T00:00:00Z'), 1)).toBe(1);
    expect(await ensurePartitions(t.db, new Date('2019-03-31T00:00:00Z'), 1)).toBe(0);
    expect(await partitions('events_2019%')).toEqual([
      'events_201903',
      'events_201903_r0',
      'events_201903_r1',
      'events_201903_r12',
      'events_201903_r24',
      'events_201903_r3',
      'events_201903_r36',
      'events_201903_r6',
    ]);
  });

  it('drops whole partitions past their retention and keeps the rest', async () => {
    await insertEvent('m1', '2019-03-15T12:00:00Z', 1);
    await insertEvent('m3', '2019-03-15T12:00:00Z', 3);
    await insertEvent('m0', '2019-03-15T12:00:00Z', 0);
    const left = async () =>
      (
        await t.db.query<{ message_id: string }>(
          `SELECT message_id FROM events WHERE received_at < '2019-05-01' ORDER BY message_id`,
        )
      ).rows.map((r) => r.message_id);
    expect(await left()).toEqual(['m0', 'm1', 'm3']);

    // A March event with 1 month of retention lives through April; dropped on May 1st.
    expect(await dropExpiredPartitions(t.db, new Date('2019-04-30T23:00:00Z'))).toEqual([]);
    expect(await dropExpiredPartitions(t.db, new Date('2019-05-01T00:00:00Z'))).toEqual(['events_201903_r1']);
    expect(await left()).toEqual(['m0', 'm3']);
    // March's 3-month tier on July 1st; the forever tier stays (so do later tiers of March).
    expect(await dropExpiredPartitions(t.db, new Date('2019-06-30T00:00:00Z'))).toEqual([]);
    expect(await dropExpiredPartitions(t.db, new Date('2019-07-01T00:00:00Z'))).toEqual(['events_201903_r3']);
    expect(await left()).toEqual(['m0']);
    expect(await partitions('events_201903_r1')).toEqual([]);
  });

  it('forgets messageIds past the de-duplication window', async () => {
    const now = new Date('2026-06-10T00:00:00Z');
    await t.db.query(
      `INSERT INTO event_message_ids (source_id, message_id, received_at)
       VALUES ('src_plaza', 'old', $1), ('src_plaza', 'recent', $2)`,
      [new Date(now.getTime() - 8 * DAY), new Date(now.getTime() - 6 * DAY)],
    );
    expect(await purgeMessageIds(t.db, now, 7)).toBe(1);
    const { rows } = await t.db.query<{ message_id: string }>('SELECT message_id FROM event_message_ids');
    expect(rows.map((r) => r.message_id)).toEqual(['recent']);
  });

  it('keeps refusals 7 days and at most 1,000 per source', async () => {
    const now = new Date('2026-06-10T00:00:00Z');
    await t.db.query(
      `INSERT INTO event_refusals (source_id, received_at, code, reason)
       SELECT 'src_plaza', $1::timestamptz + make_interval(secs => g), 'INVALID_MESSAGE', 'r' || g
       FROM generate_series(1, $2::int) g`,
      [new Date(now.getTime() - DAY), REFUSALS_PER_SOURCE + 5],
    );
    await t.db.query(
      `INSERT INTO event_refusals (source_id, received_at, code, reason)
       VALUES (NULL, $1, 'INVALID_WRITE_KEY', 'old')`,
      [new Date(now.getTime() - 8 * DAY)],
    );
    expect(await capRefusals(t.db, now)).toBe(6);
    const { rows } = await t.db.query<{ n: number; oldest: string }>(
      `SELECT count(*)::int AS n, min(reason) FILTER (WHERE reason <> 'r1000') AS oldest FROM event_refusals`,
    );
    expect(rows[0]?.n).toBe(REFUSALS_PER_SOURCE);
    const gone = await t.db.query(`SELECT 1 FROM event_refusals WHERE reason IN ('r1', 'r5', 'old')`);
    expect(gone.rows).toEqual([]);
  });
});
