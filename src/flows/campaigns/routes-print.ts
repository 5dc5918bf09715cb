/**
 * /admin/campaigns/:id/print-runs: print runs of a campaign with the print medium (print.ts), their PDF
 * for the printer and the address list as CSV.
 */
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../platform/http/app.ts';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { campaignFacts } from './offers-ledger.ts';
import { createPrintRun, getPrintRun, type PrintRunRow } from './print.ts';
import { newPrintDocument, PRINT_CSV_HEADER, printCsv, writePrintPdf } from './print-pdf.ts';

const tags = ['campaigns'];
const security = [{ adminToken: [] }];

export const PrintRun = Type.Object(
  {
    id: Type.String(),
    campaign_id: Type.String(),
    per: Type.Union([Type.Literal('recipient'), Type.Literal('batch')]),
    recipients: Type.Integer({
      description: 'Recipients printed (those without an address are skipped no_address)',
    }),
    batch_size: Nullable(Type.Integer()),
    created_at: Timestamp,
    pdf_url: Type.String(),
    csv_url: Type.String(),
  },
  { $id: 'PrintRun' },
);

const toApi = (r: PrintRunRow) => ({
  ...r,
  created_at: r.created_at.toISOString(),
  pdf_url: `/admin/campaigns/${r.campaign_id}/print-runs/${r.id}/pdf`,
  csv_url: `/admin/campaigns/${r.campaign_id}/print-runs/${r.id}/csv`,
});

const RunParams = Obj({ id: Id('cmp'), run: Id('prn') });

export const printRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/campaigns/:id/print-runs',
    {
      schema: {
        operationId: 'createPrintRun',
        tags,
        security,
        problems: ['NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE'],
        summary: "Print the campaign's planned print recipients: offer codes per recipient or per batch",
        description:
          'Every planned print row becomes printed (sent, a `printed` touch) or skipped (no_address, or what the ' +
          "gate says at print time). per=recipient: each recipient's personal offer code; per=batch: one code per " +
          'batch_size recipients, redeemable batch_size times.',
        params: Obj({ id: Id('cmp') }),
        body: Obj({
          per: Type.Union([Type.Literal('recipient'), Type.Literal('batch')]),
          batch_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        }),
        response: { 201: PrintRun },
      },
    },
    async (req, reply) => {
      const run = await createPrintRun(deps, req.params.id, {
        per: req.body.per,
        batchSize: req.body.batch_size,
      });
      return reply.code(201).send(toApi(run));
    },
  );

  app.get(
    '/campaigns/:id/print-runs',
    {
      schema: {
        operationId: 'listPrintRuns',
        tags,
        security,
        summary: "A campaign's print runs, newest first",
        params: Obj({ id: Id('cmp') }),
        response: { 200: Type.Object({ data: Type.Array(PrintRun) }) },
      },
    },
    async (req) => ({
      data: (
        await deps.db.query<PrintRunRow>(
          `SELECT id, campaign_id, per, recipients, batch_size, created_at FROM print_runs WHERE campaign_id = $1
           ORDER BY id DESC`,
          [req.params.id],
        )
      ).rows.map(toApi),
    }),
  );

  app.get(
    '/campaigns/:id/print-runs/:run/pdf',
    {
      schema: {
        operationId: 'getPrintRunPdf',
        tags,
        security,
        problems: ['NOT_FOUND'],
        summary:
          'The PDF for the printer: one page per recipient (or per batch) with the code and its QR code',
        params: RunParams,
        produces: ['application/pdf'],
        response: {
          200: {
            description: 'PDF (streamed)',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    async (req, reply) => {
      const run = await getPrintRun(deps.db, req.params.id, req.params.run);
      const c = await campaignFacts(deps.db, run.campaign_id);
      if (!c) throw new Error(`print run ${run.id} lost its campaign`);
      const doc = newPrintDocument(c, run);
      void writePrintPdf(deps, c, run, doc);
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${run.id}.pdf"`);
      return reply.send(doc);
    },
  );

  app.get(
    '/campaigns/:id/print-runs/:run/csv',
    {
      schema: {
        operationId: 'getPrintRunCsv',
        tags,
        security,
        problems: ['NOT_FOUND'],
        summary: 'The address list for the printer (CSV; cells a spreadsheet would run are escaped)',
        params: RunParams,
        produces: ['text/csv'],
        response: {
          200: {
            description: `CSV (RFC 4180, UTF-8): ${PRINT_CSV_HEADER.join(', ')}`,
            content: { 'text/csv': { schema: { type: 'string', maxLength: 1_000_000_000 } } },
          },
        },
      },
    },
    async (req, reply) => {
      const run = await getPrintRun(deps.db, req.params.id, req.params.run);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${run.id}.csv"`);
      return reply.send(Readable.from(printCsv(deps.db, run)));
    },
  );
};
