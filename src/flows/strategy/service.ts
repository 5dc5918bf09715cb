/**
 * Running an assessment: the saved answers, the shop measured now, the weights in force, the pure
 * model (src/modules/strategy/model); kept with its inputs and compared with the one before.
 */
import { assess, defaultWeights } from '../../modules/strategy/model/index.ts';
import { phrase } from '../../modules/strategy/model/phrases.ts';
import {
  type Assessment,
  type AssessmentChange,
  currentWeights,
  getAnswers,
  hasMonthly,
  insertAssessment,
  latestAssessment,
  type Trigger,
} from '../../modules/strategy/repo.ts';
import type { Contribution } from '../../modules/strategy/result-schema.ts';
import { type Answers, type Measure, type Measures, STRATEGIES } from '../../modules/strategy/schema.ts';
import type { Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { analyticsTimeZone } from '../analytics/options.ts';
import { todayIn } from '../forecasting/history.ts';
import { measureShop } from './measures.ts';

/** The day assessments are made on: today in the analytics time zone (docs/analytics.md). */
export const today = async (deps: Deps): Promise<string> =>
  todayIn(deps.clock.now(), await analyticsTimeZone(deps.db));

/** The currency most channels sell in (null without channels). */
export const mainCurrency = async (q: Queryable): Promise<string | null> =>
  (
    await q.query<{ currency: string }>(
      'SELECT currency FROM channels GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1',
    )
  ).rows[0]?.currency ?? null;

export const measuresNow = async (deps: Deps, currency: string): Promise<Measure[]> =>
  Object.values(await measureShop(deps, { today: await today(deps), currency }));

/** Omnichannel minus multichannel points: how a factor leans, positive toward omnichannel. */
const lean = (c: Contribution): number => c.points.omnichannel - c.points.multichannel;
const round = (n: number): number => Math.round(n * 100) / 100;

/** What changed since the previous assessment: the recommendation and the factors that moved most. */
export const changeSince = (previous: Assessment, next: Assessment['result']): AssessmentChange => {
  const before = new Map(previous.result.contributions.map((c) => [c.factor, lean(c)]));
  const moved = next.contributions
    .map((c) => ({ factor: c.factor, delta: lean(c) - (before.get(c.factor) ?? 0) }))
    .filter((m) => Math.abs(m.delta) >= 0.01)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, 3);
  const from = previous.result.recommendation.strategy;
  const to = next.recommendation.strategy;
  return {
    recommendation_changed: from !== to,
    from,
    to,
    reasons: moved.map((m) =>
      phrase(m.delta > 0 ? 'change.toward_omnichannel' : 'change.toward_multichannel', {
        factor: m.factor,
        points: round(Math.abs(m.delta)),
      }),
    ),
  };
};

/** Runs and keeps an assessment; STRATEGY_NO_ANSWERS until the questionnaire is filled. */
export const runAssessment = async (deps: Deps, trigger: 'manual', actor: string): Promise<Assessment> => {
  const saved = await getAnswers(deps.db);
  if (!saved)
    throw new PlazaError(
      'STRATEGY_NO_ANSWERS',
      'Answer the questionnaire first: PUT /admin/strategy/questionnaire',
    );
  const a = await assessAndKeep(deps, saved.answers, await today(deps), { trigger, actor });
  if (!a) throw new Error('a manual assessment was not kept');
  return a;
};

/**
 * The monthly re-run (job `strategy-monthly`): once a month after the questionnaire is answered,
 * from fresh data; the change against the previous assessment is kept with it (`change`). Returns
 * 1 when it assessed, 0 when this month's is done or there are no answers.
 */
export const monthlyStep = async (deps: Deps): Promise<number> => {
  const day = await today(deps);
  const month = day.slice(0, 7);
  if (await hasMonthly(deps.db, month)) return 0;
  const saved = await getAnswers(deps.db);
  if (!saved) return 0;
  return (await assessAndKeep(deps, saved.answers, day, { trigger: 'monthly', actor: 'plaza', month }))
    ? 1
    : 0;
};

const assessAndKeep = async (
  deps: Deps,
  answers: Answers,
  day: string,
  run: { trigger: Trigger; actor: string; month?: string },
): Promise<Assessment | null> => {
  const now = deps.clock.now();
  const weights = await currentWeights(deps.db, defaultWeights, now);
  const measured = await measureShop(deps, { today: day, currency: answers.currency });
  const result = assess({
    answers,
    measures: measured as Measures,
    weights: weights.weights,
    today: day,
  });
  const previous = await latestAssessment(deps.db);
  return insertAssessment(
    deps.db,
    {
      trigger: run.trigger,
      ...(run.month ? { month: run.month } : {}),
      weights_version: weights.version,
      answers,
      measures: Object.values(measured),
      result,
      previous_id: previous?.id ?? null,
      change: previous ? changeSince(previous, result) : null,
    },
    run.actor,
    now,
  );
};

export const summaryOf = (a: Assessment) => ({
  id: a.id,
  created_at: a.created_at,
  trigger: a.trigger,
  strategy: a.result.recommendation.strategy,
  name: a.result.recommendation.name,
  scores: a.result.scores,
  confidence: a.result.confidence,
  weights_version: a.weights_version,
  changed: a.change?.recommendation_changed ?? false,
});

type InputValue = Contribution['value'];
const same = (a: InputValue, b: InputValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Two assessments side by side: scores, each factor's lean, and the inputs that differ. */
export const compare = (from: Assessment, to: Assessment) => {
  const before = new Map(from.result.contributions.map((c) => [c.factor, c]));
  const factors = to.result.contributions.map((c) => {
    const b = before.get(c.factor);
    const fromPoints = b ? round(lean(b)) : 0;
    return {
      factor: c.factor,
      from_points: fromPoints,
      to_points: round(lean(c)),
      delta: round(lean(c) - fromPoints),
    };
  });
  const inputs = to.result.contributions.flatMap((c) => {
    const b = before.get(c.factor);
    const was = b ? b.value : null;
    return same(was, c.value) ? [] : [{ input: c.input, source: c.source, from: was, to: c.value }];
  });
  const score_changes = Object.fromEntries(
    STRATEGIES.map((s) => [s, round(to.result.scores[s] - from.result.scores[s])]),
  ) as Record<(typeof STRATEGIES)[number], number>;
  return {
    from: summaryOf(from),
    to: summaryOf(to),
    recommendation_changed: from.result.recommendation.strategy !== to.result.recommendation.strategy,
    score_changes,
    factors: factors.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)),
    inputs,
  };
};
