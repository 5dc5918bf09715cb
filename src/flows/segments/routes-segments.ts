/**
 * /admin/segments: segments (a name and a rule tree, docs/segments.md), the preview of a tree before
 * it is saved, and the members (a page, or every one as CSV). Membership itself is materialised by
 * membership.ts: a segment is evaluated when it is created and when its rules change.
 */
import { Readable } from 'node:stream';
import { csvLine } from '../../modules/catalog/index.ts';
import type { Db } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, encodeCursor, Page } from '../../platform/http/schemas.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { previewRules } from './compile-preview.ts';
import { evaluateSegment } from './membership.ts';
import * as repo from './routes-segments-repo.ts';
import {
  CreateSegmentBody,
  Member,
  MembersQuery,
  Preview,
  PreviewBody,
  Segment,
  SegmentParams,
  SegmentsQuery,
  UpdateSegmentBody,
} from './routes-segments-schema.ts';
import { assertRules } from './rules.ts';

const tags = ['segments'];
const security = [{ adminToken: [] }];

const memberToApi = (r: repo.MemberRow) => ({
  customer_id: r.customer_id,
  name: repo.fullName(r),
  email: r.email,
  entered_at: r.entered_at.toISOString(),
});

/** Every member as CSV lines, a page at a time (memory stays flat whatever the segment's size). */
async function* membersCsv(db: Db, segmentId: string): AsyncGenerator<string> {
  yield csvLine(['customer_id', 'email', 'phone', 'first_name', 'last_name', 'entered_at']);
  let after: string | undefined;
  for (;;) {
    const rows = await repo.membersPage(db, segmentId, { after, limit: 1000 });
    if (!rows.length) return;
    yield rows
      .map((r) =>
        csvLine([r.customer_id, r.email, r.phone, r.first_name, r.last_name, r.entered_at.toISOString()]),
      )
      .join('');
    after = rows.at(-1)?.customer_id;
  }
}

export const segmentRoutes = (app: HttpApp, deps: Deps): void => {
  const live = async (id: string) => {
    const s = await repo.getSegment(deps.db, id);
    if (!s) throw notFound('Segment', id);
    return s;
  };
  /** Full evaluation after a change of rules (the segment's members, entered/exited events, size). */
  const evaluate = async (id: string) => {
    await evaluateSegment(deps.db, id, { clock: deps.clock });
    return repo.segmentToApi(await live(id));
  };

  app.post(
    '/segments',
    {
      schema: {
        operationId: 'createSegment',
        tags,
        security,
        problems: ['ALREADY_EXISTS'],
        summary: 'Create a segment; its members are evaluated at once (docs/segments.md)',
        body: CreateSegmentBody,
        response: { 201: Segment },
      },
    },
    async (req, reply) => {
      const now = deps.clock.now();
      assertRules(req.body.rules, now);
      const row = await deps.db.tx((tx) =>
        repo.insertSegment(tx, {
          id: newId('seg'),
          name: req.body.name,
          description: req.body.description ?? null,
          rules: req.body.rules,
          refresh_minutes: req.body.refresh_minutes ?? 60,
          created_at: now,
        }),
      );
      return reply.code(201).send(await evaluate(row.id));
    },
  );

  app.get(
    '/segments',
    {
      schema: {
        operationId: 'listSegments',
        tags,
        security,
        summary: 'Segments by id (the live ones, or the archived ones with `archived=true`)',
        querystring: SegmentsQuery,
        response: { 200: Page(Segment) },
      },
    },
    async (req) => {
      const { limit, cursor, archived } = req.query;
      const rows = await repo.listSegments(deps.db, { archived, after: cursorId(cursor), limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(repo.segmentToApi),
        next_cursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
      };
    },
  );

  app.post(
    '/segments/preview',
    {
      schema: {
        operationId: 'previewSegment',
        tags,
        security,
        problems: ['UNPROCESSABLE'],
        summary: 'How many customers a rule tree matches now, with a sample of 20 (nothing is saved)',
        body: PreviewBody,
        response: { 200: Preview },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      assertRules(req.body.rules, now);
      const r = await previewRules(deps.db, req.body.rules, now);
      return {
        count: r.count,
        sample: r.sample.map((c) => ({ id: c.id, name: repo.fullName(c), email: c.email })),
      };
    },
  );

  app.get(
    '/segments/:id',
    {
      schema: {
        operationId: 'getSegment',
        tags,
        security,
        summary: 'One segment',
        params: SegmentParams,
        response: { 200: Segment },
      },
    },
    async (req) => repo.segmentToApi(await live(req.params.id)),
  );

  app.patch(
    '/segments/:id',
    {
      schema: {
        operationId: 'updateSegment',
        tags,
        security,
        problems: ['ALREADY_EXISTS'],
        summary: 'Change a live segment; new rules are evaluated at once (members enter and exit)',
        params: SegmentParams,
        body: UpdateSegmentBody,
        response: { 200: Segment },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      if (req.body.rules) assertRules(req.body.rules, now);
      const id = req.params.id;
      await deps.db.tx(async (tx) => {
        const s = await repo.getSegment(tx, id, true);
        if (!s) throw notFound('Segment', id);
        if (s.archived_at) throw new PlazaError('CONFLICT', 'An archived segment cannot change', { id });
        await repo.updateSegment(tx, id, req.body, now);
      });
      return req.body.rules ? evaluate(id) : repo.segmentToApi(await live(id));
    },
  );

  app.post(
    '/segments/:id/archive',
    {
      schema: {
        operationId: 'archiveSegment',
        tags,
        security,
        summary: 'Archive a segment: it is no longer evaluated and its name is free again (idempotent)',
        params: SegmentParams,
        response: { 200: Segment },
      },
    },
    async (req) => {
      const id = req.params.id;
      await live(id);
      return repo.segmentToApi(await deps.db.tx((tx) => repo.archiveSegment(tx, id, deps.clock.now())));
    },
  );

  app.get(
    '/segments/:id/members',
    {
      schema: {
        operationId: 'listSegmentMembers',
        tags,
        security,
        summary: 'Members of a segment with the time they entered, by customer id',
        params: SegmentParams,
        querystring: MembersQuery,
        response: { 200: Page(Member) },
      },
    },
    async (req) => {
      await live(req.params.id);
      const { limit, cursor } = req.query;
      const rows = await repo.membersPage(deps.db, req.params.id, {
        after: cursorId(cursor),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(memberToApi),
        next_cursor: rows.length > limit && last ? encodeCursor([last.customer_id]) : null,
      };
    },
  );

  app.get(
    '/segments/:id/members.csv',
    {
      schema: {
        operationId: 'exportSegmentMembers',
        tags,
        security,
        summary: 'Every member of a segment as CSV (streamed; cells a spreadsheet would run are escaped)',
        params: SegmentParams,
        produces: ['text/csv'],
        response: {
          200: {
            description:
              'CSV (RFC 4180, UTF-8): customer_id, email, phone, first_name, last_name, entered_at',
            content: { 'text/csv': { schema: { type: 'string', maxLength: 1_000_000_000 } } },
          },
        },
      },
    },
    async (req, reply) => {
      const s = await live(req.params.id);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="segment-${s.id}.csv"`);
      return reply.send(Readable.from(membersCsv(deps.db, s.id)));
    },
  );
};
