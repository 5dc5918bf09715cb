/** What the advisor answers: scores and their factors, sensitivity, projections, next actions. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/schemas.ts';
import { Range, STRATEGIES } from './schema.ts';

const StrategyName = Type.Union(
  STRATEGIES.map((s) => Type.Literal(s)),
  { description: 'omnichannel, multichannel or hybrid' },
);

/** A sentence the console translates: a message key and its parameters (numbers, names). */
export const Phrase = Type.Object({
  key: Type.String({ description: 'Message key (docs/strategy.md lists them)' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  text: Type.String({ description: 'The same sentence in English' }),
});
export type Phrase = Static<typeof Phrase>;

export const Contribution = Type.Object({
  factor: Type.String(),
  source: Type.Union([Type.Literal('answer'), Type.Literal('measure')]),
  input: Type.String(),
  /** The input as given or measured (null when missing). */
  value: Type.Union([Type.Null(), Type.Number(), Type.String(), Type.Array(Type.String())]),
  signal: Type.Number({ description: 'The input mapped to [-1, 1], shrunk toward 0 when thin or missing' }),
  points: Type.Object({ omnichannel: Type.Number(), multichannel: Type.Number(), hybrid: Type.Number() }),
  status: Type.Union([
    Type.Literal('given'),
    Type.Literal('measured'),
    Type.Literal('thin'),
    Type.Literal('missing'),
  ]),
  explanation: Phrase,
});
export type Contribution = Static<typeof Contribution>;

export const Recommendation = Type.Object({
  strategy: StrategyName,
  /** For a hybrid: which channels are run as one (omnichannel) and which media reach (multichannel). */
  omnichannel_scope: Type.Array(Type.String(), { description: 'e.g. web, stores, app' }),
  multichannel_media: Type.Array(Type.String(), { description: 'e.g. brochure, email, sms, ads' }),
  name: Phrase,
  margin: Type.Number({ description: 'Points between the first and the second strategy' }),
});
export type Recommendation = Static<typeof Recommendation>;

export const Sensitivity = Type.Object({
  factor: Type.String(),
  input: Type.String(),
  source: Type.Union([Type.Literal('answer'), Type.Literal('measure')]),
  current: Type.Union([Type.Null(), Type.Number(), Type.String(), Type.Array(Type.String())]),
  /** The nearest value of the input that changes the recommendation, and what it changes to. */
  flips_at: Type.Union([Type.Number(), Type.String(), Type.Array(Type.String())]),
  change: Nullable(Type.Number({ description: 'flips_at − current for a number' })),
  becomes: StrategyName,
  explanation: Phrase,
});
export type Sensitivity = Static<typeof Sensitivity>;

export const YearFigures = Type.Object({
  year: Type.Integer({ minimum: 1, maximum: 3, description: 'Fiscal year 1 (next), 2, 3' }),
  fiscal_year_start: Type.String({ description: 'YYYY-MM-DD' }),
  revenue: Range,
  channel_costs: Range,
  fulfilment_costs: Range,
  stock_carrying_costs: Range,
  campaign_spend: Range,
  margin: Range,
  retention_rate: Range,
  customer_lifetime_value: Range,
});
export type YearFigures = Static<typeof YearFigures>;

export const Projection = Type.Object({
  strategy: StrategyName,
  currency: Type.String(),
  years: Type.Array(YearFigures),
});
export type Projection = Static<typeof Projection>;

export const Baselines = Type.Object({
  annual_revenue: Type.Number({ description: 'Minor units; measured, else estimated from the answers' }),
  retention_rate: Type.Number(),
  customer_lifetime_value: Type.Number(),
  customers: Type.Number(),
  source: Type.Union([Type.Literal('measured'), Type.Literal('answers')]),
  assumptions: Type.Array(Phrase),
});
export type Baselines = Static<typeof Baselines>;

export const Action = Type.Object({
  key: Type.String({ description: 'Stable action key, e.g. enable_click_collect' }),
  title: Phrase,
  why: Phrase,
  expected_effect: Phrase,
  measured_by: Phrase,
  /** The console screen that does it, and what to prefill there. */
  screen: Type.String({ description: 'Console route, e.g. /campaigns/new' }),
  prefill: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  priority: Type.Integer({ minimum: 1 }),
});
export type Action = Static<typeof Action>;

export const AssessmentResult = Type.Object({
  scores: Type.Object({ omnichannel: Type.Number(), multichannel: Type.Number(), hybrid: Type.Number() }),
  confidence: Type.Number({ minimum: 0, maximum: 1, description: 'Lower when measures are missing or thin' }),
  recommendation: Recommendation,
  contributions: Type.Array(Contribution),
  sensitivity: Type.Array(Sensitivity),
  baselines: Baselines,
  projections: Type.Array(Projection),
  actions: Type.Array(Action),
  warnings: Type.Array(Phrase, { description: 'Missing or thin data, and what the advisor did instead' }),
});
export type AssessmentResult = Static<typeof AssessmentResult>;
