/** Schemas of the attribution, campaign and cost endpoints (docs/analytics.md). */
import { type Static, Type } from '@sinclair/typebox';
import { CurrencyCode, Id, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';
import { COST_KINDS } from './campaigns-report.ts';
import { Freshness, PeriodQuery } from './schema.ts';

const RuleModel = Type.Union([
  Type.Literal('first_touch'),
  Type.Literal('last_touch'),
  Type.Literal('linear'),
  Type.Literal('position_based'),
  Type.Literal('time_decay'),
]);
const Credit = Type.Object({
  conversions: Type.Number({ minimum: 0, description: 'Sales credited (fractions of sales)' }),
  revenue: Type.Integer({ description: 'Revenue credited, minor units of `currency`' }),
});

const { from, to, format } = PeriodQuery;

export const AttributionQuery = Obj({
  from,
  to,
  format,
  by: Type.Union([Type.Literal('medium'), Type.Literal('campaign')], {
    default: 'medium',
    description: 'Credit media (email, sms, cpc …) or campaigns (a campaign id, or utm:<name> for ads)',
  }),
});
export type AttributionQuery = Static<typeof AttributionQuery>;

export const AttributionReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  time_zone: Type.String(),
  by: Type.String(),
  lookback_days: Type.Integer(),
  half_life_hours: Type.Integer(),
  models: Type.Array(Type.String()),
  freshness: Freshness,
  rows: Type.Array(
    Type.Object({
      key: Type.String({ description: 'The medium, or the campaign id (utm:<name> for an ad campaign)' }),
      name: Nullable(Type.String({ description: "The campaign's name (by=campaign)" })),
      currency: Type.String(),
      credits: Type.Object({
        first_touch: Credit,
        last_touch: Credit,
        linear: Credit,
        position_based: Credit,
        time_decay: Credit,
        data_driven: Credit,
      }),
    }),
  ),
  direct: Type.Array(
    Type.Object({ currency: Type.String(), conversions: Type.Integer(), revenue: Type.Integer() }),
    { description: 'Sales without any touch in the lookback (or by guests), per currency' },
  ),
  journeys: Type.Object({
    converted: Type.Integer({ description: 'Paths that ended in a sale' }),
    not_converted: Type.Integer({ description: 'Paths that ended without one (data-driven model)' }),
  }),
});

export const CampaignsQuery = Obj({
  from,
  to,
  format,
  model: {
    ...RuleModel,
    default: 'last_touch',
    description: 'The model attributed sales and ROAS are counted with',
  },
  campaign_id: Type.Optional(Str({ min: 1, max: 200 })),
});
export type CampaignsQuery = Static<typeof CampaignsQuery>;

const Interval = Type.Object({ estimate: Type.Number(), low: Type.Number(), high: Type.Number() });
const Group = Type.Object({
  customers: Type.Integer(),
  converted: Type.Integer(),
  rate: Type.Number(),
  revenue_per_customer: Type.Number(),
});
export const Lift = Type.Object({
  treated: Group,
  holdout: Group,
  rate_lift: { ...Interval, description: 'Treated − holdout conversion rate (0.02 = 2 points), 95 % CI' },
  relative_lift: Nullable({ ...Interval, description: 'Treated / holdout rate − 1, 95 % CI (Katz)' }),
  revenue_lift: {
    ...Interval,
    description: 'Treated − holdout revenue per recipient, minor units, 95 % CI (Welch)',
  },
  verdict: Type.Object({
    code: Type.Union(
      ['insufficient_data', 'significant_positive', 'significant_negative', 'not_significant'].map((c) =>
        Type.Literal(c),
      ),
    ),
    more_customers_needed: Nullable(Type.Integer()),
    message: Type.String(),
  }),
});

/** The funnel counts a campaign and each of its variants have (campaign_stats metrics). */
const FUNNEL = {
  sent: Type.Integer(),
  delivered: Type.Integer(),
  opened: Type.Integer(),
  clicked: Type.Integer(),
  shown: Type.Integer(),
  redeemed: Type.Integer(),
  converted: Type.Integer(),
  unsubscribed: Type.Integer(),
  revenue: Type.Integer(),
};

