/**
 * The attribution part of a day's rebuild (docs/analytics.md, "Attribution"): every sale of the day
 * is credited to its customer's touches in the lookback window before it (analytics_touches), by
 * each rule-based model (attribution.ts), per medium and campaign; a sale without touches (or by a
 * guest) is direct (medium '' and campaign ''). The touch paths are kept for the data-driven model:
 * the converting ones on the sale's day, and those that did not convert on the day of their last
 * touch, once no touch or sale of that customer follows within the lookback.
 */
import { NOT_SALES } from '../../modules/orders/index.ts';
import type { Tx } from '../../platform/db.ts';
import { RULE_MODELS, splitValue, type Touch, weights } from './attribution.ts';
import { halfLifeHours, lookbackDays } from './options.ts';

/** A path keeps its last touches only (a path of hundreds of touches says nothing more). */
export const MAX_PATH = 20;
/** Separates medium and campaign in a path token. */
export const SEP = '\u001f';

interface Sale {
  day: string;
  customer_id: string | null;
  placed_at: Date;
  total: string;
  currency: string;
}

interface TouchRow {
  customer_id: string;
  at: Date;
  medium: string;
  campaign: string;
}

const DAY_MS = 86_400_000;

/** Touches of a customer in [from, to), oldest first (rows are sorted by customer and time). */
const between = (rows: readonly TouchRow[], from: number, to: number): TouchRow[] =>
  rows.filter((t) => t.at.getTime() >= from && t.at.getTime() < to).slice(-MAX_PATH);

class Sums<V> {
  readonly map = new Map<string, { key: string[]; v: V }>();
  constructor(private readonly zero: () => V) {}
  at(key: string[]): V {
    const k = key.join('\u0000');
    let e = this.map.get(k);
    if (!e) {
      e = { key, v: this.zero() };
      this.map.set(k, e);
    }
    return e.v;
  }
}

/** Rebuilds analytics_attribution_daily and analytics_paths_daily of these days (rows already deleted). */
export const rebuildAttribution = async (tx: Tx, days: readonly string[], tz: string): Promise<void> => {
  const lookbackMs = (await lookbackDays(tx)) * DAY_MS;
  const opts = { halfLifeHours: await halfLifeHours(tx) };
  const sales = (
    await tx.query<Sale>(
      `SELECT to_char((o.placed_at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day, o.customer_id, o.placed_at,
         o.total::text AS total, o.currency::text AS currency
       FROM orders o
       WHERE o.placed_at >= ($1::date[])[1]::timestamp AT TIME ZONE $2 - interval '1 day'
         AND o.placed_at < ($1::date[])[cardinality($1::date[])]::timestamp AT TIME ZONE $2 + interval '2 days'
         AND (o.placed_at AT TIME ZONE $2)::date = ANY($1::date[]) AND o.status <> ALL($3::text[])
       ORDER BY o.placed_at, o.id`,
      [days, tz, NOT_SALES],
    )
  ).rows;
  const customers = [...new Set(sales.map((s) => s.customer_id).filter((c): c is string => c !== null))];
  const first = sales[0]?.placed_at.getTime() ?? 0;
  const last = sales.at(-1)?.placed_at.getTime() ?? 0;
  const touchRows = customers.length
    ? (
        await tx.query<TouchRow>(
          `SELECT customer_id, at, medium, campaign FROM analytics_touches
           WHERE customer_id = ANY($1) AND at >= $2 AND at < $3 ORDER BY customer_id, at, event_id`,
          [customers, new Date(first - lookbackMs), new Date(last)],
        )
      ).rows
    : [];
  const touchesOf = new Map<string, TouchRow[]>();
  for (const t of touchRows) {
    const list = touchesOf.get(t.customer_id);
    if (list) list.push(t);
    else touchesOf.set(t.customer_id, [t]);
  }

  const credits = new Sums(() => ({ conversions: 0, revenue: 0 }));
  const paths = new Sums(() => ({ journeys: 0, revenue: 0 }));
  for (const s of sales) {
    const at = s.placed_at.getTime();
    const total = Number(s.total);
    const path = s.customer_id ? between(touchesOf.get(s.customer_id) ?? [], at - lookbackMs, at) : [];
    if (path.length === 0) {
      for (const model of RULE_MODELS) {
        const c = credits.at([s.day, model, '', '', s.currency]);
        c.conversions += 1;
        c.revenue += total;
      }
      continue;
    }
    const touches: Touch[] = path.map((t) => ({ key: `${t.medium}${SEP}${t.campaign}`, at: t.at }));
    for (const model of RULE_MODELS) {
      const w = weights(model, touches, s.placed_at, opts);
      const parts = splitValue(total, w);
      touches.forEach((t, i) => {
        const [medium = '', campaign = ''] = t.key.split(SEP);
        const c = credits.at([s.day, model, medium, campaign, s.currency]);
        c.conversions += w[i] ?? 0;
        c.revenue += parts[i] ?? 0;
      });
    }
    const p = paths.at([s.day, s.currency, 'true', ...touches.map((t) => t.key)]);
    p.journeys += 1;
    p.revenue += total;
  }
  await insertCredits(tx, credits);
  await insertPaths(tx, paths, true);
  await rebuildOpenPaths(tx, days, tz, lookbackMs);
};

