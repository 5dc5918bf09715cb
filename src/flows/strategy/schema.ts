/** Schemas of /admin/strategy (docs/strategy.md). */
import { Type } from '@sinclair/typebox';
import { AssessmentResult, Phrase } from '../../modules/strategy/result-schema.ts';
import { Answers, Measure, STRATEGIES, Weights } from '../../modules/strategy/schema.ts';
import { CurrencyCode, Id, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

const StrategyName = Type.Union(STRATEGIES.map((s) => Type.Literal(s)));
const Scores = Type.Object({
  omnichannel: Type.Number(),
  multichannel: Type.Number(),
  hybrid: Type.Number(),
});
const InputValue = Type.Union([Type.Null(), Type.Number(), Type.String(), Type.Array(Type.String())]);

export const AnswersView = Type.Object({ answers: Nullable(Answers), updated_at: Nullable(Timestamp) });

export const MeasuresQuery = Obj({ currency: Type.Optional(CurrencyCode) });

export const MeasuresView = Type.Object({
  currency: Nullable(Type.String({ description: 'The questionnaire currency the money measures are in' })),
  measures: Type.Array(Measure),
});

export const AssessmentChange = Type.Object({
  recommendation_changed: Type.Boolean(),
  from: StrategyName,
  to: StrategyName,
  reasons: Type.Array(Phrase, { description: 'The factors that moved most since the previous assessment' }),
});

export const Assessment = Type.Object({
  id: Id('sta'),
  created_at: Timestamp,
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('monthly')]),
  weights_version: Type.Integer({ minimum: 1 }),
  answers: Answers,
  measures: Type.Array(Measure),
  result: AssessmentResult,
  previous_id: Nullable(Type.String()),
  change: Nullable(AssessmentChange),
});

export const AssessmentSummary = Type.Object({
  id: Id('sta'),
  created_at: Timestamp,
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('monthly')]),
  strategy: StrategyName,
  name: Phrase,
  scores: Scores,
  confidence: Type.Number(),
  weights_version: Type.Integer({ minimum: 1 }),
  changed: Type.Boolean({ description: 'The recommendation differs from the previous assessment' }),
});

export const ListAssessmentsQuery = Obj({ ...PageQuery });

export const CompareQuery = Obj({
  with: Type.Optional(Id('sta')),
});

export const Comparison = Type.Object({
  from: AssessmentSummary,
  to: AssessmentSummary,
  recommendation_changed: Type.Boolean(),
  score_changes: Scores,
  factors: Type.Array(
    Type.Object({
      factor: Type.String(),
      from_points: Type.Number({ description: 'Omnichannel minus multichannel points of the factor before' }),
      to_points: Type.Number({ description: 'The same in the later assessment' }),
      delta: Type.Number(),
    }),
  ),
  inputs: Type.Array(
    Type.Object({
      input: Type.String(),
      source: Type.Union([Type.Literal('answer'), Type.Literal('measure')]),
      from: InputValue,
      to: InputValue,
    }),
  ),
});

export const AcceptBody = Obj({
  assessment_id: Id('sta'),
  action_key: Str({ min: 1, max: 80 }),
});
export const Accepted = Type.Object({
  screen: Type.String({ description: 'The console route that does the action' }),
  prefill: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
});

export const WeightsView = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  weights: Weights,
  reason: Type.String(),
  changed_by: Type.String(),
  changed_at: Timestamp,
});
export const WeightsBody = Obj({
  weights: Weights,
  reason: Str({ min: 3, max: 1000, description: 'Why the weights change (kept in the history)' }),
});
export const WeightsHistory = Type.Object({
  data: Type.Array(
    Type.Object({
      version: Type.Integer(),
      reason: Type.String(),
      changed_by: Type.String(),
      changed_at: Timestamp,
    }),
  ),
});
