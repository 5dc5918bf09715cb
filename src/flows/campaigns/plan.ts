/**
 * The campaign planner: turns a due campaign's audience into ledger rows (message_sends), one chunk
 * of customers per transaction, in customer-id order. Per recipient: the holdout (deterministic hash),
 * the A/B variant (another hash, by split), the test group of an automatic winner, and per medium the
 * gate's decision (consent, cap, address, quiet hours …) → planned (with its due time), skipped (with
 * the reason) or holdout. One INSERT … SELECT per chunk, idempotent (ON CONFLICT DO NOTHING), so a
 * planner killed mid-way resumes where the committed chunks end and never writes a row twice.
 */
import { createHash } from 'node:crypto';
import type { Medium } from '../../modules/messaging/types.ts';
import type { Tx } from '../../platform/db.ts';
import { ulid } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { audienceAvailable, audienceChunk, audienceRanges } from './audiences.ts';
import * as repo from './campaigns-repo.ts';
import { localInstant, transition } from './campaigns-service.ts';
import { outOfStockAmong } from './campaigns-stock.ts';
import { type GateDecision, gateCheckMedia } from './gate.ts';
import { settlePlanned } from './settle.ts';
import { bumpStats, type StatBump } from './stats.ts';

/** Customers per planning transaction (each gets one row per medium). */
export const PLAN_CHUNK = 10_000;

/** The first 8 hex digits of sha256(`<salt>:<customer id>`) as a fraction in [0, 1). */
export const hashFraction = (salt: string, customerId: string): number =>
  createHash('sha256').update(`${salt}:${customerId}`).digest().readUInt32BE(0) / 4_294_967_296;

/** Holdout: sha256(campaign id ':' customer id) as a fraction below holdout_percent / 100. */
export const inHoldout = (campaignId: string, customerId: string, percent: number): boolean =>
  percent > 0 && hashFraction(campaignId, customerId) < percent / 100;

/** The variant by split percentages, from a hash salted with `<campaign id>:variant`. */
export const variantOf = (
  campaignId: string,
  customerId: string,
  variants: readonly { key: string; split: number }[],
): string => {
  const f = hashFraction(`${campaignId}:variant`, customerId) * 100;
  let acc = 0;
  for (const v of variants) {
    acc += v.split;
    if (f < acc) return v.key;
  }
  return (variants.at(-1) as { key: string }).key;
};

/** With an automatic winner: whether the customer is in the test group (salt `<campaign id>:test`). */
export const inTestGroup = (campaignId: string, customerId: string, percent: number): boolean =>
  hashFraction(`${campaignId}:test`, customerId) < percent / 100;

interface PlannedRow {
  customer: string;
  medium: Medium;
  variant: string | null;
  status: 'planned' | 'skipped' | 'holdout';
  reason: string | null;
  delay: string | null;
  due: Date;
}

/** Due time of a planned row: the schedule (local time in the recipient's zone), quiet hours, the winner's wait. */
const dueOf = (
  c: repo.CampaignRow,
  d: Extract<GateDecision, { ok: true }>,
  base: Date,
  winnerPending: boolean,
): { due: Date; delay: string | null } => {
  let due = base;
  if (c.schedule.mode === 'local_time' && c.schedule.date && c.schedule.local_time) {
    const local = localInstant(c.schedule.date, c.schedule.local_time, d.timezone);
    if (local && local > base) due = local;
  }
  if (winnerPending && c.winner)
    return { due: new Date(due.getTime() + c.winner.after_minutes * 60_000), delay: 'winner_pending' };
  if (d.delayUntil && d.delayUntil > due) return { due: d.delayUntil, delay: 'quiet_hours' };
  return { due, delay: null };
};

/**
 * Plans one chunk of customers (already read in id order) of a locked campaign: the rows go in one
 * INSERT … SELECT over arrays, and the rollups of the rows really written in one bump.
 */
