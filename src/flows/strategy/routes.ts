/** /admin/strategy: the questionnaire, the measures, assessments (JSON and PDF), actions and weights. */
import { defaultWeights } from '../../modules/strategy/model/index.ts';
import {
  currentWeights,
  getAnswers,
  getAssessment,
  listAssessments,
  recordAcceptance,
  saveAnswers,
  saveWeights,
  weightsHistory,
} from '../../modules/strategy/repo.ts';
import { Answers } from '../../modules/strategy/schema.ts';
import { notFound, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { checkAnswers, checkWeights } from './check.ts';
import { assessmentPdf } from './pdf.ts';
import {
  AcceptBody,
  Accepted,
  AnswersView,
  Assessment,
  AssessmentSummary,
  CompareQuery,
  Comparison,
  ListAssessmentsQuery,
  MeasuresQuery,
  MeasuresView,
  WeightsBody,
  WeightsHistory,
  WeightsView,
} from './schema.ts';
import { compare, mainCurrency, measuresNow, runAssessment, summaryOf } from './service.ts';

const tags = ['strategy'];
const security = [{ adminToken: [] }];

export const strategyRoutes = (app: HttpApp, deps: Deps): void => {
  const found = async (id: string) => {
    const a = await getAssessment(deps.db, id);
    if (!a) throw notFound('Assessment', id);
    return a;
  };

  app.get(
    '/strategy/questionnaire',
    {
      schema: {
        operationId: 'getStrategyQuestionnaire',
        tags,
        security,
        summary: "The retailer's answers to the strategy questionnaire (null until answered)",
        response: { 200: AnswersView },
      },
    },
    async () => (await getAnswers(deps.db)) ?? { answers: null, updated_at: null },
  );

  app.put(
    '/strategy/questionnaire',
    {
      schema: {
        operationId: 'putStrategyQuestionnaire',
        tags,
        security,
        summary: 'Answer (or change) the strategy questionnaire: what only the retailer knows',
        body: Answers,
        problems: ['VALIDATION_FAILED'],
        response: { 200: AnswersView },
      },
    },
    async (req) => {
      checkAnswers(req.body);
      const actor = requireAdmin(req).tokenId;
      return deps.db.tx((tx) => saveAnswers(tx, req.body, actor, deps.clock.now()));
    },
  );

  app.get(
    '/strategy/measures',
    {
      schema: {
        operationId: 'getStrategyMeasures',
        tags,
        security,
        summary: "The shop's own figures the advisor uses, measured now, each with how it was computed",
        description:
          'Money is in `currency`: by default the questionnaire’s, else the currency most channels sell in.',
        querystring: MeasuresQuery,
        response: { 200: MeasuresView },
      },
    },
    async (req) => {
      const currency =
        req.query.currency ?? (await getAnswers(deps.db))?.answers.currency ?? (await mainCurrency(deps.db));
      return { currency, measures: currency ? await measuresNow(deps, currency) : [] };
    },
  );

  app.post(
    '/strategy/assessments',
    {
      schema: {
        operationId: 'createStrategyAssessment',
        tags,
        security,
        summary: 'Assess now: the recommendation, its factors, sensitivity, projections and next actions',
        body: { type: 'object', additionalProperties: false, properties: {} },
        problems: ['STRATEGY_NO_ANSWERS'],
        response: { 201: Assessment },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await runAssessment(deps, 'manual', requireAdmin(req).tokenId)),
  );

  app.get(
    '/strategy/assessments',
    {
      schema: {
        operationId: 'listStrategyAssessments',
        tags,
        security,
        summary: 'Assessments kept, newest first, flagged where the recommendation changed',
        querystring: ListAssessmentsQuery,
        response: { 200: Page(AssessmentSummary) },
      },
    },
    async (req) =>
      toPage(
        await listAssessments(deps.db, req.query.limit + 1, cursorId(req.query.cursor)),
        req.query.limit,
        summaryOf,
      ),
  );

  app.get(
    '/strategy/assessments/:id',
    {
      schema: {
        operationId: 'getStrategyAssessment',
        tags,
        security,
        summary:
          'One assessment with its inputs (answers, measures, weights version) and its result: the JSON export',
        params: IdParams('sta'),
        problems: ['NOT_FOUND'],
        response: { 200: Assessment },
      },
    },
    async (req) => found(req.params.id),
  );

  app.get(
    '/strategy/assessments/:id/compare',
    {
      schema: {
        operationId: 'compareStrategyAssessments',
        tags,
        security,
        summary: 'This assessment against another (by default the one before it): scores, factors, inputs',
        params: IdParams('sta'),
        querystring: CompareQuery,
        problems: ['NOT_FOUND', 'VALIDATION_FAILED'],
        response: { 200: Comparison },
      },
    },
    async (req) => {
      const to = await found(req.params.id);
      const otherId = req.query.with ?? to.previous_id;
      if (!otherId)
        throw validation('This is the first assessment: give `with` to compare it with a later one', [
          { path: 'query.with', message: 'is required for the first assessment' },
        ]);
      return compare(await found(otherId), to);
    },
  );

  app.get(
    '/strategy/assessments/:id/report.pdf',
    {
      schema: {
        operationId: 'getStrategyAssessmentPdf',
        tags,
        security,
        summary: 'The assessment as a PDF report: recommendation, factors, sensitivity, projections, actions',
        params: IdParams('sta'),
        problems: ['NOT_FOUND'],
        produces: ['application/pdf'],
        response: {
          200: {
            description: 'PDF',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    async (req, reply) => {
      const a = await found(req.params.id);
      const pdf = await assessmentPdf(a);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="strategy-${a.id}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/strategy/actions/accept',
    {
      schema: {
        operationId: 'acceptStrategyAction',
        tags,
        security,
        summary:
          'Accept a next action: recorded, and answered with the console screen that does it, prefilled',
        body: AcceptBody,
        problems: ['NOT_FOUND', 'VALIDATION_FAILED'],
        response: { 200: Accepted },
      },
    },
    async (req) => {
      const a = await found(req.body.assessment_id);
      const action = a.result.actions.find((x) => x.key === req.body.action_key);
      if (!action)
        throw validation(`The assessment proposes no action ${req.body.action_key}`, [
          { path: 'body.action_key', message: 'is not one of the assessment’s actions' },
        ]);
      await recordAcceptance(deps.db, a.id, action.key, requireAdmin(req).tokenId, deps.clock.now());
      return { screen: action.screen, prefill: action.prefill };
    },
  );

  app.get(
    '/strategy/weights',
    {
      schema: {
        operationId: 'getStrategyWeights',
        tags,
        security,
        summary:
          "The scoring model's weights in force (data: each factor's direction and weight per strategy)",
        response: { 200: WeightsView },
      },
    },
    async () => currentWeights(deps.db, defaultWeights, deps.clock.now()),
  );

  app.put(
    '/strategy/weights',
    {
      schema: {
        operationId: 'putStrategyWeights',
        tags,
        security,
        summary: 'Change the weights: a new version, recorded with who and why',
        body: WeightsBody,
        problems: ['VALIDATION_FAILED'],
        response: { 200: WeightsView },
      },
    },
    async (req) => {
      checkWeights(req.body.weights);
      const actor = requireAdmin(req).tokenId;
      return deps.db.tx((tx) => saveWeights(tx, req.body.weights, req.body.reason, actor, deps.clock.now()));
    },
  );

  app.get(
    '/strategy/weights/history',
    {
      schema: {
        operationId: 'listStrategyWeightsHistory',
        tags,
        security,
        summary: 'Every version of the weights, newest first, with who changed them and why',
        response: { 200: WeightsHistory },
      },
    },
    async () => ({ data: await weightsHistory(deps.db) }),
  );
};
