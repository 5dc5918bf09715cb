/**
 * The model against its contract: the default weights match the schema and the documentation, every
 * result matches AssessmentResult, every phrase is a known key with its text filled in, and the
 * documented formulas (thin shrink, choices, confidence, baselines, fiscal years, ranges) hold.
 */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import defaults from '../default-weights.json' with { type: 'json' };
import { AssessmentResult, Phrase } from '../result-schema.ts';
import { type Factor, Weights } from '../schema.ts';
import { answersArb, dayArb, measuresArb } from './arbitraries.test-util.ts';
import { establishedRetailer, measure, measures, newBrand, reseller } from './fixtures.test-util.ts';
import { assess, CATALOGUE, defaultWeights, fiscalYearOne, PHRASES, THIN_K, transform } from './index.ts';
import { read } from './signals.ts';

const weights = defaultWeights();
const TODAY = '2025-03-15';
const scenarios = [newBrand, establishedRetailer, reseller];

/** Every Phrase anywhere in a value. */
const phrasesIn = (x: unknown): Phrase[] => {
  if (Array.isArray(x)) return x.flatMap(phrasesIn);
  if (typeof x !== 'object' || x === null) return [];
  if (Value.Check(Phrase, x)) return [x];
  return Object.values(x).flatMap(phrasesIn);
};

describe('the default weights', () => {
  it('match the Weights schema, with unique factor keys and every strategy effect', () => {
    expect(Value.Check(Weights, defaults)).toBe(true);
    const keys = weights.factors.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of weights.factors) expect(f.rationale.length).toBeGreaterThan(40);
  });

  it('cover the factors the issue names', () => {
    const inputs = new Set(weights.factors.map((f) => f.input));
    for (const i of [
      'commerce_type',
      'category',
      'purchase_frequency',
      'store_count',
      'store_roles',
      'goals',
      'competitive_pressure',
      'years_in_business',
      'team_size',
      'it_maturity',
      'personalisation_priority',
      'budget_per_year',
      'repeat_purchase_rate',
      'multichannel_customer_share',
      'multichannel_value_ratio',
      'loyalty_membership_rate',
      'loyalty_active_rate',
      'sales_trend',
      'click_collect_share',
      'pickup_distance_km',
      'cross_device_cart_share',
      'media_response_rate',
      'media_roi',
      'stock_spread',
      'forecast_accuracy',
      'annual_sales',
    ])
      expect(inputs).toContain(i);
  });

  it('are documented: every factor key and every effect appears in docs/strategy.md', () => {
    const doc = readFileSync(new URL('../../../../docs/strategy.md', import.meta.url), 'utf8');
    for (const f of weights.factors) expect(doc).toContain(`| \`${f.key}\` |`);
    for (const e of Object.keys(weights.effects.omnichannel)) expect(doc).toContain(`| \`${e}\` |`);
  });

  it('come as a fresh copy each time', () => {
    const a = defaultWeights();
    a.hybrid_margin = 99;
    expect(defaultWeights().hybrid_margin).toBe(weights.hybrid_margin);
  });
});

