/**
 * Sales per day and channel: orders and their totals, refunds, guest orders and new/returning
 * buyers. Joins orders (orders module) and refunds (payments module), so it is a flow's query; the
 * rules it applies come from the orders module (`NOT_SALES`, `atLocations`).
 */
import { DateTime } from 'luxon';
import { atLocations, NOT_SALES } from '../../modules/orders/index.ts';
import type { Queryable } from '../../platform/db.ts';

/** One local calendar day: its date and the instants it starts and ends (DST days are 23 or 25 h). */
export interface Day {
  date: string;
  starts: Date;
  ends: Date;
}

/** The last `count` local days in `timeZone`, today last. */
export const localDays = (now: Date, timeZone: string, count: number): Day[] => {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  return Array.from({ length: count }, (_, i) => {
    const start = today.minus({ days: count - 1 - i });
    return {
      date: start.toISODate() ?? '',
      starts: start.toJSDate(),
      ends: start.plus({ days: 1 }).startOf('day').toJSDate(),
    };
  });
};

export interface SalesRow {
  kind: 'day' | 'today' | 'period';
  date: string | null;
  channel_id: string | null;
  currency: string | null;
  orders: number;
  guest_orders: number;
  gross: number;
  refunds: number;
  customers_new: number;
  customers_returning: number;
}

const AT = atLocations('o', '$5::text[]');

/**
 * One statement: a row per day × (channel, currency) that has sales or refunds in the period
 * (`kind = 'day'`), and the distinct new and returning buyers of today and of the whole period
 * (`kind = 'today' | 'period'`, the other columns zero). A buyer is returning on a day when they have
 * a sale before that day began (anywhere: the buyer is a fact about the customer, not the location):
 * their first sale ever: one index-only probe per buyer (`orders_customer_placed`).
 * Sales are bucketed by `placed_at`, refunds (succeeded, to the payment or as store credit) by
 * `created_at`, with `width_bucket` over the days' starts: one index range scan each, and row
 * estimates the planner gets right (a join with the list of days made it guess 30 times too many
 * rows and spend seconds compiling the query with JIT). `locationIds` keeps the orders that touch
 * those locations (`atLocations`).
 */
export const salesByDay = async (
  q: Queryable,
  days: readonly Day[],
  locationIds: readonly string[] | undefined,
): Promise<SalesRow[]> =>
  (
    await q.query<SalesRow>(
      `WITH sales AS (
         SELECT width_bucket(o.placed_at, $2::timestamptz[]) AS b, o.channel_id, o.currency::text AS currency,
           o.total, o.customer_id
         FROM orders o
         WHERE o.placed_at >= $2[1] AND o.placed_at < $3 AND o.status <> ALL($4::text[])
           AND ($5::text[] IS NULL OR ${AT})),
       refunded AS (
         SELECT width_bucket(r.created_at, $2::timestamptz[]) AS b, o.channel_id, r.currency::text AS currency, r.amount
         FROM refunds r JOIN orders o ON o.id = r.order_id
         WHERE r.created_at >= $2[1] AND r.created_at < $3 AND r.status = 'succeeded'
           AND ($5::text[] IS NULL OR ${AT})),
       buyers AS (
         SELECT c.customer_id, (
             SELECT min(p.placed_at) FROM orders p
             WHERE p.customer_id = c.customer_id AND p.status <> ALL($4::text[])) AS first_at
         FROM (SELECT DISTINCT customer_id FROM sales WHERE customer_id IS NOT NULL) c),
       buyer_days AS (
         SELECT DISTINCT s.b, s.channel_id, s.currency, s.customer_id, u.first_at < $2[s.b] AS repeat
         FROM sales s JOIN buyers u ON u.customer_id = s.customer_id),
       money AS (
         SELECT b, channel_id, currency, count(*) AS orders,
           count(*) FILTER (WHERE customer_id IS NULL) AS guest_orders, sum(total) AS gross
         FROM sales GROUP BY 1, 2, 3),
       back AS (SELECT b, channel_id, currency, sum(amount) AS refunds FROM refunded GROUP BY 1, 2, 3),
       counted AS (
         SELECT b, channel_id, currency, count(*) FILTER (WHERE NOT repeat) AS customers_new,
           count(*) FILTER (WHERE repeat) AS customers_returning
         FROM buyer_days GROUP BY 1, 2, 3),
       keys AS (SELECT channel_id, currency FROM money UNION SELECT channel_id, currency FROM back)
       SELECT 'day' AS kind, ($1::text[])[d.b] AS date, k.channel_id, k.currency,
         coalesce(m.orders, 0)::int AS orders, coalesce(m.guest_orders, 0)::int AS guest_orders,
         coalesce(m.gross, 0)::bigint AS gross, coalesce(r.refunds, 0)::bigint AS refunds,
         coalesce(c.customers_new, 0)::int AS customers_new,
         coalesce(c.customers_returning, 0)::int AS customers_returning
       FROM generate_series(1, cardinality($1::text[])) AS d(b) CROSS JOIN keys k
       LEFT JOIN money m ON m.b = d.b AND m.channel_id = k.channel_id AND m.currency = k.currency
       LEFT JOIN back r ON r.b = d.b AND r.channel_id = k.channel_id AND r.currency = k.currency
       LEFT JOIN counted c ON c.b = d.b AND c.channel_id = k.channel_id AND c.currency = k.currency
       UNION ALL
       SELECT 'today', NULL, NULL, NULL, 0, 0, 0, 0,
         (count(*) FILTER (WHERE NOT repeat))::int, (count(*) FILTER (WHERE repeat))::int
       FROM (SELECT customer_id, bool_or(repeat) AS repeat FROM buyer_days
             WHERE b = cardinality($1::text[]) GROUP BY customer_id) t
       UNION ALL
       SELECT 'period', NULL, NULL, NULL, 0, 0, 0, 0,
         (count(*) FILTER (WHERE first_at >= $2[1]))::int, (count(*) FILTER (WHERE first_at < $2[1]))::int
       FROM buyers
       ORDER BY 1, 2, 3, 4`,
      [
        days.map((d) => d.date),
        days.map((d) => d.starts),
        days.at(-1)?.ends ?? null,
        NOT_SALES,
        locationIds ?? null,
      ],
    )
  ).rows;
