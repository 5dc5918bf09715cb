/**
 * Materialised segment membership: a segment's compiled rules are compared with segment_members, and
 * the difference is written in one transaction with its history rows, the outbox events
 * `segment.entered` / `segment.exited`, the segment's size and (on full evaluations) its size over time.
 */
import { type Clock, HOUR, systemClock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { type NewEvent, writeEvents } from '../../platform/outbox/events.ts';
import { compileRules, segmentableCustomer } from './compile.ts';
import { Params } from './computed-traits.ts';
import type { SegmentRules } from './rules.ts';

export interface EvaluateOptions {
  /** Only these customers (incremental); without it every customer (a full evaluation). */
  customerIds?: readonly string[];
  /** The instant of evaluation and of the events written (default: the system clock). */
  clock?: Clock;
}

export interface Evaluation {
  entered: string[];
  exited: string[];
  /** Members after the evaluation. */
  size: number;
  full: boolean;
}

/** A query returning the `customer_id` of members: compileRules' result (or a test's stand-in). */
export interface MemberQuery {
  sql: string;
  params: unknown[];
}

/** How many events a single outbox insert carries. */
const EVENT_CHUNK = 1000;

/**
 * Re-evaluates a segment (all customers, or only `customerIds`) and applies the difference.
 * Two processes evaluating the same segment take turns (the segment row is locked), so a member is
 * inserted and announced once. Restricted, erased and merged-away customers always leave. Runs in
 * `db`'s transaction when given one. Returns null for an unknown or archived segment.
 */
export const evaluateSegment = async (
  db: Db | Tx,
  segmentId: string,
  opts: EvaluateOptions = {},
): Promise<Evaluation | null> => {
  // in the caller's transaction its settings are the caller's
  const kind = 'inTransaction' in db ? undefined : db.kind;
  const run = async (tx: Tx) => {
    // as the preview (compile-preview.ts): JIT-compiling a plan over every events partition costs
    // more than the query saves (PostgreSQL only; SET LOCAL ends with the transaction)
    if (kind === 'postgres') await tx.query(`SELECT set_config('jit', 'off', true)`);
    return applyMembership(tx, segmentId, opts, (rules, now) =>
      compileRules(rules as SegmentRules, {
        now,
        ...(opts.customerIds ? { customerIds: opts.customerIds } : {}),
      }),
    );
  };
  return 'inTransaction' in db ? run(db) : db.tx(run, { retries: 3 });
};

/** evaluateSegment with the query given by `compile` (the rules as stored → the members' query). */
export const applyMembership = async (
  tx: Tx,
  segmentId: string,
  opts: EvaluateOptions,
  compile: (rules: unknown, now: Date) => MemberQuery,
): Promise<Evaluation | null> => {
  const clock = opts.clock ?? systemClock;
  const seg = (
    await tx.query<{ rules: unknown }>(
      'SELECT rules FROM segments WHERE id = $1 AND archived_at IS NULL FOR UPDATE',
      [segmentId],
    )
  ).rows[0];
  if (!seg) return null;
  const full = opts.customerIds === undefined;
  const ids = opts.customerIds ? [...new Set(opts.customerIds)] : undefined;
  if (ids?.length === 0) return { entered: [], exited: [], size: await sizeOf(tx, segmentId), full };
  const now = clock.now();
  const q = compile(seg.rules, now);
  const p = new Params();
  p.values.push(...q.params);
  const s = p.add(segmentId, '::text');
  const at = p.add(now, '::timestamptz');
  const only = ids ? p.add(ids, '::text[]') : undefined;
  const { rows } = await tx.query<{ entered: boolean; customer_id: string }>(
    `WITH m AS (
       SELECT DISTINCT q.customer_id FROM (${q.sql}) q JOIN customers c ON c.id = q.customer_id
       WHERE ${segmentableCustomer('c')}${only ? ` AND q.customer_id = ANY(${only})` : ''}),
     gone AS (
       DELETE FROM segment_members sm WHERE sm.segment_id = ${s}${only ? ` AND sm.customer_id = ANY(${only})` : ''}
         AND NOT EXISTS (SELECT 1 FROM m WHERE m.customer_id = sm.customer_id)
       RETURNING sm.customer_id),
     came AS (
       INSERT INTO segment_members (segment_id, customer_id, entered_at)
       SELECT ${s}, m.customer_id, ${at} FROM m
       WHERE NOT EXISTS (SELECT 1 FROM segment_members x WHERE x.segment_id = ${s} AND x.customer_id = m.customer_id)
       ON CONFLICT DO NOTHING
       RETURNING customer_id),
     h_in AS (
       INSERT INTO segment_membership_history (segment_id, customer_id, entered_at)
       SELECT ${s}, customer_id, ${at} FROM came),
     h_out AS (
       UPDATE segment_membership_history h SET exited_at = ${at} FROM gone
       WHERE h.segment_id = ${s} AND h.customer_id = gone.customer_id AND h.exited_at IS NULL)
     SELECT true AS entered, customer_id FROM came
     UNION ALL SELECT false, customer_id FROM gone`,
    p.values,
  );
  const entered = rows.filter((r) => r.entered).map((r) => r.customer_id);
  const exited = rows.filter((r) => !r.entered).map((r) => r.customer_id);
  const events: NewEvent[] = [
    ...entered.map((c) => membershipEvent('segment.entered', segmentId, c, now)),
    ...exited.map((c) => membershipEvent('segment.exited', segmentId, c, now)),
  ];
  for (let i = 0; i < events.length; i += EVENT_CHUNK)
    await writeEvents(tx, { now: () => now }, events.slice(i, i + EVENT_CHUNK));
  const size = full
    ? await recordFull(tx, segmentId, now)
    : Number(
        (
          await tx.query<{ size: number }>(
            'UPDATE segments SET size = GREATEST(0, size + $2::int) WHERE id = $1 RETURNING size',
            [segmentId, entered.length - exited.length],
          )
        ).rows[0]?.size ?? 0,
      );
  return { entered, exited, size, full };
};

const membershipEvent = (type: string, segmentId: string, customerId: string, at: Date): NewEvent => ({
  type,
  aggregateType: 'customer',
  aggregateId: customerId,
  data: { segment_id: segmentId, customer_id: customerId, at: at.toISOString() },
});

const sizeOf = async (tx: Tx, segmentId: string): Promise<number> =>
  Number(
    (await tx.query<{ size: number }>('SELECT size FROM segments WHERE id = $1', [segmentId])).rows[0]?.size,
  );

/**
 * After a full evaluation: the size is counted again (erasure removes members without telling), the
 * segment is no longer due, and segment_sizes gets a row when the size changed or the last row is an
 * hour old.
 */
const recordFull = async (tx: Tx, segmentId: string, now: Date): Promise<number> => {
  const size = Number(
    (
      await tx.query<{ size: number }>(
        `UPDATE segments SET size = (SELECT count(*) FROM segment_members WHERE segment_id = $1),
           last_full_at = $2, full_due_at = NULL
         WHERE id = $1 RETURNING size`,
        [segmentId, now],
      )
    ).rows[0]?.size ?? 0,
  );
  await tx.query(
    `INSERT INTO segment_sizes (segment_id, at, size)
     SELECT $1, $2, $3 WHERE NOT EXISTS (
       SELECT 1 FROM (SELECT at, size FROM segment_sizes WHERE segment_id = $1 ORDER BY at DESC LIMIT 1) last
       WHERE last.size = $3 AND last.at > $4)
     ON CONFLICT (segment_id, at) DO UPDATE SET size = EXCLUDED.size`,
    [segmentId, now, size, new Date(now.getTime() - HOUR)],
  );
  return size;
};
