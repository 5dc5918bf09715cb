/**
 * What keeps audiences current: the dirty-customer queue (filled by outbox subscribers and by event
 * ingestion, drained every 250 ms or on NOTIFY), the scheduled full evaluation of segments and the
 * hourly full computation of computed traits.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { isPlazaError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/log.ts';
import type { Deps } from '../../platform/module.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';
import type { Job } from '../../platform/worker.ts';
import { LAST_FORECAST_AT } from './compile-stock-risk.ts';
import { refreshDueTrait, refreshTraitsFor } from './computed-traits-repo.ts';
import {
  applyMembership,
  type EvaluateOptions,
  type Evaluation,
  evaluateSegment,
  type MemberQuery,
} from './membership.ts';

/** NOTIFY channel of audience_dirty (a trigger of migration 0024 sends it). */
export const AUDIENCE_CHANNEL = 'plaza_audience';
/** Customers claimed per run of the dirty-queue job. */
export const DIRTY_BATCH = 200;

/**
 * Queues customers for re-evaluation of their computed traits and segment memberships (in id order,
 * "C" collation, like every multi-row upsert of audience_dirty: no deadlock between concurrent ones).
 */
export const markAudienceDirty = async (
  q: Queryable,
  customerIds: readonly string[],
  now: Date,
): Promise<void> => {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return;
  await q.query(
    `INSERT INTO audience_dirty (customer_id, queued_at)
     SELECT c.id, $2 FROM customers c WHERE c.id = ANY($1::text[]) ORDER BY c.id COLLATE "C"
     ON CONFLICT (customer_id) DO NOTHING`,
    [ids, now],
  );
};

/** What the jobs need: the database, the clock and (to report a segment that cannot be evaluated) a log. */
type JobDeps = Pick<Deps, 'db'> & { clock: Clock; log?: Logger };

/**
 * Evaluates one segment inside a job. A segment whose stored rules no longer compile (refused with a
 * PlazaError before any SQL runs, so the transaction is intact) is logged and skipped, not allowed to
 * block the queue; database errors still fail the run (and it is retried).
 */
const evaluateOrSkip = async (
  deps: JobDeps,
  evaluate: Evaluate,
  tx: Tx,
  segmentId: string,
  opts: EvaluateOptions,
): Promise<boolean> => {
  try {
    await evaluate(tx, segmentId, opts);
    return true;
  } catch (e) {
    if (!isPlazaError(e)) throw e;
    deps.log?.error({ err: e, segmentId }, 'segment rules cannot be evaluated; skipped');
    return false;
  }
};

/** The evaluation used by the jobs; tests may give a stand-in for compileRules. */
export type Evaluate = (tx: Tx, segmentId: string, opts: EvaluateOptions) => Promise<Evaluation | null>;
export const evaluateWithRules: Evaluate = (tx, segmentId, opts) => evaluateSegment(tx, segmentId, opts);
/** An Evaluate that runs `compile` instead of compileRules (tests). */
export const evaluateWith =
  (compile: (rules: unknown, now: Date) => MemberQuery): Evaluate =>
  (tx, segmentId, opts) =>
    applyMembership(tx, segmentId, opts, compile);

/**
 * Claims up to `batch` queued customers (SKIP LOCKED: workers share the queue), recomputes their
 * computed traits and re-evaluates every live segment for them. Returns how many it handled.
 *
 * The claim commits on its own, before the evaluation: every upsert of audience_dirty (each event
 * insert, each outbox fact) waits for a transaction that deleted the same customer's row, so holding
 * the claim while the segments were evaluated stalled event ingestion and the outbox dispatcher for
 * as long as the evaluation took (seconds on a busy PostgreSQL). A failed evaluation queues the
 * customers again; a process killed in between loses only their marks, which the periodic full
 * evaluations (each segment's refresh period, each computed trait hourly) make good.
 */
