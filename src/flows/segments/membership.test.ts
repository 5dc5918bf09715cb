/**
 * Materialised membership on a database without the HTTP app: full and incremental evaluation,
 * outbox events exactly once, late events, restricted customers leaving, the schedule, sizes over
 * time, concurrent evaluations, and the NOTIFY wake-up of the dirty queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProcessingRestricted } from '../../modules/customers/index.ts';
import { DAY, HOUR, MINUTE, TestClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { newId } from '../../platform/ids.ts';
import { silentLogger } from '../../platform/log.ts';
import type { Deps } from '../../platform/module.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';
import { createTestDb, TEST_PRIVACY_KEY, type TestDb } from '../../platform/testing.ts';
import { Worker } from '../../platform/worker.ts';
import { refreshDueTrait } from './computed-traits-repo.ts';
import {
  AUDIENCE_CHANNEL,
  audienceSubscriber,
  evaluateDueSegment,
  markAudienceDirty,
  processDirty,
} from './jobs.ts';
import { evaluateSegment } from './membership.ts';

let tdb: TestDb;
let deps: Deps;
const clock = new TestClock('2026-03-10T12:00:00Z');
const [ana, ben, cat] = [newId('cus'), newId('cus'), newId('cus')];
const seg = newId('seg');
const rules = { all: [{ computedTrait: { key: 'pv_7d', op: 'gte', value: 1 } }] };

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  deps.db.query<T>(sql, params).then((r) => r.rows);
const ago = (ms: number) => new Date(clock.now().getTime() - ms);
const viewed = (customer: string, at: Date) =>
  q(
    `INSERT INTO events (source_id, message_id, type, event, customer_id, "timestamp", received_at)
     VALUES ('src_plaza', $1, 'track', 'Product Viewed', $2, $3, $4)`,
    [newId('msg'), customer, at, clock.now()],
  );
const members = async () =>
  (await q<{ customer_id: string }>('SELECT customer_id FROM segment_members WHERE segment_id = $1', [seg]))
    .map((r) => r.customer_id)
    .sort();
const announced = async (type: string, customer: string) =>
  q<{ data: Record<string, unknown> }>(
    `SELECT data FROM outbox_events WHERE type = $1 AND data->>'customer_id' = $2 AND data->>'segment_id' = $3`,
    [type, customer, seg],
  );
const size = async () =>
  (await q<{ size: number }>('SELECT size FROM segments WHERE id = $1', [seg]))[0]?.size;

beforeAll(async () => {
  tdb = await createTestDb();
  deps = {
    db: tdb.db,
    clock,
    log: silentLogger(),
    config: loadConfig({ PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY }),
  };
  const now = clock.now();
  for (const id of [ana, ben, cat])
    await q('INSERT INTO customers (id, email, created_at, updated_at) VALUES ($1, $2, $3, $3)', [
      id,
      `${id.toLowerCase()}@example.com`,
      now,
    ]);
  await q(
    `INSERT INTO computed_traits (id, key, name, definition, created_at, updated_at)
     VALUES ($1, 'pv_7d', 'Views in 7 days', $2::jsonb, $3, $3)`,
    [newId('ctr'), JSON.stringify({ kind: 'event_count', event: 'Product Viewed', windowDays: 7 }), now],
  );
  await q(
    `INSERT INTO segments (id, name, rules, refresh_minutes, created_at, updated_at)
     VALUES ($1, 'Viewers', $2::jsonb, 60, $3, $3), ($4, 'Archived', $2::jsonb, 60, $3, $3)`,
    [seg, JSON.stringify(rules), now, newId('seg')],
  );
  await q('UPDATE segments SET archived_at = $1 WHERE id <> $2', [now, seg]);
}, 60_000);
afterAll(() => tdb.drop());

describe('segment membership', () => {
  it('a full evaluation materialises members with history, events, size and a size point', async () => {
    await viewed(ana, ago(DAY));
    await viewed(ben, ago(2 * DAY));
    expect(await deps.db.tx((tx) => refreshDueTrait(tx, clock.now()))).toBe(1);
    const r = await evaluateSegment(deps.db, seg, { clock });
    expect(r?.entered.sort()).toEqual([ana, ben].sort());
    expect(r).toMatchObject({ exited: [], size: 2, full: true });
    expect(await members()).toEqual([ana, ben].sort());
    expect((await announced('segment.entered', ana))[0]?.data).toEqual({
      segment_id: seg,
      customer_id: ana,
      at: clock.now().toISOString(),
    });
    const hist = await q(
      'SELECT customer_id, exited_at FROM segment_membership_history WHERE segment_id = $1',
      [seg],
    );
    expect(hist).toHaveLength(2);
    expect(await q('SELECT size FROM segment_sizes WHERE segment_id = $1', [seg])).toEqual([{ size: 2 }]);
    // evaluating again changes nothing and announces nothing
    expect(await evaluateSegment(deps.db, seg, { clock })).toMatchObject({
      entered: [],
      exited: [],
      size: 2,
    });
    expect(await announced('segment.entered', ana)).toHaveLength(1);
  });

  it('a late event queues its customer; the dirty job brings them in exactly once', async () => {
    clock.advance(MINUTE);
    await viewed(cat, ago(3 * DAY)); // happened three days ago, arrives now
    await markAudienceDirty(deps.db, [cat], clock.now());
    expect(await processDirty(deps)).toBe(1);
    expect(await members()).toContain(cat);
    expect(await size()).toBe(3);
    await markAudienceDirty(deps.db, [cat, ben], clock.now());
    expect(await processDirty(deps)).toBe(2);
    expect(await processDirty(deps)).toBe(0);
    expect(await announced('segment.entered', cat)).toHaveLength(1);
    expect(await announced('segment.entered', ben)).toHaveLength(1);
  });

  it('a restricted customer leaves: outbox fact → subscriber → dirty job → segment.exited', async () => {
    clock.advance(MINUTE);
    await deps.db.tx((tx) => setProcessingRestricted(tx, deps, ana, true, 'test'));
    const dispatcher = new OutboxDispatcher({ ...deps, subscribers: [audienceSubscriber(deps)] });
    while ((await dispatcher.runOnce()) > 0);
    expect(await q('SELECT customer_id FROM audience_dirty')).toEqual([{ customer_id: ana }]);
    expect(await processDirty(deps)).toBe(1);
    expect(await members()).toEqual([ben, cat].sort());
    expect(await announced('segment.exited', ana)).toHaveLength(1);
    const hist = await q<{ exited_at: Date | null }>(
      'SELECT exited_at FROM segment_membership_history WHERE segment_id = $1 AND customer_id = $2',
      [seg, ana],
    );
    expect(hist.map((h) => h.exited_at?.toISOString())).toEqual([clock.now().toISOString()]);
    expect(await size()).toBe(2);
    // no profiling either: the restricted customer's computed values are gone
    expect(await q('SELECT 1 FROM customer_computed_traits WHERE customer_id = $1', [ana])).toEqual([]);
  });

  it('time windows move: the hourly trait computation marks the segment due, the schedule evaluates it', async () => {
    expect(await evaluateDueSegment(deps)).toBe(0); // evaluated fully a few minutes ago
    clock.advance(6 * DAY); // cat's view (3 days old) leaves the 7-day window, ben's (2 days) too
    expect(await deps.db.tx((tx) => refreshDueTrait(tx, clock.now()))).toBe(1);
    expect((await q('SELECT full_due_at FROM segments WHERE id = $1', [seg]))[0]?.full_due_at).not.toBeNull();
    expect(await evaluateDueSegment(deps)).toBe(1);
    expect(await evaluateDueSegment(deps)).toBe(0);
    expect(await members()).toEqual([]);
    expect(await announced('segment.exited', cat)).toHaveLength(1);
    expect(await size()).toBe(0);
    // sizes over time: a point when the size changes, otherwise at most one an hour
    const points = async () =>
      (await q('SELECT size FROM segment_sizes WHERE segment_id = $1 ORDER BY at', [seg])).length;
    const before = await points();
    clock.advance(10 * MINUTE);
    await evaluateSegment(deps.db, seg, { clock });
    expect(await points()).toBe(before);
    clock.advance(HOUR);
    expect(await evaluateDueSegment(deps)).toBe(1); // refresh_minutes = 60 passed
    expect(await points()).toBe(before + 1);
  });

  it('two evaluations at once insert and announce a member once', async () => {
    await viewed(ben, ago(HOUR));
    await markAudienceDirty(deps.db, [ben], clock.now());
    // recompute the trait only (no segment yet), then let two full evaluations race
    await processDirty(deps, async () => null);
    const runs = await Promise.all([
      evaluateSegment(deps.db, seg, { clock }),
      evaluateSegment(deps.db, seg, { clock }),
    ]);
    expect(runs.map((r) => r?.entered.length).sort()).toEqual([0, 1]);
    expect(await announced('segment.entered', ben)).toHaveLength(2); // the first entry, and this one
    expect(await members()).toEqual([ben]);
  });

  it('a queued customer wakes the worker (NOTIFY) and is evaluated well within 5 s', async () => {
    const worker = new Worker(deps.db, deps.log, [
      {
        name: 'audience-dirty',
        intervalMs: 60_000,
        wakeOn: AUDIENCE_CHANNEL,
        runOnce: () => processDirty(deps),
      },
    ]);
    await worker.start();
    try {
      await new Promise((r) => setTimeout(r, 50)); // let its first (idle) run pass
      await viewed(cat, ago(MINUTE));
      const started = Date.now();
      await markAudienceDirty(deps.db, [cat], clock.now());
      while (!(await members()).includes(cat) && Date.now() - started < 10_000)
        await new Promise((r) => setTimeout(r, 20));
      expect(await members()).toContain(cat);
      // the worker polls only every 60 s here: only the NOTIFY can be this quick
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await worker.stop();
    }
  });

  it('a segment whose stored rules no longer compile is skipped, not allowed to block the jobs', async () => {
    const broken = newId('seg');
    await q(
      `INSERT INTO segments (id, name, rules, created_at, updated_at) VALUES ($1, 'Broken', $2::jsonb, $3, $3)`,
      [broken, JSON.stringify({ trait: { key: 'plan', op: 'in', value: 'gold' } }), clock.now()],
    );
    await markAudienceDirty(deps.db, [ben], clock.now());
    expect(await processDirty(deps)).toBe(1);
    expect(await evaluateDueSegment(deps)).toBe(1);
    expect(await evaluateDueSegment(deps)).toBe(0);
    await q('UPDATE segments SET archived_at = $2 WHERE id = $1', [broken, clock.now()]);
  });

  it('a merged-away customer leaves at their next evaluation; the survivor stays', async () => {
    expect(await members()).toEqual([ben, cat].sort());
    await q(`UPDATE customers SET status = 'merged', merged_into = $2 WHERE id = $1`, [ben, cat]);
    await markAudienceDirty(deps.db, [ben, cat], clock.now());
    expect(await processDirty(deps)).toBe(2);
    expect(await members()).toEqual([cat]);
    expect(await announced('segment.exited', ben)).toHaveLength(2); // the window exit earlier, and this one
  });
});
