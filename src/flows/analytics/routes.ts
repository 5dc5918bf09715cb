/** /admin/analytics: reports, settings and exchange rates (docs/analytics.md). */
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { type ChannelRow, channelReport } from './channels.ts';
import { toCsv } from './export.ts';
import { checkRates, listRates, MAX_RATES, parseRatesCsv, saveRates } from './fx.ts';
import { freshness } from './rollup.ts';
import {
  AnalyticsSettings,
  AnalyticsSettingsPatch,
  ChannelQuery,
  ChannelReport,
  Rate,
  RatesBody,
  RatesQuery,
} from './schema.ts';
import { analyticsSettings, period, updateAnalyticsSettings } from './settings.ts';

export const tags = ['analytics'];
export const security = [{ adminToken: [] }];
/** A 200 answer that is JSON, or CSV with `format=csv`. */
export const jsonOrCsv = (schema: TSchema) => ({
  description: 'The report (JSON), or its rows as CSV (RFC 4180, UTF-8) with format=csv',
  content: {
    'application/json': { schema },
    'text/csv': { schema: { type: 'string', maxLength: 100_000_000 } },
  },
});

/** Sends a CSV answer as a download. */
export const sendCsv = (reply: FastifyReply, name: string, body: string) =>
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(body);

const CHANNEL_CSV = {
  keys: ['channel_id', 'location_id', 'currency'] as const,
  figures: [
    'orders',
    'guest_orders',
    'units',
    'gross',
    'discounts',
    'refunds',
    'refunded',
    'net',
    'aov',
    'net_report',
    'customers',
    'customers_new',
    'customers_returning',
    'orders_returning',
    'click_collect_orders',
    'click_collect_share',
    'cross_channel_orders',
    'cancelled',
    'cancelled_total',
    'sessions',
    'conversion_rate',
  ] as const,
  people: (r: ChannelRow) => r.customers + r.guest_orders,
};

export const analyticsRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/analytics/channels',
    {
      schema: {
        operationId: 'getAdminChannelPerformance',
        tags,
        security,
        summary:
          'Channel and store performance over a period: sales, customers, click & collect, returns, pickups',
        description:
          'Read from daily rollups kept within seconds of the orders (`freshness` says how many days wait for ' +
          'a rebuild). Days are local dates of the analytics time zone (`GET /admin/analytics/settings`). ' +
          'Money per currency in minor units; `report_currency` adds the net converted with the daily rates ' +
          '(`PUT /admin/analytics/rates`). `format=csv` exports the rows. See docs/analytics.md.',
        querystring: ChannelQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: jsonOrCsv(ChannelReport) },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const settings = await analyticsSettings(deps.db);
      const { from, to } = period(q, deps.clock.now(), settings.time_zone);
      const report = await channelReport(deps.db, {
        from,
        to,
        channelIds: q.channel_id ? [q.channel_id] : undefined,
        locationIds: q.location_id ? [q.location_id] : undefined,
        byLocation: q.group_by === 'location',
        reportCurrency: q.report_currency,
      });
      if (q.format === 'csv')
        return sendCsv(
          reply,
          `channels-${from}-${to}`,
          toCsv(report.rows, CHANNEL_CSV, settings.min_cell_size),
        );
      return {
        from,
        to,
        time_zone: settings.time_zone,
        group_by: q.group_by,
        channel_id: q.channel_id ?? null,
        location_id: q.location_id ?? null,
        report_currency: q.report_currency ?? null,
        ...report,
        freshness: await freshness(deps.db),
      };
    },
  );

  app.get(
    '/analytics/settings',
    {
      schema: {
        operationId: 'getAdminAnalyticsSettings',
        tags,
        security,
        summary: 'The time zone of the reports and the minimum cell size of exports',
        response: { 200: AnalyticsSettings },
      },
    },
    async () => analyticsSettings(deps.db),
  );

  app.patch(
    '/analytics/settings',
    {
      schema: {
        operationId: 'updateAdminAnalyticsSettings',
        tags,
        security,
        summary: 'Change the time zone (every day is rebuilt in the background) or the minimum cell size',
        body: AnalyticsSettingsPatch,
        problems: ['VALIDATION_FAILED'],
        response: { 200: AnalyticsSettings },
      },
    },
    async (req) => deps.db.tx((tx) => updateAnalyticsSettings(tx, req.body, deps.clock.now())),
  );

  app.get(
    '/analytics/rates',
    {
      schema: {
        operationId: 'listAdminExchangeRates',
        tags,
        security,
        summary: 'Daily exchange rates into report currencies, newest first per pair',
        querystring: RatesQuery,
        response: { 200: Type.Object({ data: Type.Array(Rate) }) },
      },
    },
    async (req) => ({
      data: await listRates(deps.db, {
        reportCurrency: req.query.report_currency,
        currency: req.query.currency,
        from: req.query.from,
        to: req.query.to,
        limit: req.query.limit,
      }),
    }),
  );

  app.put(
    '/analytics/rates',
    {
      schema: {
        operationId: 'putAdminExchangeRates',
        tags,
        security,
        summary: 'Enter daily exchange rates (a rate of the same day and pair is replaced)',
        body: RatesBody,
        problems: ['VALIDATION_FAILED'],
        response: { 200: Obj({ saved: Type.Integer({ minimum: 0 }) }) },
      },
    },
    async (req) => {
      const rates = req.body.rates;
      checkRates(rates, (i) => `body.rates[${i}]`);
      return { saved: await saveRates(deps.db, rates, deps.clock.now()) };
    },
  );

  app.register(async (child) => {
    const csv = child as HttpApp;
    csv.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'string', bodyLimit: 2_000_000 },
      (_r, body, done) => done(null, body),
    );
    csv.post(
      '/analytics/rates/import',
      {
        bodyLimit: 2_000_000,
        schema: {
          operationId: 'importAdminExchangeRates',
          tags,
          security,
          summary: `Import daily exchange rates from CSV: header day,currency,report_currency,rate (at most ${MAX_RATES} lines)`,
          description:
            'All or nothing: a file with an invalid line is refused with every problem and its line number.',
          body: { type: 'string', description: 'The CSV file', maxLength: 2_000_000 },
          consumes: ['text/csv'],
          problems: ['VALIDATION_FAILED'],
          response: { 200: Obj({ saved: Type.Integer({ minimum: 0 }) }) },
        },
      },
      async (req) => {
        const text = String(req.body);
        if (text.trim().length === 0)
          throw new PlazaError('VALIDATION_FAILED', 'The body must be the CSV file, sent as text/csv', {
            errors: [{ path: 'body', message: 'is empty' }],
          });
        return { saved: await saveRates(deps.db, parseRatesCsv(text), deps.clock.now()) };
      },
    );
  });
};
