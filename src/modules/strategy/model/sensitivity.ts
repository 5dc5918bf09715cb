/**
 * Sensitivity: for every input, the nearest value that changes the recommended strategy
 * (docs/strategy.md, "Sensitivity"). A number is searched over the interval where its factors are not
 * saturated: the scores are piecewise linear in it, so the candidate boundaries are solved exactly on
 * each linear piece and the flip is then pinned by bisection, reported just past the boundary.
 * A category or a list tries the alternatives, the smallest change first.
 */
import type { Sensitivity } from '../result-schema.ts';
import {
  type Answers,
  type Factor,
  type Measures,
  STRATEGIES,
  type Strategy,
  type Weights,
} from '../schema.ts';
import { isMoney, valueParams } from './explain.ts';
import { alternatives, type Domain, domainOf, OPTIONS, withInput } from './inputs.ts';
import { phrase } from './phrases.ts';
import { decide, type Points, scoreAll } from './score.ts';
import { answerValue, type InputValue, measureOf, measureState, transform } from './signals.ts';

interface Target {
  source: 'answer' | 'measure';
  input: string;
  /** Factors reading the input itself. */
  direct: Factor[];
  /** Factors dividing their input by this measure (`per`). */
  dividing: Factor[];
}

/** Every input some factor depends on, in the weights' order. */
const targetsOf = (weights: Weights): Target[] => {
  const map = new Map<string, Target>();
  const get = (source: Target['source'], input: string): Target => {
    const k = `${source}:${input}`;
    const t = map.get(k) ?? { source, input, direct: [], dividing: [] };
    map.set(k, t);
    return t;
  };
  for (const f of weights.factors) {
    get(f.source, f.input).direct.push(f);
    if (f.per !== undefined) get('measure', f.per).dividing.push(f);
  }
  return [...map.values()];
};

interface Flip {
  flips_at: number | string | string[];
  becomes: Strategy;
  /** Size of the change relative to the transform's range (what the list is sorted by). */
  relative: number;
}

type Eval = (v: number | string | string[]) => { scores: Points; strategy: Strategy };

/** The intervals of the input where each factor moves (not clamped), for the search's bounds. */
const activeIntervals = (t: Target, answers: Answers, measures: Measures): [number, number][] => {
  const out: [number, number][] = [];
  for (const f of t.direct) {
    if (f.transform.kind !== 'linear') continue;
    const lo = Math.min(f.transform.low, f.transform.high);
    const hi = Math.max(f.transform.low, f.transform.high);
    if (f.per === undefined) out.push([lo, hi]);
    else {
      const d = measureState(measures[f.per]).value;
      if (d !== null && d > 0) out.push([lo * d, hi * d]);
    }
  }
  for (const f of t.dividing) {
    const n = answerValue(answers, f.input);
    if (f.transform.kind !== 'linear' || typeof n !== 'number' || n <= 0) continue;
    const lo = Math.min(f.transform.low, f.transform.high);
    const hi = Math.max(f.transform.low, f.transform.high);
    if (hi > 0) out.push([n / hi, lo > 0 ? n / lo : (n / hi) * 100]);
  }
  return out;
};

/** Extra evenly spaced points; they matter only where a score is not linear in the input (a `per` divisor). */
const GRID = 16;

/** Candidate points between a and b where two scores cross or come within the hybrid margin (linear pieces). */
const crossings = (p: number, q: number, sp: Points, sq: Points, margin: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < STRATEGIES.length; i++)
    for (let j = i + 1; j < STRATEGIES.length; j++) {
      const a = STRATEGIES[i] as Strategy;
      const b = STRATEGIES[j] as Strategy;
      const dp = sp[a] - sp[b];
      const dq = sq[a] - sq[b];
      for (const c of [0, margin, -margin]) {
        if ((dp - c) * (dq - c) >= 0 || dq === dp) continue;
        out.push(p + ((c - dp) / (dq - dp)) * (q - p));
      }
    }
  return out;
};

/** The nearest flip of a numeric input in the direction of the points given (sorted away from x0). */
const walk = (
  x0: number,
  points: readonly number[],
  at: Eval,
  rec0: Strategy,
  integer: boolean,
): number | null => {
  let prev = x0;
  for (const p of points) {
    if (at(p).strategy === rec0) {
      prev = p;
      continue;
    }
    let q = prev;
    let far = p;
    for (let n = 0; n < 200; n++) {
      const gap = Math.abs(far - q);
      if (integer ? gap <= 1 : gap <= 1e-12 * Math.max(1, Math.abs(far))) break;
      const mid = integer ? q + Math.trunc((far - q) / 2) : (q + far) / 2;
      if (at(mid).strategy === rec0) q = mid;
      else far = mid;
    }
    return far;
  }
  return null;
};

/** A rounder value a little further away that still flips (reals only), else the value itself. */
const nicer = (x: number, x0: number, width: number, d: Domain, at: Eval, rec0: Strategy): number => {
  const up = x > x0;
  const start = Math.max(0, Math.ceil(-Math.log10(width)) + 2);
  for (let digits = start; digits <= start + 8; digits++) {
    const f = 10 ** digits;
    const r = (up ? Math.ceil(x * f) : Math.floor(x * f)) / f;
    if (r >= d.min && r <= d.max && at(r).strategy !== rec0) return r;
  }
  return x;
};

