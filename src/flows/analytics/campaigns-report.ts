/**
 * Campaign and medium performance (docs/analytics.md, "Campaigns and media"): per campaign and
 * medium, the funnel from the campaign's rollups (campaign_stats: sent, delivered, opened, clicked,
 * shown, redeemed, converted in the campaign's window, holdout), the sales attributed to it in the
 * period by a model (attribution rollups), the costs entered for it in the period, and what follows:
 * cost per order, ROAS and ROI per currency, and the lift against the holdout (lift.ts).
 * Campaigns of external ads are the attribution's `utm:<name>` keys; costs can be entered for them.
 */
import type { Queryable } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { RuleModel } from './attribution.ts';
import { type LiftResult, lift } from './lift.ts';

export const COST_KINDS = ['print', 'messages', 'ad_spend', 'discounts', 'production', 'other'] as const;
export type CostKind = (typeof COST_KINDS)[number];

export interface CostInput {
  campaign_id: string;
  medium: string;
  kind: CostKind;
  amount: number;
  currency: string;
  incurred_on: string;
  note?: string | null | undefined;
}

export interface CostRow extends CostInput {
  id: string;
  note: string | null;
  created_at: Date;
}

export const addCost = async (q: Queryable, c: CostInput, now: Date): Promise<CostRow> =>
  (
    await q.query<CostRow>(
      `INSERT INTO analytics_campaign_costs (id, campaign_id, medium, kind, amount, currency, note, incurred_on, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id, campaign_id, medium, kind, amount::int AS amount, currency::text AS currency, note,
         to_char(incurred_on, 'YYYY-MM-DD') AS incurred_on, created_at`,
      [
        newId('cst'),
        c.campaign_id,
        c.medium,
        c.kind,
        c.amount,
        c.currency,
        c.note ?? null,
        c.incurred_on,
        now,
      ],
    )
  ).rows[0] as CostRow;

export const listCosts = async (q: Queryable, campaignId: string | undefined): Promise<CostRow[]> =>
  (
    await q.query<CostRow>(
      `SELECT id, campaign_id, medium, kind, amount::int AS amount, currency::text AS currency, note,
         to_char(incurred_on, 'YYYY-MM-DD') AS incurred_on, created_at
       FROM analytics_campaign_costs WHERE ($1::text IS NULL OR campaign_id = $1)
       ORDER BY incurred_on DESC, id DESC LIMIT 1000`,
      [campaignId ?? null],
    )
  ).rows;

export const deleteCost = async (q: Queryable, id: string): Promise<boolean> =>
  ((await q.query('DELETE FROM analytics_campaign_costs WHERE id = $1', [id])).rowCount ?? 0) > 0;

const FUNNEL = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'shown',
  'redeemed',
  'converted',
  'unsubscribed',
] as const;
type Funnel = Record<(typeof FUNNEL)[number], number>;

export interface CampaignPerformance {
  campaign_id: string;
  name: string | null;
  medium: string;
  currency: string | null;
  funnel: Funnel & { revenue: number; holdout: number; holdout_converted: number; holdout_revenue: number };
  /** The funnel of each A/B variant (its own conversions and revenue). */
  variants: (Funnel & { variant: string; revenue: number })[];
  attributed: { conversions: number; revenue: number };
  cost: number;
  cost_per_order: number | null;
  roas: number | null;
  roi: number | null;
  lift: LiftResult | null;
}

/**
 * What a campaign key is called: a Plaza campaign's (or journey's) name, an ad campaign's UTM name
 * (`utm:<name>`), a store visit's location name (`store:<location id>`).
 */