export const planChunk = async (
  tx: Tx,
  deps: Deps,
  c: repo.CampaignRow,
  customerIds: readonly string[],
): Promise<number> => {
  const now = deps.clock.now();
  const started = performance.now();
  // planning starts when the campaign is due (mode now/at) or at the first local time anywhere
  const base = now;
  const marketing = c.kind === 'marketing';
  const held = new Set<string>();
  const reached: string[] = [];
  for (const id of customerIds) {
    if (inHoldout(c.id, id, c.holdout_percent)) held.add(id);
    else reached.push(id);
  }
  const variant = new Map<string, string | null>();
  for (const id of reached)
    variant.set(
      id,
      c.winner && !inTestGroup(c.id, id, c.winner.test_percent) ? null : variantOf(c.id, id, c.variants),
    );
  const outOfStock = c.require_in_stock
    ? await outOfStockAmong(tx, deps, c.product_ids, reached)
    : new Set<string>();
  const gateStart = performance.now();
  const byMedium = await gateCheckMedia(tx, deps, {
    customerIds: reached,
    media: c.media,
    marketing,
    now: base,
  });
  const gateMs = performance.now() - gateStart;
  // rows in the audience's (customer id) order, as the unique index wants them: no sort in the insert
  const rows: PlannedRow[] = [];
  const unsent = (
    customer: string,
    medium: Medium,
    v: string | null,
    reason: string,
    status: 'skipped' | 'holdout' = 'skipped',
  ) => rows.push({ customer, medium, variant: v, status, reason, delay: null, due: now });
  for (const id of customerIds) {
    if (held.has(id)) {
      for (const medium of c.media) unsent(id, medium, null, 'holdout', 'holdout');
      continue;
    }
    const v = variant.get(id) ?? null;
    for (const medium of c.media) {
      const d = byMedium.get(medium)?.get(id);
      // no decision at all: never send what the gate did not allow
      if (!d?.ok) unsent(id, medium, v, d?.reason ?? 'no_consent');
      else if (outOfStock.has(id)) unsent(id, medium, v, 'out_of_stock');
      else {
        const { due, delay } = dueOf(c, d, base, v === null);
        rows.push({ customer: id, medium, variant: v, status: 'planned', reason: null, delay, due });
      }
    }
  }
  if (rows.length === 0) return 0;
  const insertStart = performance.now();
  const written = await tx.query<{
    variant: string | null;
    medium: string;
    status: string;
    skip_reason: string | null;
    n: string;
  }>(
    `WITH ins AS (
       INSERT INTO message_sends (id, source_kind, source_key, campaign_id, customer_id, medium, marketing, variant,
         status, skip_reason, delay_reason, due_at, created_at, updated_at)
       SELECT 'msg_' || $2 || upper(substr(md5($1 || ':' || r.customer_id || ':' || r.medium), 1, 16)),
         'campaign', $1, $1, r.customer_id, r.medium, $3, r.variant, r.status, r.skip_reason, r.delay_reason,
         r.due_at, $4, $4
       FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
         AS r (customer_id, medium, variant, status, skip_reason, delay_reason, due_at)
       ON CONFLICT (source_key, customer_id, medium) DO NOTHING
       RETURNING variant, medium, status, skip_reason)
     SELECT variant, medium, status, skip_reason, count(*)::text AS n FROM ins GROUP BY 1, 2, 3, 4`,
    [
      c.id,
      ulid(now.getTime()).slice(0, 10),
      marketing,
      now,
      rows.map((r) => r.customer),
      rows.map((r) => r.medium),
      rows.map((r) => r.variant),
      rows.map((r) => r.status),
      rows.map((r) => r.reason),
      rows.map((r) => r.delay),
      rows.map((r) => r.due.toISOString()),
    ],
  );
  const bumps: StatBump[] = written.rows.map((w) => ({
    campaignId: c.id,
    variant: w.variant,
    medium: w.medium,
    metric: w.status === 'skipped' ? `skipped:${w.skip_reason}` : w.status,
    by: Number(w.n),
  }));
  await bumpStats(tx, bumps);
  // where a chunk's time goes (PLAZA_LOG=debug): the gate's queries, the one insert, the rest (hashes, arrays)
  deps.log.debug(
    {
      campaignId: c.id,
      customers: customerIds.length,
      rows: rows.length,
      gateMs: Math.round(gateMs),
      insertMs: Math.round(performance.now() - insertStart),
      totalMs: Math.round(performance.now() - started),
    },
    'campaign chunk planned',
  );
  return customerIds.length;
};

