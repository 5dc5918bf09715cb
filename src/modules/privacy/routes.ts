import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { actorOf, requireAdmin, requireChannel, requireCustomer } from '../../platform/http/auth.ts';
import {
  cursorId,
  Id,
  IdParams,
  Name,
  Nullable,
  Obj,
  Page,
  PageQuery,
  Str,
  toPage,
} from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { ExportDocument } from './export-schema.ts';
import * as repo from './repo.ts';
import { closeRequest, downloadExport, fileRequest } from './service.ts';

export const RequestKindSchema = Type.Union(repo.REQUEST_KINDS.map((k) => Type.Literal(k)));
export const PrivacyRequest = Type.Object(
  {
    id: Type.String(),
    customer_id: Type.String(),
    kind: Type.String(),
    status: Type.String(),
    source: Type.String(),
    channel_id: Nullable(Type.String()),
    note: Nullable(Type.String()),
    received_at: Type.String(),
    due_at: Type.String({ description: 'Statutory deadline: 30 days after receipt' }),
    overdue: Type.Boolean(),
    completed_at: Nullable(Type.String()),
    processed_by: Nullable(Type.String()),
    rejection_reason: Nullable(Type.String()),
    export_expires_at: Nullable(
      Type.String({ description: 'An export document is downloadable until then' }),
    ),
    balance_decision: Nullable(
      Type.String({
        description: 'Erasure: what was decided about store credit and points (refund, forfeit, wait)',
      }),
    ),
  },
  { $id: 'PrivacyRequest' },
);

const FileBody = Obj({ kind: RequestKindSchema, note: Type.Optional(Str({ min: 1, max: 2000 })) });

