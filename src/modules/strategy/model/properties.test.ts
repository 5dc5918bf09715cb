/** Property tests of the model over any answers and measures (fast-check, 100+ runs each). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answers, Measure, Measures } from '../schema.ts';
import { answersArb, dayArb, measureArb, measuresArb } from './arbitraries.test-util.ts';
import { assess, defaultWeights, recommendationFor } from './index.ts';

const weights = defaultWeights();
const RUNS = { numRuns: 100 };

const withMeasure = (ms: Measures, m: Measure, value: number): Measures => ({
  ...ms,
  [m.key]: {
    ...m,
    value,
    status: m.status === 'missing' ? 'measured' : m.status,
    sample: Math.max(1, m.sample),
  },
});

describe('monotonicity', () => {
  for (const key of ['repeat_purchase_rate', 'multichannel_customer_share'] as const) {
    it(`a higher ${key} never lowers the omnichannel score`, () => {
      fc.assert(
        fc.property(
          answersArb,
          measuresArb,
          measureArb(key),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          dayArb,
          (answers, measures, m, a, b, today) => {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            const low = assess({ answers, measures: withMeasure(measures, m, lo), weights, today });
            const high = assess({ answers, measures: withMeasure(measures, m, hi), weights, today });
            expect(high.scores.omnichannel).toBeGreaterThanOrEqual(low.scores.omnichannel);
          },
        ),
        RUNS,
      );
    });
  }

  it('a higher priority on personal communication never lowers the multichannel score', () => {
    fc.assert(
      fc.property(answersArb, measuresArb, dayArb, (answers, measures, today) => {
        const scores = (['low', 'medium', 'high'] as const).map(
          (p) =>
            assess({ answers: { ...answers, personalisation_priority: p }, measures, weights, today }).scores,
        );
        for (let i = 1; i < scores.length; i++)
          expect(scores[i]?.multichannel).toBeGreaterThanOrEqual(scores[i - 1]?.multichannel ?? Number.NaN);
      }),
      RUNS,
    );
  });
});

/** The inputs with the reported flip applied, set here by hand (not through the model's helper). */
const applied = (
  answers: Answers,
  measures: Measures,
  s: { source: 'answer' | 'measure'; input: string; flips_at: number | string | string[] },
): { answers: Answers; measures: Measures } => {
  if (s.source === 'answer') return { answers: { ...answers, [s.input]: s.flips_at }, measures };
  const m = measures[s.input as keyof Measures];
  if (!m || typeof s.flips_at !== 'number') throw new Error(`a measure flip needs a measured ${s.input}`);
  return { answers, measures: { ...measures, [s.input]: { ...m, value: s.flips_at } } };
};

describe('sensitivity', () => {
  it('setting a reported input to its flip value changes the recommendation to the one reported', () => {
    let flips = 0;
    fc.assert(
      fc.property(answersArb, measuresArb, dayArb, (answers, measures, today) => {
        const r = assess({ answers, measures, weights, today });
        const before = r.recommendation.strategy;
        r.sensitivity.forEach((s, i) => {
          flips++;
          expect(s.becomes).not.toBe(before);
          const next = applied(answers, measures, s);
          if (typeof s.current === 'number' && typeof s.flips_at === 'number')
            expect(s.change).toBeCloseTo(s.flips_at - s.current, 9);
          // the first through the whole assessment, the others through the same decision it uses
          const after =
            i === 0
              ? assess({ ...next, weights, today }).recommendation.strategy
              : recommendationFor(weights, next.answers, next.measures);
          expect(after).toBe(s.becomes);
        });
      }),
      RUNS,
    );
    expect(flips).toBeGreaterThan(200);
  });

  it('lists each input once, measures only when they have a figure, whole numbers for whole-number answers', () => {
    fc.assert(
      fc.property(answersArb, measuresArb, dayArb, (answers, measures, today) => {
        const r = assess({ answers, measures, weights, today });
        const inputs = r.sensitivity.map((s) => `${s.source}:${s.input}`);
        expect(new Set(inputs).size).toBe(inputs.length);
        for (const s of r.sensitivity) {
          if (s.source === 'measure') expect(measures[s.input as keyof Measures]?.value).not.toBeNull();
          if (typeof s.flips_at === 'number' && s.source === 'answer')
            expect(Number.isInteger(s.flips_at)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('every assessment', () => {
  it('has ordered integer money ranges, retention within [0, 0.99], and at least three actions', () => {
    fc.assert(
      fc.property(answersArb, measuresArb, dayArb, (answers, measures, today) => {
        const r = assess({ answers, measures, weights, today });
        expect(r.projections.map((p) => p.strategy).sort()).toEqual([
          'hybrid',
          'multichannel',
          'omnichannel',
        ]);
        expect(r.projections[0]?.strategy).toBe(r.recommendation.strategy);
        for (const p of r.projections)
          for (const y of p.years) {
            const { year: _y, fiscal_year_start: _f, retention_rate, ...money } = y;
            for (const range of [...Object.values(money), retention_rate]) {
              expect(range[0]).toBeLessThanOrEqual(range[1]);
              expect(range[1]).toBeLessThanOrEqual(range[2]);
            }
            for (const range of Object.values(money))
              for (const x of range) expect(Number.isInteger(x)).toBe(true);
            expect(retention_rate[0]).toBeGreaterThanOrEqual(0);
            expect(retention_rate[2]).toBeLessThanOrEqual(0.99);
          }
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
        expect(r.actions.length).toBeGreaterThanOrEqual(3);
        expect(r.actions.map((a) => a.priority)).toEqual(r.actions.map((_, i) => i + 1));
      }),
      RUNS,
    );
  });

  it('is deterministic: the same inputs give the same result', () => {
    fc.assert(
      fc.property(answersArb, measuresArb, dayArb, (answers, measures, today) => {
        expect(assess({ answers, measures, weights, today })).toEqual(
          assess({ answers, measures, weights, today }),
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe('confidence', () => {
  it('falls whenever a measured or thin measure goes missing', () => {
    fc.assert(
      fc.property(answersArb, measuresArb, (answers, measures) => {
        const present = Object.values(measures).filter((m) => m.status !== 'missing');
        fc.pre(present.length > 0);
        const r = assess({ answers, measures, weights, today: '2025-06-01' });
        const gone = present[0] as Measure;
        const fewer = { ...measures, [gone.key]: { ...gone, value: null, status: 'missing', sample: 0 } };
        const after = assess({ answers, measures: fewer, weights, today: '2025-06-01' });
        expect(after.confidence).toBeLessThan(r.confidence);
      }),
      RUNS,
    );
  });
});
