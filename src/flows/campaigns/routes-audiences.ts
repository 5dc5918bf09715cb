/**
 * /admin/audience-lists: customer lists uploaded as a campaign's audience, as JSON rows or as a CSV
 * file (`content-type: text/csv`, a header naming customer_id, email and/or phone). Rows are matched
 * to customers at once; refused rows are reported by line number and reason, never by their values.
 */
import { type Static, Type } from '@sinclair/typebox';
import { decodeUtf8, parseCsv } from '../../modules/catalog/index.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  cursorId,
  IdParams,
  List,
  Name,
  Obj,
  Page,
  PageQuery,
  Str,
  Timestamp,
  toPage,
} from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import {
  type AudienceListRow,
  createAudienceList,
  getAudienceList,
  type ListRowInput,
  listAudienceLists,
} from './audiences.ts';

const tags = ['campaigns'];
const security = [{ adminToken: [] }];
/** Largest CSV upload (about a million rows of e-mail addresses). */
export const MAX_LIST_BYTES = 40 * 1024 * 1024;
const MAX_JSON_ROWS = 100_000;

const JsonRow = Obj({
  customer_id: Type.Optional(Str({ max: 40 })),
  email: Type.Optional(Str({ max: 254 })),
  phone: Type.Optional(Str({ max: 40 })),
});
const JsonList = Obj(
  { name: Name(200), rows: List(JsonRow, { min: 1, max: MAX_JSON_ROWS }) },
  { $id: 'AudienceListCreate' },
);
const CsvFile = Type.String({ description: 'The CSV file (text/csv)', maxLength: MAX_LIST_BYTES });

export const AudienceList = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    rows_total: Type.Integer(),
    rows_matched: Type.Integer({ description: 'Distinct customers matched (the list’s members)' }),
    refusals: Type.Array(
      Type.Object({
        line: Type.Integer({ description: 'CSV line (header = 1), or JSON row number from 1' }),
        reason: Type.String({
          description: 'no_identifier, invalid_email, invalid_phone, not_found, duplicate, invalid_encoding',
        }),
      }),
    ),
    created_at: Timestamp,
  },
  { $id: 'AudienceList' },
);

const toApi = (r: AudienceListRow): Static<typeof AudienceList> => ({
  id: r.id,
  name: r.name,
  rows_total: r.rows_total,
  rows_matched: r.rows_matched,
  refusals: r.refusals,
  created_at: r.created_at.toISOString(),
});

const COLUMNS = ['customer_id', 'email', 'phone'] as const;

/** CSV rows with the line of each record; lines that are not UTF-8 come back as refusals. */
const csvRows = (text: string): { rows: ListRowInput[]; badLines: number[] } => {
  const { text: decoded, badLines } = decodeUtf8(Buffer.from(text, 'latin1'));
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(decoded);
  } catch (e) {
    throw validation('The CSV cannot be read', [{ path: 'body', message: (e as Error).message }]);
  }
  const [header, ...data] = records;
  const names = (header?.fields ?? []).map((f) => f.trim().toLowerCase());
  const at = Object.fromEntries(COLUMNS.map((c) => [c, names.indexOf(c)]));
  if (COLUMNS.every((c) => at[c] === -1))
    throw validation('The CSV needs a header row naming customer_id, email or phone', [
      { path: 'body', message: 'no customer_id, email or phone column in the first line' },
    ]);
  const bad = new Set(badLines);
  const rows = data
    .filter((r) => !bad.has(r.line))
    .map((r) => {
      const row: ListRowInput = { line: r.line };
      for (const c of COLUMNS) {
        const i = at[c] ?? -1;
        if (i >= 0 && r.fields[i]) row[c] = r.fields[i];
      }
      return row;
    });
  return { rows, badLines: data.filter((r) => bad.has(r.line)).map((r) => r.line) };
};

export const audienceListRoutes = (app: HttpApp, deps: Deps): void => {
  app.register(async (child) => {
    const csv = child as HttpApp;
    // CSV bytes travel as a latin1 string (one char per byte); the handler decodes them as UTF-8.
    csv.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'buffer', bodyLimit: MAX_LIST_BYTES },
      (_req, body, done) => done(null, (body as Buffer).toString('latin1')),
    );
    csv.post(
      '/audience-lists',
      {
        bodyLimit: MAX_LIST_BYTES,
        schema: {
          operationId: 'createAudienceList',
          tags,
          security,
          summary: 'Upload a customer list (JSON rows, or a CSV file with ?name=) matched to customers',
          description:
            'JSON: `{ name, rows: [{ customer_id | email | phone }] }`. CSV (`content-type: text/csv`, UTF-8): a ' +
            'header row naming `customer_id`, `email` and/or `phone`, the name in `?name=`. Each row is matched by ' +
            'its customer id, else e-mail, else phone (read in PLAZA_COUNTRY without a country code); merged ' +
            'customers count as their surviving profile; erased customers are not found.',
          querystring: Obj({ name: Type.Optional(Name(200)) }),
          body: Type.Union([JsonList, CsvFile]),
          consumes: ['application/json', 'text/csv'],
          response: { 201: AudienceList },
        },
      },
      async (req, reply) => {
        const isCsv = /^(text|application)\/csv\b/i.test(req.headers['content-type'] ?? '');
        let name: string;
        let rows: ListRowInput[];
        const refusals: { line: number; reason: 'invalid_encoding' }[] = [];
        if (typeof req.body === 'string') {
          if (!isCsv)
            throw validation('The body must be a JSON object or a CSV file', [
              { path: 'body', message: 'is a string' },
            ]);
          if (!req.query.name)
            throw validation('A CSV upload names its list in ?name=', [
              { path: 'querystring.name', message: 'is required' },
            ]);
          name = req.query.name;
          const parsed = csvRows(req.body);
          rows = parsed.rows;
          refusals.push(...parsed.badLines.map((line) => ({ line, reason: 'invalid_encoding' as const })));
        } else {
          name = req.body.name;
          rows = req.body.rows.map((r, i) => ({ ...r, line: i + 1 }));
        }
        if (rows.length + refusals.length === 0)
          throw new PlazaError('VALIDATION_FAILED', 'The list has no rows', {
            errors: [{ path: 'body', message: 'has no rows' }],
          });
        const list = await deps.db.tx((tx) =>
          createAudienceList(tx, {
            name,
            rows,
            country: deps.config.defaultCountry,
            now: deps.clock.now(),
            extraRefusals: refusals,
          }),
        );
        return reply.code(201).send(toApi(list));
      },
    );
  });

  app.get(
    '/audience-lists',
    {
      schema: {
        operationId: 'listAudienceLists',
        tags,
        security,
        summary: 'Uploaded customer lists, newest first',
        querystring: Obj({ ...PageQuery }),
        response: { 200: Page(AudienceList) },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      return toPage(
        await listAudienceLists(deps.db, { before: cursorId(cursor), limit: limit + 1 }),
        limit,
        toApi,
      );
    },
  );

  app.get(
    '/audience-lists/:id',
    {
      schema: {
        operationId: 'getAudienceList',
        tags,
        security,
        summary: 'One customer list with its refused lines',
        params: IdParams('aul'),
        response: { 200: AudienceList },
      },
    },
    async (req) => {
      const l = await getAudienceList(deps.db, req.params.id);
      if (!l) throw notFound('Audience list', req.params.id);
      return toApi(l);
    },
  );
};