export const privacyRoutes = {
  store(app: HttpApp, deps: Deps): void {
    const tags = ['store: privacy'];
    const me = [{ channelKey: [], customerToken: [] }];
    const now = () => deps.clock.now();

    app.post(
      '/customers/me/requests',
      {
        config: { customer: true },
        schema: {
          operationId: 'createStorePrivacyRequest',
          tags,
          security: me,
          summary: 'File a data request: export my data, restrict or stop restricting its use, erase me',
          body: FileBody,
          response: { 201: PrivacyRequest },
        },
      },
      async (req, reply) => {
        const id = requireCustomer(req).customerId;
        const row = unwrap(
          await deps.db.tx((tx) =>
            fileRequest(tx, deps, {
              customerId: id,
              kind: req.body.kind,
              source: 'customer',
              channelId: requireChannel(req).channelId,
              note: req.body.note,
              by: `customer:${id}`,
            }),
          ),
        );
        return reply.code(201).send(repo.requestToApi(row, now()));
      },
    );

    app.get(
      '/customers/me/requests',
      {
        config: { customer: true },
        schema: {
          operationId: 'listStorePrivacyRequests',
          tags,
          security: me,
          summary: 'My data requests and where they stand',
          querystring: Obj(PageQuery),
          response: { 200: Page(PrivacyRequest) },
        },
      },
      async (req) => {
        const rows = await repo.listRequests(deps.db, {
          customerId: requireCustomer(req).customerId,
          before: cursorId(req.query.cursor),
          limit: req.query.limit + 1,
        });
        return toPage(rows, req.query.limit, (r) => repo.requestToApi(r, now()));
      },
    );

    app.get(
      '/customers/me/requests/:id/export',
      {
        config: { customer: true },
        schema: {
          operationId: 'getStorePrivacyRequestExport',
          problems: ['EXPORT_EXPIRED'],
          tags,
          security: me,
          summary: 'Download the result of a completed export request (machine-readable JSON)',
          params: IdParams('dsr'),
          response: { 200: ExportDocument },
        },
      },
      async (req) => {
        const customerId = requireCustomer(req).customerId;
        return deps.db.tx(async (tx) => {
          const r = await repo.getRequest(tx, req.params.id);
          if (!r || r.customer_id !== customerId || r.kind !== 'export')
            throw notFound('Request', req.params.id);
          return downloadExport(tx, deps, r, 'customer');
        });
      },
    );
  },

  admin(app: HttpApp, deps: Deps): void {
    const tags = ['privacy'];
    const security = [{ adminToken: [] }];
    const now = () => deps.clock.now();

    app.get(
      '/privacy/requests',
      {
        schema: {
          operationId: 'listAdminPrivacyRequests',
          tags,
          security,
          summary: 'Data requests, newest first; `overdue=true` lists open ones past their deadline',
          querystring: Obj({
            ...PageQuery,
            status: Type.Optional(
              Type.Union([Type.Literal('received'), Type.Literal('completed'), Type.Literal('rejected')]),
            ),
            kind: Type.Optional(RequestKindSchema),
            customer_id: Type.Optional(Id('cus')),
            overdue: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Page(PrivacyRequest) },
        },
      },
      async (req) => {
        const q = req.query;
        const rows = await repo.listRequests(deps.db, {
          customerId: q.customer_id,
          status: q.status,
          kind: q.kind,
          overdueAt: q.overdue ? now() : undefined,
          before: cursorId(q.cursor),
          limit: q.limit + 1,
        });
        return toPage(rows, q.limit, (r) => repo.requestToApi(r, now()));
      },
    );

    app.post(
      '/privacy/requests',
      {
        schema: {
          operationId: 'createAdminPrivacyRequest',
          problems: ['ALREADY_EXISTS'],
          tags,
          security,
          summary: 'Record a request received another way (letter, phone, in store)',
          body: Obj({ ...FileBody.properties, customer_id: Id('cus') }),
          response: { 201: PrivacyRequest },
        },
      },
      async (req, reply) => {
        const by = actorOf(requireAdmin(req));
        const row = unwrap(
          await deps.db.tx((tx) =>
            fileRequest(tx, deps, {
              customerId: req.body.customer_id,
              kind: req.body.kind,
              source: 'admin',
              note: req.body.note,
              by,
            }),
          ),
        );
        return reply.code(201).send(repo.requestToApi(row, now()));
      },
    );

    app.get(
      '/privacy/requests/:id',
      {
        schema: {
          operationId: 'getAdminPrivacyRequest',
          tags,
          security,
          summary: 'A data request',
          params: IdParams('dsr'),
          response: { 200: PrivacyRequest },
        },
      },
      async (req) => {
        const r = await repo.getRequest(deps.db, req.params.id);
        if (!r) throw notFound('Request', req.params.id);
        return repo.requestToApi(r, now());
      },
    );

    app.get(
      '/privacy/requests/:id/export',
      {
        schema: {
          operationId: 'getAdminPrivacyRequestExport',
          problems: ['EXPORT_EXPIRED'],
          tags,
          security,
          summary: 'The export document of a completed export request',
          params: IdParams('dsr'),
          response: { 200: ExportDocument },
        },
      },
      async (req) => {
        const by = actorOf(requireAdmin(req));
        return deps.db.tx(async (tx) => {
          const r = await repo.getRequest(tx, req.params.id);
          if (r?.kind !== 'export') throw notFound('Export', req.params.id);
          return downloadExport(tx, deps, r, by);
        });
      },
    );

    app.post(
      '/privacy/requests/:id/reject',
      {
        schema: {
          operationId: 'rejectAdminPrivacyRequest',
          tags,
          security,
          summary: 'Refuse a request, with the reason given to the person',
          params: IdParams('dsr'),
          body: Obj({ reason: Name(2000) }),
          response: { 200: PrivacyRequest },
        },
      },
      async (req) => {
        const by = actorOf(requireAdmin(req));
        const row = await deps.db.tx((tx) =>
          closeRequest(tx, deps, req.params.id, { status: 'rejected', by, reason: req.body.reason }),
        );
        return repo.requestToApi(row, now());
      },
    );
  },
};
