/** The inputs as values to change: their domains, their alternatives, and a copy of the inputs with one changed. */
import {
  Answers,
  CATEGORIES,
  COMMERCE_TYPES,
  FREQUENCIES,
  GOALS,
  LEVELS,
  type MeasureKey,
  type Measures,
  STORE_ROLES,
} from '../schema.ts';

/** The values a numeric input can take. */
export interface Domain {
  min: number;
  max: number;
  integer: boolean;
}

/** The choices of the answers that are categories or lists. */
export const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  commerce_type: COMMERCE_TYPES,
  category: CATEGORIES,
  purchase_frequency: FREQUENCIES,
  store_roles: STORE_ROLES,
  goals: GOALS,
  competitive_pressure: LEVELS,
  it_maturity: LEVELS,
  personalisation_priority: LEVELS,
};

/** The fewest items a list answer may have (the Answers schema). */
const LIST_MIN: Readonly<Record<string, number>> = { goals: 1 };

/** Measures that are shares, so between 0 and 1. */
const SHARES = new Set<string>([
  'repeat_purchase_rate',
  'multichannel_customer_share',
  'loyalty_membership_rate',
  'loyalty_active_rate',
  'click_collect_share',
  'cross_device_cart_share',
  'media_response_rate',
  'stock_spread',
]);

const num = (o: object, k: string): number | undefined => {
  const v: unknown = (o as Record<string, unknown>)[k];
  return typeof v === 'number' ? v : undefined;
};

/** A numeric input's domain: an answer's bounds from the Answers schema; a measure's from its meaning. */
export const domainOf = (source: 'answer' | 'measure', input: string, measures: Measures): Domain | null => {
  if (source === 'answer') {
    const schema: unknown = (Answers.properties as Record<string, unknown>)[input];
    if (typeof schema !== 'object' || schema === null) return null;
    const type: unknown = (schema as Record<string, unknown>).type;
    if (type !== 'integer' && type !== 'number') return null;
    return {
      min: num(schema, 'minimum') ?? Number.NEGATIVE_INFINITY,
      max: num(schema, 'maximum') ?? Number.POSITIVE_INFINITY,
      integer: type === 'integer',
    };
  }
  const unit = measures[input as MeasureKey]?.unit;
  return {
    min: input === 'sales_trend' || input === 'media_roi' ? -1 : 0,
    max: SHARES.has(input) ? 1 : Number.POSITIVE_INFINITY,
    integer: unit === 'minor' || unit === 'count',
  };
};

const key = (v: string | readonly string[]): string => JSON.stringify(v);

/** Lists one edit away: one value removed, added (anywhere), replaced, or two neighbours swapped. */
const oneEdit = (list: readonly string[], options: readonly string[], min: number): string[][] => {
  const out: string[][] = [];
  const missing = options.filter((o) => !list.includes(o));
  if (list.length > min) for (let i = 0; i < list.length; i++) out.push(list.filter((_, j) => j !== i));
  for (const m of missing)
    for (let i = 0; i <= list.length; i++) out.push([...list.slice(0, i), m, ...list.slice(i)]);
  list.forEach((_, i) => {
    for (const m of missing) out.push(list.map((x, j) => (j === i ? m : x)));
  });
  for (let i = 0; i + 1 < list.length; i++) {
    const s = [...list];
    [s[i], s[i + 1]] = [s[i + 1] as string, s[i] as string];
    out.push(s);
  }
  return out;
};

/**
 * The alternatives of a category or list answer in rings of growing change: a category's other
 * values; a list's one-edit neighbours, then its two-edit neighbours.
 */
export const alternatives = (input: string, current: string | readonly string[]): (string | string[])[][] => {
  const options = OPTIONS[input] ?? [];
  if (typeof current === 'string') return [options.filter((o) => o !== current)];
  const min = LIST_MIN[input] ?? 0;
  const seen = new Set([key(current)]);
  const fresh = (xs: string[][]) =>
    xs.filter((x) => {
      if (seen.has(key(x))) return false;
      seen.add(key(x));
      return true;
    });
  const first = fresh(oneEdit(current, options, min));
  const second = fresh(first.flatMap((x) => oneEdit(x, options, min)));
  return [first, second];
};

/** The inputs with one answer or one measure's value changed (a missing measure stays missing). */
export const withInput = (
  answers: Answers,
  measures: Measures,
  source: 'answer' | 'measure',
  input: string,
  v: number | string | readonly string[],
): { answers: Answers; measures: Measures } => {
  if (source === 'answer')
    return { answers: { ...answers, [input]: Array.isArray(v) ? [...v] : v }, measures };
  const m = measures[input as MeasureKey];
  if (!m || typeof v !== 'number') return { answers, measures };
  return { answers, measures: { ...measures, [input]: { ...m, value: v } } };
};
