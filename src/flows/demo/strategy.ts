/**
 * The demo retailer's answers to the strategy questionnaire (docs/strategy.md), so that a newcomer
 * sees the advisor at work: the worker's monthly re-run makes the first assessment from the demo
 * shop's history. Answers already given (by a person) are left alone.
 */
import { saveAnswers } from '../../modules/strategy/repo.ts';
import type { Answers } from '../../modules/strategy/schema.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { DEMO_CURRENCY } from './channels.ts';

export const DEMO_ANSWERS: Answers = {
  commerce_type: 'b2c',
  category: 'fashion',
  purchase_frequency: 'quarterly',
  store_count: 3,
  store_roles: ['sales', 'pickup_point', 'ship_from_store'],
  goals: ['retain', 'raise_margin', 'reach_new'],
  competitive_pressure: 'medium',
  years_in_business: 6,
  team_size: 40,
  it_maturity: 'medium',
  personalisation_priority: 'medium',
  budget_per_year: 12_000_000,
  currency: DEMO_CURRENCY,
  gross_margin_rate: 0.48,
  fiscal_year_start: 1,
};

export const seedStrategyAnswers = async (tx: Tx, deps: Pick<Deps, 'clock'>): Promise<boolean> => {
  if ((await tx.query('SELECT 1 FROM strategy_answers')).rowCount) return false;
  await saveAnswers(tx, DEMO_ANSWERS, 'plaza-demo', deps.clock.now());
  return true;
};
