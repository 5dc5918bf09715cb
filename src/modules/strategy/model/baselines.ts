/**
 * The shop's starting point for the projections (docs/strategy.md, "Projections"): annual revenue,
 * retention, customers and lifetime value, measured where Plaza has the data, else from the answers
 * with the assumption stated.
 */
import type { Baselines, Phrase } from '../result-schema.ts';
import type { Answers, Measures } from '../schema.ts';
import { minorDigits, pct, phrase, round4 } from './phrases.ts';
import { clamp, measureState } from './signals.ts';

/** Without measured sales, revenue = budget per year / this typical marketing share of sales. */
export const MARKETING_SHARE = 0.08;
/** Yearly discount rate in the lifetime value. */
export const DISCOUNT = 0.1;
/** Retention is kept below this (a lifetime value needs retention < 1 + discount). */
export const MAX_RETENTION = 0.99;

type Frequency = Answers['purchase_frequency'];
/** Typical share of customers buying again within a year, by how often they buy. */
export const TYPICAL_RETENTION: Readonly<Record<Frequency, number>> = {
  weekly: 0.7,
  monthly: 0.6,
  quarterly: 0.45,
  yearly: 0.3,
  rarely: 0.15,
};
/** Typical yearly spend per customer in major units of the shop's currency, by how often they buy. */
export const TYPICAL_SPEND: Readonly<Record<Frequency, number>> = {
  weekly: 1500,
  monthly: 600,
  quarterly: 300,
  yearly: 150,
  rarely: 80,
};

/** The baselines, plus the figures the projections start from (unrounded). */
export interface Start {
  baselines: Baselines;
  revenue: number;
  retention: number;
  /** Revenue per customer and year (minor units; 0 without customers). */
  perCustomer: number;
}

/** Lifetime value of a customer: yearly value × margin × r / (1 + d − r), in minor units. */
export const lifetimeValue = (perCustomer: number, margin: number, retention: number): number =>
  perCustomer * margin * (retention / (1 + DISCOUNT - retention));

const money = (amount: number, currency: string) => ({ amount, unit: 'minor', currency });

const revenueOf = (
  answers: Answers,
  measures: Measures,
): { revenue: number; note: Phrase; measured: boolean } => {
  const sales = measureState(measures.annual_sales);
  if (sales.value !== null) {
    const revenue = Math.max(0, Math.round(sales.value));
    return {
      revenue,
      note: phrase('assumption.revenue_measured', money(revenue, answers.currency)),
      measured: true,
    };
  }
  const revenue = Math.round(answers.budget_per_year / MARKETING_SHARE);
  return {
    revenue,
    note: phrase('assumption.revenue_estimated', {
      ...money(revenue, answers.currency),
      percent: pct(MARKETING_SHARE),
    }),
    measured: false,
  };
};

/** Measured repeat rate, blended with the typical rate by the thin shrink when thin, else the typical rate. */
const retentionOf = (answers: Answers, measures: Measures): { retention: number; note: Phrase } => {
  const typical = TYPICAL_RETENTION[answers.purchase_frequency];
  const m = measureState(measures.repeat_purchase_rate);
  const frequency = answers.purchase_frequency;
  if (m.value === null) {
    return {
      retention: typical,
      note: phrase('assumption.retention_typical', { percent: pct(typical), frequency }),
    };
  }
  const measured = clamp(m.value, 0, MAX_RETENTION);
  if (m.status === 'measured')
    return { retention: measured, note: phrase('assumption.retention_measured', { percent: pct(measured) }) };
  const retention = m.shrink * measured + (1 - m.shrink) * typical;
  return {
    retention,
    note: phrase('assumption.retention_blended', {
      percent: pct(retention),
      measured: pct(measured),
      sample: m.sample,
      typical: pct(typical),
      frequency,
    }),
  };
};

const customersOf = (
  answers: Answers,
  measures: Measures,
  revenue: number,
): { customers: number; note: Phrase } => {
  const m = measureState(measures.repeat_purchase_rate);
  if (m.value !== null && m.sample > 0)
    return { customers: m.sample, note: phrase('assumption.customers_measured', { customers: m.sample }) };
  const spend = TYPICAL_SPEND[answers.purchase_frequency] * 10 ** minorDigits(answers.currency);
  const customers = Math.round(revenue / spend);
  return {
    customers,
    note: phrase('assumption.customers_estimated', {
      customers,
      ...money(spend, answers.currency),
      frequency: answers.purchase_frequency,
    }),
  };
};

/** The baselines: measured where possible, else estimated from the answers, each with its assumption. */
export const baselinesOf = (answers: Answers, measures: Measures): Start => {
  const r = revenueOf(answers, measures);
  const t = retentionOf(answers, measures);
  const c = customersOf(answers, measures, r.revenue);
  const perCustomer = c.customers > 0 ? r.revenue / c.customers : 0;
  const clv = Math.round(lifetimeValue(perCustomer, answers.gross_margin_rate, t.retention));
  const clvNote = phrase('assumption.clv', {
    margin: pct(answers.gross_margin_rate),
    discount: pct(DISCOUNT),
  });
  return {
    baselines: {
      annual_revenue: r.revenue,
      retention_rate: round4(t.retention),
      customer_lifetime_value: clv,
      customers: c.customers,
      source: r.measured ? 'measured' : 'answers',
      assumptions: [r.note, t.note, c.note, clvNote],
    },
    revenue: r.revenue,
    retention: t.retention,
    perCustomer,
  };
};
