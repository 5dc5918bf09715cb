/**
 * Customer measures from the analytics buyer days (analytics_buyer_days: one row per customer, local
 * day, channel and location with their sales; `store` as the customer value report defines it: at a
 * counter or kiosk, or fulfilled in store) and the loyalty accounts and ledger: repeat purchases,
 * multichannel customers and their value, loyalty membership and activity.
 */
import type { Measure } from '../../modules/strategy/schema.ts';
import type { Queryable } from '../../platform/db.ts';
import { convertDaily } from '../analytics/fx.ts';
import { analyticsTimeZone } from '../analytics/options.ts';
import {
  count,
  describePeriod,
  leftOut,
  measureOf,
  type Period,
  percent,
  periodEnding,
  ratio,
} from './measures-common.ts';

/** Loyalty activity is counted over this many days ending `today`. */
export const LOYALTY_ACTIVE_DAYS = 90;

/**
 * Multichannel: bought on two or more sales channels in the period, or both online and in store
 * (the analytics customer value report's `both` mix) on one channel.
 */
const PER_CUSTOMER = `SELECT customer_id, sum(orders)::int AS orders,
    count(DISTINCT channel_id) >= 2 OR (bool_or(store) AND bool_or(NOT store)) AS multi
  FROM analytics_buyer_days WHERE day BETWEEN $1::date AND $2::date GROUP BY 1`;

interface Counts {
  customers: number;
  repeat: number;
  multi: number;
  members: number;
}

const countsOf = async (q: Queryable, p: Period): Promise<Counts> => {
  const { rows } = await q.query<Counts>(
    `WITH per AS (${PER_CUSTOMER})
     SELECT count(*)::int AS customers, (count(*) FILTER (WHERE per.orders >= 2))::int AS repeat,
       (count(*) FILTER (WHERE per.multi))::int AS multi,
       (count(*) FILTER (WHERE a.customer_id IS NOT NULL))::int AS members
     FROM per LEFT JOIN loyalty_accounts a ON a.customer_id = per.customer_id AND a.card_number IS NOT NULL`,
    [p.from, p.to],
  );
  return rows[0] ?? { customers: 0, repeat: 0, multi: 0, members: 0 };
};