/** Lanes a campaign's audience is cut into: that many planners can plan it at once. */
export const PLAN_LANES = 4;

/**
 * Where a lane resumes: the last customer with committed rows in its range (the unique index on
 * (source_key, customer_id, medium) answers it), else the start of its range.
 */
const resumeAfter = async (
  tx: Tx,
  campaignId: string,
  range: { after: string | null; upto: string | null },
): Promise<string | null> =>
  (
    await tx.query<{ last: string | null }>(
      `SELECT max(customer_id) AS last FROM message_sends
       WHERE source_key = $1 AND ($2::text IS NULL OR customer_id > $2) AND ($3::text IS NULL OR customer_id <= $3)`,
      [campaignId, range.after, range.upto],
    )
  ).rows[0]?.last ?? range.after;

// A chunk reads customers, consent and traits for 10,000 ids (`= ANY($1)`): with PostgreSQL's default
// random_page_cost (4, tuned for spinning disks) those became parallel sequential scans of the whole
// tables at 1,000,000 customers (194 ms instead of 29 ms each, BENCHMARKS.md "Campaigns").
const INDEX_FRIENDLY = 'SET LOCAL random_page_cost = 1.1';

/** The campaign's columns qualified by the alias `c` (the lane query joins the lanes). */
const CAMPAIGN_COLS_OF_C = repo.CAMPAIGN_COLS.split(',')
  .map((col) => `c.${col.trim()}`)
  .join(', ');

/**
 * The campaign-level moves, under the campaign's row lock (FOR UPDATE SKIP LOCKED: never while a lane
 * is mid-chunk, as lanes hold it FOR SHARE): a due campaign starts planning and its audience is cut
 * into lanes; a campaign whose lanes are all done moves to sending; a vanished audience completes it
 * (reason segment_deleted); a campaign without a per-recipient audience (banners for every visitor)
 * goes straight to sending. Returns 1 when it did something.
 */