describe('phrases', () => {
  it('every phrase of any assessment is a key of PHRASES with every placeholder filled', () => {
    const check = (p: Phrase) => {
      expect(Object.keys(PHRASES)).toContain(p.key);
      expect(p.text).not.toMatch(/[{}]/);
      expect(p.text.length).toBeGreaterThan(0);
    };
    for (const s of scenarios) for (const p of phrasesIn(assess({ ...s, weights, today: TODAY }))) check(p);
    fc.assert(
      fc.property(answersArb, measuresArb, dayArb, (answers, ms, today) => {
        const found = phrasesIn(assess({ answers, measures: ms, weights, today }));
        expect(found.length).toBeGreaterThan(weights.factors.length);
        found.forEach(check);
      }),
      { numRuns: 200 },
    );
  });

  it('the catalogue has at least six actions, each with its four texts', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(6);
    for (const a of CATALOGUE)
      for (const part of ['title', 'why', 'effect', 'measured_by'])
        expect(Object.keys(PHRASES)).toContain(`action.${a.key}.${part}`);
  });

  it('fills codes with their labels and money in major units', () => {
    const r = assess({ ...establishedRetailer, weights, today: TODAY });
    expect(r.baselines.assumptions[0]?.text).toBe(
      'Annual revenue 24,000,000.00 EUR is the measured annual sales.',
    );
    const it = r.contributions.find((c) => c.factor === 'it_maturity');
    expect(it?.explanation.text).toBe(
      'IT maturity (high) leans toward omnichannel: 2.5 points ahead of multichannel.',
    );
    expect(it?.explanation.params).toEqual({
      factor: 'it_maturity',
      value: 'high',
      strategy: 'omnichannel',
      other: 'multichannel',
      points: 2.5,
    });
  });
});

