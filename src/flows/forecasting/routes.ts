/** /admin/forecasts: the forecasts per SKU × location, one series with its history, runs, settings. */
import { Type } from '@sinclair/typebox';
import { isTimezone } from '../../modules/locations/validate.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { setSetting } from '../../platform/settings.ts';
import { listForecasts, readSeries } from './reads.ts';
import { RUN_CHANNEL, RUN_REQUESTED_SETTING, runForecasts } from './run.ts';
import {
  ForecastSettingsBody,
  ForecastSettingsView,
  ForecastSummary,
  ListForecastsQuery,
  Run,
  RunBody,
  RunRequested,
  Series,
  SeriesQuery,
} from './schema.ts';
import { type ForecastSettings, forecastSettings, SETTING_KEYS } from './settings.ts';

export const tags = ['forecasting'];
export const security = [{ adminToken: [] }];

interface RunRow {
  id: string;
  scope: 'all' | 'sku';
  sku: string | null;
  status: 'running' | 'completed' | 'failed';
  first_day: string;
  horizon: number;
  series: number;
  summary: Record<string, unknown>;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
}
const RUN_COLS = `id, scope, sku, status, to_char(first_day, 'YYYY-MM-DD') AS first_day, horizon, series, summary,
  error, started_at, finished_at, duration_ms`;
const runToApi = (r: RunRow) => ({
  ...r,
  started_at: r.started_at.toISOString(),
  finished_at: r.finished_at?.toISOString() ?? null,
});

export const settingsToApi = (s: ForecastSettings) => ({
  horizon_days: s.horizon,
  reconciliation: s.reconciliation,
  time_zone: s.timeZone,
  service_level: s.serviceLevel,
  review_days: s.reviewDays,
  transfer_lead_days: s.transferLeadDays,
  risk_days: s.riskDays,
  dismiss_days: s.dismissDays,
});

const API_KEYS = {
  horizon_days: SETTING_KEYS.horizon,
  reconciliation: SETTING_KEYS.reconciliation,
  time_zone: SETTING_KEYS.timeZone,
  service_level: SETTING_KEYS.serviceLevel,
  review_days: SETTING_KEYS.reviewDays,
  transfer_lead_days: SETTING_KEYS.transferLeadDays,
  risk_days: SETTING_KEYS.riskDays,
  dismiss_days: SETTING_KEYS.dismissDays,
} as const;

const updateSettings = async (tx: Tx, body: Record<string, unknown>) => {
  const tz = body.time_zone;
  if (typeof tz === 'string' && !isTimezone(tz))
    throw validation('time_zone is not an IANA time zone', [
      { path: 'body.time_zone', message: 'is not an IANA time zone' },
    ]);
  for (const [k, key] of Object.entries(API_KEYS)) {
    const v = body[k];
    if (v === undefined) continue;
    if (v === null) await tx.query('DELETE FROM plaza_settings WHERE key = $1', [key]);
    else await setSetting(tx, key, v);
  }
  return settingsToApi(await forecastSettings(tx));
};