export const processDirty = async (
  deps: JobDeps,
  evaluate: Evaluate = evaluateWithRules,
  batch = DIRTY_BATCH,
): Promise<number> => {
  const ids = await deps.db.tx(async (tx) =>
    (
      await tx.query<{ customer_id: string }>(
        `DELETE FROM audience_dirty WHERE customer_id IN (
           SELECT customer_id FROM audience_dirty ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING customer_id`,
        [batch],
      )
    ).rows.map((r) => r.customer_id),
  );
  if (ids.length === 0) return 0;
  try {
    await deps.db.tx(
      async (tx) => {
        await refreshTraitsFor(tx, ids, deps.clock.now());
        const segments = await tx.query<{ id: string }>(
          'SELECT id FROM segments WHERE archived_at IS NULL ORDER BY id',
        );
        for (const s of segments.rows)
          await evaluateOrSkip(deps, evaluate, tx, s.id, { customerIds: ids, clock: deps.clock });
      },
      { retries: 3 },
    );
  } catch (e) {
    await markAudienceDirty(deps.db, ids, deps.clock.now()).catch(() => undefined);
    throw e;
  }
  return ids.length;
};

/**
 * One full evaluation of the most overdue segment: its refresh period passed, it was marked due, or
 * its rules mention `stockRisk` and a forecasting run completed after its last full evaluation (the
 * stock-out risks it reads changed; a mention is enough).
 */
export const evaluateDueSegment = async (
  deps: JobDeps,
  evaluate: Evaluate = evaluateWithRules,
): Promise<number> =>
  deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const due = (
      await tx.query<{ id: string }>(
        `SELECT id FROM segments
         WHERE archived_at IS NULL AND (last_full_at IS NULL OR full_due_at <= $1
           OR last_full_at <= $1::timestamptz - make_interval(mins => refresh_minutes)
           OR (position('"stockRisk"' in rules::text) > 0 AND last_full_at < ${LAST_FORECAST_AT}))
         ORDER BY last_full_at NULLS FIRST, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      )
    ).rows[0];
    if (!due) return 0;
    if (!(await evaluateOrSkip(deps, evaluate, tx, due.id, { clock: deps.clock })))
      // not due again before its next period: a broken segment must not keep the job busy
      await tx.query('UPDATE segments SET last_full_at = $2, full_due_at = NULL WHERE id = $1', [
        due.id,
        now,
      ]);
    return 1;
  });

export const audienceJobs = (deps: Deps): Job[] => [
  {
    name: 'audience-dirty',
    intervalMs: 250,
    wakeOn: AUDIENCE_CHANNEL,
    runOnce: () => processDirty(deps),
  },
  { name: 'segments-refresh', intervalMs: 10_000, runOnce: () => evaluateDueSegment(deps) },
  {
    name: 'computed-traits-refresh',
    intervalMs: 5_000,
    runOnce: () => deps.db.tx((tx) => refreshDueTrait(tx, deps.clock.now()), { retries: 3 }),
  },
];

/** Outbox events about a customer: whatever changes what they did or may be used for. */
export const AUDIENCE_EVENT_TYPES = [
  'order.*',
  'payment.*',
  'pos.*',
  'pickup.*',
  'return.*',
  'consent.*',
  'loyalty.*',
  'customer.*',
  'identity.*',
  'cart.*',
  'privacy.*',
];

/** The customers an outbox event is about (merges name both sides). */
export const customersOf = (e: OutboxEvent): string[] => {
  const d = e.data;
  const ids = [d.customer_id, d.merged_customer_id, d.other_customer_id, d.merged_into];
  if (e.aggregateType === 'customer') ids.push(e.aggregateId);
  return [...new Set(ids.filter((v): v is string => typeof v === 'string' && v.startsWith('cus_')))];
};

/** Queues the customers of Plaza's own facts (orders, store visits, consent, merges …). */
export const audienceSubscriber = (deps: Pick<Deps, 'clock'>): Subscriber => ({
  name: 'segments.audience-dirty',
  types: AUDIENCE_EVENT_TYPES,
  accepts: (e) => customersOf(e).length > 0,
  handle: (tx, e) => markAudienceDirty(tx, customersOf(e), deps.clock.now()),
});
