import { Readable } from 'node:stream';
import type { HttpApp } from '../../platform/http/app.ts';
import type { Deps } from '../../platform/module.ts';
import { exportProductsCsv } from './export.ts';
import { security, tags } from './routes-products.ts';
import { ExportQuery } from './schema.ts';

export const exportRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/products/export',
    {
      schema: {
        operationId: 'exportAdminProducts',
        tags,
        security,
        summary: 'Export products as CSV, one row per variant (streamed; the format import reads back)',
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: {
          200: {
            description: 'CSV (RFC 4180, UTF-8); columns in docs/catalog.md',
            content: { 'text/csv': { schema: { type: 'string', maxLength: 1_000_000_000 } } },
          },
        },
      },
    },
    async (req, reply) => {
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="products.csv"');
      return reply.send(
        Readable.from(
          exportProductsCsv(deps.db, { status: req.query.status, channelId: req.query.channel_id }),
        ),
      );
    },
  );
};
