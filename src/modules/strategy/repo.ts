/**
 * The strategy advisor's tables: the questionnaire (one), the weights (versioned, each change with
 * its reason), assessments kept with their inputs, and the actions accepted from them.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { AssessmentResult, Phrase } from './result-schema.ts';
import type { Answers, Measure, Strategy, Weights } from './schema.ts';

export interface SavedAnswers {
  answers: Answers;
  updated_at: string;
}

export const getAnswers = async (q: Queryable): Promise<SavedAnswers | null> => {
  const r = await q.query<{ answers: Answers; updated_at: Date }>(
    'SELECT answers, updated_at FROM strategy_answers',
  );
  const row = r.rows[0];
  return row ? { answers: row.answers, updated_at: row.updated_at.toISOString() } : null;
};

export const saveAnswers = async (
  tx: Tx,
  answers: Answers,
  actor: string,
  now: Date,
): Promise<SavedAnswers> => {
  await tx.query(
    `INSERT INTO strategy_answers (singleton, answers, updated_by, updated_at) VALUES (true, $1, $2, $3)
     ON CONFLICT (singleton) DO UPDATE SET answers = $1, updated_by = $2, updated_at = $3`,
    [JSON.stringify(answers), actor, now],
  );
  return { answers, updated_at: now.toISOString() };
};

export interface WeightsVersion {
  version: number;
  weights: Weights;
  reason: string;
  changed_by: string;
  changed_at: string;
}
interface WeightsRow {
  version: number;
  weights: Weights;
  reason: string;
  changed_by: string;
  changed_at: Date;
}
const weightsOf = (r: WeightsRow): WeightsVersion => ({
  version: r.version,
  weights: { ...r.weights, version: r.version },
  reason: r.reason,
  changed_by: r.changed_by,
  changed_at: r.changed_at.toISOString(),
});

/** The weights in force; Plaza's defaults become version 1 the first time they are asked for. */
export const currentWeights = async (
  q: Queryable,
  defaults: () => Weights,
  now: Date,
): Promise<WeightsVersion> => {
  const read = async () =>
    (await q.query<WeightsRow>('SELECT * FROM strategy_weights ORDER BY version DESC LIMIT 1')).rows[0];
  const row = await read();
  if (row) return weightsOf(row);
  await q.query(
    `INSERT INTO strategy_weights (version, weights, reason, changed_by, changed_at)
     VALUES (1, $1, 'Plaza default weights (docs/strategy.md)', 'plaza', $2) ON CONFLICT (version) DO NOTHING`,
    [JSON.stringify({ ...defaults(), version: 1 }), now],
  );
  const created = await read();
  if (!created) throw new Error('strategy_weights: version 1 was not written');
  return weightsOf(created);
};

/** Records new weights as the next version (one writer at a time). */
export const saveWeights = async (
  tx: Tx,
  weights: Weights,
  reason: string,
  actor: string,
  now: Date,
): Promise<WeightsVersion> => {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('plaza.strategy_weights'))");
  const next =
    ((await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM strategy_weights')).rows[0]?.v ??
      0) + 1;
  const row = (
    await tx.query<WeightsRow>(
      `INSERT INTO strategy_weights (version, weights, reason, changed_by, changed_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [next, JSON.stringify({ ...weights, version: next }), reason, actor, now],
    )
  ).rows[0];
  if (!row) throw new Error('strategy_weights: insert returned nothing');
  return weightsOf(row);
};

export const weightsHistory = async (q: Queryable): Promise<Omit<WeightsVersion, 'weights'>[]> =>
  (
    await q.query<Omit<WeightsRow, 'weights'>>(
      'SELECT version, reason, changed_by, changed_at FROM strategy_weights ORDER BY version DESC',
    )
  ).rows.map((r) => ({ ...r, changed_at: r.changed_at.toISOString() }));

export type Trigger = 'manual' | 'monthly';

export interface AssessmentChange {
  recommendation_changed: boolean;
  from: Strategy;
  to: Strategy;
  reasons: Phrase[];
}

export interface Assessment {
  id: string;
  created_at: string;
  trigger: Trigger;
  weights_version: number;
  answers: Answers;
  measures: Measure[];
  result: AssessmentResult;
  previous_id: string | null;
  change: AssessmentChange | null;
}
interface AssessmentRow extends Omit<Assessment, 'created_at'> {
  created_at: Date;
}
const assessmentOf = (r: AssessmentRow): Assessment => ({ ...r, created_at: r.created_at.toISOString() });
const COLS = 'id, created_at, trigger, weights_version, answers, measures, result, previous_id, change';

/** Keeps an assessment; a monthly one names its month, and a second one for the month gives null. */
export const insertAssessment = async (
  q: Queryable,
  a: Omit<Assessment, 'id' | 'created_at'> & { month?: string },
  actor: string,
  now: Date,
): Promise<Assessment | null> => {
  const row = (
    await q.query<AssessmentRow>(
      `INSERT INTO strategy_assessments
         (id, trigger, weights_version, answers, measures, result, strategy, previous_id, change, created_by, created_at, month)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (month) WHERE month IS NOT NULL DO NOTHING RETURNING ${COLS}`,
      [
        newId('sta'),
        a.trigger,
        a.weights_version,
        JSON.stringify(a.answers),
        JSON.stringify(a.measures),
        JSON.stringify(a.result),
        a.result.recommendation.strategy,
        a.previous_id,
        a.change ? JSON.stringify(a.change) : null,
        actor,
        now,
        a.month ?? null,
      ],
    )
  ).rows[0];
  return row ? assessmentOf(row) : null;
};

/** Whether this month's (YYYY-MM) monthly assessment exists. */
export const hasMonthly = async (q: Queryable, month: string): Promise<boolean> =>
  ((await q.query('SELECT 1 FROM strategy_assessments WHERE month = $1', [month])).rowCount ?? 0) > 0;

export const getAssessment = async (q: Queryable, id: string): Promise<Assessment | null> => {
  const row = (await q.query<AssessmentRow>(`SELECT ${COLS} FROM strategy_assessments WHERE id = $1`, [id]))
    .rows[0];
  return row ? assessmentOf(row) : null;
};

export const latestAssessment = async (q: Queryable): Promise<Assessment | null> => {
  const row = (
    await q.query<AssessmentRow>(
      `SELECT ${COLS} FROM strategy_assessments ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
  ).rows[0];
  return row ? assessmentOf(row) : null;
};

/** Newest first; `after` is the id of the last one of the previous page. */
export const listAssessments = async (q: Queryable, limit: number, after?: string): Promise<Assessment[]> =>
  (
    await q.query<AssessmentRow>(
      `SELECT ${COLS} FROM strategy_assessments
        WHERE ($1::text IS NULL OR (created_at, id) < (SELECT created_at, id FROM strategy_assessments WHERE id = $1))
        ORDER BY created_at DESC, id DESC LIMIT $2`,
      [after ?? null, limit],
    )
  ).rows.map(assessmentOf);

export const recordAcceptance = async (
  q: Queryable,
  assessmentId: string,
  actionKey: string,
  actor: string,
  now: Date,
): Promise<void> => {
  await q.query(
    `INSERT INTO strategy_action_acceptances (id, assessment_id, action_key, accepted_by, accepted_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [newId('sac'), assessmentId, actionKey, actor, now],
  );
};
