/**
 * What a customer is worth (docs/analytics.md, "Customer value"): the customers who bought up to a
 * date, in one currency, grouped by the channel of their first purchase and by their channel mix
 * (online only, store only, both), with purchase frequency, AOV, revenue per customer within 3, 6
 * and 12 months of the first purchase, a retention curve, and historical and predicted value: a
 * BG/NBD model of repeat purchases with a Gamma-Gamma model of spend (clv.ts) fitted on these
 * customers, in weeks. RFM groups as well: recency and frequency quintiles (1–5) name the group
 * (champions, loyal, new, promising, at risk, hibernating), with its mean monetary quintile.
 * Read from analytics_buyer_days (one row per customer, day, channel and location).
 */
import type { Queryable } from '../../platform/db.ts';
import { quintiles, rfmGroup } from '../shared/rfm.ts';
import {
  type BgNbdParams,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaParams,
  lifetimeValue,
  probabilityAlive,
} from './clv.ts';

export const RETENTION_MONTHS = 12;
/** Below this many customers (or repeat customers) no model is fitted. */
export const MIN_FIT_CUSTOMERS = 20;
/**
 * Nelder–Mead iterations at most: data without dropout (a → ∞) never converges and would use the
 * optimiser's default 20,000 (0.5 s for 30 customers); such a fit is not used.
 */
const FIT_ITERATIONS = 3_000;

interface Customer {
  id: string;
  first_channel: string;
  mix: 'online' | 'store' | 'both';
  /** purchase days */
  days: number;
  orders: number;
  revenue: number;
  first_revenue: number;
  first: number;
  last: number;
  r3: number | null;
  r6: number | null;
  r12: number | null;
  months: number[];
}

