/**
 * The daily rollups of the analytics reports (docs/analytics.md, "How the figures are kept"): a day
 * is marked dirty by the outbox subscriber (subscribers.ts) when something of that day changed, and
 * `rebuildStep` rebuilds the marked days as a whole from orders, refunds, returns and pickups, in one
 * transaction per batch of days. Rebuilding (never adding) keeps a rollup equal to a recomputation
 * whatever is redelivered, merged, cancelled or erased; `rebuildDays` is also that recomputation.
 *
 * Days are local dates in the analytics time zone (setting `analytics.time_zone`, default UTC).
 */
import { NOT_SALES } from '../../modules/orders/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { rebuildAttribution } from './attribution-rollup.ts';
import { analyticsTimeZone, lookbackDays } from './options.ts';

/** Days rebuilt per transaction. */
export const REBUILD_BATCH = 31;

/** Marks local days (`YYYY-MM-DD`) for a rebuild; already marked days stay as they are. */
export const markDays = async (q: Queryable, days: readonly string[], now: Date): Promise<void> => {
  const unique = [...new Set(days)].sort();
  if (unique.length === 0) return;
  await q.query(`INSERT INTO analytics_dirty_days (day, marked_at) SELECT d, $2 FROM unnest($1::date[]) d`, [
    unique,
    now,
  ]);
};

/**
 * Marks the days an order's figures live on: the day it was placed (its sale, its cancellation),
 * of each refund and return, of its pickup's ready and closing times, and of its customer's last
 * touch in the lookback before it (a path that did not convert may have converted now).
 */
export const markOrderDays = async (q: Queryable, orderIds: readonly string[], now: Date): Promise<void> => {
  if (orderIds.length === 0) return;
  const tz = await analyticsTimeZone(q);
  const lookback = `${await lookbackDays(q)} days`;
  await q.query(
    `INSERT INTO analytics_dirty_days (day, marked_at)
     SELECT DISTINCT (t AT TIME ZONE $2)::date, $3::timestamptz FROM (
       SELECT placed_at AS t FROM orders WHERE id = ANY($1)
       UNION ALL SELECT created_at FROM refunds WHERE order_id = ANY($1)
       UNION ALL SELECT created_at FROM returns WHERE order_id = ANY($1)
       UNION ALL SELECT ready_at FROM pickups WHERE order_id = ANY($1) AND ready_at IS NOT NULL
       UNION ALL SELECT closed_at FROM pickups WHERE order_id = ANY($1) AND closed_at IS NOT NULL
       UNION ALL SELECT (SELECT max(h.at) FROM analytics_touches h WHERE h.customer_id = o.customer_id
                           AND h.at < o.placed_at AND h.at >= o.placed_at - $4::interval)
         FROM orders o WHERE o.id = ANY($1) AND o.customer_id IS NOT NULL) x
     WHERE t IS NOT NULL
     ORDER BY 1`,
    [orderIds, tz, now, lookback],
  );
};

/** Marks every day with an order or a touch of these customers (or of profiles merged into them). */
export const markCustomerDays = async (q: Queryable, customerIds: readonly string[], now: Date) => {
  if (customerIds.length === 0) return;
  const tz = await analyticsTimeZone(q);
  await q.query(
    `INSERT INTO analytics_dirty_days (day, marked_at)
     SELECT DISTINCT (at AT TIME ZONE $2)::date, $3::timestamptz FROM analytics_touches
     WHERE customer_id IN (SELECT id FROM customers WHERE id = ANY($1) OR merged_into = ANY($1))
     ORDER BY 1`,
    [customerIds, tz, now],
  );
  const ids = (
    await q.query<{ id: string }>(
      `SELECT id FROM orders WHERE customer_id IN (
         SELECT id FROM customers WHERE id = ANY($1) OR merged_into = ANY($1))`,
      [customerIds],
    )
  ).rows.map((r) => r.id);
  await markOrderDays(q, ids, now);
};

