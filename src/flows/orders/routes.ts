import { Type } from '@sinclair/typebox';
import {
  CancelBody,
  getOrderForShopper,
  Order,
  type OrderRow,
  OrderTokenHeader,
  orderTokenOf,
  orderViews,
} from '../../modules/orders/index.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { Id, IdParams, Obj, Str } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { cancelOrder } from './cancel.ts';
import { deliverFulfillment, shipFulfillment } from './ship.ts';

const FulfillmentParams = Obj({ id: Id('ord'), fulfillmentId: Id('ful') });
const view = async (deps: Deps, o: OrderRow) => (await orderViews(deps.db, [o]))[0];

export const orderActionStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        operationId: 'cancelStoreOrder',
        reads: { 'x-plaza-order-token': 'optional' },
        problems: ['INVALID_STATE_TRANSITION', 'PAYMENT_FAILED'],
        tags: ['store: orders'],
        security: [{ channelKey: [], customerToken: [] }, { channelKey: [] }],
        summary:
          'Cancel an order before its payment is captured (stock released, payment voided, cart back in use)',
        params: IdParams('ord'),
        headers: Type.Object({ [OrderTokenHeader]: Type.Optional(Type.String({ maxLength: 200 })) }),
        body: Type.Optional(CancelBody),
        response: { 200: Order },
      },
    },
    async (req) => {
      const o = await getOrderForShopper(deps.db, req.params.id, {
        customer: req.customer,
        orderToken: orderTokenOf(req),
      });
      const actor = req.customer ? `customer:${req.customer.customerId}` : 'guest';
      return view(
        deps,
        await cancelOrder(deps, o.id, {
          actor,
          reason: req.body?.reason ?? 'cancelled_by_customer',
          reopenCart: true,
        }),
      );
    },
  );
};

export const orderActionAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['orders'];
  const security = [{ adminToken: [] }];
  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        operationId: 'cancelAdminOrder',
        problems: ['INVALID_STATE_TRANSITION', 'PAYMENT_FAILED'],
        tags,
        security,
        summary: 'Cancel an order before its payment is captured',
        params: IdParams('ord'),
        body: Type.Optional(CancelBody),
        response: { 200: Order },
      },
    },
    async (req) =>
      view(
        deps,
        await cancelOrder(deps, req.params.id, {
          actor: `token:${requireAdmin(req).tokenId}`,
          reason: req.body?.reason ?? 'cancelled_by_merchant',
        }),
      ),
  );

  app.post(
    '/orders/:id/fulfillments/:fulfillmentId/ship',
    {
      config: { staff: true },
      schema: {
        operationId: 'shipAdminOrderFulfillment',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Ship a fulfilment: captures the payment and turns the stock hold into a sale',
        params: FulfillmentParams,
        body: Type.Optional(Obj({ tracking_number: Type.Optional(Str({ min: 1, max: 100 })) })),
        response: { 200: Order },
      },
    },
    async (req) =>
      view(
        deps,
        await shipFulfillment(
          deps,
          requireAdmin(req),
          req.params.id,
          req.params.fulfillmentId,
          req.body?.tracking_number,
        ),
      ),
  );

  app.post(
    '/orders/:id/fulfillments/:fulfillmentId/deliver',
    {
      config: { staff: true },
      schema: {
        operationId: 'deliverAdminOrderFulfillment',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Mark a shipped fulfilment delivered',
        params: FulfillmentParams,
        response: { 200: Order },
      },
    },
    async (req) =>
      view(deps, await deliverFulfillment(deps, requireAdmin(req), req.params.id, req.params.fulfillmentId)),
  );
};
