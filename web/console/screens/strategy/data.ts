/** Strategy advisor area: answer types from the generated client, query keys and the shared queries. */
import type { paths } from '@plaza/client';
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';

type ListQuery = NonNullable<paths['/admin/strategy/assessments']['get']['parameters']['query']>;
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;

/*
 * The answers' types are what the typed client returns (openapi-fetch makes the schema's [low, base,
 * high] tuples plain arrays in answers), so each comes from the call that fetches it.
 */
const api = {
  questionnaire: () => unwrap(staffApi.GET('/admin/strategy/questionnaire')),
  measures: () => unwrap(staffApi.GET('/admin/strategy/measures')),
  assessment: (id: string) =>
    unwrap(staffApi.GET('/admin/strategy/assessments/{id}', { params: { path: { id } } })),
  assessments: (query: ListQuery) =>
    unwrap(staffApi.GET('/admin/strategy/assessments', { params: { query } })),
  compare: (id: string, other: string | undefined) =>
    unwrap(
      staffApi.GET('/admin/strategy/assessments/{id}/compare', {
        params: { path: { id }, query: other ? { with: other } : {} },
      }),
    ),
  weights: () => unwrap(staffApi.GET('/admin/strategy/weights')),
  weightsHistory: () => unwrap(staffApi.GET('/admin/strategy/weights/history')),
};
export const strategyApi = api;
type Answer<K extends keyof typeof api> = Awaited<ReturnType<(typeof api)[K]>>;

export type Questionnaire = Answer<'questionnaire'>;
export type Answers = Body<paths['/admin/strategy/questionnaire']['put']>;
export type MeasuresNow = Answer<'measures'>;
export type Assessment = Answer<'assessment'>;
export type Measure = Assessment['measures'][number];
export type MeasureKey = Measure['key'];
export type Result = Assessment['result'];
export type Strategy = Result['recommendation']['strategy'];
export type Phrase = Result['recommendation']['name'];
export type Contribution = Result['contributions'][number];
export type Sensitivity = Result['sensitivity'][number];
export type Projection = Result['projections'][number];
export type YearFigures = Projection['years'][number];
export type Action = Result['actions'][number];
export type AssessmentPage = Answer<'assessments'>;
export type Summary = AssessmentPage['data'][number];
export type Comparison = Answer<'compare'>;
export type WeightsNow = Answer<'weights'>;
export type Weights = WeightsNow['weights'];
export type WeightsBody = Body<paths['/admin/strategy/weights']['put']>;
export type WeightsHistory = Answer<'weightsHistory'>;

/** Every strategy, in the order the screens show them. */
export const STRATEGIES: readonly Strategy[] = ['omnichannel', 'multichannel', 'hybrid'];

export const strategyKeys = {
  all: ['strategy'] as const,
  questionnaire: ['strategy', 'questionnaire'] as const,
  measures: ['strategy', 'measures'] as const,
  list: (after: string | undefined) => ['strategy', 'assessments', after ?? null] as const,
  latest: ['strategy', 'assessments', 'latest'] as const,
  one: (id: string) => ['strategy', 'assessment', id] as const,
  compare: (from: string, to: string) => ['strategy', 'compare', from, to] as const,
  weights: ['strategy', 'weights'] as const,
  weightsHistory: ['strategy', 'weights', 'history'] as const,
};

export const useQuestionnaire = () =>
  useQuery({ queryKey: strategyKeys.questionnaire, queryFn: api.questionnaire });

/** What Plaza measures now (each measure with its value, status and method). */
export const useMeasuresNow = () =>
  useQuery({
    queryKey: strategyKeys.measures,
    queryFn: api.measures,
    staleTime: 60_000,
  });

export const useAssessment = (id: string) =>
  useQuery({
    queryKey: strategyKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/strategy/assessments/{id}', { params: { path: { id } } })),
    enabled: id !== '',
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The newest assessment's summary (undefined when there is none yet). */
export const useLatestSummary = () =>
  useQuery({
    queryKey: strategyKeys.latest,
    queryFn: async () => (await api.assessments({ limit: 1 })).data[0] ?? null,
  });

/** The API's address of an assessment (its JSON) and of its PDF report. */
export const assessmentUrl = (id: string): string => `/admin/strategy/assessments/${encodeURIComponent(id)}`;
export const reportUrl = (id: string): string => `${assessmentUrl(id)}/report.pdf`;

/** The console path an accepted action leads to: its screen with the prefill as query parameters. */
export const prefillPath = (screen: string, prefill: Action['prefill']): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(prefill)) q.set(k, String(v));
  const query = q.toString();
  if (!query) return screen;
  return `${screen}${screen.includes('?') ? '&' : '?'}${query}`;
};
