/**
 * /store/stock-watches: a logged-in customer asks to be told when a variant is back in stock at a
 * store (the back-in-stock journey, docs/campaigns.md).
 */
import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireCustomer } from '../../platform/http/auth.ts';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { deleteWatch, watchesOf, watchStock, watchToApi } from './stock-watch.ts';

const tags = ['store: journeys'];
const me = [{ channelKey: [], customerToken: [] }];

const StockWatch = Type.Object(
  {
    id: Type.String(),
    variant_id: Type.String(),
    location_id: Type.String(),
    created_at: Timestamp,
    notified_at: Nullable(Timestamp),
  },
  { $id: 'StockWatch' },
);

export const stockWatchStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/stock-watches',
    {
      config: { customer: true },
      schema: {
        operationId: 'createStockWatch',
        tags,
        security: me,
        problems: ['NOT_FOUND'],
        summary: 'Tell me when this variant is back in stock at this store (once; asking again re-arms it)',
        body: Obj({ variant_id: Id('var'), location_id: Id('loc') }, { $id: 'StockWatchCreate' }),
        response: { 200: StockWatch, 201: StockWatch },
      },
    },
    async (req, reply) => {
      const customerId = requireCustomer(req).customerId;
      const r = await deps.db.tx((tx) =>
        watchStock(tx, deps.clock.now(), {
          customerId,
          variantId: req.body.variant_id,
          locationId: req.body.location_id,
        }),
      );
      return reply.code(r.created ? 201 : 200).send(watchToApi(r.watch));
    },
  );

  app.get(
    '/stock-watches',
    {
      config: { customer: true },
      schema: {
        operationId: 'listStockWatches',
        tags,
        security: me,
        summary: 'My back-in-stock requests',
        response: { 200: Type.Object({ data: Type.Array(StockWatch) }) },
      },
    },
    async (req) => ({ data: (await watchesOf(deps.db, requireCustomer(req).customerId)).map(watchToApi) }),
  );

  app.delete(
    '/stock-watches/:id',
    {
      config: { customer: true },
      schema: {
        operationId: 'deleteStockWatch',
        tags,
        security: me,
        summary: 'Forget a back-in-stock request',
        params: Obj({ id: Id('stw') }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const ok = await deps.db.tx((tx) => deleteWatch(tx, requireCustomer(req).customerId, req.params.id));
      if (!ok) throw notFound('Stock watch', req.params.id);
      return reply.code(204).send(null);
    },
  );
};
