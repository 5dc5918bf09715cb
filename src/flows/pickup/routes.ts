import { Type } from '@sinclair/typebox';
import { getTransfer, transferToApi } from '../../modules/inventory/index.ts';
import { getOrderForShopper, OrderTokenHeader, orderTokenOf } from '../../modules/orders/index.ts';
import { refundToApi } from '../../modules/payments/index.ts';
import { getPickup, listQueue, pickupTransfer } from '../../modules/pickups/index.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { assertLocationAccess, requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { ipSubject, type RouteRateLimit } from '../../platform/rate-limit.ts';
import { unwrap } from '../../platform/result.ts';
import { once } from '../shared/idempotent.ts';
import { handOver } from './handover.ts';
import { lockPickupFor, markReady } from './ready.ts';
import { HandoverBody, Pickup, PickupQueueQuery, ShopperPickup, TransferActionParams } from './schema.ts';
import { receivePickupTransfer, shipPickupTransfer } from './transfers.ts';
import { pickupViews, shopperPickupView } from './views.ts';

/** Pickup code attempts per order and per client IP, right or wrong (wrong ones also lock the order). */
const handoverLimits: readonly RouteRateLimit[] = [
  {
    name: 'pickupPerOrder',
    subject: (req) => {
      const id = (req.params as { id?: unknown }).id;
      return typeof id === 'string' ? `order:${id}` : null;
    },
  },
  { name: 'pickupPerIp', subject: ipSubject },
];

const Settled = Type.Object({
  order_line_id: Type.String(),
  sku: Type.String(),
  quantity: Type.Integer(),
  amount: Type.Integer(),
});
const HandoverResult = Type.Object({
  pickup: Pickup,
  collected: Type.Array(Settled),
  released: Type.Array(Settled),
  captured_amount: Type.Integer(),
  refunds: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});
const TransferResult = Type.Object({ pickup: Pickup, transfer: Type.Record(Type.String(), Type.Unknown()) });

