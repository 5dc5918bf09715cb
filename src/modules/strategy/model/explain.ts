/** Each factor's contribution in plain language, and the warnings about missing or thin data. */
import type { Contribution, Phrase } from '../result-schema.ts';
import {
  type Answers,
  type Factor,
  type Measures,
  STRATEGIES,
  type Strategy,
  type Weights,
} from '../schema.ts';
import { type Params, pct, phrase, round4 } from './phrases.ts';
import type { Decision, Points, Scored } from './score.ts';
import { dependsOnData, type InputValue, measureState, type Reading } from './signals.ts';

/** Below this confidence the advisor says to measure more before committing. */
export const LOW_CONFIDENCE = 0.6;

/** Whether a factor's input is money in minor units (then phrases carry `unit` and `currency`). */
export const isMoney = (f: Pick<Factor, 'source' | 'input'>, measures: Measures): boolean =>
  f.source === 'measure'
    ? measures[f.input as keyof Measures]?.unit === 'minor'
    : f.input === 'budget_per_year';

/** An input value as phrase parameters: the value, and the money hints when it is money. */
export const valueParams = (name: string, v: InputValue, money: boolean, currency: string): Params => {
  if (v === null) return {};
  const value = Array.isArray(v) ? v.join(', ') : v;
  return money && typeof v === 'number' ? { [name]: value, unit: 'minor', currency } : { [name]: value };
};

const explain = (f: Factor, points: Points, r: Reading, value: Params): Phrase => {
  if (r.status === 'missing') return phrase('contribution.missing', { factor: f.key });
  const base = { factor: f.key, ...value };
  const order = [...STRATEGIES].sort((a, b) => points[b] - points[a]);
  const top = order[0] as Strategy;
  const bottom = order[2] as Strategy;
  const spread = points[top] - points[bottom];
  if (spread < 0.005) return phrase('contribution.neutral', base);
  const lean = { ...base, strategy: top, other: bottom, points: Math.round(spread * 100) / 100 };
  if (r.status !== 'thin') return phrase('contribution.leans', lean);
  return phrase('contribution.thin', { ...lean, percent: pct(r.shrink), sample: r.sample ?? 0 });
};

const MISSING: Reading = { value: null, raw: 0, shrink: 0, signal: 0, status: 'missing', sample: null };

/**
 * The contributions, sorted by how much each separates the first strategy from the second
 * (|points(first) − points(second)|, largest first; ties keep the weights' order).
 */
export const contributions = (
  weights: Weights,
  scored: Scored,
  decision: Decision,
  answers: Answers,
  measures: Measures,
): Contribution[] => {
  const [first, second] = decision.ranked;
  const rows = weights.factors.map((f, i) => {
    const r = scored.readings[i] ?? MISSING;
    const p = scored.points[i] ?? { omnichannel: 0, multichannel: 0, hybrid: 0 };
    const value = valueParams('value', r.value, isMoney(f, measures), answers.currency);
    const c: Contribution = {
      factor: f.key,
      source: f.source,
      input: f.input,
      value: r.value,
      signal: round4(r.signal),
      points: {
        omnichannel: round4(p.omnichannel),
        multichannel: round4(p.multichannel),
        hybrid: round4(p.hybrid),
      },
      status: r.status,
      explanation: explain(f, p, r, value),
    };
    return { c, i, sep: Math.abs(p[first] - p[second]) };
  });
  return rows.sort((a, b) => b.sep - a.sep || a.i - b.i).map((x) => x.c);
};

/** Missing and thin measures behind the factors (once per measure), low confidence, a close call, no revenue. */
export const warnings = (
  weights: Weights,
  measures: Measures,
  confidence: number,
  decision: Decision,
  scores: Points,
  revenue: number,
): Phrase[] => {
  const out: Phrase[] = [];
  const seen = new Set<string>();
  for (const f of weights.factors) {
    if (!dependsOnData(f)) continue;
    const key = f.source === 'measure' ? f.input : (f.per as string);
    if (seen.has(key)) continue;
    seen.add(key);
    const m = measureState(measures[key as keyof Measures]);
    if (m.status === 'missing') out.push(phrase('warning.measure_missing', { measure: key }));
    else if (m.status === 'thin')
      out.push(phrase('warning.measure_thin', { measure: key, sample: m.sample, percent: pct(m.shrink) }));
  }
  if (confidence < LOW_CONFIDENCE) out.push(phrase('warning.low_confidence', { percent: pct(confidence) }));
  if (decision.closeCall) {
    const [a, b] = decision.ranked;
    out.push(
      phrase('warning.close_call', {
        strategy: a,
        other: b,
        points: Math.round((scores[a] - scores[b]) * 100) / 100,
      }),
    );
  }
  if (revenue === 0) out.push(phrase('warning.no_revenue'));
  return out;
};
