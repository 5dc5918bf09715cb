import { Type } from '@sinclair/typebox';
import { getCustomer } from '../../modules/customers/index.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { actorOf, requireAdmin } from '../../platform/http/auth.ts';
import { Id, IdParams, Nullable, Obj, Str } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { getMerge, mergesOf, mergeToApi, movesOf } from './audit.ts';
import { mergeCustomers } from './merge.ts';
import { planMerge, planToApi } from './plan.ts';
import { undoMerge } from './undo.ts';

const tags = ['customers: merge'];
const security = [{ adminToken: [] }];
const Pair = Obj({ survivor_id: Id('cus'), merged_id: Id('cus') });
const Ids = Type.Array(Type.String());
const Preview = Type.Object({
  survivor_id: Type.String(),
  merged_id: Type.String(),
  identities: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      value: Type.String(),
      primary_after: Type.Boolean(),
    }),
  ),
  orders: Ids,
  carts: Type.Array(
    Type.Object({ id: Type.String(), status: Type.String(), parked_into: Nullable(Type.String()) }),
  ),
  points: Type.Object({ entries: Type.Integer(), balance: Type.Integer() }),
  consents: Ids,
  addresses: Type.Array(Type.Object({ id: Type.String(), default_after: Type.Boolean() })),
  sessions_ended: Type.Integer(),
  devices: { ...Ids, description: 'Push endpoints (app and browser devices) that move to the survivor' },
  profile_filled: Type.Record(Type.String(), Type.String()),
});
const Merge = Type.Object({
  id: Type.String(),
  survivor_id: Type.String(),
  merged_id: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  created_by: Type.String(),
  created_at: Type.String(),
  undone_by: Nullable(Type.String()),
  undone_at: Nullable(Type.String()),
  undo_report: Nullable(Type.Record(Type.String(), Type.Unknown())),
  moved: Type.Optional(Type.Record(Type.String(), Ids)),
});

export const mergeRoutes = (app: HttpApp, deps: Deps): void => {
  const full = async (id: string) => {
    const m = await getMerge(deps.db, id);
    if (!m) throw notFound('Merge', id);
    return mergeToApi(m, await movesOf(deps.db, id));
  };

  app.post(
    '/customers/merge/preview',
    {
      schema: {
        operationId: 'previewAdminCustomerMerge',
        tags,
        security,
        summary: 'What merging two duplicate profiles would move (nothing is changed)',
        body: Pair,
        response: { 200: Preview },
      },
    },
    async (req) => {
      const [survivor, merged] = await Promise.all([
        getCustomer(deps.db, req.body.survivor_id),
        getCustomer(deps.db, req.body.merged_id),
      ]);
      if (!survivor || survivor.status === 'erased') throw notFound('Customer', req.body.survivor_id);
      if (!merged || merged.status === 'erased') throw notFound('Customer', req.body.merged_id);
      return planToApi(await planMerge(deps.db, survivor, merged, deps.clock.now()));
    },
  );

  app.post(
    '/customers/merge',
    {
      schema: {
        operationId: 'mergeAdminCustomers',
        problems: ['UNPROCESSABLE'],
        tags,
        security,
        summary: 'Merge a duplicate profile into another (admins only; never automatic); undoable',
        description:
          "The merged profile's identities, orders, carts, points, consents and addresses move to the survivor; " +
          'its sessions end; the audit lists every row moved.',
        body: Obj({ ...Pair.properties, reason: Type.Optional(Str({ min: 1, max: 500 })) }),
        response: { 201: Merge },
      },
    },
    async (req, reply) => {
      const by = actorOf(requireAdmin(req));
      const id = unwrap(
        await deps.db.tx(
          (tx) =>
            mergeCustomers(tx, deps, {
              survivorId: req.body.survivor_id,
              mergedId: req.body.merged_id,
              by,
              reason: req.body.reason,
            }),
          { retries: 2 },
        ),
      );
      return reply.code(201).send(await full(id));
    },
  );

  app.get(
    '/customers/merges/:id',
    {
      schema: {
        operationId: 'getAdminCustomerMerge',
        tags,
        security,
        summary: 'A merge: who, when, why, and exactly which rows moved',
        params: IdParams('mrg'),
        response: { 200: Merge },
      },
    },
    async (req) => full(req.params.id),
  );

  app.post(
    '/customers/merges/:id/undo',
    {
      schema: {
        operationId: 'undoAdminCustomerMerge',
        tags,
        security,
        summary: 'Undo a merge: both profiles as they were; later changes are handled and reported',
        params: IdParams('mrg'),
        body: Type.Optional(Obj({})),
        response: { 200: Merge },
      },
    },
    async (req) => {
      const by = actorOf(requireAdmin(req));
      unwrap(await deps.db.tx((tx) => undoMerge(tx, deps, req.params.id, by), { retries: 2 }));
      return full(req.params.id);
    },
  );

  app.get(
    '/customers/:id/merges',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminCustomerMerges',
        tags,
        security,
        summary: 'Merges a customer took part in, newest first',
        params: IdParams('cus'),
        response: { 200: Type.Object({ data: Type.Array(Merge) }) },
      },
    },
    async (req) => ({ data: (await mergesOf(deps.db, req.params.id)).map((m) => mergeToApi(m)) }),
  );
};
