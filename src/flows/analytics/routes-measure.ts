/** /admin/analytics: attribution, campaign and medium performance, campaign costs (docs/analytics.md). */
import { Type } from '@sinclair/typebox';
import { DateTime } from 'luxon';
import { notFound, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { IdParams, Obj, Str } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { attributionReport, MODELS } from './attribution-report.ts';
import {
  addCost,
  type CampaignPerformance,
  campaignNames,
  campaignPerformance,
  deleteCost,
  listCosts,
} from './campaigns-report.ts';
import { customerValue, type Group } from './customers.ts';
import { toCsv } from './export.ts';
import { freshness } from './rollup.ts';
import { jsonOrCsv, security, sendCsv, tags } from './routes.ts';
import {
  AttributionQuery,
  AttributionReport,
  CampaignsQuery,
  CampaignsReport,
  Cost,
  CostBody,
  CustomerValue,
  CustomerValueQuery,
} from './schema-measure.ts';
import { analyticsSettings, period } from './settings.ts';
import { buyerCurrencies, readCustomerSnapshot } from './snapshot.ts';

type FlatCampaign = Record<string, string | number | null>;
const flatCampaign = (r: CampaignPerformance): FlatCampaign => ({
  campaign_id: r.campaign_id,
  name: r.name,
  medium: r.medium,
  currency: r.currency,
  ...Object.fromEntries(Object.entries(r.funnel)),
  variants: r.variants.map((v) => `${v.variant}:${v.sent}/${v.converted}`).join(' ') || null,
  attributed_conversions: r.attributed.conversions,
  attributed_revenue: r.attributed.revenue,
  cost: r.cost,
  cost_per_order: r.cost_per_order,
  roas: r.roas,
  roi: r.roi,
  lift_points: r.lift ? r.lift.rate_lift.estimate : null,
  lift_verdict: r.lift ? r.lift.verdict.code : null,
});

const GROUP_FIGURES = [
  'customers',
  'orders_per_customer',
  'aov',
  'revenue_per_customer',
  'revenue_3m',
  'revenue_6m',
  'revenue_12m',
  'retention_1m',
  'retention_3m',
  'predicted_12m',
  'probability_alive',
];
const flatGroup = (g: Group): Record<string, string | number | null> => {
  const { retention, ...rest } = g;
  return { ...rest, retention_1m: retention[1] ?? null, retention_3m: retention[3] ?? null };
};

export const measureRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/analytics/attribution',
    {
      schema: {
        operationId: 'getAdminAttribution',
        tags,
        security,
        summary: 'Sales credited to media or campaigns by six attribution models side by side',
        description:
          'First touch, last touch, linear, position-based (40/20/40), time decay (half-life in the settings) ' +
          'and data-driven (Markov chain removal effect), over the touches online and in store in the lookback ' +
          'window before each sale. `format=csv` exports a line per key, currency and model. See docs/analytics.md.',
        querystring: AttributionQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: jsonOrCsv(AttributionReport) },
      },
    },
    async (req, reply) => {
      const settings = await analyticsSettings(deps.db);
      const { from, to } = period(req.query, deps.clock.now(), settings.time_zone);
      const report = await attributionReport(deps.db, { from, to, by: req.query.by });
      const names = await campaignNames(
        deps.db,
        report.rows.map((r) => r.key),
      );
      const rows = report.rows.map((r) => ({
        ...r,
        name: req.query.by === 'campaign' ? (names.get(r.key) ?? null) : null,
      }));
      if (req.query.format === 'csv') {
        const lines = rows.flatMap((r) =>
          MODELS.map((m) => ({ key: r.key, currency: r.currency, model: m, ...r.credits[m] })),
        );
        // credited sales are not people: a row is small when it stands for fewer sales than the cell size
        return sendCsv(
          reply,
          `attribution-${from}-${to}`,
          toCsv(
            lines,
            {
              keys: ['key', 'currency', 'model'],
              figures: ['conversions', 'revenue'],
              people: (l) => l.conversions,
            },
            settings.min_cell_size,
          ),
        );
      }
      return {
        from,
        to,
        time_zone: settings.time_zone,
        by: req.query.by,
        lookback_days: settings.lookback_days,
        half_life_hours: settings.half_life_hours,
        models: [...MODELS],
        freshness: await freshness(deps.db),
        ...report,
        rows,
      };
    },
  );

  app.get(
    '/analytics/campaigns',
    {
      schema: {
        operationId: 'getAdminCampaignPerformance',
        tags,
        security,
        summary:
          'Campaign and medium performance: funnel, attributed sales, costs, cost per order, ROAS, ROI, lift',
        description:
          "The funnel is the campaign's own rollups since it began; attributed sales (by `model`) and costs are " +
          "the period's. `lift` compares recipients with the holdout (95 % confidence intervals and a verdict). " +
          'See docs/analytics.md.',
        querystring: CampaignsQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: jsonOrCsv(CampaignsReport) },
      },
    },
    async (req, reply) => {
      const settings = await analyticsSettings(deps.db);
      const { from, to } = period(req.query, deps.clock.now(), settings.time_zone);
      const rows = await campaignPerformance(deps.db, {
        from,
        to,
        model: req.query.model,
        campaignId: req.query.campaign_id,
      });
      if (req.query.format === 'csv') {
        const flat = rows.map(flatCampaign);
        const figures = Object.keys(flat[0] ?? {}).filter(
          (k) => !['campaign_id', 'name', 'medium', 'currency'].includes(k),
        );
        return sendCsv(
          reply,
          `campaigns-${from}-${to}`,
          toCsv(
            flat,
            {
              keys: ['campaign_id', 'name', 'medium', 'currency'],
              figures,
              people: (r) => Number(r.sent ?? 0),
            },
            settings.min_cell_size,
          ),
        );
      }
      return { from, to, model: req.query.model, freshness: await freshness(deps.db), rows };
    },
  );

  app.get(
    '/analytics/customers',
    {
      schema: {
        operationId: 'getAdminCustomerValue',
        tags,
        security,
        summary:
          'What customers are worth by first channel and by channel mix (online, store, both), with CLV',
        description:
          'Purchase frequency, AOV, revenue per customer at 3/6/12 months, retention by month, historical and ' +
          'predicted value (BG/NBD with Gamma-Gamma fitted on these customers), RFM groups. One currency at a ' +
          "time. Today's figures without a segment come from a snapshot a job keeps within about a minute of the " +
          'rollups (`computed_at`); other days and segments are computed for the request. `format=csv` exports ' +
          'the groups. See docs/analytics.md.',
        querystring: CustomerValueQuery,
        problems: ['NOT_FOUND'],
        produces: ['application/json', 'text/csv'],
        response: { 200: jsonOrCsv(CustomerValue) },
      },
    },
    async (req, reply) => {
      const settings = await analyticsSettings(deps.db);
      const { to } = period({ to: req.query.to }, deps.clock.now(), settings.time_zone);
      const today = period({}, deps.clock.now(), settings.time_zone).to;
      const currencies = await buyerCurrencies(deps.db);
      const currency = req.query.currency?.toUpperCase() ?? currencies[0] ?? 'USD';
      const segmentId = req.query.segment_id;
      if (segmentId) {
        const found = await deps.db.query('SELECT 1 FROM segments WHERE id = $1', [segmentId]);
        if (found.rows.length === 0) throw notFound('Segment', segmentId);
      }
      // today's figures for everyone come from the job's snapshot; other days and segments are computed now
      const kept = !segmentId && to === today ? await readCustomerSnapshot(deps.db, currency, to) : null;
      const report = kept?.report ?? (await customerValue(deps.db, { currency, asOf: to, segmentId }));
      const computedAt = kept?.computed_at ?? null;
      if (req.query.format === 'csv') {
        const rows: Record<string, string | number | null>[] = [
          ...report.by_mix.map((g) => ({ ...flatGroup(g), grouping: 'mix' })),
          ...report.by_first_channel.map((g) => ({ ...flatGroup(g), grouping: 'first_channel' })),
        ];
        return sendCsv(
          reply,
          `customers-${to}`,
          toCsv(
            rows,
            {
              keys: ['grouping', 'key'],
              figures: GROUP_FIGURES,
              people: (r) => Number(r.customers),
            },
            settings.min_cell_size,
          ),
        );
      }
      return {
        to,
        currency,
        currencies,
        freshness: await freshness(deps.db),
        computed_at: computedAt?.toISOString() ?? null,
        ...report,
      };
    },
  );

  app.get(
    '/analytics/costs',
    {
      schema: {
        operationId: 'listAdminCampaignCosts',
        tags,
        security,
        summary: 'Costs entered for campaigns, newest first',
        querystring: Obj({ campaign_id: Type.Optional(Str({ min: 1, max: 200 })) }),
        response: { 200: Type.Object({ data: Type.Array(Cost) }) },
      },
    },
    async (req) => ({
      data: (await listCosts(deps.db, req.query.campaign_id)).map((c) => ({
        ...c,
        created_at: c.created_at.toISOString(),
      })),
    }),
  );

  app.post(
    '/analytics/costs',
    {
      schema: {
        operationId: 'addAdminCampaignCost',
        tags,
        security,
        summary: 'Enter a cost of a campaign and medium: a print run, SMS, ad spend, discounts given …',
        body: CostBody,
        problems: ['VALIDATION_FAILED', 'NOT_FOUND'],
        response: { 201: Cost },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (!DateTime.fromISO(b.incurred_on, { zone: 'UTC' }).isValid)
        throw validation('incurred_on is not a date', [
          { path: 'body.incurred_on', message: 'is not a date' },
        ]);
      if (b.campaign_id.startsWith('utm:') && b.campaign_id.slice(4).trim() === '')
        throw validation('an ad campaign needs its UTM name after utm:', [
          { path: 'body.campaign_id', message: 'has no name after utm:' },
        ]);
      if (!b.campaign_id.startsWith('utm:')) {
        const found = await deps.db.query('SELECT 1 FROM campaigns WHERE id = $1', [b.campaign_id]);
        if (found.rows.length === 0) throw notFound('Campaign', b.campaign_id);
      }
      const row = await addCost(deps.db, { ...b, currency: b.currency.toUpperCase() }, deps.clock.now());
      reply.code(201);
      return { ...row, created_at: row.created_at.toISOString() };
    },
  );

  app.delete(
    '/analytics/costs/:id',
    {
      schema: {
        operationId: 'deleteAdminCampaignCost',
        tags,
        security,
        summary: 'Delete a cost entered by mistake',
        params: IdParams('cst'),
        problems: ['NOT_FOUND'],
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      if (!(await deleteCost(deps.db, req.params.id))) throw notFound('Cost', req.params.id);
      return reply.code(204).send(null);
    },
  );
};