export const forecastRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/forecasts',
    {
      schema: {
        operationId: 'listAdminForecasts',
        tags,
        security,
        summary:
          'The latest forecast of every SKU × location: chosen model, backtest error, total over the horizon',
        querystring: ListForecastsQuery,
        response: { 200: Page(ForecastSummary) },
      },
    },
    async (req) => listForecasts(deps.db, req.query),
  );

  app.get(
    '/forecasts/series',
    {
      schema: {
        operationId: 'getAdminForecastSeries',
        tags,
        security,
        summary:
          'One series: daily history (stock-out days marked) and the forecast with 80 % and 95 % intervals',
        description:
          '`sku` and `location_id`: one series; `sku` alone: the SKU over every location (the locations add up to it); ' +
          '`location_id` alone: every SKU at the location (means add up; the intervals are summed, an upper bound).',
        querystring: SeriesQuery,
        problems: ['VALIDATION_FAILED', 'NOT_FOUND'],
        response: { 200: Series },
      },
    },
    async (req) => {
      const { sku, location_id, history_days } = req.query;
      if (!sku && !location_id)
        throw validation('Give sku, location_id or both', [
          { path: 'query.sku', message: 'sku or location_id is required' },
        ]);
      const s = await readSeries(deps.db, sku, location_id, history_days);
      if (!s) throw notFound('Forecast', [sku, location_id].filter(Boolean).join(' at '));
      return s;
    },
  );

  app.post(
    '/forecasts/runs',
    {
      schema: {
        operationId: 'createAdminForecastRun',
        tags,
        security,
        summary: 'Forecast one SKU now (201, the run), or ask the worker for a run over everything (202)',
        body: RunBody,
        problems: ['NOT_FOUND', 'CONFLICT'],
        response: { 201: Run, 202: RunRequested },
      },
    },
    async (req, reply) => {
      const sku = req.body.sku;
      if (!sku) {
        const at = deps.clock.now();
        await deps.db.tx(async (tx) => {
          await setSetting(tx, RUN_REQUESTED_SETTING, at.toISOString());
          await tx.query('SELECT pg_notify($1, $2)', [RUN_CHANNEL, at.toISOString()]);
        });
        return reply.code(202).send({
          requested_at: at.toISOString(),
          message:
            'The worker starts a run over every series within a minute; follow it in GET /admin/forecasts/runs',
        });
      }
      const known = await deps.db.query(
        'SELECT 1 FROM inventory_levels WHERE sku = $1 UNION ALL SELECT 1 FROM demand_days WHERE sku = $1 LIMIT 1',
        [sku],
      );
      if (known.rowCount === 0) throw notFound('Stock or demand of SKU', sku);
      const r = await runForecasts(deps, { sku });
      if (!r) throw new PlazaError('CONFLICT', 'A run for this SKU is already in progress');
      const row = (await deps.db.query<RunRow>(`SELECT ${RUN_COLS} FROM forecast_runs WHERE id = $1`, [r.id]))
        .rows[0];
      return reply.code(201).send(runToApi(row as RunRow));
    },
  );

  app.get(
    '/forecasts/runs',
    {
      schema: {
        operationId: 'listAdminForecastRuns',
        tags,
        security,
        summary:
          'Forecasting runs, newest first, with the models chosen and the backtest error against seasonal naive',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: Page(Run) },
      },
    },
    async (req) => {
      const after = cursorId(req.query.cursor);
      const rows = (
        await deps.db.query<RunRow>(
          `SELECT ${RUN_COLS} FROM forecast_runs WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
          [after ?? null, req.query.limit + 1],
        )
      ).rows;
      return toPage(rows, req.query.limit, runToApi);
    },
  );

  app.get(
    '/forecasts/runs/:id',
    {
      schema: {
        operationId: 'getAdminForecastRun',
        tags,
        security,
        summary: 'One forecasting run',
        params: IdParams('fcr'),
        problems: ['NOT_FOUND'],
        response: { 200: Run },
      },
    },
    async (req) => {
      const row = (
        await deps.db.query<RunRow>(`SELECT ${RUN_COLS} FROM forecast_runs WHERE id = $1`, [req.params.id])
      ).rows[0];
      if (!row) throw notFound('Forecast run', req.params.id);
      return runToApi(row);
    },
  );

  app.get(
    '/forecasts/settings',
    {
      schema: {
        operationId: 'getAdminForecastSettings',
        tags,
        security,
        summary: 'Forecast horizon, reconciliation, time zone and the replenishment defaults',
        response: { 200: ForecastSettingsView },
      },
    },
    async () => settingsToApi(await forecastSettings(deps.db)),
  );

  app.patch(
    '/forecasts/settings',
    {
      schema: {
        operationId: 'updateAdminForecastSettings',
        tags,
        security,
        summary:
          'Change forecasting and replenishment settings (null: back to the default); used from the next run',
        body: ForecastSettingsBody,
        problems: ['VALIDATION_FAILED'],
        response: { 200: ForecastSettingsView },
      },
    },
    async (req) => deps.db.tx((tx) => updateSettings(tx, req.body)),
  );
};
