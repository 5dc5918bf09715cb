/**
 * The questionnaire's form values and their way to and from the API's Answers: numbers are typed as
 * text, money in major units of the chosen currency (sent in minor units), the gross margin as a
 * percentage (sent as a rate). The bounds are the API's (src/modules/strategy/schema.ts).
 */
import { z } from 'zod';
import type { Answers } from './data.ts';

type Commerce = Answers['commerce_type'];
type Category = Answers['category'];
type Frequency = Answers['purchase_frequency'];
type StoreRole = Answers['store_roles'][number];
export type Goal = Answers['goals'][number];
type Level = Answers['competitive_pressure'];

/** A record over every value of a union, so a value the API adds fails the type check here. */
const every = <T extends string>(r: Record<T, true>): readonly T[] => Object.keys(r) as T[];

export const COMMERCE_TYPES = every<Commerce>({
  b2c: true,
  b2b: true,
  d2c_brand: true,
  marketplace_seller: true,
  reseller: true,
});
export const CATEGORIES = every<Category>({
  fashion: true,
  electronics: true,
  grocery: true,
  home: true,
  beauty: true,
  sports: true,
  books_media: true,
  other: true,
});
export const FREQUENCIES = every<Frequency>({
  weekly: true,
  monthly: true,
  quarterly: true,
  yearly: true,
  rarely: true,
});
export const STORE_ROLES = every<StoreRole>({
  sales: true,
  showroom: true,
  pickup_point: true,
  ship_from_store: true,
  service: true,
});
export const GOALS = every<Goal>({ reach_new: true, retain: true, raise_margin: true, new_regions: true });
export const LEVELS = every<Level>({ low: true, medium: true, high: true });
export const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

const oneOf = <T extends string>(values: readonly T[]) =>
  z.string().refine((v): v is T => (values as readonly string[]).includes(v));
const whole = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/)
    .refine((v) => Number(v) >= min && Number(v) <= max);
/**
 * Digits of a currency's minor unit (2 for EUR, 0 for JPY). The same as customers/data.ts's, which
 * cannot be imported here: that module loads the session (and its API client), which needs a page.
 */
export const minorDigits = (currency: string): number => {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
};

const decimal = /^\d+([.,]\d+)?$/;
const asNumber = (v: string): number => Number(v.trim().replace(',', '.'));

/** The form's values: what the person typed or chose, checked before anything is sent. */
export const answersSchema = z
  .object({
    commerce_type: oneOf(COMMERCE_TYPES),
    category: oneOf(CATEGORIES),
    purchase_frequency: oneOf(FREQUENCIES),
    store_count: whole(0, 100_000),
    store_roles: z.array(oneOf(STORE_ROLES)),
    goals: z.array(oneOf(GOALS)).min(1),
    competitive_pressure: oneOf(LEVELS),
    years_in_business: whole(0, 500),
    team_size: whole(1, 1_000_000),
    it_maturity: oneOf(LEVELS),
    personalisation_priority: oneOf(LEVELS),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/),
    budget_per_year: z.string().trim().regex(decimal),
    gross_margin_rate: z
      .string()
      .trim()
      .regex(decimal)
      .refine((v) => asNumber(v) <= 100),
    fiscal_year_start: z.string().refine((v) => MONTHS.some((m) => String(m) === v)),
  })
  .superRefine((v, ctx) => {
    // the major units typed must fit the currency's minor unit (no 12.345 in EUR) and the API's bound
    const digits = minorDigits(v.currency.toUpperCase());
    const fraction = /[.,](\d+)$/.exec(v.budget_per_year.trim())?.[1] ?? '';
    if (fraction.length > digits || asNumber(v.budget_per_year) * 10 ** digits > 1e15)
      ctx.addIssue({ code: 'custom', path: ['budget_per_year'], message: 'budget' });
  });
export type AnswerValues = z.input<typeof answersSchema>;
export type AnswerField = keyof AnswerValues;

/** The fields in the order of the form (and where the API's field errors go). */
export const ANSWER_FIELDS: readonly AnswerField[] = [
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
  'currency',
  'budget_per_year',
  'gross_margin_rate',
  'fiscal_year_start',
];

/** The form's starting values: the saved answers, or empty choices in the shop's currency. */
export const toValues = (a: Answers | null, currency: string): AnswerValues =>
  a
    ? {
        commerce_type: a.commerce_type,
        category: a.category,
        purchase_frequency: a.purchase_frequency,
        store_count: String(a.store_count),
        store_roles: [...a.store_roles],
        goals: [...a.goals],
        competitive_pressure: a.competitive_pressure,
        years_in_business: String(a.years_in_business),
        team_size: String(a.team_size),
        it_maturity: a.it_maturity,
        personalisation_priority: a.personalisation_priority,
        currency: a.currency,
        budget_per_year: String(a.budget_per_year / 10 ** minorDigits(a.currency)),
        gross_margin_rate: String(Math.round(a.gross_margin_rate * 10_000) / 100),
        fiscal_year_start: String(a.fiscal_year_start),
      }
    : {
        commerce_type: '',
        category: '',
        purchase_frequency: '',
        store_count: '',
        store_roles: [],
        goals: [],
        competitive_pressure: '',
        years_in_business: '',
        team_size: '',
        it_maturity: '',
        personalisation_priority: '',
        currency,
        budget_per_year: '',
        gross_margin_rate: '',
        fiscal_year_start: '1',
      };

const pick = <T extends string>(values: readonly T[], v: string): T => {
  const found = values.find((x) => x === v);
  if (found === undefined) throw new Error(`not a choice: ${v}`);
  return found;
};

/** The API's Answers from checked form values (money to minor units, the margin to a rate). */
export const toAnswers = (v: AnswerValues): Answers => {
  const currency = v.currency.trim().toUpperCase();
  return {
    commerce_type: pick(COMMERCE_TYPES, v.commerce_type),
    category: pick(CATEGORIES, v.category),
    purchase_frequency: pick(FREQUENCIES, v.purchase_frequency),
    store_count: Number(v.store_count),
    // in the API's order, each once
    store_roles: STORE_ROLES.filter((r) => v.store_roles.includes(r)),
    goals: [...new Set(v.goals.map((g) => pick(GOALS, g)))],
    competitive_pressure: pick(LEVELS, v.competitive_pressure),
    years_in_business: Number(v.years_in_business),
    team_size: Number(v.team_size),
    it_maturity: pick(LEVELS, v.it_maturity),
    personalisation_priority: pick(LEVELS, v.personalisation_priority),
    currency,
    budget_per_year: Math.round(asNumber(v.budget_per_year) * 10 ** minorDigits(currency)),
    gross_margin_rate: Math.round(asNumber(v.gross_margin_rate) * 100) / 10_000,
    fiscal_year_start: Number(v.fiscal_year_start),
  };
};

/** Goals in order after moving one up (-1) or down (+1). */
export const moveGoal = <T>(goals: readonly T[], index: number, by: -1 | 1): T[] => {
  const to = index + by;
  if (index < 0 || index >= goals.length || to < 0 || to >= goals.length) return [...goals];
  const out = [...goals];
  const [g] = out.splice(index, 1);
  if (g !== undefined) out.splice(to, 0, g);
  return out;
};
