/**
 * The campaign planner and its jobs on a real database: holdout and A/B assignment (deterministic),
 * the gate's decisions as planned/skipped rows with reasons, local-time scheduling, crash-safe
 * re-planning, pause/resume/cancel, a segment deleted under a running campaign, the A/B winner and
 * completion — with the rollups always equal to the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { newId } from '../../platform/ids.ts';
import { silentLogger } from '../../platform/log.ts';
import type { Deps } from '../../platform/module.ts';
import { createTestDb, TEST_PRIVACY_KEY, type TestDb } from '../../platform/testing.ts';
import { makeDeps } from '../../server.ts';
import { audienceChunk } from './audiences.ts';
import * as repo from './campaigns-repo.ts';
import type { CreateCampaignBody } from './campaigns-schema.ts';
import * as service from './campaigns-service.ts';
import { completeStep, settleStep } from './jobs-campaigns.ts';
import { inHoldout, planChunk, planDue, planStep } from './plan.ts';
import { bumpStats, campaignStats } from './stats.ts';
import { winnerStep } from './winner.ts';

let testDb: TestDb;
let deps: Deps;
const clock = new TestClock('2026-01-15T10:00:00Z');
const N = 300;
const ids: string[] = [];
const consented = new Set<string>();
let erased: string;

const segmentOf = async (members: readonly string[]): Promise<string> => {
  const id = newId('seg');
  const now = clock.now();
  await deps.db.query(
    `INSERT INTO segments (id, name, rules, created_at, updated_at) VALUES ($1, $1, '{}', $2, $2)`,
    [id, now],
  );
  await deps.db.query(
    `INSERT INTO segment_members (segment_id, customer_id, entered_at) SELECT $1, unnest($2::text[]), $3`,
    [id, members, now],
  );
  return id;
};

const email = { subject: 'Hi {{ customer.first_name }}', text: 'News' };
const create = (over: Partial<CreateCampaignBody>) =>
  deps.db.tx((tx) =>
    service.createCampaign(
      tx,
      clock,
      {
        name: `C ${newId('x')}`,
        media: ['email'],
        variants: [{ key: 'A', split: 100, content: { email } }],
        ...over,
      },
      'test',
    ),
  );
const schedule = (id: string) => deps.db.tx((tx) => service.scheduleCampaign(tx, clock, id, 'test'));
const get = async (id: string) => (await repo.getCampaign(deps.db, id)) as repo.CampaignRow;

interface Send {
  customer_id: string;
  medium: string;
  variant: string | null;
  status: string;
  skip_reason: string | null;
  delay_reason: string | null;
  due_at: Date;
}
const sends = async (campaignId: string): Promise<Send[]> =>
  (
    await deps.db.query<Send>(
      `SELECT customer_id, medium, variant, status, skip_reason, delay_reason, due_at FROM message_sends
       WHERE campaign_id = $1 ORDER BY customer_id, medium`,
      [campaignId],
    )
  ).rows;

/**
 * The rollups equal the ledger's counts (what the screens show is what happened). `planned` counts
 * rows planned for sending (it stays when they are later cancelled or skipped).
 */
const expectStatsMatchLedger = async (campaignId: string) => {
  const fromLedger = new Map<string, number>();
  const add = (k: string) => fromLedger.set(k, (fromLedger.get(k) ?? 0) + 1);
  for (const s of await sends(campaignId)) {
    const key = (metric: string) => `${s.variant ?? ''}|${s.medium}|${metric}`;
    if (s.status === 'cancelled' || s.skip_reason === 'segment_deleted') add(key('planned'));
    add(key(s.status === 'skipped' ? `skipped:${s.skip_reason}` : s.status));
  }
  const fromStats = new Map(
    (await campaignStats(deps.db, campaignId))
      // the planner's metrics (the sender's and tracking's are not the planner's to check)
      .filter((r) => r.n !== 0 && !['sent', 'clicked'].includes(r.metric))
      .map((r) => [`${r.variant}|${r.medium}|${r.metric}`, r.n]),
  );
  expect(fromStats).toEqual(fromLedger);
};

