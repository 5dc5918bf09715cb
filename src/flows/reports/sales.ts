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
 * a sale before that day began (anywhere: the buyer is a fact about the customer, not the location).
 * Sales are bucketed by `placed_at`, refunds (succeeded, to the payment or as store credit) by
 * `created_at`; `locationIds` keeps the orders that touch those locations (`atLocations`).
 */
export const salesByDay = async (
  q: Queryable,
  days: readonly Day[],
  locationIds: readonly string[] | undefined,
): Promise<SalesRow[]> =>
  (
    await q.query<SalesRow>(
      `WITH days AS (
         SELECT * FROM unnest($1::date[], $2::timestamptz[], $3::timestamptz[]) AS d(day, starts, ends)),
       sales AS (
         SELECT d.day, o.channel_id, o.currency::text AS currency, o.total, o.customer_id
         FROM days d JOIN orders o ON o.placed_at >= d.starts AND o.placed_at < d.ends
         WHERE o.status <> ALL($4::text[]) AND ($5::text[] IS NULL OR ${AT})),
       refunded AS (
         SELECT d.day, o.channel_id, r.currency::text AS currency, r.amount
         FROM days d JOIN refunds r ON r.created_at >= d.starts AND r.created_at < d.ends
         JOIN orders o ON o.id = r.order_id
         WHERE r.status = 'succeeded' AND ($5::text[] IS NULL OR ${AT})),
       buyer_days AS (
         SELECT b.day, b.customer_id, EXISTS (
             SELECT 1 FROM orders p WHERE p.customer_id = b.customer_id AND p.placed_at < d.starts
               AND p.status <> ALL($4::text[])) AS repeat
         FROM (SELECT DISTINCT day, customer_id FROM sales WHERE customer_id IS NOT NULL) b
         JOIN days d ON d.day = b.day),
       buyers AS (
         SELECT s.day, s.channel_id, s.currency,
           count(*) FILTER (WHERE NOT b.repeat) AS customers_new,
           count(*) FILTER (WHERE b.repeat) AS customers_returning
         FROM (SELECT DISTINCT day, channel_id, currency, customer_id FROM sales WHERE customer_id IS NOT NULL) s
         JOIN buyer_days b ON b.day = s.day AND b.customer_id = s.customer_id
         GROUP BY 1, 2, 3),
       money AS (
         SELECT day, channel_id, currency, count(*) AS orders,
           count(*) FILTER (WHERE customer_id IS NULL) AS guest_orders, sum(total) AS gross
         FROM sales GROUP BY 1, 2, 3),
       back AS (SELECT day, channel_id, currency, sum(amount) AS refunds FROM refunded GROUP BY 1, 2, 3),
       keys AS (SELECT channel_id, currency FROM money UNION SELECT channel_id, currency FROM back)
       SELECT 'day' AS kind, d.day::text AS date, k.channel_id, k.currency,
         coalesce(m.orders, 0)::int AS orders, coalesce(m.guest_orders, 0)::int AS guest_orders,
         coalesce(m.gross, 0)::bigint AS gross, coalesce(r.refunds, 0)::bigint AS refunds,
         coalesce(b.customers_new, 0)::int AS customers_new,
         coalesce(b.customers_returning, 0)::int AS customers_returning
       FROM days d CROSS JOIN keys k
       LEFT JOIN money m ON m.day = d.day AND m.channel_id = k.channel_id AND m.currency = k.currency
       LEFT JOIN back r ON r.day = d.day AND r.channel_id = k.channel_id AND r.currency = k.currency
       LEFT JOIN buyers b ON b.day = d.day AND b.channel_id = k.channel_id AND b.currency = k.currency
       UNION ALL
       SELECT 'today', NULL, NULL, NULL, 0, 0, 0, 0,
         (count(*) FILTER (WHERE NOT repeat))::int, (count(*) FILTER (WHERE repeat))::int
       FROM buyer_days WHERE day = $6::date
       UNION ALL
       SELECT 'period', NULL, NULL, NULL, 0, 0, 0, 0,
         (count(*) FILTER (WHERE NOT repeat))::int, (count(*) FILTER (WHERE repeat))::int
       FROM (SELECT DISTINCT ON (customer_id) customer_id, repeat FROM buyer_days ORDER BY customer_id, day) f
       ORDER BY 1, 2, 3, 4`,
      [
        days.map((d) => d.date),
        days.map((d) => d.starts),
        days.map((d) => d.ends),
        NOT_SALES,
        locationIds ?? null,
        days.at(-1)?.date ?? null,
      ],
    )
  ).rows;
