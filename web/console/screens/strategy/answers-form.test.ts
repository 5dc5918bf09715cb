import { describe, expect, it } from 'vitest';
import { answersSchema, moveGoal, toAnswers, toValues } from './answers-form.ts';
import type { Answers } from './data.ts';

const answers: Answers = {
  commerce_type: 'd2c_brand',
  category: 'fashion',
  purchase_frequency: 'quarterly',
  store_count: 1,
  store_roles: ['sales', 'pickup_point'],
  goals: ['reach_new', 'retain'],
  competitive_pressure: 'medium',
  years_in_business: 2,
  team_size: 8,
  it_maturity: 'medium',
  personalisation_priority: 'high',
  budget_per_year: 2_500_050,
  currency: 'EUR',
  gross_margin_rate: 0.425,
  fiscal_year_start: 4,
};

describe('the questionnaire form', () => {
  it('shows money in major units and the margin as a percentage, and sends them back exactly', () => {
    const v = toValues(answers, 'USD');
    expect(v.budget_per_year).toBe('25000.5');
    expect(v.gross_margin_rate).toBe('42.5');
    expect(v.fiscal_year_start).toBe('4');
    expect(answersSchema.safeParse(v).success).toBe(true);
    expect(toAnswers(v)).toEqual(answers);
  });

  it('takes a comma as the decimal mark, minor units of a currency without cents, roles in the API order', () => {
    const v = {
      ...toValues(answers, 'EUR'),
      budget_per_year: '1000000',
      currency: 'jpy',
      gross_margin_rate: '33,3',
      store_roles: ['pickup_point', 'sales'],
    };
    expect(answersSchema.safeParse(v).success).toBe(true);
    expect(toAnswers(v)).toMatchObject({
      budget_per_year: 1_000_000,
      currency: 'JPY',
      gross_margin_rate: 0.333,
      store_roles: ['sales', 'pickup_point'],
    });
  });

  it('starts empty in the shop currency, which is not valid until the choices are made', () => {
    const v = toValues(null, 'EUR');
    expect(v.currency).toBe('EUR');
    const parsed = answersSchema.safeParse(v);
    expect(parsed.success).toBe(false);
    const fields = new Set(parsed.error?.issues.map((i) => i.path[0]));
    for (const f of ['commerce_type', 'goals', 'store_count', 'team_size', 'budget_per_year'])
      expect(fields).toContain(f);
  });

  it('refuses out-of-bounds numbers, more decimals than the currency has, and unknown choices', () => {
    const ok = toValues(answers, 'EUR');
    const bad = (patch: Partial<typeof ok>) =>
      answersSchema.safeParse({ ...ok, ...patch }).error?.issues[0]?.path[0];
    expect(bad({ store_count: '100001' })).toBe('store_count');
    expect(bad({ team_size: '0' })).toBe('team_size');
    expect(bad({ gross_margin_rate: '101' })).toBe('gross_margin_rate');
    expect(bad({ budget_per_year: '10.001' })).toBe('budget_per_year');
    expect(bad({ currency: 'JPY', budget_per_year: '10.5' })).toBe('budget_per_year');
    expect(bad({ commerce_type: 'dropship' })).toBe('commerce_type');
    expect(bad({ goals: [] })).toBe('goals');
  });

  it('moves a goal up or down, and not past the ends', () => {
    expect(moveGoal(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveGoal(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveGoal(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(moveGoal(['a', 'b'], 1, 1)).toEqual(['a', 'b']);
  });
});
