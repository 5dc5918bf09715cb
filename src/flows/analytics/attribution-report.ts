/**
 * The attribution report (docs/analytics.md, "Attribution"): for a period, each medium's (or
 * campaign's) credited conversions and revenue under every model side by side. The rule-based
 * models are sums of the daily credits (attribution-rollup.ts); the data-driven model is the Markov
 * chain removal effect (attribution.ts) over the period's paths, converting or not, its shares
 * applied to the converted paths' conversions and revenue per currency.
 */
import type { Queryable } from '../../platform/db.ts';
import { type Journey, RULE_MODELS, removalEffects, splitValue } from './attribution.ts';
import { SEP } from './attribution-rollup.ts';

export const MODELS = [...RULE_MODELS, 'data_driven'] as const;
export type ReportModel = (typeof MODELS)[number];

export interface Credit {
  conversions: number;
  revenue: number;
}

export interface AttributionRow {
  key: string;
  currency: string;
  credits: Record<ReportModel, Credit>;
}

export interface AttributionReport {
  rows: AttributionRow[];
  direct: { currency: string; conversions: number; revenue: number }[];
  journeys: { converted: number; not_converted: number };
}

const zero = (): Record<ReportModel, Credit> =>
  Object.fromEntries(MODELS.map((m) => [m, { conversions: 0, revenue: 0 }])) as Record<ReportModel, Credit>;

const round = (n: number) => Math.round(n * 1000) / 1000;

/** `by`: credit media (`email`, `cpc` …) or campaigns (a Plaza campaign id, or `utm:<name>`). */
export const attributionReport = async (
  q: Queryable,
  f: { from: string; to: string; by: 'medium' | 'campaign' },
): Promise<AttributionReport> => {
  const keyCol = f.by === 'medium' ? 'medium' : 'campaign';
  const [rules, paths] = await Promise.all([
    q.query<{
      model: ReportModel;
      key: string;
      direct: boolean;
      currency: string;
      conversions: number;
      revenue: string;
    }>(
      `SELECT model, ${keyCol} AS key, medium = '' AS direct, currency::text AS currency,
         sum(conversions)::float8 AS conversions, sum(revenue)::text AS revenue
       FROM analytics_attribution_daily WHERE day BETWEEN $1::date AND $2::date
       GROUP BY 1, 2, 3, 4`,
      [f.from, f.to],
    ),
    q.query<{
      path: string[];
      converted: boolean;
      currency: string | null;
      journeys: number;
      revenue: string;
    }>(
      `SELECT path, converted, currency::text AS currency, sum(journeys)::int AS journeys, sum(revenue)::text AS revenue
       FROM analytics_paths_daily WHERE day BETWEEN $1::date AND $2::date
       GROUP BY 1, 2, 3`,
      [f.from, f.to],
    ),
  ]);
  const rows = new Map<string, AttributionRow>();
  const rowOf = (key: string, currency: string): AttributionRow => {
    const k = `${key}\u0000${currency}`;
    let r = rows.get(k);
    if (!r) {
      r = { key, currency, credits: zero() };
      rows.set(k, r);
    }
    return r;
  };
  const direct = new Map<string, { currency: string; conversions: number; revenue: number }>();
  for (const r of rules.rows) {
    if (r.direct) {
      // every rule model credits direct sales the same: count them once
      if (r.model === 'last_touch')
        direct.set(r.currency, {
          currency: r.currency,
          conversions: Math.round(r.conversions),
          revenue: Number(r.revenue),
        });
      continue;
    }
    const c = rowOf(r.key, r.currency).credits[r.model];
    c.conversions += r.conversions;
    c.revenue += Number(r.revenue);
  }
  // data-driven: shares from every path, then each currency's converted journeys shared by them
  const part = (token: string) => {
    const [medium = '', campaign = ''] = token.split(SEP);
    return f.by === 'medium' ? medium : campaign;
  };
  const journeys: Journey[] = paths.rows.map((p) => ({
    touches: p.path.map((token, i) => ({ key: part(token), at: new Date(i) })),
    converted: p.converted,
    value: Number(p.revenue),
    count: p.journeys,
  }));
  const effects = removalEffects(journeys);
  const keys = [...effects.keys()].sort();
  const sum = keys.reduce((s, k) => s + (effects.get(k) ?? 0), 0);
  const perCurrency = new Map<string, { conversions: number; revenue: number }>();
  for (const p of paths.rows) {
    if (!p.converted || !p.currency) continue;
    const c = perCurrency.get(p.currency) ?? { conversions: 0, revenue: 0 };
    c.conversions += p.journeys;
    c.revenue += Number(p.revenue);
    perCurrency.set(p.currency, c);
  }
  if (sum > 0) {
    const shares = keys.map((k) => (effects.get(k) ?? 0) / sum);
    for (const [currency, total] of perCurrency) {
      const revenue = splitValue(total.revenue, shares);
      keys.forEach((key, i) => {
        const c = rowOf(key, currency).credits.data_driven;
        c.conversions += total.conversions * (shares[i] ?? 0);
        c.revenue += revenue[i] ?? 0;
      });
    }
  }
  for (const r of rows.values())
    for (const m of MODELS) r.credits[m].conversions = round(r.credits[m].conversions);
  return {
    rows: [...rows.values()].sort(
      (a, b) =>
        a.currency.localeCompare(b.currency) ||
        b.credits.last_touch.revenue - a.credits.last_touch.revenue ||
        a.key.localeCompare(b.key),
    ),
    direct: [...direct.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    journeys: {
      converted: paths.rows.filter((p) => p.converted).reduce((s, p) => s + p.journeys, 0),
      not_converted: paths.rows.filter((p) => !p.converted).reduce((s, p) => s + p.journeys, 0),
    },
  };
};
