import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { canAccessLocation, requireAdmin, requireCustomer } from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import { AdminOrdersQuery, Order, OrderTokenHeader, StoreOrdersQuery } from './schema.ts';
import { getOrderForShopper } from './service.ts';
import { orderTimeline, orderViews } from './views.ts';

const pageOfViews = async (deps: Deps, rows: repo.OrderRow[], limit: number) => {
  const page = toPage(rows, limit, (r) => r);
  return { data: await orderViews(deps.db, page.data), next_cursor: page.next_cursor };
};

/** Locations an order touches (for staff scoping). */
const orderLocations = (o: Awaited<ReturnType<typeof orderViews>>[number]) =>
  [o.pickup_location_id, o.selling_location_id, ...o.fulfillments.map((f) => f.location_id)].filter(
    (x): x is string => Boolean(x),
  );

export const orderTokenOf = (req: FastifyRequest): string | undefined => {
  const t = req.headers[OrderTokenHeader];
  return typeof t === 'string' && t.length <= 200 ? t : undefined;
};

export const orderAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['orders'];
  const security = [{ adminToken: [] }];
  app.get(
    '/orders',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminOrders',
        tags,
        security,
        summary: 'List orders from every channel (newest first); staff see orders of their locations',
        querystring: AdminOrdersQuery,
        response: { 200: Page(Order) },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const q = req.query;
      const rows = await repo.listOrders(deps.db, {
        channelId: q.channel_id,
        locationId: q.location_id,
        customerId: q.customer_id,
        locationIds: admin.scope === 'staff' ? admin.locationIds : undefined,
        status: q.status,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        number: q.number,
        before: cursorId(q.cursor),
        limit: q.limit + 1,
      });
      return pageOfViews(deps, rows, q.limit);
    },
  );

  app.get(
    '/orders/:id',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminOrder',
        tags,
        security,
        summary: 'An order with its lines, fulfillments, payments and timeline',
        params: IdParams('ord'),
        response: { 200: Order },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const row = await repo.getOrder(deps.db, req.params.id);
      if (!row) throw notFound('Order', req.params.id);
      const [view] = await orderViews(deps.db, [row]);
      if (!view) throw notFound('Order', req.params.id);
      if (admin.scope === 'staff' && !orderLocations(view).some((l) => canAccessLocation(admin, l))) {
        throw notFound('Order', req.params.id);
      }
      return { ...view, timeline: await orderTimeline(deps.db, view) };
    },
  );
};

export const orderStoreRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['store: orders'];
  app.get(
    '/orders',
    {
      config: { customer: true },
      schema: {
        operationId: 'listStoreOrders',
        tags,
        security: [{ channelKey: [], customerToken: [] }],
        summary: "The logged-in customer's orders from every channel, newest first",
        querystring: StoreOrdersQuery,
        response: { 200: Page(Order) },
      },
    },
    async (req) => {
      const rows = await repo.listOrders(deps.db, {
        customerId: requireCustomer(req).customerId,
        before: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      return pageOfViews(deps, rows, req.query.limit);
    },
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        operationId: 'getStoreOrder',
        reads: { 'x-plaza-order-token': 'optional' },
        tags,
        security: [{ channelKey: [], customerToken: [] }, { channelKey: [] }],
        summary: "One order: the customer's own, or a guest order with its x-plaza-order-token",
        params: IdParams('ord'),
        headers: Type.Object({ [OrderTokenHeader]: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Order },
      },
    },
    async (req) => {
      const row = await getOrderForShopper(deps.db, req.params.id, {
        customer: req.customer,
        orderToken: orderTokenOf(req),
      });
      return (await orderViews(deps.db, [row]))[0];
    },
  );
};
