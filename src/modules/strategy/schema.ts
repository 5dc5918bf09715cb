/**
 * The strategy advisor's contract (docs/strategy.md): the retailer's answers, the measures taken
 * from Plaza's data, the scoring model's weights (data, not code), and an assessment.
 * The pure model (./model) reads these types; the flow (src/flows/strategy) measures, stores and serves.
 */
import { type Static, Type } from '@sinclair/typebox';
import { CurrencyCode, List, Nullable, Obj, Str } from '../../platform/http/schemas.ts';

export const STRATEGIES = ['omnichannel', 'multichannel', 'hybrid'] as const;
export type Strategy = (typeof STRATEGIES)[number];

const Enum = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

export const COMMERCE_TYPES = ['b2c', 'b2b', 'd2c_brand', 'marketplace_seller', 'reseller'] as const;
export const CATEGORIES = [
  'fashion',
  'electronics',
  'grocery',
  'home',
  'beauty',
  'sports',
  'books_media',
  'other',
] as const;
export const FREQUENCIES = ['weekly', 'monthly', 'quarterly', 'yearly', 'rarely'] as const;
export const STORE_ROLES = ['sales', 'showroom', 'pickup_point', 'ship_from_store', 'service'] as const;
export const GOALS = ['reach_new', 'retain', 'raise_margin', 'new_regions'] as const;
export const LEVELS = ['low', 'medium', 'high'] as const;

/** What only the retailer knows (the questionnaire). */
export const Answers = Obj({
  commerce_type: Enum(COMMERCE_TYPES, 'Type of commerce'),
  category: Enum(CATEGORIES, 'Main product category'),
  purchase_frequency: Enum(FREQUENCIES, 'How often a typical customer buys'),
  store_count: Type.Integer({ minimum: 0, maximum: 100_000, description: 'Physical stores' }),
  store_roles: List(Enum(STORE_ROLES, 'A role the stores play'), { max: STORE_ROLES.length }),
  goals: List(Enum(GOALS, 'A goal, most important first'), { min: 1, max: GOALS.length }),
  competitive_pressure: Enum(LEVELS, 'How hard the sector competes (on price, on reach)'),
  years_in_business: Type.Integer({ minimum: 0, maximum: 500 }),
  team_size: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'People working in the business' }),
  it_maturity: Enum(LEVELS, 'How well the business has adopted information technology'),
  personalisation_priority: Enum(
    LEVELS,
    'How much the business wants personal communication and to measure each customer',
  ),
  budget_per_year: Type.Integer({
    minimum: 0,
    maximum: 1e15,
    description: 'Budget for channels and marketing per year, minor units of `currency`',
  }),
  currency: CurrencyCode,
  gross_margin_rate: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Gross margin on sales before channel costs (0.4 = 40 %)',
  }),
  fiscal_year_start: Type.Integer({ minimum: 1, maximum: 12, description: 'Month the fiscal year starts' }),
});
export type Answers = Static<typeof Answers>;

export const MEASURE_KEYS = [
  'repeat_purchase_rate',
  'multichannel_customer_share',
  'multichannel_value_ratio',
  'loyalty_membership_rate',
  'loyalty_active_rate',
  'annual_sales',
  'sales_trend',
  'click_collect_share',
  'pickup_distance_km',
  'cross_device_cart_share',
  'media_response_rate',
  'media_roi',
  'stock_spread',
  'forecast_accuracy',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

/** One figure measured from the shop's own data, with how it was computed. */
export const Measure = Type.Object({
  key: Enum(MEASURE_KEYS, 'Which measure'),
  value: Nullable(Type.Number({ description: 'The figure (null when missing)' })),
  unit: Enum(['ratio', 'minor', 'km', 'count'] as const, 'ratio: 0–1 or a multiple; minor: minor units'),
  status: Enum(
    ['measured', 'thin', 'missing'] as const,
    'measured; thin: too few observations to trust fully; missing: no data',
  ),
  sample: Type.Integer({ minimum: 0, description: 'Observations behind the figure (customers, orders …)' }),
  method: Str({ max: 1000, description: 'How it was computed, in plain language' }),
  period: Nullable(Type.Object({ from: Type.String(), to: Type.String() })),
  /** Parts of the figure (per channel, per medium …) shown beside it. */
  breakdown: Type.Array(
    Type.Object({
      label: Type.String(),
      value: Nullable(Type.Number()),
      sample: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type Measure = Static<typeof Measure>;
export type Measures = Partial<Record<MeasureKey, Measure>>;

/**
 * How an input becomes a signal in [-1, 1]: linear between two values (clamped), a value per
 * category, or for a list of choices (goals) the sum of each chosen value, earlier choices counting more.
 */
export const Transform = Type.Union([
  Obj({ kind: Type.Literal('linear'), low: Type.Number(), high: Type.Number() }),
  Obj({
    kind: Type.Literal('category'),
    values: Type.Record(Type.String({ maxLength: 60 }), Type.Number(), { maxProperties: 20 }),
  }),
  Obj({
    kind: Type.Literal('choices'),
    values: Type.Record(Type.String({ maxLength: 60 }), Type.Number(), { maxProperties: 20 }),
  }),
]);
export type Transform = Static<typeof Transform>;

export const Factor = Obj({
  key: Str({ min: 1, max: 60, description: 'Stable factor key' }),
  source: Enum(['answer', 'measure'] as const, 'Where the input comes from'),
  input: Str({ min: 1, max: 60, description: 'The answer field or measure key' }),
  transform: Transform,
  /**
   * Divide the input by this measure before the transform (e.g. the budget per year as a share of
   * annual sales). The factor counts as missing when that measure is missing or not positive, and
   * takes its thin shrink when it is thin.
   */
  per: Type.Optional(Enum(MEASURE_KEYS, 'Measure the input is divided by before the transform')),
  weights: Obj({ omnichannel: Type.Number(), multichannel: Type.Number(), hybrid: Type.Number() }),
  rationale: Str({ max: 1000, description: "Why, from the article's reasoning or the measured effects" }),
});
export type Factor = Static<typeof Factor>;

/** Effects assumed per strategy for the projections, each a range (low, base, high). */
// An array of three rather than a tuple: TypeBox writes tuples as `items: [...]`, which OpenAPI 3.1
// (JSON Schema 2020-12) does not accept; `Range` keeps the tuple type for the code.
export const Range = Type.Unsafe<[number, number, number]>(
  Type.Array(Type.Number(), { minItems: 3, maxItems: 3, description: '[low, base, high]' }),
);
export type Range = Static<typeof Range>;
export const StrategyEffects = Obj({
  revenue_growth: Range,
  retention_change: Range,
  channel_cost_rate: Range,
  fulfilment_cost_rate: Range,
  stock_carrying_rate: Range,
  campaign_spend_share: Range,
});
export type StrategyEffects = Static<typeof StrategyEffects>;

export const Weights = Obj({
  version: Type.Integer({ minimum: 1 }),
  factors: List(Factor, { min: 1, max: 100 }),
  /** Scores closer than this (points) recommend the hybrid. */
  hybrid_margin: Type.Number({ minimum: 0 }),
  effects: Obj({
    omnichannel: StrategyEffects,
    multichannel: StrategyEffects,
    hybrid: StrategyEffects,
  }),
});
export type Weights = Static<typeof Weights>;