export const pickupAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['pickups'];
  const security = [{ adminToken: [] }];
  const view = async (orderId: string) => {
    const row = await getPickup(deps.db, orderId);
    if (!row) throw notFound('Pickup order', orderId);
    return (await pickupViews(deps.db, [row], deps.clock.now()))[0] as Pickup;
  };

  app.get(
    '/locations/:id/pickups',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminLocationPickups',
        tags,
        security,
        summary: "A store's pickup queue: to prepare, ready, overdue, collected, expired (newest first)",
        params: IdParams('loc'),
        querystring: PickupQueueQuery,
        response: { 200: Page(Pickup) },
      },
    },
    async (req) => {
      assertLocationAccess(req, req.params.id);
      const now = deps.clock.now();
      const rows = await listQueue(deps.db, {
        locationId: req.params.id,
        queue: req.query.status,
        now,
        before: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      const page = toPage(
        rows.map((r) => ({ ...r, id: r.order_id })),
        req.query.limit,
        (r) => r,
      );
      return { data: await pickupViews(deps.db, page.data, now), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/orders/:id/pickup',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminOrderPickup',
        tags,
        security,
        summary: 'The pickup of an order (staff of its store); never shows the code',
        params: IdParams('ord'),
        response: { 200: Pickup },
      },
    },
    async (req) => {
      await deps.db.tx((tx) => lockPickupFor(tx, deps, requireAdmin(req), req.params.id));
      return view(req.params.id);
    },
  );

  app.post(
    '/orders/:id/pickup/ready',
    {
      config: { staff: true },
      schema: {
        operationId: 'markAdminOrderPickupReady',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary:
          'Mark a pickup order ready: sets its deadline and writes pickup.ready (code, QR payload, deadline)',
        description:
          'Refused (INVALID_STATE_TRANSITION) while stock is still on its way by transfer. Marking a ready order ' +
          'ready again changes nothing.',
        params: IdParams('ord'),
        response: { 200: Pickup },
      },
    },
    async (req) => {
      await deps.db.tx((tx) => markReady(tx, deps, requireAdmin(req), req.params.id), { retries: 2 });
      return view(req.params.id);
    },
  );

  app.post(
    '/orders/:id/pickup/handover',
    {
      config: { staff: true, rateLimits: handoverLimits },
      schema: {
        operationId: 'handOverAdminOrderPickup',
        reads: { 'Idempotency-Key': 'optional' },
        problems: ['INVALID_STATE_TRANSITION', 'PICKUP_CODE_INVALID', 'RATE_LIMITED', 'PAYMENT_FAILED'],
        tags,
        security,
        summary: 'Hand over a ready order (or some lines) against its pickup code; captures the payment',
        description:
          'A wrong code answers PICKUP_CODE_INVALID with `attempts_left`; after 5 wrong codes in a row the order ' +
          'is locked for handover for 15 minutes (RATE_LIMITED). Accepts an optional Idempotency-Key.',
        params: IdParams('ord'),
        body: HandoverBody,
        response: { 200: HandoverResult },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const r = await once(
        deps,
        req,
        { scope: `pickup-handover:${req.params.id}`, required: false, status: 200 },
        async () => {
          const out = unwrap(await handOver(deps, admin, req.params.id, req.body));
          return {
            pickup: await view(req.params.id),
            collected: out.collected,
            released: out.released,
            captured_amount: out.captured_amount,
            refunds: out.refunds.map(refundToApi),
          };
        },
      );
      return r.body;
    },
  );

  for (const action of ['ship', 'receive'] as const) {
    app.post(
      `/orders/:id/pickup/transfers/:transferId/${action}`,
      {
        config: { staff: true },
        schema: {
          operationId: action === 'ship' ? 'shipAdminPickupTransfer' : 'receiveAdminPickupTransfer',
          problems: ['INVALID_STATE_TRANSITION', 'INSUFFICIENT_STOCK'],
          tags,
          security,
          summary:
            action === 'ship'
              ? "Ship a pickup order's transfer (staff of the source): the order's hold there is released as the units leave"
              : "Receive a pickup order's transfer at the store (staff of the store): the units are held for the order",
          params: TransferActionParams,
          response: { 200: TransferResult },
        },
      },
      async (req) => {
        const admin = requireAdmin(req);
        const link = await pickupTransfer(deps.db, req.params.transferId);
        const t = link?.order_id === req.params.id ? await getTransfer(deps.db, link.transfer_id) : undefined;
        if (!t) throw notFound('Pickup transfer', req.params.transferId);
        assertLocationAccess(req, action === 'ship' ? t.from_location_id : t.to_location_id);
        const actor = `token:${admin.tokenId}`;
        const transfer = await deps.db.tx(
          async (tx) =>
            action === 'ship'
              ? shipPickupTransfer(tx, deps, t.id, actor)
              : (await receivePickupTransfer(tx, deps, t.id, actor)).transfer,
          { retries: 2 },
        );
        return { pickup: await view(req.params.id), transfer: transferToApi(transfer) };
      },
    );
  }
};

export const pickupStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/orders/:id/pickup',
    {
      schema: {
        operationId: 'getStoreOrderPickup',
        reads: { 'x-plaza-order-token': 'optional' },
        tags: ['store: orders'],
        security: [{ channelKey: [], customerToken: [] }, { channelKey: [] }],
        summary: 'The pickup of your order: status, code and QR payload to show at the store',
        params: IdParams('ord'),
        headers: Type.Object({ [OrderTokenHeader]: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: ShopperPickup },
      },
    },
    async (req) => {
      const o = await getOrderForShopper(deps.db, req.params.id, {
        customer: req.customer,
        orderToken: orderTokenOf(req),
      });
      const p = await getPickup(deps.db, o.id);
      if (!p) throw notFound('Pickup', o.id);
      return shopperPickupView(p);
    },
  );
};