describe('results', () => {
  it('match the AssessmentResult schema', () => {
    for (const s of scenarios)
      expect(Value.Check(AssessmentResult, assess({ ...s, weights, today: TODAY }))).toBe(true);
    fc.assert(
      fc.property(answersArb, measuresArb, dayArb, (answers, ms, today) => {
        expect(Value.Check(AssessmentResult, assess({ answers, measures: ms, weights, today }))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('actions carry the console screen and prefill of the Plaza feature', () => {
    const r = assess({ ...newBrand, weights, today: TODAY });
    const byKey = new Map(r.actions.map((a) => [a.key, a]));
    expect(byKey.get('enable_click_collect')).toMatchObject({
      screen: '/settings',
      prefill: { section: 'pickup' },
    });
    expect(byKey.get('brochure_campaign')?.prefill).toEqual({
      medium: 'print',
      holdout_percent: 10,
      name: "Brochure with QR codes in a store's area",
    });
    expect(byKey.get('win_back_journey')).toMatchObject({
      screen: '/journeys',
      prefill: { template: 'win_back' },
    });
    // the reseller has no store: no click & collect, no till, but a newsletter
    const keys = assess({ ...reseller, weights, today: TODAY }).actions.map((a) => a.key);
    expect(keys).not.toContain('enable_click_collect');
    expect(keys).not.toContain('loyalty_at_pos');
    expect(keys).toContain('email_newsletter');
  });
});

const factor = (over: Partial<Factor>): Factor => ({
  key: 'f',
  source: 'measure',
  input: 'repeat_purchase_rate',
  transform: { kind: 'linear', low: 0, high: 1 },
  weights: { omnichannel: 1, multichannel: 0, hybrid: 0 },
  rationale: 'test',
  ...over,
});

describe('the documented formulas', () => {
  it('transforms: linear clamps, categories, choices weighted 1, 0.75, 0.5, 0.25', () => {
    expect(transform({ kind: 'linear', low: 0, high: 10 }, 5)).toBe(0);
    expect(transform({ kind: 'linear', low: 0, high: 10 }, 50)).toBe(1);
    expect(transform({ kind: 'linear', low: 10, high: 0 }, 10)).toBe(-1);
    expect(transform({ kind: 'category', values: { a: 0.4 } }, 'b')).toBe(0);
    const choices = { kind: 'choices', values: { a: 0.4, b: 0.4, c: -0.4, d: 0.4 } } as const;
    expect(transform(choices, ['a', 'b', 'c', 'd'])).toBeCloseTo(0.4 + 0.3 - 0.2 + 0.1, 12);
    expect(transform({ kind: 'choices', values: { a: 1, b: 1 } }, ['a', 'b'])).toBe(1);
  });

  it('a thin measure is shrunk by sample / (sample + k), a missing one gives 0', () => {
    const f = factor({});
    const thin = read(f, newBrand.answers, measures(measure('repeat_purchase_rate', 1, 10)));
    expect(thin).toMatchObject({ status: 'thin', raw: 1, shrink: 10 / (10 + THIN_K) });
    expect(thin.signal).toBeCloseTo(0.25, 12);
    expect(read(f, newBrand.answers, {})).toMatchObject({ status: 'missing', signal: 0 });
  });

  it('confidence is 1 − the share of data weight lost, and falls as measures go missing', () => {
    const w = { ...weights, factors: [factor({}), factor({ key: 'g', input: 'click_collect_share' })] };
    const both = measures(
      measure('repeat_purchase_rate', 0.5, 100),
      measure('click_collect_share', 0.5, 100),
    );
    expect(assess({ ...newBrand, measures: both, weights: w, today: TODAY }).confidence).toBe(1);
    const thin = measures(
      measure('repeat_purchase_rate', 0.5, 30, { status: 'thin' }),
      measure('click_collect_share', 0.5, 100),
    );
    expect(assess({ ...newBrand, measures: thin, weights: w, today: TODAY }).confidence).toBe(0.75);
    const one = measures(measure('click_collect_share', 0.5, 100));
    expect(assess({ ...newBrand, measures: one, weights: w, today: TODAY }).confidence).toBe(0.5);
    expect(assess({ ...newBrand, measures: {}, weights: w, today: TODAY }).confidence).toBe(0);
  });

  it('baselines: revenue estimated from the budget, typical retention, lifetime value', () => {
    const r = assess({ ...reseller, measures: {}, weights, today: TODAY });
    expect(r.baselines.source).toBe('answers');
    expect(r.baselines.annual_revenue).toBe(Math.round(30_000_000 / 0.08));
    expect(r.baselines.retention_rate).toBe(0.3);
    expect(r.baselines.customers).toBe(Math.round(375_000_000 / 15_000));
    expect(r.baselines.customer_lifetime_value).toBe(Math.round(15_000 * 0.24 * (0.3 / (1 + 0.1 - 0.3))));
    expect(r.baselines.assumptions.map((a) => a.key)).toContain('assumption.revenue_estimated');
  });

  it('fiscal year 1 starts on the first day of the fiscal month on or after today', () => {
    expect(fiscalYearOne('2025-03-15', 1)).toEqual({ year: 2026, month: 1 });
    expect(fiscalYearOne('2025-03-15', 4)).toEqual({ year: 2025, month: 4 });
    expect(fiscalYearOne('2025-04-01', 4)).toEqual({ year: 2025, month: 4 });
    expect(fiscalYearOne('2025-04-02', 4)).toEqual({ year: 2026, month: 4 });
    const years = assess({ ...establishedRetailer, weights, today: '2025-03-15' }).projections[0]?.years;
    expect(years?.map((y) => y.fiscal_year_start)).toEqual(['2025-04-01', '2026-04-01', '2027-04-01']);
  });

  it('projections compound growth and widen their ranges when confidence falls', () => {
    const full = assess({ ...establishedRetailer, weights, today: TODAY });
    const omni = full.projections.find((p) => p.strategy === 'omnichannel');
    // year 2: the measured 2.4 million × (1 + growth)² × (1 + the measured trend of 3 %)²
    const trend = 1 + 0.03;
    expect(omni?.years[1]?.revenue).toEqual(
      weights.effects.omnichannel.revenue_growth.map((g) =>
        Math.round(2_400_000_000 * ((1 + g) * trend) ** 2),
      ),
    );
    const { sales_trend: _t, repeat_purchase_rate: _r, ...fewer } = establishedRetailer.measures;
    const less = assess({ ...establishedRetailer, measures: fewer, weights, today: TODAY });
    expect(less.confidence).toBeLessThan(full.confidence);
    const spread = (r: typeof full) => {
      const y = r.projections.find((p) => p.strategy === 'omnichannel')?.years[0]?.channel_costs ?? [0, 0, 0];
      return (y[2] - y[0]) / y[1];
    };
    expect(spread(less)).toBeGreaterThan(spread(full));
  });
});