/** Marks every day that has anything (a change of time zone re-buckets everything). */
export const markAllDays = async (q: Queryable, now: Date): Promise<void> => {
  const tz = await analyticsTimeZone(q);
  await q.query(
    `INSERT INTO analytics_dirty_days (day, marked_at)
     SELECT DISTINCT d, $2::timestamptz FROM (
       SELECT (placed_at AT TIME ZONE $1)::date AS d FROM orders
       UNION SELECT (created_at AT TIME ZONE $1)::date FROM refunds
       UNION SELECT (created_at AT TIME ZONE $1)::date FROM returns
       UNION SELECT (ready_at AT TIME ZONE $1)::date FROM pickups WHERE ready_at IS NOT NULL
       UNION SELECT (closed_at AT TIME ZONE $1)::date FROM pickups WHERE closed_at IS NOT NULL
       UNION SELECT (at AT TIME ZONE $1)::date FROM analytics_touches
       UNION SELECT ("timestamp" AT TIME ZONE $1)::date FROM events
         WHERE type IN ('page', 'screen') AND channel_id IS NOT NULL
       UNION SELECT day FROM analytics_sales_daily UNION SELECT day FROM analytics_refunds_daily
       UNION SELECT day FROM analytics_returns_daily UNION SELECT day FROM analytics_pickups_daily
       UNION SELECT day FROM analytics_paths_daily UNION SELECT day FROM analytics_sessions_daily) x
     ORDER BY 1`,
    [tz, now],
  );
};

/** The rollup tables a day rebuild rewrites. */
export const ROLLUPS = [
  'analytics_sales_daily',
  'analytics_buyer_days',
  'analytics_buyer_counts',
  'analytics_refunds_daily',
  'analytics_returns_daily',
  'analytics_pickups_daily',
  'analytics_attribution_daily',
  'analytics_paths_daily',
  'analytics_sessions_daily',
] as const;

/**
 * The instants a set of local days spans, for index range scans: from the first day's midnight to
 * the midnight after the last (a little wider than needed is harmless: the day itself is compared).
 */
const SPAN = `($1::date[])[1]::timestamp AT TIME ZONE $2 - interval '1 day'`;
const SPAN_END = `($1::date[])[cardinality($1::date[])]::timestamp AT TIME ZONE $2 + interval '2 days'`;
const DAY_OF = (col: string) => `(${col} AT TIME ZONE $2)::date`;

/**
 * Rebuilds the rollups of these days (sorted `YYYY-MM-DD`) from the source tables, in the caller's
 * transaction: their rows are deleted and recomputed.
 */
