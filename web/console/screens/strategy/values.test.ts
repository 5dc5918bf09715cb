import { describe, expect, it } from 'vitest';
import type { Projection, Weights, YearFigures } from './data.ts';
import {
  alternativeOf,
  metricSeries,
  type ParamFormat,
  phraseParams,
  rangeOf,
  scoreBars,
  valueKind,
} from './values.ts';
import { applyCells, cellsOf, factorOfPath, parseWeights } from './weights-form.ts';

const fmt: ParamFormat = {
  number: (n) => `#${n}`,
  money: (minor, currency) => `${currency}:${minor}`,
  day: (d) => `day(${d})`,
  label: (prefix, code) => `<${prefix}.${code}>`,
  list: (items, type) => `${type}[${items.join('|')}]`,
};

describe('phraseParams', () => {
  it('names codes by their labels and formats numbers, as the model writes its English text', () => {
    expect(
      phraseParams(
        {
          factor: 'repeat_purchase_rate',
          strategy: 'hybrid',
          other: 'omnichannel',
          points: 2.5,
          percent: 40,
          sample: 12,
        },
        fmt,
      ),
    ).toEqual({
      factor: '<factor.repeat_purchase_rate>',
      strategy: '<strategy.hybrid>',
      other: '<strategy.omnichannel>',
      points: '#2.5',
      percent: '#40',
      sample: '#12',
    });
  });

  it('writes money in minor units for `amount`, and for a value with unit minor and a currency', () => {
    expect(phraseParams({ amount: 125_000, currency: 'EUR' }, fmt).amount).toBe('EUR:125000');
    expect(phraseParams({ value: 5000, unit: 'minor', currency: 'EUR' }, fmt).value).toBe('EUR:5000');
    expect(phraseParams({ value: 0.4 }, fmt).value).toBe('#0.4');
    expect(phraseParams({ percent: 10, currency: 'EUR' }, fmt).percent).toBe('#10');
  });

  it('joins lists of codes: values, the scope with +, the media as a sentence; none when empty', () => {
    expect(phraseParams({ value: 'retain, reach_new' }, fmt).value).toBe(
      'unit[<value.retain>|<value.reach_new>]',
    );
    expect(phraseParams({ value: '' }, fmt).value).toBe('<value.none>');
    expect(phraseParams({ scope: 'web, stores' }, fmt).scope).toBe('<channel.web> + <channel.stores>');
    expect(phraseParams({ media: 'brochure, email' }, fmt).media).toBe(
      'conjunction[<medium.brochure>|<medium.email>]',
    );
    expect(phraseParams({ input: 'store_count', measure: 'media_roi' }, fmt)).toEqual({
      input: '<input.store_count>',
      measure: '<input.media_roi>',
    });
  });

  it('writes days as dates and keeps `count` a number for plurals', () => {
    expect(phraseParams({ date: '2026-04-01', count: 3 }, fmt)).toEqual({
      date: 'day(2026-04-01)',
      count: 3,
    });
  });
});

describe('valueKind', () => {
  it('shows shares as percentages, the value ratio and ROI as multiples, money and km by unit', () => {
    expect(valueKind('repeat_purchase_rate', 'ratio')).toBe('percent');
    expect(valueKind('multichannel_value_ratio', 'ratio')).toBe('multiple');
    expect(valueKind('media_roi', 'ratio')).toBe('multiple');
    expect(valueKind('annual_sales', 'minor')).toBe('money');
    expect(valueKind('pickup_distance_km', 'km')).toBe('km');
    expect(valueKind('x', 'count')).toBe('number');
  });
});

describe('scoreBars', () => {
  it('puts positive scores on a scale from zero to the highest', () => {
    const b = scoreBars({ omnichannel: 10, multichannel: 5, hybrid: 0 });
    expect(b.omnichannel).toEqual({ start: 0, size: 100, zero: 0 });
    expect(b.multichannel).toEqual({ start: 0, size: 50, zero: 0 });
    expect(b.hybrid.size).toBe(0);
  });

  it('draws a negative score left of the zero line', () => {
    const b = scoreBars({ omnichannel: 6, multichannel: -2, hybrid: 2 });
    expect(b.omnichannel).toEqual({ start: 25, size: 75, zero: 25 });
    expect(b.multichannel).toEqual({ start: 0, size: 25, zero: 25 });
    expect(b.hybrid).toEqual({ start: 25, size: 25, zero: 25 });
  });

  it('survives all scores at zero', () => {
    expect(scoreBars({ omnichannel: 0, multichannel: 0, hybrid: 0 }).hybrid).toEqual({
      start: 0,
      size: 0,
      zero: 0,
    });
  });
});

