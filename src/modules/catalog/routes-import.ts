import { Type } from '@sinclair/typebox';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  cursorId,
  encodeCursor,
  Id,
  IdParams,
  Nullable,
  Obj,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { getImportJob, type ImportJobRow, listImportJobs, startImportJob } from './import-jobs.ts';
import { security, tags } from './routes-products.ts';

/** Files up to this size are accepted by the API (the CLI has no limit). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const ImportError = Obj({
  line: Type.Integer({ description: 'Line of the file (1 is the header)' }),
  handle: Type.String(),
  sku: Type.Optional(Type.String()),
  message: Type.String(),
});

export const ProductImport = Obj(
  {
    id: Id('imp'),
    status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    filename: Nullable(Type.String()),
    rows: Type.Integer({ description: 'Data rows in the file (known once it is parsed)' }),
    rows_done: Type.Integer({ description: 'Rows processed so far' }),
    products_created: Type.Integer(),
    products_updated: Type.Integer(),
    variants_created: Type.Integer(),
    variants_updated: Type.Integer(),
    prices_changed: Type.Integer(),
    errors: Type.Array(ImportError, { description: 'Refused rows, by line; the other rows were imported' }),
    failure: Nullable(Type.String()),
    created_at: Timestamp,
    finished_at: Nullable(Timestamp),
  },
  { $id: 'ProductImport' },
);

const toApi = (r: ImportJobRow) => ({
  id: r.id,
  status: r.status,
  filename: r.filename,
  rows: r.rows,
  rows_done: r.rows_done,
  products_created: r.counts.products_created ?? 0,
  products_updated: r.counts.products_updated ?? 0,
  variants_created: r.counts.variants_created ?? 0,
  variants_updated: r.counts.variants_updated ?? 0,
  prices_changed: r.counts.prices_changed ?? 0,
  errors: r.errors,
  failure: r.failure,
  created_at: r.created_at.toISOString(),
  finished_at: r.finished_at?.toISOString() ?? null,
});

export const importRoutes = (app: HttpApp, deps: Deps): void => {
  app.register(async (child) => {
    const csv = child as HttpApp;
    // The bytes travel as a latin1 string (one char per byte) so the body schema can say "string";
    // the route turns them back into the exact bytes, and the import reports lines that are not UTF-8.
    csv.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
      (_req, body, done) => done(null, (body as Buffer).toString('latin1')),
    );
    csv.post(
      '/products/imports',
      {
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          operationId: 'startAdminProductImport',
          tags,
          security,
          summary:
            'Import products from a CSV file (the format of docs/catalog.md); answers at once, poll its progress',
          description:
            'The body is the CSV file itself (`content-type: text/csv`, UTF-8, at most 50 MB). The import runs in ' +
            'the background; `GET /admin/products/imports/{id}` tells its progress and, once finished, every ' +
            'refused row with its line number (the other rows are imported).',
          querystring: Obj({ filename: Type.Optional(Str({ max: 200 })) }),
          body: { type: 'string', description: 'The CSV file', maxLength: MAX_IMPORT_BYTES },
          consumes: ['text/csv'],
          response: { 202: ProductImport },
        },
      },
      async (req, reply) => {
        const bytes = Buffer.from(String(req.body), 'latin1');
        if (bytes.length === 0) {
          throw new PlazaError('VALIDATION_FAILED', 'The body must be the CSV file, sent as text/csv', {
            errors: [{ path: 'body', message: 'is empty' }],
          });
        }
        const { job } = await startImportJob(deps, bytes, {
          filename: req.query.filename,
          createdBy: req.admin?.tokenId,
        });
        reply.code(202).header('location', `/admin/products/imports/${job.id}`);
        return toApi(job);
      },
    );
  });

  app.get(
    '/products/imports/:id',
    {
      schema: {
        operationId: 'getAdminProductImport',
        tags,
        security,
        summary: 'Progress and result of a product import',
        params: IdParams('imp'),
        response: { 200: ProductImport },
        problems: ['NOT_FOUND'],
      },
    },
    async (req) => {
      const job = await getImportJob(deps, req.params.id);
      if (!job) throw new PlazaError('NOT_FOUND', `Import ${req.params.id} not found`);
      return toApi(job);
    },
  );

  app.get(
    '/products/imports',
    {
      schema: {
        operationId: 'listAdminProductImports',
        tags,
        security,
        summary: 'Recent product imports, newest first',
        querystring: Obj(PageQuery),
        response: { 200: Obj({ data: Type.Array(ProductImport), next_cursor: Nullable(Type.String()) }) },
      },
    },
    async (req) => {
      const before = cursorId(req.query.cursor);
      const rows = await listImportJobs(deps, { ...(before ? { before } : {}), limit: req.query.limit + 1 });
      const page = rows.slice(0, req.query.limit);
      return {
        data: page.map(toApi),
        next_cursor:
          rows.length > req.query.limit && page.length > 0 ? encodeCursor([page.at(-1)?.id ?? '']) : null,
      };
    },
  );
};
