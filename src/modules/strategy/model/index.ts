/**
 * The strategy advisor's scoring model (docs/strategy.md): pure and deterministic, no I/O and no clock.
 * `assess` turns the answers, the measures and the weights into scores with each factor's
 * contribution, a confidence, the recommendation, its sensitivity, projections and next actions.
 */
import { Value } from '@sinclair/typebox/value';
import defaults from '../default-weights.json' with { type: 'json' };
import type { AssessmentResult } from '../result-schema.ts';
import { type Answers, type Measures, STRATEGIES, Weights } from '../schema.ts';
import { actionsFor } from './actions.ts';
import { baselinesOf } from './baselines.ts';
import { contributions, warnings } from './explain.ts';
import { round4 } from './phrases.ts';
import { projections } from './projections.ts';
import { omnichannelScope, recommend } from './recommend.ts';
import { confidenceOf, decide, scoreAll } from './score.ts';
import { sensitivity } from './sensitivity.ts';

export { CATALOGUE, HOLDOUT_PERCENT } from './actions.ts';
export { DISCOUNT, MARKETING_SHARE, TYPICAL_RETENTION, TYPICAL_SPEND } from './baselines.ts';
export { PHRASES, type PhraseKey } from './phrases.ts';
export { fiscalYearOne, TREND_CAP } from './projections.ts';
export { confidenceOf, decide, recommendationFor, scoreAll } from './score.ts';
export { applyFlip } from './sensitivity.ts';
export { CHOICE_WEIGHTS, THIN_K, transform } from './signals.ts';

export interface AssessInput {
  answers: Answers;
  measures: Measures;
  weights: Weights;
  /** The day of the assessment, YYYY-MM-DD (fiscal year 1 starts on or after it). */
  today: string;
}

/**
 * The assessment of one set of inputs. Deterministic: the same inputs give the same result.
 * Money is in integer minor units of `answers.currency`; every range is ordered (low ≤ base ≤ high).
 */
export const assess = ({ answers, measures, weights, today }: AssessInput): AssessmentResult => {
  const scored = scoreAll(weights, answers, measures);
  const decision = decide(scored.scores, weights.hybrid_margin);
  const confidence = confidenceOf(weights, scored.readings);
  const recommendation = recommend(decision, answers, measures);
  const start = baselinesOf(answers, measures);
  const others = STRATEGIES.filter((s) => s !== decision.strategy).sort(
    (a, b) => scored.scores[b] - scored.scores[a],
  );
  const order = [decision.strategy, ...others];
  const projected = projections(weights, order, start, answers, measures, today, confidence);
  return {
    scores: {
      omnichannel: round4(scored.scores.omnichannel),
      multichannel: round4(scored.scores.multichannel),
      hybrid: round4(scored.scores.hybrid),
    },
    confidence: round4(confidence),
    recommendation,
    contributions: contributions(weights, scored, decision, answers, measures),
    sensitivity: sensitivity(weights, answers, measures),
    baselines: {
      ...start.baselines,
      assumptions: [...start.baselines.assumptions, ...projected.assumptions],
    },
    projections: projected.projections,
    actions: actionsFor({
      answers,
      measures,
      weights,
      strategy: decision.strategy,
      media: recommendation.multichannel_media,
      scope:
        recommendation.omnichannel_scope.length > 0
          ? recommendation.omnichannel_scope
          : omnichannelScope(answers, measures),
    }),
    warnings: warnings(weights, measures, confidence, decision, scored.scores, start.revenue),
  };
};

/** The default weights (default-weights.json), checked against the Weights schema; a fresh copy each call. */
export const defaultWeights = (): Weights => {
  const w: unknown = structuredClone(defaults);
  if (!Value.Check(Weights, w)) throw new Error('default-weights.json does not match the Weights schema');
  return w;
};