describe('alternativeOf', () => {
  it('is the best-scored strategy other than the recommendation', () => {
    const scores = { omnichannel: 5, multichannel: 4.8, hybrid: 3 };
    expect(alternativeOf(scores, 'hybrid')).toBe('omnichannel');
    expect(alternativeOf(scores, 'omnichannel')).toBe('multichannel');
  });
});

const r = (base: number): [number, number, number] => [base * 0.9, base, base * 1.1];
const year = (n: number, revenue: number): YearFigures => ({
  year: n,
  fiscal_year_start: `${2025 + n}-01-01`,
  revenue: r(revenue),
  channel_costs: r(10),
  fulfilment_costs: r(20),
  stock_carrying_costs: r(30),
  campaign_spend: r(40),
  margin: r(revenue / 2),
  retention_rate: [0.3, 0.35, 0.4],
  customer_lifetime_value: r(500),
});
const projection = (strategy: Projection['strategy'], k: number): Projection => ({
  strategy,
  currency: 'EUR',
  years: [year(2, 200 * k), year(1, 100 * k), year(3, 300 * k)],
});

describe('projections', () => {
  it('sums the four cost ranges', () => {
    expect(rangeOf(year(1, 100), 'costs').map((x) => Math.round(x))).toEqual([90, 100, 110]);
    expect(rangeOf(year(1, 100), 'retention_rate')).toEqual([0.3, 0.35, 0.4]);
  });

  it('gives one series per strategy asked, in that order, by fiscal year', () => {
    const { years, series } = metricSeries(
      [projection('omnichannel', 1), projection('hybrid', 2), projection('multichannel', 3)],
      ['hybrid', 'omnichannel'],
      'revenue',
    );
    expect(years).toEqual([1, 2, 3]);
    expect(series.map((s) => s.strategy)).toEqual(['hybrid', 'omnichannel']);
    expect(series[0]?.base).toEqual([200, 400, 600]);
    expect(series[1]?.low.map(Math.round)).toEqual([90, 180, 270]);
  });
});

const weights = {
  version: 1,
  hybrid_margin: 1.5,
  factors: [
    {
      key: 'store_count',
      source: 'answer',
      input: 'store_count',
      transform: { kind: 'linear', low: 0, high: 10 },
      weights: { omnichannel: 2, multichannel: -1, hybrid: 0.5 },
      rationale: 'Stores make omnichannel pay.',
    },
  ],
  effects: {},
} as unknown as Weights;

describe('weights editing', () => {
  it('puts the typed weights and margin back, the rest unchanged', () => {
    const cells = { ...cellsOf(weights), '0.hybrid': '1,25', hybrid_margin: '2' };
    const out = applyCells(weights, cells);
    expect('weights' in out && out.weights.factors[0]?.weights).toEqual({
      omnichannel: 2,
      multichannel: -1,
      hybrid: 1.25,
    });
    expect('weights' in out && out.weights.hybrid_margin).toBe(2);
    expect('weights' in out && out.weights.factors[0]?.transform).toEqual(weights.factors[0]?.transform);
  });

  it('names the cells that are not numbers, and a negative margin', () => {
    expect(applyCells(weights, { ...cellsOf(weights), '0.omnichannel': 'two', hybrid_margin: '-1' })).toEqual(
      {
        invalid: ['hybrid_margin', '0.omnichannel'],
      },
    );
  });

  it('reads JSON objects only', () => {
    expect(parseWeights('{"version":1}')).toEqual({ weights: { version: 1 } });
    expect(parseWeights('[1]')).toEqual({ error: 'object' });
    expect('error' in parseWeights('{')).toBe(true);
  });

  it("finds the factor of the API's problem paths", () => {
    expect(factorOfPath('body.weights.factors.3.weights.hybrid')).toBe(3);
    expect(factorOfPath('body.weights.factors.12')).toBe(12);
    expect(factorOfPath('body.weights.hybrid_margin')).toBeNull();
  });
});
