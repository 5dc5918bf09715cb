/**
 * Next actions tied to Plaza features (docs/strategy.md, "Next actions"): a catalogue, each action
 * with the console screen that does it and what to prefill there, a condition on the assessment,
 * and a relevance that orders the applicable ones (the recommendation's fit plus the weakness of the
 * measure the action moves).
 */
import type { Action, Phrase } from '../result-schema.ts';
import type { Answers, MeasureKey, Measures, Strategy, Weights } from '../schema.ts';
import { isMessageKey, type Params, pct, phrase } from './phrases.ts';
import { clamp, measureState } from './signals.ts';

/** What an action's condition and texts may look at. */
export interface ActionContext {
  answers: Answers;
  measures: Measures;
  weights: Weights;
  strategy: Strategy;
  media: readonly string[];
  scope: readonly string[];
}

type Prefill = Action['prefill'];

interface Entry {
  key: string;
  screen: string;
  prefill: (c: ActionContext) => Prefill;
  applies: (c: ActionContext) => boolean;
  /** How well the action fits each recommendation (0–3). */
  fit: Record<Strategy, number>;
  /** The measure it moves and a good level of it (the weaker the measure, the sooner the action). */
  target?: { measure: MeasureKey; good: number };
  /** Parameters of its texts. */
  params?: (c: ActionContext) => Params;
}

/** A measure's value, or null when missing. */
const v = (c: ActionContext, k: MeasureKey): number | null => measureState(c.measures[k]).value;
/** True when the measure is missing or below the level. */
const below = (c: ActionContext, k: MeasureKey, level: number): boolean => {
  const x = v(c, k);
  return x === null || x < level;
};
const effect = (c: ActionContext, s: Strategy) => c.weights.effects[s];

/** Holdout of the campaigns the advisor starts (percent of the audience that gets nothing). */
export const HOLDOUT_PERCENT = 10;