const campaignStep = async (deps: Deps, chunk: number, lanes: number): Promise<number> => {
  let bulk = false;
  const did = await deps.db.tx(async (tx) => {
    await tx.query(INDEX_FRIENDLY);
    const now = deps.clock.now();
    const picked = (
      await tx.query<repo.CampaignRow>(
        `SELECT ${repo.CAMPAIGN_COLS} FROM campaigns c
         WHERE (c.status = 'scheduled' AND c.scheduled_at <= $1)
            OR (c.status = 'planning' AND NOT EXISTS (
                  SELECT 1 FROM campaign_plan_lanes l WHERE l.campaign_id = c.id AND l.done_at IS NULL))
         ORDER BY c.scheduled_at, c.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      )
    ).rows[0];
    if (!picked) return 0;
    let c = picked;
    if (c.status === 'scheduled') c = await transition(tx, deps.clock, c, 'planning');
    if (!c.segment_id && !c.list_id) {
      // banners and in-app for every visitor: nothing to plan per recipient
      await transition(tx, deps.clock, c, 'sending');
      return 1;
    }
    if (!(await audienceAvailable(tx, c))) {
      // the segment went away mid-planning: what was planned is skipped, and the campaign ends
      await settlePlanned(tx, c.id, 'segment_deleted', now, Number.MAX_SAFE_INTEGER);
      await transition(tx, deps.clock, c, 'completed', { reason: 'segment_deleted' });
      return 1;
    }
    const cut = (
      await tx.query<{ lanes: number; open: number }>(
        `SELECT count(*)::int AS lanes, count(*) FILTER (WHERE done_at IS NULL)::int AS open
         FROM campaign_plan_lanes WHERE campaign_id = $1`,
        [c.id],
      )
    ).rows[0] ?? { lanes: 0, open: 0 };
    if (cut.lanes > 0) {
      // every lane done: the audience is planned; else a resumed campaign whose lanes go on
      if (cut.open === 0) {
        await transition(tx, deps.clock, c, 'sending');
        bulk = cut.lanes > 1;
      }
      return 1;
    }
    // Cut what is left of the audience (a campaign planned in part before lanes existed resumes after
    // its last planned customer) into lanes.
    const start = await resumeAfter(tx, c.id, { after: null, upto: null });
    const ranges = await audienceRanges(tx, c, start, lanes, chunk);
    await tx.query(
      `INSERT INTO campaign_plan_lanes (campaign_id, lane, after_id, upto_id)
       SELECT $1, r.lane, r.after_id, r.upto_id
       FROM unnest($2::int[], $3::text[], $4::text[]) AS r (lane, after_id, upto_id)`,
      [c.id, ranges.map((_, i) => i), ranges.map((r) => r.after), ranges.map((r) => r.upto)],
    );
    return 1;
  });
  // A campaign planned in several lanes wrote at least 20,000 ledger rows at once: fresh statistics
  // before its screens read the ledger (the "why not sent" trace took 1 s a page at 1,000,000
  // recipients until autovacuum got to it, and 0.3 ms after; BENCHMARKS.md "Campaigns").
  if (bulk) await deps.db.query('ANALYZE message_sends');
  return did;
};

/**
 * One chunk of one lane: takes the first lane not done of the most overdue planning campaign (the
 * lane row FOR UPDATE SKIP LOCKED is this planner's lease; the campaign FOR SHARE, so a pause or a
 * cancel waits for the chunk, as before), plans the next customers of its range, and marks the lane
 * done after its last chunk. A vanished audience marks the lane done (campaignStep ends the campaign).
 */
const laneStep = async (deps: Deps, chunk: number): Promise<number> =>
  deps.db.tx(async (tx) => {
    await tx.query(INDEX_FRIENDLY);
    const lane = (
      await tx.query<repo.CampaignRow & { lane: number; after_id: string | null; upto_id: string | null }>(
        `SELECT ${CAMPAIGN_COLS_OF_C}, l.lane, l.after_id, l.upto_id
         FROM campaign_plan_lanes l JOIN campaigns c ON c.id = l.campaign_id
         WHERE c.status = 'planning' AND l.done_at IS NULL
         ORDER BY c.scheduled_at, c.id, l.lane LIMIT 1
         FOR UPDATE OF l SKIP LOCKED FOR SHARE OF c SKIP LOCKED`,
      )
    ).rows[0];
    if (!lane) return 0;
    const done = () =>
      tx.query('UPDATE campaign_plan_lanes SET done_at = $3 WHERE campaign_id = $1 AND lane = $2', [
        lane.id,
        lane.lane,
        deps.clock.now(),
      ]);
    if (!(await audienceAvailable(tx, lane))) {
      await done();
      return 1;
    }
    const range = { after: lane.after_id, upto: lane.upto_id };
    const ids = await audienceChunk(tx, lane, await resumeAfter(tx, lane.id, range), chunk, range.upto);
    if (ids.length > 0) await planChunk(tx, deps, lane, ids);
    if (ids.length < chunk) await done();
    return 1;
  });

/**
 * One step of the planner (a job run): a campaign-level move if one is due (campaignStep), else one
 * chunk of a lane (laneStep). Several planners (loops of one worker, or processes) plan one campaign's
 * lanes at once; one chunk is one transaction, idempotent, so a planner killed mid-way loses nothing
 * and writes nothing twice. Returns 1 when it did something, 0 when nothing was due.
 */
export const planStep = async (deps: Deps, chunk = PLAN_CHUNK, lanes = PLAN_LANES): Promise<number> =>
  (await campaignStep(deps, chunk, lanes)) || laneStep(deps, chunk);

/** Plans due campaigns to the end now (tests, benchmarks, the console's "send now" path). */
export const planDue = async (deps: Deps, chunk = PLAN_CHUNK, lanes = PLAN_LANES): Promise<number> => {
  let steps = 0;
  while ((await planStep(deps, chunk, lanes)) > 0) steps++;
  return steps;
};
