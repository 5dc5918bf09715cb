/**
 * The advisor's figures made ready for the screens, without React: how a measure's value is shown,
 * a phrase's parameters named and formatted, score bars, and the
 * projections as chart series and table rows. Tested in values.test.ts.
 */
import type { Measure, Phrase, Projection, Result, Strategy, YearFigures } from './data.ts';

const STRATEGY_ORDER: readonly Strategy[] = ['omnichannel', 'multichannel', 'hybrid'];

export type ValueKind = 'percent' | 'multiple' | 'money' | 'km' | 'number';

/** Ratios that are multiples (2.1×) rather than shares (0–1). */
const MULTIPLES = new Set(['multichannel_value_ratio', 'media_roi']);

/** How a measured value is written, from its unit (and its key for the ratios that are multiples). */
export const valueKind = (key: string, unit: Measure['unit'] | undefined): ValueKind => {
  if (unit === 'minor') return 'money';
  if (unit === 'km') return 'km';
  if (unit === 'count') return 'number';
  if (unit === 'ratio') return MULTIPLES.has(key) ? 'multiple' : 'percent';
  return 'number';
};

/** How a phrase's parameters are written in the page's language (names.tsx gives them). */
export interface ParamFormat {
  number: (n: number) => string;
  money: (minor: number, currency: string) => string;
  /** A calendar day (YYYY-MM-DD). */
  day: (d: string) => string;
  /** The label `prefix.code` of the phrases, else the code. */
  label: (prefix: string, code: string) => string;
  /** Items joined as the language joins them ("a, b and c": conjunction; "a, b, c": unit). */
  list: (items: string[], type: 'conjunction' | 'unit') => string;
}

/** Parameters holding one code, and the labels it names (the model's conventions, phrases.ts). */
const CODE_PREFIX: Record<string, string> = {
  strategy: 'strategy',
  other: 'strategy',
  becomes: 'strategy',
  factor: 'factor',
  input: 'input',
  measure: 'input',
};
/** Parameters holding codes joined by ", ". */
const LIST_PREFIX: Record<string, string> = {
  value: 'value',
  current: 'value',
  flips_at: 'value',
  frequency: 'value',
  scope: 'channel',
  media: 'medium',
};
const MONEY_PARAMS = new Set(['amount', 'value', 'current', 'flips_at']);

/**
 * A phrase's parameters for its message, as the model writes its English text: numbers in the
 * page's digits (money in minor units as money: `amount`, or a value with `unit: 'minor'` and a
 * `currency`), codes by their labels, lists of codes joined, days as dates. `count` stays a number
 * (i18next picks the plural form with it).
 */
export const phraseParams = (params: Phrase['params'], f: ParamFormat): Record<string, string | number> => {
  const currency = typeof params.currency === 'string' ? params.currency : null;
  const out: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(params)) {
    if (typeof v === 'number') {
      const money = currency && MONEY_PARAMS.has(name) && (name === 'amount' || params.unit === 'minor');
      out[name] = name === 'count' ? v : money ? f.money(v, currency) : f.number(v);
      continue;
    }
    const code = CODE_PREFIX[name];
    const list = LIST_PREFIX[name];
    if (code) out[name] = f.label(code, v);
    else if (list) {
      const parts = v === '' ? [] : v.split(', ').map((c) => f.label(list, c));
      out[name] =
        name === 'scope'
          ? parts.join(' + ')
          : name === 'media'
            ? f.list(parts, 'conjunction')
            : parts.length === 0
              ? f.label('value', 'none')
              : f.list(parts, 'unit');
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) out[name] = f.day(v);
    else out[name] = v;
  }
  return out;
};

/**
 * Bars for scores that may be negative: each bar's start and length in percent of a scale running
 * from the lowest score (or 0) to the highest (or 0), so the zero line sits where it belongs.
 */
export const scoreBars = (
  scores: Record<Strategy, number>,
): Record<Strategy, { start: number; size: number; zero: number }> => {
  const values = Object.values(scores);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const at = (v: number) => ((v - lo) / span) * 100;
  const bar = (v: number) => ({
    start: Math.min(at(0), at(v)),
    size: Math.abs(at(v) - at(0)),
    zero: at(0),
  });
  return {
    omnichannel: bar(scores.omnichannel),
    multichannel: bar(scores.multichannel),
    hybrid: bar(scores.hybrid),
  };
};

/** The strategy shown beside the recommendation: the best-scored of the others. */
export const alternativeOf = (scores: Result['scores'], recommended: Strategy): Strategy => {
  const others = STRATEGY_ORDER.filter((s) => s !== recommended);
  return others.reduce((best, s) => (scores[s] > scores[best] ? s : best), others[0] ?? 'hybrid');
};

export const METRICS = ['revenue', 'costs', 'margin', 'retention_rate', 'customer_lifetime_value'] as const;
export type Metric = (typeof METRICS)[number];
/** A figure's (low, base, high); the answers' ranges are arrays of three. */
export type Range = readonly [number, number, number];
export const triple = (r: readonly number[]): Range => [r[0] ?? 0, r[1] ?? 0, r[2] ?? 0];

export const COSTS = ['channel_costs', 'fulfilment_costs', 'stock_carrying_costs', 'campaign_spend'] as const;

/** A year's figure for a metric as (low, base, high); costs are the sum of the four cost ranges. */
export const rangeOf = (y: YearFigures, m: Metric): Range => {
  if (m !== 'costs') return triple(y[m]);
  const sum = (i: 0 | 1 | 2) => COSTS.reduce((s, k) => s + triple(y[k])[i], 0);
  return [sum(0), sum(1), sum(2)];
};

export interface MetricSeries {
  strategy: Strategy;
  low: number[];
  base: number[];
  high: number[];
}

/** One metric per fiscal year for the strategies asked (in that order), from the projections. */
export const metricSeries = (
  projections: readonly Projection[],
  strategies: readonly Strategy[],
  m: Metric,
): { years: number[]; series: MetricSeries[] } => {
  const chosen = strategies
    .map((s) => projections.find((p) => p.strategy === s))
    .filter((p): p is Projection => p !== undefined);
  const years = [...new Set(chosen.flatMap((p) => p.years.map((y) => y.year)))].sort((a, b) => a - b);
  const series = chosen.map((p) => {
    const at = years.map((n) => p.years.find((y) => y.year === n));
    const pick = (i: 0 | 1 | 2) => at.map((y) => (y ? rangeOf(y, m)[i] : 0));
    return { strategy: p.strategy, low: pick(0), base: pick(1), high: pick(2) };
  });
  return { years, series };
};

/** Whether a metric is money (the others are rates). */
export const isMoney = (m: Metric): boolean => m !== 'retention_rate';

/** A calendar day (YYYY-MM-DD) as a Date at its local noon, so no time zone moves it; instants as they are. */
export const dayDate = (d: string): Date => new Date(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T12:00:00` : d);