beforeAll(async () => {
  testDb = await createTestDb();
  deps = makeDeps({
    db: testDb.db,
    config: loadConfig({ PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY }),
    log: silentLogger(),
    clock,
  });
  const now = clock.now();
  for (let i = 0; i < N; i++) ids.push(newId('cus'));
  ids.sort();
  await deps.db.query(
    `INSERT INTO customers (id, email, first_name, created_at, updated_at)
     SELECT id, lower(id) || '@example.com', 'Ann', $2, $2 FROM unnest($1::text[]) AS id`,
    [ids, now],
  );
  ids.forEach((id, i) => {
    if (i % 3 !== 0) consented.add(id);
  });
  await deps.db.query(
    `INSERT INTO consent_records (id, customer_id, purpose, channel, status, legal_basis, source, recorded_by, recorded_at)
     SELECT 'cns_' || substr(md5(c), 1, 26), c, 'marketing', 'email', 'granted', 'consent', 'admin', 'test', $2
     FROM unnest($1::text[]) AS c`,
    [[...consented], now],
  );
  erased = ids[1] as string;
  await deps.db.query(`UPDATE customers SET status = 'erased', erased_at = $2 WHERE id = $1`, [erased, now]);
});
afterAll(async () => {
  await testDb?.drop();
});

describe('planning a campaign', () => {
  it('writes holdout, planned and skipped rows with reasons, splits A/B, and keeps rollups equal to the ledger', async () => {
    const seg = await segmentOf(ids);
    const c = await create({
      segment_id: seg,
      holdout_percent: 20,
      variants: [
        { key: 'A', split: 50, content: { email } },
        { key: 'B', split: 50, content: { email } },
      ],
    });
    await schedule(c.id);
    expect(await planDue(deps, 64)).toBeGreaterThan(4); // several chunks
    expect((await get(c.id)).status).toBe('sending');
    const rows = await sends(c.id);
    expect(rows.length).toBe(N - 1);
    expect(rows.some((r) => r.customer_id === erased)).toBe(false);
    const holdout = rows.filter((r) => r.status === 'holdout');
    expect(holdout.map((r) => r.customer_id)).toEqual(
      ids.filter((id) => id !== erased && inHoldout(c.id, id, 20)),
    );
    expect(holdout.length / (N - 1)).toBeGreaterThan(0.12);
    expect(holdout.length / (N - 1)).toBeLessThan(0.28);
    const reached = rows.filter((r) => r.status !== 'holdout');
    for (const r of reached) {
      if (consented.has(r.customer_id))
        expect([r.status, r.variant]).toEqual(['planned', expect.any(String)]);
      else expect([r.status, r.skip_reason]).toEqual(['skipped', 'no_consent']);
    }
    const a = reached.filter((r) => r.variant === 'A').length / reached.length;
    expect(a).toBeGreaterThan(0.38);
    expect(a).toBeLessThan(0.62);
    await expectStatsMatchLedger(c.id);
  });

  it('re-plans without duplicates and with the same holdout (a planner killed mid-way)', async () => {
    const seg = await segmentOf(ids.slice(0, 120));
    const c = await create({ segment_id: seg, holdout_percent: 30 });
    await schedule(c.id);
    expect(await planStep(deps, 50)).toBe(1); // the audience cut into lanes
    expect((await get(c.id)).status).toBe('planning');
    expect(await sends(c.id)).toEqual([]);
    expect(await planStep(deps, 50)).toBe(1); // one chunk committed, then "killed"
    expect((await sends(c.id)).length).toBe(50);
    await planDue(deps, 50);
    const rows = await sends(c.id);
    expect(rows.length).toBe(119);
    // the same chunk planned again writes nothing and counts nothing
    const first = await audienceChunk(deps.db, await get(c.id), null, 40);
    expect(await deps.db.tx((tx) => planChunk(tx, deps, { ...(c as repo.CampaignRow) }, first))).toBe(40);
    expect((await sends(c.id)).length).toBe(119);
    await expectStatsMatchLedger(c.id);
    // a fresh plan of the same campaign picks the same holdout set
    const holdout = rows.filter((r) => r.status === 'holdout').map((r) => r.customer_id);
    await deps.db.query('DELETE FROM message_sends WHERE campaign_id = $1', [c.id]);
    await deps.db.query('DELETE FROM campaign_plan_lanes WHERE campaign_id = $1', [c.id]);
    await deps.db.query(`UPDATE campaigns SET status = 'planning' WHERE id = $1`, [c.id]);
    await planDue(deps, 50);
    expect((await sends(c.id)).filter((r) => r.status === 'holdout').map((r) => r.customer_id)).toEqual(
      holdout,
    );
  });

  it('plans once with two planners at the same time (the campaign row is the lease)', async () => {
    const c = await create({ segment_id: await segmentOf(ids.slice(0, 90)), holdout_percent: 10 });
    await schedule(c.id);
    await Promise.all([planDue(deps, 20), planDue(deps, 20)]);
    expect((await get(c.id)).status).toBe('sending');
    expect((await sends(c.id)).length).toBe(89);
    await expectStatsMatchLedger(c.id);
  });

  it('schedules local_time per recipient time zone, and holds marketing in quiet hours', async () => {
    const tokyo = ids[2] as string;
    const york = ids[4] as string;
    const utc = ids[5] as string;
    for (const [id, tz] of [
      [tokyo, 'Asia/Tokyo'],
      [york, 'America/New_York'],
    ] as const)
      await deps.db.query(
        `INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at) VALUES ($1, 'timezone', $2::jsonb, $3, $3)`,
        [id, JSON.stringify(tz), clock.now()],
      );
    const seg = await segmentOf([tokyo, york, utc]);
    const c = await create({
      segment_id: seg,
      schedule: { mode: 'local_time', local_time: '09:00', date: '2026-01-16' },
    });
    const s = await schedule(c.id);
    expect(s.scheduled_at?.toISOString()).toBe('2026-01-15T19:00:00.000Z');
    expect(await planStep(deps)).toBe(0); // not due yet
    clock.set('2026-01-15T19:00:00Z');
    await planDue(deps);
    const due = new Map((await sends(c.id)).map((r) => [r.customer_id, [r.status, r.due_at.toISOString()]]));
    expect(due.get(tokyo)).toEqual(['planned', '2026-01-16T00:00:00.000Z']);
    expect(due.get(york)).toEqual(['planned', '2026-01-16T14:00:00.000Z']);
    expect(due.get(utc)).toEqual(['planned', '2026-01-16T09:00:00.000Z']);
    // sent now at 22:00 UTC: quiet hours (21:00–08:00) delay it to 08:00, never drop it
    clock.set('2026-01-15T22:00:00Z');
    const now = await create({ segment_id: await segmentOf([utc]) });
    await schedule(now.id);
    await planDue(deps);
    const [row] = await sends(now.id);
    expect([row?.status, row?.delay_reason, row?.due_at.toISOString()]).toEqual([
      'planned',
      'quiet_hours',
      '2026-01-16T08:00:00.000Z',
    ]);
    clock.set('2026-01-15T10:00:00Z');
  });
});

