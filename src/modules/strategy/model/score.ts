/**
 * Scores: each strategy's points are the sum over the factors of weight × signal; the recommendation
 * is the best score, or the hybrid when it is best or the first two are within `hybrid_margin`.
 */
import {
  type Answers,
  type Factor,
  type Measures,
  STRATEGIES,
  type Strategy,
  type Weights,
} from '../schema.ts';
import { dependsOnData, type Reading, read } from './signals.ts';

export type Points = Record<Strategy, number>;

export interface Scored {
  readings: Reading[];
  points: Points[];
  scores: Points;
}

export const pointsOf = (f: Factor, signal: number): Points => ({
  omnichannel: f.weights.omnichannel * signal,
  multichannel: f.weights.multichannel * signal,
  hybrid: f.weights.hybrid * signal,
});

/** Every factor's reading and points, and the three scores (in the factors' order, deterministic). */
export const scoreAll = (weights: Weights, answers: Answers, measures: Measures): Scored => {
  const readings = weights.factors.map((f) => read(f, answers, measures));
  const points = weights.factors.map((f, i) => pointsOf(f, readings[i]?.signal ?? 0));
  const scores: Points = { omnichannel: 0, multichannel: 0, hybrid: 0 };
  for (const p of points) for (const s of STRATEGIES) scores[s] += p[s];
  return { readings, points, scores };
};

export interface Decision {
  strategy: Strategy;
  /** The strategies by score, best first (ties keep omnichannel, multichannel, hybrid order). */
  ranked: [Strategy, Strategy, Strategy];
  /** Points between the first and the second. */
  margin: number;
  /** The hybrid was chosen because the first two were within the hybrid margin. */
  closeCall: boolean;
}

/** The recommended strategy for these scores. */
export const decide = (scores: Points, hybridMargin: number): Decision => {
  const [a, b, c] = [...STRATEGIES].sort((x, y) => scores[y] - scores[x]) as [Strategy, Strategy, Strategy];
  const margin = scores[a] - scores[b];
  const closeCall = a !== 'hybrid' && margin <= hybridMargin;
  return { strategy: a === 'hybrid' || closeCall ? 'hybrid' : a, ranked: [a, b, c], margin, closeCall };
};

/** The recommendation for an input set, as `assess` decides it. */
export const recommendationFor = (weights: Weights, answers: Answers, measures: Measures): Strategy =>
  decide(scoreAll(weights, answers, measures).scores, weights.hybrid_margin).strategy;

const absWeight = (f: Factor): number =>
  Math.abs(f.weights.omnichannel) + Math.abs(f.weights.multichannel) + Math.abs(f.weights.hybrid);

/**
 * 1 − the share of the data-dependent factors' absolute weight (|w_omni| + |w_multi| + |w_hybrid|)
 * that is lost: all of it when the data is missing, (1 − shrink) of it when thin. 1 without such
 * factors; always in [0, 1].
 */
export const confidenceOf = (weights: Weights, readings: readonly Reading[]): number => {
  let total = 0;
  let lost = 0;
  weights.factors.forEach((f, i) => {
    if (!dependsOnData(f)) return;
    const w = absWeight(f);
    total += w;
    lost += w * (1 - (readings[i]?.shrink ?? 0));
  });
  return total === 0 ? 1 : Math.min(1, Math.max(0, 1 - lost / total));
};