const insertCredits = async (tx: Tx, credits: Sums<{ conversions: number; revenue: number }>) => {
  const rows = [...credits.map.values()];
  if (rows.length === 0) return;
  const col = (i: number) => rows.map((r) => r.key[i] ?? '');
  await tx.query(
    `INSERT INTO analytics_attribution_daily (day, model, medium, campaign, currency, conversions, revenue)
     SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::bigint[])`,
    [col(0), col(1), col(2), col(3), col(4), rows.map((r) => r.v.conversions), rows.map((r) => r.v.revenue)],
  );
};

const insertPaths = async (
  tx: Tx,
  paths: Sums<{ journeys: number; revenue: number }>,
  converted: boolean,
) => {
  const rows = [...paths.map.values()];
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO analytics_paths_daily (day, currency, converted, path, journeys, revenue)
     SELECT x.day, x.currency, $2, x.path, x.journeys, x.revenue
     FROM jsonb_to_recordset($1::jsonb) AS x (day date, currency text, path text[], journeys int, revenue bigint)`,
    [
      JSON.stringify(
        rows.map((r) => ({
          day: r.key[0],
          currency: converted ? r.key[1] : null,
          path: r.key.slice(3),
          journeys: r.v.journeys,
          revenue: r.v.revenue,
        })),
      ),
      converted,
    ],
  );
};

/**
 * Paths that did not convert, on the day of their last touch: a customer's last touch of the day
 * with no touch and no sale of theirs in the lookback after it. The path is their touches in the
 * lookback up to it, after their last sale.
 */
const rebuildOpenPaths = async (tx: Tx, days: readonly string[], tz: string, lookbackMs: number) => {
  const ends = (
    await tx.query<{ day: string; customer_id: string; last: Date; since: Date }>(
      `WITH c AS (
         SELECT to_char((at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day, customer_id, max(at) AS last
         FROM analytics_touches
         WHERE at >= ($1::date[])[1]::timestamp AT TIME ZONE $2 - interval '1 day'
           AND at < ($1::date[])[cardinality($1::date[])]::timestamp AT TIME ZONE $2 + interval '2 days'
           AND (at AT TIME ZONE $2)::date = ANY($1::date[])
         GROUP BY 1, 2)
       SELECT c.day, c.customer_id, c.last, greatest(c.last - $3::interval, (
           SELECT max(o.placed_at) FROM orders o
           WHERE o.customer_id = c.customer_id AND o.status <> ALL($4::text[]) AND o.placed_at <= c.last)) AS since
       FROM c
       WHERE NOT EXISTS (SELECT 1 FROM analytics_touches n
                         WHERE n.customer_id = c.customer_id AND n.at > c.last AND n.at <= c.last + $3::interval)
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.status <> ALL($4::text[])
                         AND o.placed_at > c.last AND o.placed_at <= c.last + $3::interval)`,
      [days, tz, `${lookbackMs / DAY_MS} days`, NOT_SALES],
    )
  ).rows;
  if (ends.length === 0) return;
  const touchRows = (
    await tx.query<TouchRow & { day: string }>(
      `SELECT x.day, t.customer_id, t.at, t.medium, t.campaign
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS x (day, customer_id, since, last)
       JOIN analytics_touches t ON t.customer_id = x.customer_id AND t.at > x.since AND t.at <= x.last
       ORDER BY x.day, t.customer_id, t.at, t.event_id`,
      [
        ends.map((e) => e.day),
        ends.map((e) => e.customer_id),
        ends.map((e) => e.since),
        ends.map((e) => e.last),
      ],
    )
  ).rows;
  const byEnd = new Map<string, string[]>();
  for (const t of touchRows) {
    const k = `${t.day}\u0000${t.customer_id}`;
    const list = byEnd.get(k);
    if (list) list.push(`${t.medium}${SEP}${t.campaign}`);
    else byEnd.set(k, [`${t.medium}${SEP}${t.campaign}`]);
  }
  const paths = new Sums(() => ({ journeys: 0, revenue: 0 }));
  for (const [k, tokens] of byEnd) {
    const [day = ''] = k.split('\u0000');
    paths.at([day, '', 'false', ...tokens.slice(-MAX_PATH)]).journeys += 1;
  }
  await insertPaths(tx, paths, false);
};