/** Sales of each group (multichannel or not) per currency and day, converted into `currency`. */
const groupValues = async (q: Queryable, p: Period, currency: string) => {
  const { rows } = await q.query<{ multi: boolean; currency: string; date: string; revenue: string }>(
    `WITH per AS (${PER_CUSTOMER})
     SELECT per.multi, b.currency::text AS currency, to_char(b.day, 'YYYY-MM-DD') AS date,
       sum(b.revenue)::text AS revenue
     FROM analytics_buyer_days b JOIN per ON per.customer_id = b.customer_id
     WHERE b.day BETWEEN $1::date AND $2::date GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [p.from, p.to],
  );
  const converted = await convertDaily(
    q,
    rows.map((r) => ({ date: r.date, currency: r.currency, amount: Number(r.revenue) })),
    currency,
  );
  const total = { multi: 0, single: 0 };
  rows.forEach((r, i) => {
    const v = converted.amounts[i];
    if (v === null || v === undefined) return;
    if (r.multi) total.multi += v;
    else total.single += v;
  });
  return { total, missing: converted.missing };
};

const SOURCE =
  'analytics buyer days (daily rollups of sales with a customer account; guests are not customers)';

/** repeat_purchase_rate, multichannel_customer_share, multichannel_value_ratio, loyalty_membership_rate. */
export const customerMeasures = async (
  q: Queryable,
  o: { currency: string; period: Period },
): Promise<Measure[]> => {
  const p = o.period;
  const [c, values] = await Promise.all([countsOf(q, p), groupValues(q, p, o.currency)]);
  const single = c.customers - c.multi;
  const meanMulti = c.multi > 0 ? Math.round(values.total.multi / c.multi) : null;
  const meanSingle = single > 0 ? Math.round(values.total.single / single) : null;
  const repeat = ratio(c.repeat, c.customers);
  const multi = ratio(c.multi, c.customers);
  const members = ratio(c.members, c.customers);
  const valueRatio =
    meanMulti !== null && meanSingle !== null && meanSingle > 0
      ? Math.round((values.total.multi / c.multi / (values.total.single / single)) * 10_000) / 10_000
      : null;
  const period = describePeriod(p);
  return [
    measureOf('repeat_purchase_rate', 'ratio', {
      value: repeat,
      sample: c.customers,
      period: p,
      method:
        `Share of the customers who bought ${period} with two or more sales in that same period ` +
        `(earlier purchases do not count): ${count(c.repeat)} of ${count(c.customers)} customers ` +
        `(${percent(repeat)}). Sales are orders not cancelled, expired or awaiting payment, on every ` +
        `channel and in every currency, from the ${SOURCE}.`,
    }),
    measureOf('multichannel_customer_share', 'ratio', {
      value: multi,
      sample: c.customers,
      period: p,
      method:
        `Share of the customers who bought ${period} who bought on two or more sales channels, or both ` +
        `online and in store (at a counter or kiosk, or fulfilled in store) on one channel: ` +
        `${count(c.multi)} of ${count(c.customers)} (${percent(multi)}), from the ${SOURCE}.`,
    }),
    measureOf('multichannel_value_ratio', 'ratio', {
      value: valueRatio,
      sample: c.customers,
      thin: Math.min(c.multi, single),
      period: p,
      method:
        `Mean sales per multichannel customer divided by mean sales per single-channel customer ` +
        `(as in multichannel_customer_share), sales ${period} (order totals, before refunds) in ` +
        `${o.currency} minor units, other currencies converted with the analytics daily rates; ` +
        `${count(c.multi)} multichannel and ${count(single)} single-channel customers, thin when ` +
        `the smaller group is below the threshold. Breakdown: each group's mean sales per customer.` +
        leftOut(values.missing, o.currency, 'sales'),
      breakdown:
        c.customers === 0
          ? []
          : [
              { label: 'multichannel', value: meanMulti, sample: c.multi },
              { label: 'single_channel', value: meanSingle, sample: single },
            ],
    }),
    measureOf('loyalty_membership_rate', 'ratio', {
      value: members,
      sample: c.customers,
      period: p,
      method:
        `Share of the customers who bought ${period} who are loyalty members today (an account with a ` +
        `card number): ${count(c.members)} of ${count(c.customers)} (${percent(members)}). Customers ` +
        `from the ${SOURCE}; members from the loyalty accounts.`,
    }),
  ];
};

/** loyalty_active_rate: members with a loyalty transaction of their own in the last 90 days. */
export const loyaltyActivity = async (q: Queryable, o: { today: string }): Promise<Measure> => {
  const p = periodEnding(o.today, LOYALTY_ACTIVE_DAYS);
  const tz = await analyticsTimeZone(q);
  const { rows } = await q.query<{ members: number; active: number }>(
    `SELECT count(*)::int AS members, (count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM loyalty_ledger l WHERE l.customer_id = a.customer_id AND l.kind <> 'expire'
           AND l.created_at >= ($1::date::timestamp AT TIME ZONE $3)
           AND l.created_at < (($2::date + 1)::timestamp AT TIME ZONE $3))))::int AS active
     FROM loyalty_accounts a JOIN customers c ON c.id = a.customer_id
     WHERE a.card_number IS NOT NULL AND c.status = 'active'
       AND a.enrolled_at < (($2::date + 1)::timestamp AT TIME ZONE $3)`,
    [p.from, p.to, tz],
  );
  const r = rows[0] ?? { members: 0, active: 0 };
  const value = ratio(r.active, r.members);
  return measureOf('loyalty_active_rate', 'ratio', {
    value,
    sample: r.members,
    period: p,
    method:
      `Share of loyalty members (active customers with a card, enrolled by ${p.to}) with a loyalty ` +
      `transaction in the ${LOYALTY_ACTIVE_DAYS} days ${describePeriod(p)} (${tz} days): points earned, ` +
      `redeemed, released, reversed on a return or adjusted; points expiring are not the member's doing ` +
      `and do not count. ${count(r.active)} of ${count(r.members)} members (${percent(value)}).`,
  });
};