export interface Group {
  key: string;
  customers: number;
  orders_per_customer: number;
  aov: number | null;
  revenue_per_customer: number;
  revenue_3m: number | null;
  revenue_6m: number | null;
  revenue_12m: number | null;
  retention: (number | null)[];
  predicted_12m: number | null;
  probability_alive: number | null;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const r2 = (n: number) => Math.round(n * 100) / 100;
const r4 = (n: number) => Math.round(n * 10_000) / 10_000;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

const loadCustomers = async (
  q: Queryable,
  currency: string,
  asOf: string,
  segmentId: string | undefined,
): Promise<Customer[]> => {
  const { rows } = await q.query<{
    id: string;
    first_channel: string;
    any_store: boolean;
    any_online: boolean;
    days: number;
    orders: number;
    revenue: string;
    first_revenue: string;
    first: string;
    last: string;
    r3: string;
    r6: string;
    r12: string;
    months: number[];
  }>(
    `WITH b AS (
       SELECT customer_id, day, channel_id, store, orders, revenue FROM analytics_buyer_days
       WHERE currency = $1 AND day <= $2::date
         AND ($3::text IS NULL OR customer_id IN (SELECT customer_id FROM segment_members WHERE segment_id = $3))),
     per AS (
       SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(DISTINCT day)::int AS days,
         sum(orders)::int AS orders, sum(revenue) AS revenue, bool_or(store) AS any_store, bool_or(NOT store) AS any_online,
         (array_agg(channel_id ORDER BY day, revenue DESC, channel_id))[1] AS first_channel
       FROM b GROUP BY 1)
     SELECT p.customer_id AS id, p.first_channel, p.any_store, p.any_online, p.days, p.orders, p.revenue::text AS revenue,
       to_char(p.first_day, 'YYYY-MM-DD') AS first, to_char(p.last_day, 'YYYY-MM-DD') AS last,
       (sum(b.revenue) FILTER (WHERE b.day = p.first_day))::text AS first_revenue,
       (sum(b.revenue) FILTER (WHERE b.day < p.first_day + interval '3 months'))::text AS r3,
       (sum(b.revenue) FILTER (WHERE b.day < p.first_day + interval '6 months'))::text AS r6,
       (sum(b.revenue) FILTER (WHERE b.day < p.first_day + interval '12 months'))::text AS r12,
       array_agg(DISTINCT ((extract(year FROM b.day) - extract(year FROM p.first_day)) * 12
         + extract(month FROM b.day) - extract(month FROM p.first_day))::int) AS months
     FROM per p JOIN b ON b.customer_id = p.customer_id
     GROUP BY p.customer_id, p.first_channel, p.any_store, p.any_online, p.days, p.orders, p.revenue, p.first_day, p.last_day`,
    [currency, asOf, segmentId ?? null],
  );
  const end = Date.parse(`${asOf}T00:00:00Z`);
  return rows.map((r) => {
    const first = Date.parse(`${r.first}T00:00:00Z`);
    const mature = (months: number) => first + months * 30.4375 * DAY <= end;
    return {
      id: r.id,
      first_channel: r.first_channel,
      mix: r.any_store && r.any_online ? 'both' : r.any_store ? 'store' : 'online',
      days: r.days,
      orders: r.orders,
      revenue: Number(r.revenue),
      first_revenue: Number(r.first_revenue),
      first,
      last: Date.parse(`${r.last}T00:00:00Z`),
      r3: mature(3) ? Number(r.r3) : null,
      r6: mature(6) ? Number(r.r6) : null,
      r12: mature(12) ? Number(r.r12) : null,
      months: r.months,
    };
  });
};

interface Models {
  bg: BgNbdParams;
  gg: GammaGammaParams | null;
}

/** Time since the first purchase in weeks; the day of the report counts (T > 0 even for today's buyers). */
const bgCustomer = (c: Customer, end: number) => ({
  x: c.days - 1,
  tx: (c.last - c.first) / WEEK,
  T: (end + DAY - c.first) / WEEK,
});
/** Mean value of the repeat purchase days. */
const repeatValue = (c: Customer) => (c.days > 1 ? (c.revenue - c.first_revenue) / (c.days - 1) : 0);

/**
 * Above this many customers the BG/NBD is fitted on whole weeks (tx and T rounded, T ≥ 1), so that
 * customers with the same history share one term of the likelihood (a year gives at most a few
 * thousand distinct histories instead of one per customer), and the Gamma-Gamma on an even sample
 * of at most this many repeat customers. Below it, the fits use every customer's exact history.
 */
export const EXACT_FIT_CUSTOMERS = 10_000;

const weekly = (c: Customer, end: number) => {
  const T = Math.max(1, Math.round((end + DAY - c.first) / WEEK));
  return { x: c.days - 1, tx: Math.min(T, Math.round((c.last - c.first) / WEEK)), T };
};

/** Every k-th item, k chosen so that at most `n` are kept (the input's order is the customers' id order). */
const evenSample = <T>(xs: readonly T[], n: number): readonly T[] => {
  if (xs.length <= n) return xs;
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step)] as T);
};

const fitModels = (customers: readonly Customer[], end: number): Models | null => {
  const repeat = customers.filter((c) => c.days > 1 && repeatValue(c) > 0);
  if (customers.length < MIN_FIT_CUSTOMERS || repeat.length < 2) return null;
  const exact = customers.length <= EXACT_FIT_CUSTOMERS;
  try {
    const bg = fitBgNbd(
      customers.map((c) => (exact ? bgCustomer(c, end) : weekly(c, end))),
      { maxIterations: FIT_ITERATIONS },
    );
    let gg: GammaGammaParams | null = null;
    if (repeat.length >= MIN_FIT_CUSTOMERS) {
      const g = fitGammaGamma(
        evenSample(repeat, EXACT_FIT_CUSTOMERS).map((c) => ({ x: c.days - 1, m: repeatValue(c) })),
        { maxIterations: FIT_ITERATIONS },
      );
      gg = g.q > 1 && g.converged ? g : null;
    }
    return bg.converged ? { bg, gg } : null;
  } catch {
    return null;
  }
};

interface Prediction {
  alive: number;
  /** predicted value over the next 52 weeks; null without a spend model */
  value: number | null;
}

