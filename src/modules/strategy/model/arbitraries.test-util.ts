/** fast-check arbitraries for the model's property tests: any valid answers, measures and day. */
import fc from 'fast-check';
import {
  type Answers,
  CATEGORIES,
  COMMERCE_TYPES,
  FREQUENCIES,
  GOALS,
  LEVELS,
  MEASURE_KEYS,
  type Measure,
  type MeasureKey,
  type Measures,
  STORE_ROLES,
} from '../schema.ts';

const double = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** A plausible value per measure (shares 0–1, multiples, money, km, growth). */
const plausibleValue = (key: MeasureKey): fc.Arbitrary<number> => {
  switch (key) {
    case 'annual_sales':
      return fc.integer({ min: 0, max: 5_000_000_000 });
    case 'multichannel_value_ratio':
      return double(0, 4);
    case 'media_roi':
      return double(-1, 5);
    case 'sales_trend':
      return double(-0.6, 1);
    case 'pickup_distance_km':
      return double(0, 80);
    case 'forecast_accuracy':
      return double(0.2, 2);
    default:
      return double(0, 1);
  }
};

const MEDIA_LABELS = ['email', 'print', 'sms', 'push', 'ads', 'banner', 'in_app', 'pos', 'unknown'] as const;

export const measureArb = (key: MeasureKey): fc.Arbitrary<Measure> =>
  fc
    .record({
      value: plausibleValue(key),
      status: fc.constantFrom('measured', 'thin', 'missing'),
      sample: fc.integer({ min: 1, max: 100_000 }),
      breakdown: fc.array(
        fc.record({
          label: fc.constantFrom(...MEDIA_LABELS),
          value: fc.option(double(-1, 4), { nil: null }),
          sample: fc.nat(1000),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ value, status, sample, breakdown }) => ({
      key,
      value: status === 'missing' ? null : value,
      unit: key === 'annual_sales' ? 'minor' : key === 'pickup_distance_km' ? 'km' : 'ratio',
      status,
      sample: status === 'missing' ? 0 : sample,
      method: 'generated',
      period: null,
      breakdown,
    }));

/** Some of the measures (each present or absent), with any status. */
export const measuresArb: fc.Arbitrary<Measures> = fc
  .tuple(...MEASURE_KEYS.map((k) => fc.option(measureArb(k), { nil: undefined })))
  .map((ms) => Object.fromEntries(ms.filter((m): m is Measure => m !== undefined).map((m) => [m.key, m])));

export const answersArb: fc.Arbitrary<Answers> = fc.record({
  commerce_type: fc.constantFrom(...COMMERCE_TYPES),
  category: fc.constantFrom(...CATEGORIES),
  purchase_frequency: fc.constantFrom(...FREQUENCIES),
  store_count: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 100_000 })),
  store_roles: fc.uniqueArray(fc.constantFrom(...STORE_ROLES), { maxLength: STORE_ROLES.length }),
  goals: fc.uniqueArray(fc.constantFrom(...GOALS), { minLength: 1, maxLength: GOALS.length }),
  competitive_pressure: fc.constantFrom(...LEVELS),
  years_in_business: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 500 })),
  team_size: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1_000_000 })),
  it_maturity: fc.constantFrom(...LEVELS),
  personalisation_priority: fc.constantFrom(...LEVELS),
  budget_per_year: fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 1e15 })),
  currency: fc.constantFrom('EUR', 'KRW', 'SAR', 'USD', 'KWD'),
  gross_margin_rate: double(0, 1),
  fiscal_year_start: fc.integer({ min: 1, max: 12 }),
});

const pad = (n: number) => String(n).padStart(2, '0');
export const dayArb: fc.Arbitrary<string> = fc
  .record({
    y: fc.integer({ min: 2020, max: 2035 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`);