export const rebuildDays = async (tx: Tx, days: readonly string[]): Promise<void> => {
  if (days.length === 0) return;
  const sorted = [...new Set(days)].sort();
  const tz = await analyticsTimeZone(tx);
  const buyersBefore = (
    await tx.query<{ customer_id: string }>(
      'SELECT DISTINCT customer_id FROM analytics_buyer_days WHERE day = ANY($1::date[])',
      [sorted],
    )
  ).rows.map((r) => r.customer_id);
  for (const table of ROLLUPS) await tx.query(`DELETE FROM ${table} WHERE day = ANY($1::date[])`, [sorted]);
  const p = [sorted, tz, NOT_SALES];
  const ordersOfDays = `SELECT o.*, ${DAY_OF('o.placed_at')} AS day,
       coalesce(o.selling_location_id, o.pickup_location_id) AS location_key,
       o.status <> ALL($3::text[]) AS sale
     FROM orders o
     WHERE o.placed_at >= ${SPAN} AND o.placed_at < ${SPAN_END} AND ${DAY_OF('o.placed_at')} = ANY($1::date[])`;
  await tx.query(
    `INSERT INTO analytics_sales_daily (day, channel_id, location_id, currency, fulfillment_type, orders,
       guest_orders, units, gross, discounts, customers_new, orders_returning, cross_channel_orders,
       cancelled, cancelled_total)
     WITH o AS (${ordersOfDays}),
     s AS (
       SELECT o.*, o.sale AND o.customer_id IS NOT NULL AND EXISTS (
           SELECT 1 FROM orders p WHERE p.customer_id = o.customer_id AND p.status <> ALL($3::text[])
             AND (p.placed_at, p.id) < (o.placed_at, o.id)) AS repeat_buyer,
         (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS units,
         EXISTS (
           SELECT 1 FROM carts c WHERE c.id = o.cart_id AND (c.origin_channel_id <> o.channel_id
             OR EXISTS (SELECT 1 FROM cart_lines cl WHERE cl.cart_id = c.id AND cl.channel_id <> o.channel_id)
             OR EXISTS (SELECT 1 FROM carts m WHERE m.merged_into = c.id))) AS cross_channel
       FROM o WHERE o.sale OR o.status = 'cancelled')
     SELECT day, channel_id, location_key, currency, fulfillment_type,
       count(*) FILTER (WHERE sale), count(*) FILTER (WHERE sale AND customer_id IS NULL),
       coalesce(sum(units) FILTER (WHERE sale), 0), coalesce(sum(total) FILTER (WHERE sale), 0),
       coalesce(sum(discount_total) FILTER (WHERE sale), 0),
       count(*) FILTER (WHERE sale AND customer_id IS NOT NULL AND NOT repeat_buyer),
       count(*) FILTER (WHERE repeat_buyer), count(*) FILTER (WHERE sale AND cross_channel),
       count(*) FILTER (WHERE status = 'cancelled'), coalesce(sum(total) FILTER (WHERE status = 'cancelled'), 0)
     FROM s GROUP BY 1, 2, 3, 4, 5`,
    p,
  );
  await tx.query(
    `INSERT INTO analytics_buyer_days (day, channel_id, location_id, customer_id, currency, store, orders, revenue)
     WITH o AS (${ordersOfDays})
     SELECT o.day, o.channel_id, o.location_key, o.customer_id, o.currency,
       c.type IN ('pos', 'kiosk') OR o.fulfillment_type = 'in_store', count(*), sum(o.total)
     FROM o JOIN channels c ON c.id = o.channel_id
     WHERE o.sale AND o.customer_id IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6`,
    p,
  );
  await tx.query(
    `INSERT INTO analytics_refunds_daily (day, channel_id, location_id, currency, refunds, amount)
     SELECT ${DAY_OF('r.created_at')}, o.channel_id, coalesce(o.selling_location_id, o.pickup_location_id),
       r.currency, count(*), sum(r.amount)
     FROM refunds r JOIN orders o ON o.id = r.order_id
     WHERE r.created_at >= ${SPAN} AND r.created_at < ${SPAN_END} AND ${DAY_OF('r.created_at')} = ANY($1::date[])
       AND r.status = 'succeeded'
     GROUP BY 1, 2, 3, 4`,
    [sorted, tz],
  );
  await tx.query(
    `INSERT INTO analytics_returns_daily (day, channel_id, location_id, return_location_id, currency, returns, total)
     SELECT ${DAY_OF('r.created_at')}, o.channel_id, coalesce(o.selling_location_id, o.pickup_location_id),
       r.location_id, r.currency, count(*), sum(r.total)
     FROM returns r JOIN orders o ON o.id = r.order_id
     WHERE r.created_at >= ${SPAN} AND r.created_at < ${SPAN_END} AND ${DAY_OF('r.created_at')} = ANY($1::date[])
       AND r.status <> 'cancelled'
     GROUP BY 1, 2, 3, 4, 5`,
    [sorted, tz],
  );
  await tx.query(
    `INSERT INTO analytics_pickups_daily (day, channel_id, location_id, ready, ready_on_time, collected, expired)
     WITH ready AS (
       SELECT ${DAY_OF('ready_at')} AS day, channel_id, location_id, 1 AS ready,
         (ready_estimate_at IS NULL OR ready_at <= ready_estimate_at)::int AS on_time, 0 AS collected, 0 AS expired
       FROM pickups WHERE ready_at >= ${SPAN} AND ready_at < ${SPAN_END} AND ${DAY_OF('ready_at')} = ANY($1::date[])),
     closed AS (
       SELECT ${DAY_OF('closed_at')} AS day, channel_id, location_id, 0, 0,
         (status IN ('collected', 'partially_collected'))::int, (status = 'expired')::int
       FROM pickups WHERE closed_at >= ${SPAN} AND closed_at < ${SPAN_END} AND ${DAY_OF('closed_at')} = ANY($1::date[]))
     SELECT day, channel_id, location_id, sum(ready), sum(on_time), sum(collected), sum(expired)
     FROM (SELECT * FROM ready UNION ALL SELECT * FROM closed) x GROUP BY 1, 2, 3`,
    [sorted, tz],
  );
  await tx.query(
    `INSERT INTO analytics_sessions_daily (day, channel_id, sessions)
     SELECT ${DAY_OF('e."timestamp"')}, e.channel_id,
       count(DISTINCT coalesce(e.customer_id, 'a:' || e.anonymous_id, 'u:' || e.user_id))
     FROM events e
     WHERE e.type IN ('page', 'screen') AND e.channel_id IS NOT NULL
       -- prunes older partitions: a timestamp is never more than 24 h after its receipt (tracking/message.ts)
       AND e.received_at >= ${SPAN}
       AND e."timestamp" >= ${SPAN} AND e."timestamp" < ${SPAN_END} AND ${DAY_OF('e."timestamp"')} = ANY($1::date[])
     GROUP BY 1, 2`,
    [sorted, tz],
  );
  await rebuildAttribution(tx, sorted, tz);
  await linkBuyerDays(tx, sorted, buyersBefore);
};

/** The advisory lock under which buyer days are linked to their previous day (see linkBuyerDays). */
const LINK_LOCK = 7201033;

