import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { actorOf, requireAdmin, requireCustomer } from '../../platform/http/auth.ts';
import {
  CurrencyCode,
  cursorId,
  encodeCursor,
  IdParams,
  Nullable,
  Obj,
  PageQuery,
  Str,
} from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { getCustomer } from '../customers/index.ts';
import * as repo from './repo.ts';
import { entryToApi, moveStoreCredit } from './service.ts';

const Entry = Type.Object({
  id: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  balance_after: Type.Integer(),
  kind: Type.String(),
  reference: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
  actor: Type.String(),
  created_at: Type.String(),
});

export const StoreCredit = Type.Object(
  {
    customer_id: Type.String(),
    balances: Type.Array(Type.Object({ currency: Type.String(), balance: Type.Integer() })),
    entries: Type.Array(Entry),
    next_cursor: Nullable(Type.String()),
  },
  { $id: 'StoreCredit' },
);

const AdjustmentBody = Obj({
  amount: Type.Integer({
    minimum: -1_000_000_000,
    maximum: 1_000_000_000,
    not: { const: 0 },
    description: 'Minor units to add (> 0) or remove (< 0); the balance never goes below zero',
  }),
  currency: CurrencyCode,
  reason: Str({ min: 1, max: 500 }),
});

const view = async (deps: Deps, customerId: string, q: { limit: number; cursor?: string }) => {
  const rows = await repo.entriesOf(deps.db, customerId, { before: cursorId(q.cursor), limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    customer_id: customerId,
    balances: await repo.balancesOf(deps.db, customerId),
    entries: page.map(entryToApi),
    next_cursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
  };
};

export const storeCreditAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['store credit'];
  const security = [{ adminToken: [] }];
  app.get(
    '/customers/:id/store-credit',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminCustomerStoreCredit',
        tags,
        security,
        summary: "A customer's store-credit balances and ledger (newest first)",
        params: IdParams('cus'),
        querystring: Obj({ ...PageQuery }),
        response: { 200: StoreCredit },
      },
    },
    async (req) => {
      if (!(await getCustomer(deps.db, req.params.id))) throw notFound('Customer', req.params.id);
      return view(deps, req.params.id, req.query);
    },
  );

  app.post(
    '/customers/:id/store-credit/adjustments',
    {
      schema: {
        operationId: 'adjustAdminCustomerStoreCredit',
        problems: ['PAYMENT_DECLINED'],
        tags,
        security,
        summary: 'Add or remove store credit by hand (admin only); refused below zero',
        params: IdParams('cus'),
        body: AdjustmentBody,
        response: { 201: StoreCredit },
      },
    },
    async (req, reply) => {
      const admin = requireAdmin(req);
      await deps.db.tx(async (tx) => {
        if (!(await getCustomer(tx, req.params.id))) throw notFound('Customer', req.params.id);
        unwrap(
          await moveStoreCredit(tx, deps, {
            customerId: req.params.id,
            currency: req.body.currency,
            amount: req.body.amount,
            kind: 'adjustment',
            reference: null,
            actor: actorOf(admin),
            data: { reason: req.body.reason },
          }),
        );
      });
      return reply.code(201).send(await view(deps, req.params.id, { limit: 50 }));
    },
  );
};

export const storeCreditStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/store-credit',
    {
      config: { customer: true },
      schema: {
        operationId: 'getCurrentCustomerStoreCredit',
        tags: ['store: customers'],
        security: [{ channelKey: [], customerToken: [] }],
        summary: "The logged-in customer's store credit",
        querystring: Obj({ ...PageQuery }),
        response: { 200: StoreCredit },
      },
    },
    async (req) => view(deps, requireCustomer(req).customerId, req.query),
  );
};