/** The catalogue, in the order used to break ties. */
export const CATALOGUE: readonly Entry[] = [
  {
    key: 'enable_click_collect',
    screen: '/settings',
    prefill: () => ({ section: 'pickup' }),
    applies: (c) => c.answers.store_count > 0 && below(c, 'click_collect_share', 0.15),
    fit: { omnichannel: 3, hybrid: 2.5, multichannel: 1 },
    target: { measure: 'click_collect_share', good: 0.15 },
    params: (c) => {
      const other = c.strategy === 'multichannel' ? 'omnichannel' : 'multichannel';
      const s = c.strategy === 'multichannel' ? 'omnichannel' : c.strategy;
      return {
        strategy: s,
        other,
        fulfilment: pct(effect(c, s).fulfilment_cost_rate[1]),
        fulfilment_other: pct(effect(c, other).fulfilment_cost_rate[1]),
      };
    },
  },
  {
    key: 'live_cart_sync',
    screen: '/channels',
    prefill: () => ({}),
    applies: (c) =>
      (c.strategy !== 'multichannel' || c.scope.includes('app')) && below(c, 'cross_device_cart_share', 0.3),
    fit: { omnichannel: 2.5, hybrid: 2, multichannel: 0.5 },
    target: { measure: 'cross_device_cart_share', good: 0.3 },
    params: (c) => ({ strategy: c.strategy, growth: pct(effect(c, c.strategy).revenue_growth[1]) }),
  },
  {
    key: 'loyalty_at_pos',
    screen: '/settings',
    prefill: () => ({ section: 'loyalty' }),
    applies: (c) =>
      c.answers.store_count > 0 &&
      (below(c, 'loyalty_membership_rate', 0.4) || below(c, 'loyalty_active_rate', 0.3)),
    fit: { omnichannel: 2.5, hybrid: 2, multichannel: 1.5 },
    target: { measure: 'loyalty_membership_rate', good: 0.4 },
    params: (c) => ({ strategy: c.strategy, points: pct(effect(c, c.strategy).retention_change[1]) }),
  },
  {
    key: 'brochure_campaign',
    screen: '/campaigns/new',
    prefill: () => ({
      medium: 'print',
      holdout_percent: HOLDOUT_PERCENT,
      name: "Brochure with QR codes in a store's area",
    }),
    applies: (c) => c.answers.store_count > 0 || c.media.includes('brochure'),
    fit: { omnichannel: 1, hybrid: 2.5, multichannel: 3 },
    target: { measure: 'media_response_rate', good: 0.02 },
    params: () => ({ holdout: HOLDOUT_PERCENT }),
  },
  {
    key: 'email_newsletter',
    screen: '/campaigns/new',
    prefill: () => ({ medium: 'email', holdout_percent: HOLDOUT_PERCENT, name: 'Newsletter' }),
    applies: (c) =>
      c.answers.store_count === 0 ||
      c.strategy !== 'omnichannel' ||
      c.answers.personalisation_priority !== 'low',
    fit: { omnichannel: 1, hybrid: 2, multichannel: 3 },
    target: { measure: 'media_roi', good: 1 },
    params: () => ({ holdout: HOLDOUT_PERCENT }),
  },
  {
    key: 'win_back_journey',
    screen: '/journeys',
    prefill: () => ({
      template: 'win_back',
      name: 'Win back lapsed single-channel customers',
    }),
    applies: () => true,
    fit: { omnichannel: 2, hybrid: 2, multichannel: 2 },
    target: { measure: 'repeat_purchase_rate', good: 0.4 },
    params: (c) => ({ strategy: c.strategy, points: pct(effect(c, c.strategy).retention_change[1]) }),
  },
  {
    key: 'multichannel_segment',
    screen: '/segments/new',
    prefill: () => ({ template: 'multichannel', name: 'Multichannel customers' }),
    applies: () => true,
    fit: { omnichannel: 1.5, hybrid: 1.5, multichannel: 2 },
    target: { measure: 'multichannel_customer_share', good: 0.3 },
  },
  {
    key: 'review_replenishment',
    screen: '/forecasting/replenishment',
    prefill: () => ({}),
    applies: (c) => {
      const spread = v(c, 'stock_spread');
      const error = v(c, 'forecast_accuracy');
      return (spread !== null && spread < 0.5) || (error !== null && error > 0.9);
    },
    fit: { omnichannel: 2, hybrid: 1.5, multichannel: 1 },
    target: { measure: 'stock_spread', good: 0.5 },
    params: (c) => ({ strategy: c.strategy, stock: pct(effect(c, c.strategy).stock_carrying_rate[1]) }),
  },
];

/** 0 when the measure is at its good level or better, up to 1 when it is nothing; 0.5 when missing. */
const weakness = (c: ActionContext, t: Entry['target']): number => {
  if (!t) return 0;
  const x = v(c, t.measure);
  if (x === null) return 0.5;
  return clamp((t.good - x) / t.good, 0, 1);
};

/** An action's text; the catalogue's keys all have their four texts in PHRASES (a test checks it). */
const text = (key: string, part: 'title' | 'why' | 'effect' | 'measured_by', params: Params): Phrase => {
  const k = `action.${key}.${part}`;
  if (!isMessageKey(k)) throw new Error(`the phrase ${k} is missing`);
  return phrase(k, params);
};

/** The applicable actions, most relevant first (priority 1, 2, …). */
export const actionsFor = (c: ActionContext): Action[] =>
  CATALOGUE.map((e, i) => ({ e, i, relevance: e.fit[c.strategy] + 2 * weakness(c, e.target) }))
    .filter(({ e }) => e.applies(c))
    .sort((a, b) => b.relevance - a.relevance || a.i - b.i)
    .map(({ e }, n) => {
      const params = e.params?.(c) ?? {};
      return {
        key: e.key,
        title: text(e.key, 'title', params),
        why: text(e.key, 'why', params),
        expected_effect: text(e.key, 'effect', params),
        measured_by: text(e.key, 'measured_by', params),
        screen: e.screen,
        prefill: e.prefill(c),
        priority: n + 1,
      };
    });