/** Each customer's prediction, computed once for all the groups it is in. */
const predictor = (models: Models, end: number) => {
  const memo = new Map<Customer, Prediction>();
  return (c: Customer): Prediction => {
    const known = memo.get(c);
    if (known) return known;
    const h = bgCustomer(c, end);
    const gg = models.gg;
    // undiscounted, the value over 52 weeks is the purchases expected by then times the value of one
    const p = {
      alive: probabilityAlive(models.bg, h),
      value: gg ? lifetimeValue(models.bg, gg, { ...h, m: repeatValue(c) }, 52, { periods: 1 }) : null,
    };
    memo.set(c, p);
    return p;
  };
};

const groupOf = (
  key: string,
  cs: readonly Customer[],
  models: Models | null,
  predict: ((c: Customer) => Prediction) | null,
  end: number,
): Group => {
  const orders = cs.reduce((s, c) => s + c.orders, 0);
  const revenue = cs.reduce((s, c) => s + c.revenue, 0);
  const window = (pick: (c: Customer) => number | null) => {
    const xs = cs.map(pick).filter((x): x is number => x !== null);
    return xs.length ? Math.round(mean(xs)) : null;
  };
  const retention = Array.from({ length: RETENTION_MONTHS + 1 }, (_, k) => {
    const eligible = cs.filter((c) => c.first + k * 30.4375 * DAY <= end);
    return eligible.length ? r4(eligible.filter((c) => c.months.includes(k)).length / eligible.length) : null;
  });
  let predicted: number | null = null;
  let alive: number | null = null;
  if (models && predict) {
    alive = r4(mean(cs.map((c) => predict(c).alive)));
    predicted = models.gg ? Math.round(mean(cs.map((c) => predict(c).value ?? 0))) : null;
  }
  return {
    key,
    customers: cs.length,
    orders_per_customer: r2(cs.length ? orders / cs.length : 0),
    aov: orders > 0 ? Math.round(revenue / orders) : null,
    revenue_per_customer: Math.round(cs.length ? revenue / cs.length : 0),
    revenue_3m: window((c) => c.r3),
    revenue_6m: window((c) => c.r6),
    revenue_12m: window((c) => c.r12),
    retention,
    predicted_12m: predicted,
    probability_alive: alive,
  };
};

export const customerValue = async (
  q: Queryable,
  f: { currency: string; asOf: string; segmentId?: string | undefined },
) => {
  const end = Date.parse(`${f.asOf}T00:00:00Z`);
  const cs = await loadCustomers(q, f.currency, f.asOf, f.segmentId);
  const models = fitModels(cs, end);
  const predict = models ? predictor(models, end) : null;
  const by = (key: (c: Customer) => string) => {
    const groups = new Map<string, Customer[]>();
    for (const c of cs) {
      const list = groups.get(key(c));
      if (list) list.push(c);
      else groups.set(key(c), [c]);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, list]) => groupOf(k, list, models, predict, end));
  };
  const recency = quintiles(cs.map((c) => -(end - c.last)));
  const frequency = quintiles(cs.map((c) => c.days));
  const monetary = quintiles(cs.map((c) => c.revenue));
  const rfm = new Map<string, { customers: number; revenue: number; monetary: number }>();
  cs.forEach((c, i) => {
    const g = rfmGroup(recency[i] ?? 1, frequency[i] ?? 1);
    const cur = rfm.get(g) ?? { customers: 0, revenue: 0, monetary: 0 };
    cur.customers += 1;
    cur.revenue += c.revenue;
    cur.monetary += monetary[i] ?? 1;
    rfm.set(g, cur);
  });
  return {
    customers: cs.length,
    all: groupOf('all', cs, models, predict, end),
    by_first_channel: by((c) => c.first_channel),
    by_mix: by((c) => c.mix),
    rfm: [...rfm.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, v]) => ({
        group,
        customers: v.customers,
        revenue: v.revenue,
        monetary_score: r2(v.monetary / v.customers),
      })),
    model: models
      ? {
          unit: 'week',
          bg_nbd: {
            r: models.bg.r,
            alpha: models.bg.alpha,
            a: models.bg.a,
            b: models.bg.b,
            log_likelihood: models.bg.logLikelihood,
          },
          gamma_gamma: models.gg ? { p: models.gg.p, q: models.gg.q, v: models.gg.v } : null,
        }
      : null,
  };
};