export const CampaignRow = Type.Object({
  campaign_id: Type.String(),
  name: Nullable(Type.String()),
  medium: Type.String(),
  currency: Nullable(Type.String({ description: 'Of the attributed revenue and costs (null: neither)' })),
  funnel: Type.Object(
    {
      ...FUNNEL,
      holdout: Type.Integer(),
      holdout_converted: Type.Integer(),
      holdout_revenue: Type.Integer(),
    },
    {
      description:
        "The campaign's own counts since it began (its conversion window), not limited to the period",
    },
  ),
  variants: Type.Array(Type.Object({ variant: Type.String(), ...FUNNEL }), {
    description: "Each A/B variant's own funnel (empty without variants)",
  }),
  attributed: Credit,
  cost: Type.Integer({ description: 'Costs entered for the period, minor units' }),
  cost_per_order: Nullable(Type.Integer()),
  roas: Nullable(Type.Number({ description: 'Attributed revenue / cost' })),
  roi: Nullable(Type.Number({ description: '(Attributed revenue − cost) / cost' })),
  lift: Nullable(Lift),
});

export const CampaignsReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  model: Type.String(),
  freshness: Freshness,
  rows: Type.Array(CampaignRow),
});

export const CostBody = Obj({
  campaign_id: Str({ min: 1, max: 200, description: 'A campaign id, or utm:<name> for an ad campaign' }),
  medium: Str({ min: 1, max: 64 }),
  kind: Type.Union(COST_KINDS.map((k) => Type.Literal(k))),
  amount: Type.Integer({ minimum: 0, maximum: 1e15, description: 'Minor units of currency' }),
  currency: CurrencyCode,
  incurred_on: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 }),
  note: Type.Optional(Nullable(Str({ max: 500 }))),
});
export type CostBody = Static<typeof CostBody>;

export const Cost = Type.Object({
  id: Type.String(),
  campaign_id: Type.String(),
  medium: Type.String(),
  kind: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  incurred_on: Type.String(),
  note: Nullable(Type.String()),
  created_at: Timestamp,
});

export const CustomerValueQuery = Obj({
  to: PeriodQuery.to,
  format,
  currency: Type.Optional({
    ...CurrencyCode,
    description: "Customers' sales in this currency (default: the most used)",
  }),
  segment_id: Type.Optional({
    ...Id('seg'),
    description: "Only the segment's current members (models fitted on them)",
  }),
});
export type CustomerValueQuery = Static<typeof CustomerValueQuery>;

const Money = (description: string) => Nullable(Type.Integer({ description: `${description}, minor units` }));
export const CustomerGroup = Type.Object({
  key: Type.String({ description: 'The first channel id, the mix (online, store, both) or all' }),
  customers: Type.Integer(),
  orders_per_customer: Type.Number(),
  aov: Money('Average order value'),
  revenue_per_customer: Type.Integer({
    description: 'Historical value: all sales per customer, minor units',
  }),
  revenue_3m: Money('Sales per customer in the 3 months after the first purchase (customers that old)'),
  revenue_6m: Money('The same over 6 months'),
  revenue_12m: Money('The same over 12 months'),
  retention: Type.Array(Nullable(Type.Number()), {
    description:
      'Month k after the first purchase (k = 0…12): the share of the customers (old enough) who bought in it',
  }),
  predicted_12m: Money(
    'Predicted value of the next 12 months per customer (BG/NBD × Gamma-Gamma); null: no model',
  ),
  probability_alive: Nullable(
    Type.Number({ description: 'Mean probability that the customer is still active' }),
  ),
});

export const CustomerValue = Type.Object({
  to: Type.String(),
  currency: Type.String(),
  currencies: Type.Array(Type.String(), {
    description: 'Currencies customers bought in, most used first (one report each)',
  }),
  freshness: Freshness,
  computed_at: Nullable({
    ...Timestamp,
    description: "When the snapshot was computed (today's report without a segment); null: for this request",
  }),
  customers: Type.Integer(),
  all: CustomerGroup,
  by_first_channel: Type.Array(CustomerGroup),
  by_mix: Type.Array(CustomerGroup),
  rfm: Type.Array(
    Type.Object({
      group: Type.String({ description: 'champions, loyal, new, promising, at_risk, hibernating' }),
      customers: Type.Integer(),
      revenue: Type.Integer(),
      monetary_score: Type.Number({ description: 'Mean monetary quintile (1–5) of the group' }),
    }),
  ),
  model: Nullable(
    Type.Object({
      unit: Type.String(),
      bg_nbd: Type.Object({
        r: Type.Number(),
        alpha: Type.Number(),
        a: Type.Number(),
        b: Type.Number(),
        log_likelihood: Type.Number(),
      }),
      gamma_gamma: Nullable(Type.Object({ p: Type.Number(), q: Type.Number(), v: Type.Number() })),
    }),
  ),
});
