/** Inputs for the model's tests: the article's three scenarios and a measure builder. */
import type { Answers, Measure, MeasureKey, Measures } from '../schema.ts';

/** A measure with its status from the sample (thin below 30, as the measures flow does). */
export const measure = (
  key: MeasureKey,
  value: number | null,
  sample: number,
  extra: Partial<Pick<Measure, 'status' | 'breakdown' | 'unit'>> = {},
): Measure => ({
  key,
  value,
  unit: key === 'annual_sales' ? 'minor' : key === 'pickup_distance_km' ? 'km' : 'ratio',
  status: value === null ? 'missing' : sample < 30 ? 'thin' : 'measured',
  sample: value === null ? 0 : sample,
  method: 'test',
  period: null,
  breakdown: [],
  ...extra,
});

export const measures = (...ms: Measure[]): Measures => Object.fromEntries(ms.map((m) => [m.key, m]));

/** (1) A new D2C brand with one store and little loyalty data: a few thin measures. */
export const newBrand: { answers: Answers; measures: Measures } = {
  answers: {
    commerce_type: 'd2c_brand',
    category: 'fashion',
    purchase_frequency: 'quarterly',
    store_count: 1,
    store_roles: ['showroom', 'pickup_point'],
    goals: ['reach_new', 'retain'],
    competitive_pressure: 'medium',
    years_in_business: 1,
    team_size: 4,
    it_maturity: 'medium',
    personalisation_priority: 'medium',
    budget_per_year: 2_500_000,
    currency: 'EUR',
    gross_margin_rate: 0.55,
    fiscal_year_start: 1,
  },
  measures: measures(
    measure('annual_sales', 18_000_000, 22),
    measure('repeat_purchase_rate', 0.12, 20),
    measure('loyalty_membership_rate', 0.04, 20),
    measure('loyalty_active_rate', null, 0),
    measure('multichannel_customer_share', null, 0),
  ),
};

/** (2) An established retailer: loyal repeat customers, several stores, high IT maturity, all measured. */
export const establishedRetailer: { answers: Answers; measures: Measures } = {
  answers: {
    commerce_type: 'b2c',
    category: 'home',
    purchase_frequency: 'monthly',
    store_count: 14,
    store_roles: ['sales', 'pickup_point', 'ship_from_store'],
    goals: ['retain', 'raise_margin'],
    competitive_pressure: 'medium',
    years_in_business: 32,
    team_size: 180,
    it_maturity: 'high',
    personalisation_priority: 'medium',
    budget_per_year: 120_000_000,
    currency: 'EUR',
    gross_margin_rate: 0.42,
    fiscal_year_start: 4,
  },
  measures: measures(
    measure('repeat_purchase_rate', 0.46, 48_000),
    measure('multichannel_customer_share', 0.31, 48_000),
    measure('multichannel_value_ratio', 1.9, 14_000),
    measure('loyalty_membership_rate', 0.44, 48_000),
    measure('loyalty_active_rate', 0.52, 21_000),
    measure('annual_sales', 2_400_000_000, 160_000),
    measure('sales_trend', 0.03, 80_000),
    measure('click_collect_share', 0.11, 60_000),
    measure('pickup_distance_km', 7.5, 5_200),
    measure('cross_device_cart_share', 0.12, 60_000),
    measure('media_response_rate', 0.018, 400_000, {
      breakdown: [
        { label: 'email', value: 0.021, sample: 300_000 },
        { label: 'print', value: 0.012, sample: 100_000 },
      ],
    }),
    measure('media_roi', 1.4, 6_000),
    measure('stock_spread', 0.62, 9_000),
    measure('forecast_accuracy', 0.82, 40_000),
  ),
};

/** (3) A reseller in a price-competitive sector that wants reach: no stores, media measured. */
export const reseller: { answers: Answers; measures: Measures } = {
  answers: {
    commerce_type: 'reseller',
    category: 'electronics',
    purchase_frequency: 'yearly',
    store_count: 0,
    store_roles: [],
    goals: ['reach_new', 'new_regions'],
    competitive_pressure: 'high',
    years_in_business: 6,
    team_size: 12,
    it_maturity: 'medium',
    personalisation_priority: 'medium',
    budget_per_year: 30_000_000,
    currency: 'EUR',
    gross_margin_rate: 0.24,
    fiscal_year_start: 7,
  },
  measures: measures(
    measure('annual_sales', 350_000_000, 9_000),
    measure('repeat_purchase_rate', 0.14, 7_000),
    measure('multichannel_customer_share', 0.04, 7_000),
    measure('sales_trend', 0.06, 4_000),
    measure('media_response_rate', 0.031, 250_000, {
      breakdown: [
        { label: 'ads', value: 0.034, sample: 150_000 },
        { label: 'email', value: 0.027, sample: 100_000 },
      ],
    }),
    measure('media_roi', 2.2, 2_400, {
      breakdown: [
        { label: 'ads', value: 2.6, sample: 1_600 },
        { label: 'email', value: 1.8, sample: 800 },
      ],
    }),
  ),
};