/**
 * Points each buyer day of the customers who bought on these days (before or after their rebuild)
 * to the same customer's previous buyer day on the channel and location, and on the channel
 * (several rows on one day: the first points back, the others to that day), then counts again the
 * buyer days of every day whose rows changed (analytics_buyer_counts). Under one advisory lock to
 * the end of the transaction: two rebuilds of different days of one customer link in turn, the
 * second seeing the first's rows, so links and counts always describe the committed rows.
 */
const linkBuyerDays = async (tx: Tx, days: readonly string[], before: readonly string[]): Promise<void> => {
  await tx.query(`SELECT pg_advisory_xact_lock(${LINK_LOCK})`);
  const relinked = await tx.query<{ day: string }>(
    `WITH who AS (
       SELECT unnest($2::text[]) AS customer_id
       UNION SELECT customer_id FROM analytics_buyer_days WHERE day = ANY($1::date[])),
     x AS (
       SELECT b.ctid AS row,
         lag(b.day) OVER (PARTITION BY b.channel_id, b.location_id, b.customer_id
                          ORDER BY b.day, b.currency) AS pl,
         lag(b.day) OVER (PARTITION BY b.channel_id, b.customer_id
                          ORDER BY b.day, b.location_id, b.currency) AS pc
       FROM analytics_buyer_days b WHERE b.customer_id IN (SELECT customer_id FROM who)),
     changed AS (
       UPDATE analytics_buyer_days b SET prev_day_location = x.pl, prev_day_channel = x.pc
       FROM x WHERE b.ctid = x.row
         AND (b.prev_day_location IS DISTINCT FROM x.pl OR b.prev_day_channel IS DISTINCT FROM x.pc)
       RETURNING b.day)
     SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM changed`,
    [days, before],
  );
  const counted = [...new Set([...days, ...relinked.rows.map((r) => r.day)])].sort();
  await tx.query('DELETE FROM analytics_buyer_counts WHERE day = ANY($1::date[])', [counted]);
  await tx.query(
    `INSERT INTO analytics_buyer_counts (day, channel_id, location_id, by_location, prev_month, buyers)
     SELECT day, channel_id, location_id, true, date_trunc('month', prev_day_location::timestamp)::date, count(*)
     FROM analytics_buyer_days WHERE day = ANY($1::date[]) GROUP BY 1, 2, 3, 5
     UNION ALL
     SELECT day, channel_id, NULL, false, date_trunc('month', prev_day_channel::timestamp)::date, count(*)
     FROM analytics_buyer_days WHERE day = ANY($1::date[]) GROUP BY 1, 2, 5`,
    [counted],
  );
};

/** The advisory-lock class of a day being rebuilt (the second key is the day's number). */
const DAY_LOCK = 7201031;

/**
 * One run of the job, in one transaction: takes up to `limit` marked days that no other process is
 * rebuilding (a transaction-scoped advisory lock per day), deletes their marks, rebuilds them. The
 * marks deleted were committed before the rebuild's statements began, so what they point to is
 * seen; a day marked while it is rebuilt keeps that new mark and is rebuilt once more. Nothing that
 * marks a day ever waits for this transaction.
 */
export const rebuildStep = async (deps: Pick<Deps, 'db'>, limit = REBUILD_BATCH): Promise<number> =>
  deps.db.tx(async (tx) => {
    const days = (
      await tx.query<{ day: string }>(
        `SELECT to_char(d, 'YYYY-MM-DD') AS day
         FROM (SELECT DISTINCT day AS d FROM analytics_dirty_days ORDER BY 1 LIMIT $1) x
         WHERE pg_try_advisory_xact_lock(${DAY_LOCK}, d - date '2000-01-01')`,
        [limit],
      )
    ).rows.map((r) => r.day);
    if (days.length === 0) return 0;
    await tx.query('DELETE FROM analytics_dirty_days WHERE day = ANY($1::date[])', [days]);
    await tx.query(`SELECT nextval('analytics_rollup_version')`);
    await rebuildDays(tx, days);
    return days.length;
  });

/** How far behind the rollups are: marked days and the oldest mark (null: up to date). */
export const rollupLag = async (
  q: Queryable,
): Promise<{ pending_days: number; oldest_mark: Date | null }> => {
  const r = (
    await q.query<{ n: number; oldest: Date | null }>(
      'SELECT count(DISTINCT day)::int AS n, min(marked_at) AS oldest FROM analytics_dirty_days',
    )
  ).rows[0];
  return { pending_days: r?.n ?? 0, oldest_mark: r?.oldest ?? null };
};

/** `rollupLag` as the reports show it. */
export const freshness = async (q: Queryable) => {
  const lag = await rollupLag(q);
  return { pending_days: lag.pending_days, oldest_mark: lag.oldest_mark?.toISOString() ?? null };
};