describe('a planned campaign', () => {
  const planned = async (members: readonly string[], over: Partial<CreateCampaignBody> = {}) => {
    const c = await create({ segment_id: await segmentOf(members), ...over });
    await schedule(c.id);
    await planDue(deps);
    return c.id;
  };
  const act = (id: string, f: typeof service.pauseCampaign) => deps.db.tx((tx) => f(tx, clock, id, 'test'));

  it('pauses, resumes and cancels: cancelled rows are never sent, and counted', async () => {
    const id = await planned(ids.slice(0, 60));
    expect((await act(id, service.pauseCampaign)).status).toBe('paused');
    expect((await act(id, service.resumeCampaign)).status).toBe('sending');
    await expect(act(id, service.resumeCampaign)).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    const before = (await sends(id)).filter((r) => r.status === 'planned').length;
    expect(before).toBeGreaterThan(20);
    expect((await act(id, service.cancelCampaign)).status).toBe('cancelled');
    expect(await settleStep(deps)).toBe(before);
    const after = await sends(id);
    expect(after.filter((r) => r.status === 'planned')).toEqual([]);
    expect(after.filter((r) => r.status === 'cancelled').length).toBe(before);
    await expectStatsMatchLedger(id);
  });

  it('skips what is left when its segment is deleted, and completes with that reason', async () => {
    const id = await planned(ids.slice(60, 120));
    const c = await get(id);
    await deps.db.query(`UPDATE segments SET archived_at = $2 WHERE id = $1`, [c.segment_id, clock.now()]);
    await settleStep(deps);
    const rows = await sends(id);
    expect(rows.filter((r) => r.status === 'planned')).toEqual([]);
    expect(rows.filter((r) => r.skip_reason === 'segment_deleted').length).toBeGreaterThan(20);
    expect((await get(id)).status).toBe('completed');
    expect(await repo.statusReasonOf(deps.db, id)).toBe('segment_deleted');
    await expectStatsMatchLedger(id);
  });

  it('cuts the audience into lanes of customer ids, each planned in its own range, and goes on after a pause', async () => {
    const members = ids.slice(0, 100);
    const c = await create({ segment_id: await segmentOf(members) });
    await schedule(c.id);
    await planStep(deps, 20, 3); // 3 lanes of about 33 customers
    const lanes = (
      await deps.db.query<{ lane: number; after_id: string | null; upto_id: string | null }>(
        'SELECT lane, after_id, upto_id FROM campaign_plan_lanes WHERE campaign_id = $1 ORDER BY lane',
        [c.id],
      )
    ).rows;
    expect(lanes.map((l) => l.lane)).toEqual([0, 1, 2]);
    expect(lanes[0]?.after_id).toBeNull();
    expect(lanes[2]?.upto_id).toBeNull();
    expect(lanes[1]?.after_id).toBe(lanes[0]?.upto_id);
    expect(lanes[2]?.after_id).toBe(lanes[1]?.upto_id);
    // two lanes get a chunk each, as two planners would at once
    await planStep(deps, 20, 3);
    await planStep(deps, 20, 3);
    await deps.db.tx((tx) => service.pauseCampaign(tx, clock, c.id, 'test'));
    expect(await planStep(deps, 20, 3)).toBe(0); // a paused campaign is not planned
    await deps.db.tx((tx) => service.resumeCampaign(tx, clock, c.id, 'test'));
    await planDue(deps, 20, 3);
    expect((await get(c.id)).status).toBe('sending');
    const rows = await sends(c.id);
    const audience = await audienceChunk(deps.db, await get(c.id), null, 1000); // reachable members
    expect(audience.length).toBeGreaterThan(90);
    expect(rows.map((r) => r.customer_id).sort()).toEqual([...audience].sort());
    // each row lies in the lane that planned it: ranges are disjoint and cover the audience
    const sorted = [...audience].sort();
    const inLane = (id: string) =>
      lanes.findIndex(
        (l) => (l.after_id === null || id > l.after_id) && (l.upto_id === null || id <= l.upto_id),
      );
    expect(sorted.map(inLane).filter((i) => i < 0)).toEqual([]);
    expect(new Set(sorted.map(inLane)).size).toBe(3);
    await expectStatsMatchLedger(c.id);
  });

  it('ends a campaign whose segment is deleted while it is being planned', async () => {
    const c = await create({ segment_id: await segmentOf(ids.slice(140, 200)) });
    await schedule(c.id);
    await planStep(deps, 20); // lanes cut
    await planStep(deps, 20); // one chunk planned
    await deps.db.query('UPDATE segments SET archived_at = $2 WHERE id = $1', [c.segment_id, clock.now()]);
    await planDue(deps, 20);
    expect((await get(c.id)).status).toBe('completed');
    const rows = await sends(c.id);
    expect(rows.length).toBe(20);
    expect(rows.filter((r) => r.status === 'planned')).toEqual([]);
    expect(rows.some((r) => r.skip_reason === 'segment_deleted')).toBe(true);
    await expectStatsMatchLedger(c.id);
  });

  it('sends the test group first and gives the rest the winning variant after the wait', async () => {
    const id = await planned(ids, {
      variants: [
        { key: 'A', split: 50, content: { email } },
        { key: 'B', split: 50, content: { email } },
      ],
      winner: { metric: 'click', test_percent: 30, after_minutes: 60 },
    });
    const rows = (await sends(id)).filter((r) => r.status === 'planned');
    const waiting = rows.filter((r) => r.variant === null);
    expect(waiting.length / rows.length).toBeGreaterThan(0.55);
    for (const r of waiting) {
      expect(r.delay_reason).toBe('winner_pending');
      expect(r.due_at.toISOString()).toBe('2026-01-15T11:00:00.000Z');
    }
    // B clicks better
    await bumpStats(deps.db, [
      { campaignId: id, variant: 'A', medium: 'email', metric: 'sent', by: 30 },
      { campaignId: id, variant: 'B', medium: 'email', metric: 'sent', by: 30 },
      { campaignId: id, variant: 'A', medium: 'email', metric: 'clicked', by: 2 },
      { campaignId: id, variant: 'B', medium: 'email', metric: 'clicked', by: 6 },
    ]);
    expect(await winnerStep(deps)).toBe(0); // not yet
    clock.advance(61 * 60_000);
    expect(await winnerStep(deps, 50)).toBe(50);
    while ((await winnerStep(deps, 50)) > 0);
    expect((await get(id)).winner_variant).toBe('B');
    const after = (await sends(id)).filter((r) => r.status === 'planned');
    expect(after.filter((r) => r.variant === null)).toEqual([]);
    expect(after.filter((r) => r.variant === 'B').length).toBe(
      waiting.length + rows.filter((r) => r.variant === 'B').length,
    );
    const pending = (await campaignStats(deps.db, id)).filter(
      (s) => s.metric === 'planned' && s.variant === '',
    );
    expect(pending.every((s) => s.n === 0)).toBe(true);
    await expectStatsMatchLedger(id);
    clock.set('2026-01-15T10:00:00Z');
  });

  it('completes once nothing is planned or in flight', async () => {
    const id = await planned(ids.slice(120, 140));
    expect(await completeStep(deps)).toBe(0);
    await deps.db.query(
      `UPDATE message_sends SET status = 'sent', sent_at = $2 WHERE campaign_id = $1 AND status = 'planned'`,
      [id, clock.now()],
    );
    expect(await completeStep(deps)).toBeGreaterThan(0);
    expect((await get(id)).status).toBe('completed');
  });
});