const numericFlip = (t: Target, x0: number, d: Domain, ctx: Ctx): Flip | null => {
  const intervals = activeIntervals(t, ctx.answers, ctx.measures);
  if (intervals.length === 0) return null;
  const lo = Math.max(d.min, Math.min(x0, ...intervals.map((i) => i[0])));
  const hi = Math.min(d.max, Math.max(x0, ...intervals.map((i) => i[1])));
  if (!(hi > lo)) return null;
  const base = new Set<number>([lo, hi, x0, ...intervals.flat().filter((x) => x >= lo && x <= hi)]);
  for (let k = 1; k < GRID; k++) base.add(lo + ((hi - lo) * k) / GRID);
  const sorted = [...base].sort((a, b) => a - b);
  const all = new Set(sorted);
  for (let k = 0; k + 1 < sorted.length; k++) {
    const p = sorted[k] as number;
    const q = sorted[k + 1] as number;
    for (const c of crossings(p, q, ctx.at(p).scores, ctx.at(q).scores, ctx.margin)) all.add(c);
  }
  const withCandidates = [...all].sort((a, b) => a - b);
  const points = new Set(withCandidates);
  for (let k = 0; k + 1 < withCandidates.length; k++)
    points.add(((withCandidates[k] as number) + (withCandidates[k + 1] as number)) / 2);
  const ready = [...points]
    .flatMap((x) => (d.integer ? [Math.floor(x), Math.ceil(x)] : [x]))
    .filter((x) => x >= d.min && x <= d.max);
  const ups = [...new Set(ready.filter((x) => x > x0))].sort((a, b) => a - b);
  const downs = [...new Set(ready.filter((x) => x < x0))].sort((a, b) => b - a);
  const rec0 = ctx.at(x0).strategy;
  const up = walk(x0, ups, ctx.at, rec0, d.integer);
  const down = walk(x0, downs, ctx.at, rec0, d.integer);
  const raw = up === null ? down : down === null ? up : up - x0 <= x0 - down ? up : down;
  if (raw === null) return null;
  const x = d.integer ? raw : nicer(raw, x0, hi - lo, d, ctx.at, rec0);
  const width = Math.max(...intervals.map((i) => i[1] - i[0]));
  return { flips_at: x, becomes: ctx.at(x).strategy, relative: Math.abs(x - x0) / (width || 1) };
};

/** How far the factors' raw signals move when the input changes to v (summed absolute change). */
const signalChange = (t: Target, from: InputValue, to: string | string[]): number =>
  t.direct.reduce((s, f) => s + Math.abs(transform(f.transform, to) - transform(f.transform, from ?? '')), 0);

const optionFlip = (t: Target, x0: string | string[], ctx: Ctx): Flip | null => {
  const rec0 = ctx.at(x0).strategy;
  for (const ring of alternatives(t.input, x0)) {
    const best = ring
      .map((v, order) => ({ v, order, cost: signalChange(t, x0, v), s: ctx.at(v).strategy }))
      .filter((c) => c.s !== rec0)
      .sort((a, b) => a.cost - b.cost || a.order - b.order)[0];
    if (best) return { flips_at: best.v, becomes: best.s, relative: best.cost / 2 };
  }
  return null;
};

interface Ctx {
  answers: Answers;
  measures: Measures;
  margin: number;
  at: Eval;
}

/** Every input that can change the recommendation, the smallest change (relative to its range) first. */
export const sensitivity = (weights: Weights, answers: Answers, measures: Measures): Sensitivity[] => {
  const out: (Sensitivity & { relative: number; order: number })[] = [];
  targetsOf(weights).forEach((t, order) => {
    const current =
      t.source === 'answer'
        ? answerValue(answers, t.input)
        : measureState(measureOf(measures, t.input)).value;
    if (current === null) return;
    const seen = new Map<string, ReturnType<Eval>>();
    const at: Eval = (v) => {
      const k = JSON.stringify(v);
      const known = seen.get(k);
      if (known) return known;
      const next = withInput(answers, measures, t.source, t.input, v);
      const scores = scoreAll(weights, next.answers, next.measures).scores;
      const result = { scores, strategy: decide(scores, weights.hybrid_margin).strategy };
      seen.set(k, result);
      return result;
    };
    const ctx: Ctx = { answers, measures, margin: weights.hybrid_margin, at };
    const d = domainOf(t.source, t.input, measures);
    const flip =
      typeof current === 'number'
        ? d && numericFlip(t, current, d, ctx)
        : OPTIONS[t.input]
          ? optionFlip(t, current, ctx)
          : null;
    if (!flip) return;
    const factor = (t.direct[0] ?? t.dividing[0]) as Factor;
    const money = isMoney({ source: t.source, input: t.input }, measures);
    const change =
      typeof current === 'number' && typeof flip.flips_at === 'number' ? flip.flips_at - current : null;
    out.push({
      factor: factor.key,
      input: t.input,
      source: t.source,
      current,
      flips_at: flip.flips_at,
      change,
      becomes: flip.becomes,
      explanation: phrase('sensitivity.flip', {
        input: t.input,
        becomes: flip.becomes,
        ...valueParams('current', current, money, answers.currency),
        ...valueParams('flips_at', flip.flips_at, money, answers.currency),
      }),
      relative: flip.relative,
      order,
    });
  });
  return out
    .sort((a, b) => a.relative - b.relative || a.order - b.order)
    .map(({ relative: _r, order: _o, ...s }) => s);
};

/** Applies a reported flip to the inputs (what the property test and the console's "what if" do). */
export const applyFlip = (
  s: Pick<Sensitivity, 'source' | 'input' | 'flips_at'>,
  answers: Answers,
  measures: Measures,
): { answers: Answers; measures: Measures } => withInput(answers, measures, s.source, s.input, s.flips_at);