export const campaignNames = async (q: Queryable, keys: readonly string[]): Promise<Map<string, string>> => {
  const unique = [...new Set(keys)];
  const { rows } = await q.query<{ id: string; name: string }>(
    `SELECT id, name FROM campaigns WHERE id = ANY($1)
     UNION ALL SELECT id, name FROM journeys WHERE id = ANY($1)
     UNION ALL SELECT 'store:' || id, name FROM locations WHERE 'store:' || id = ANY($1)`,
    [unique],
  );
  const names = new Map(rows.map((r) => [r.id, r.name]));
  for (const k of unique) if (k.startsWith('utm:') && !names.has(k)) names.set(k, k.slice(4));
  return names;
};

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** Rows per campaign × medium (× currency of its attributed sales and costs). */
export const campaignPerformance = async (
  q: Queryable,
  f: { from: string; to: string; model: RuleModel; campaignId?: string | undefined },
): Promise<CampaignPerformance[]> => {
  const [stats, attributed, costs] = await Promise.all([
    q.query<{ campaign_id: string; medium: string; variant: string; metric: string; n: string }>(
      `SELECT campaign_id, medium, variant, metric, n::text AS n FROM campaign_stats
       WHERE ($1::text IS NULL OR campaign_id = $1)`,
      [f.campaignId ?? null],
    ),
    q.query<{ campaign_id: string; medium: string; currency: string; conversions: number; revenue: string }>(
      `SELECT campaign AS campaign_id, medium, currency::text AS currency, sum(conversions)::float8 AS conversions,
         sum(revenue)::text AS revenue
       FROM analytics_attribution_daily
       WHERE day BETWEEN $1::date AND $2::date AND model = $3 AND campaign <> '' AND ($4::text IS NULL OR campaign = $4)
       GROUP BY 1, 2, 3`,
      [f.from, f.to, f.model, f.campaignId ?? null],
    ),
    q.query<{ campaign_id: string; medium: string; currency: string; amount: string }>(
      `SELECT campaign_id, medium, currency::text AS currency, sum(amount)::text AS amount FROM analytics_campaign_costs
       WHERE incurred_on BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR campaign_id = $3)
       GROUP BY 1, 2, 3`,
      [f.from, f.to, f.campaignId ?? null],
    ),
  ]);
  const key = (c: string, m: string) => `${c}\u0000${m}`;
  const metrics = new Map<string, Map<string, number>>();
  const variants = new Map<string, Map<string, Map<string, number>>>();
  for (const s of stats.rows) {
    const k = key(s.campaign_id, s.medium);
    const m = metrics.get(k) ?? new Map<string, number>();
    m.set(s.metric, (m.get(s.metric) ?? 0) + Number(s.n));
    metrics.set(k, m);
    if (s.variant === '') continue;
    const byVariant = variants.get(k) ?? new Map<string, Map<string, number>>();
    const v = byVariant.get(s.variant) ?? new Map<string, number>();
    v.set(s.metric, Number(s.n));
    byVariant.set(s.variant, v);
    variants.set(k, byVariant);
  }
  // one row per campaign × medium × currency (a row without sales or costs has currency null)
  const rows = new Map<string, CampaignPerformance>();
  const rowOf = (campaign: string, medium: string, currency: string | null): CampaignPerformance => {
    const k = `${key(campaign, medium)}\u0000${currency ?? ''}`;
    let r = rows.get(k);
    if (!r) {
      const m = metrics.get(key(campaign, medium)) ?? new Map<string, number>();
      const n = (metric: string) => m.get(metric) ?? 0;
      const funnel = Object.fromEntries(FUNNEL.map((x) => [x, n(x)])) as Funnel;
      const hasHoldout = n('holdout') > 0;
      r = {
        campaign_id: campaign,
        name: null,
        medium,
        currency,
        funnel: {
          ...funnel,
          revenue: n('revenue_minor'),
          holdout: n('holdout'),
          holdout_converted: n('holdout_converted'),
          holdout_revenue: n('holdout_revenue_minor'),
        },
        variants: [...(variants.get(key(campaign, medium)) ?? new Map<string, Map<string, number>>())]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([variant, v]) => ({
            variant,
            ...(Object.fromEntries(FUNNEL.map((x) => [x, v.get(x) ?? 0])) as Funnel),
            revenue: v.get('revenue_minor') ?? 0,
          })),
        attributed: { conversions: 0, revenue: 0 },
        cost: 0,
        cost_per_order: null,
        roas: null,
        roi: null,
        lift: hasHoldout
          ? lift(
              {
                customers: n('sent'),
                converted: n('converted'),
                revenue: n('revenue_minor'),
                revenueSquares: n('revenue_minor_sq'),
              },
              {
                customers: n('holdout'),
                converted: n('holdout_converted'),
                revenue: n('holdout_revenue_minor'),
                revenueSquares: n('holdout_revenue_minor_sq'),
              },
            )
          : null,
      };
      rows.set(k, r);
    }
    return r;
  };
  for (const a of attributed.rows) {
    const r = rowOf(a.campaign_id, a.medium, a.currency);
    r.attributed = { conversions: Math.round(a.conversions * 1000) / 1000, revenue: Number(a.revenue) };
  }
  for (const c of costs.rows) rowOf(c.campaign_id, c.medium, c.currency).cost = Number(c.amount);
  for (const k of metrics.keys()) {
    const [campaign = '', medium = ''] = k.split('\u0000');
    const has = [...rows.values()].some((r) => r.campaign_id === campaign && r.medium === medium);
    if (!has) rowOf(campaign, medium, null);
  }
  const nameOf = await campaignNames(
    q,
    [...rows.values()].map((r) => r.campaign_id),
  );
  for (const r of rows.values()) {
    r.name = nameOf.get(r.campaign_id) ?? null;
    r.cost_per_order =
      r.cost > 0 && r.attributed.conversions > 0 ? Math.round(r.cost / r.attributed.conversions) : null;
    r.roas = ratio(r.attributed.revenue, r.cost);
    r.roi = r.cost > 0 ? Math.round(((r.attributed.revenue - r.cost) / r.cost) * 10_000) / 10_000 : null;
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.campaign_id.localeCompare(b.campaign_id) ||
      a.medium.localeCompare(b.medium) ||
      (a.currency ?? '').localeCompare(b.currency ?? ''),
  );
};
