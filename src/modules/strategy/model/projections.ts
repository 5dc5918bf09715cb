/**
 * Projections for fiscal years 1–3 under each strategy (docs/strategy.md, "Projections"): revenue,
 * costs, margin, retention and lifetime value as (low, base, high) ranges from the baselines and the
 * strategy's assumed effects (weights.effects, data), widened when confidence is low.
 */
import type { Phrase, Projection, YearFigures } from '../result-schema.ts';
import type { Answers, Measures, Range, Strategy, StrategyEffects, Weights } from '../schema.ts';
import { lifetimeValue, MAX_RETENTION, type Start } from './baselines.ts';
import { pct, phrase, round4 } from './phrases.ts';
import { clamp, measureState } from './signals.ts';

/** The measured sales trend (90 days over the 90 before) counts as a yearly drift within ±TREND_CAP. */
export const TREND_CAP = 0.2;
/** Revenue growth is never assumed below −90 % a year. */
const MIN_GROWTH = -0.9;
export const YEARS = 3;

type R3 = [number, number, number];

/** A range spread around its base by `w` (w = 1 + (1 − confidence)); an unordered range is ordered first. */
export const widen = (r: Range, w: number, min = Number.NEGATIVE_INFINITY): R3 => {
  const lo = Math.min(r[0], r[1], r[2]);
  const hi = Math.max(r[0], r[1], r[2]);
  const base = clamp(r[1], lo, hi);
  return [Math.max(min, base - (base - lo) * w), Math.max(min, base), Math.max(min, base + (hi - base) * w)];
};

/** The first day of fiscal year 1: the 1st of the fiscal month on or after `today` (YYYY-MM-DD). */
export const fiscalYearOne = (today: string, month: number): { year: number; month: number } => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) throw new Error(`today must be YYYY-MM-DD, not ${today}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { year: mo < month || (mo === month && d === 1) ? y : y + 1, month };
};

const day = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}-01`;

/** The measured trend, shrunk when thin, within ±TREND_CAP; 0 when missing. */
export const trendOf = (measures: Measures): number => {
  const t = measureState(measures.sales_trend);
  return t.value === null ? 0 : clamp(t.value * t.shrink, -TREND_CAP, TREND_CAP);
};

const money = (r: R3): R3 => [Math.round(r[0]), Math.round(r[1]), Math.round(r[2])];
const times = (a: R3, b: R3): R3 => [a[0] * b[0], a[1] * b[1], a[2] * b[2]];

/** revenue × (margin rate − cost rates) − campaign, low and high over the corners of the ranges. */
const marginRange = (revenue: R3, gm: number, rates: R3[], campaign: R3): R3 => {
  const sum = (i: 0 | 1 | 2) => rates.reduce((s, r) => s + r[i], 0);
  const base = revenue[1] * (gm - sum(1)) - campaign[1];
  const corners = [revenue[0], revenue[2]].flatMap((rev) =>
    [gm - sum(2), gm - sum(0)].flatMap((net) => [campaign[0], campaign[2]].map((c) => rev * net - c)),
  );
  return [Math.min(base, ...corners), base, Math.max(base, ...corners)];
};

interface Inputs {
  start: Start;
  answers: Answers;
  trend: number;
  w: number;
  fy: { year: number; month: number };
}

const yearOf = (e: StrategyEffects, n: number, x: Inputs): YearFigures => {
  const growth = widen(e.revenue_growth, x.w, MIN_GROWTH);
  const rates = [e.channel_cost_rate, e.fulfilment_cost_rate, e.stock_carrying_rate].map((r) =>
    widen(r, x.w, 0),
  );
  const revenue = growth.map((g) => x.start.revenue * ((1 + g) * (1 + x.trend)) ** n) as R3;
  const campaign = widen(e.campaign_spend_share, x.w, 0).map((s) => s * x.answers.budget_per_year) as R3;
  const [channel, fulfilment, stock] = rates.map((r) => times(revenue, r)) as [R3, R3, R3];
  const gm = x.answers.gross_margin_rate;
  // the change in retention is phased in: half in year 1, all of it from year 2
  const phase = Math.min(1, n / 2);
  const retention = widen(e.retention_change, x.w).map((c) =>
    clamp(x.start.retention + c * phase, 0, MAX_RETENTION),
  ) as R3;
  return {
    year: n,
    fiscal_year_start: day(x.fy.year + n - 1, x.fy.month),
    revenue: money(revenue),
    channel_costs: money(channel),
    fulfilment_costs: money(fulfilment),
    stock_carrying_costs: money(stock),
    campaign_spend: money(campaign),
    margin: money(marginRange(revenue, gm, rates, campaign)),
    retention_rate: retention.map(round4) as R3,
    customer_lifetime_value: money(retention.map((r) => lifetimeValue(x.start.perCustomer, gm, r)) as R3),
  };
};

/** The three strategies' projections (in the order given) and the assumptions they add. */
export const projections = (
  weights: Weights,
  order: readonly Strategy[],
  start: Start,
  answers: Answers,
  measures: Measures,
  today: string,
  confidence: number,
): { projections: Projection[]; assumptions: Phrase[] } => {
  const w = 1 + (1 - clamp(confidence, 0, 1));
  const x: Inputs = {
    start,
    answers,
    trend: trendOf(measures),
    w,
    fy: fiscalYearOne(today, answers.fiscal_year_start),
  };
  const out = order.map((s) => ({
    strategy: s,
    currency: answers.currency,
    years: Array.from({ length: YEARS }, (_, i) => yearOf(weights.effects[s], i + 1, x)),
  }));
  const assumptions: Phrase[] = [
    phrase('assumption.fiscal_year', {
      date: day(x.fy.year, x.fy.month),
      amount: answers.budget_per_year,
      unit: 'minor',
      currency: answers.currency,
    }),
    phrase('assumption.ranges', { percent: pct(w - 1), confidence: pct(confidence) }),
  ];
  if (measureState(measures.sales_trend).value !== null)
    assumptions.push(phrase('assumption.trend', { percent: pct(x.trend), cap: pct(TREND_CAP) }));
  return { projections: out, assumptions };
};
