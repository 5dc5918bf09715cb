import { Type } from '@sinclair/typebox';
import { getCustomer } from '../../modules/customers/index.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { IdParams, Nullable, Obj, Page, PageQuery, Timestamp } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { customerSummary } from './summary.ts';
import { customerTimeline } from './timeline.ts';

const tags = ['customers: single view'];
const security = [{ adminToken: [] }];

const Entry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  kind: Type.String({
    description:
      'order, payment, cart, pickup, return, in_store_sale, message, consent, loyalty, identity, profile, privacy, tracked (a track event from the shop, app or POS) or other',
  }),
  type: Type.String({ description: 'The event type, e.g. order.shipped or pickup.ready' }),
  channel_id: Nullable(Type.String()),
  location_id: Nullable(Type.String({ description: 'The store involved, if any' })),
  order_id: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
});

const Summary = Type.Object({
  customer_id: Type.String(),
  first_seen_at: Nullable(Timestamp),
  last_seen_at: Nullable(Timestamp),
  channels: Type.Array(
    Type.Object({
      channel_id: Type.String(),
      first_seen_at: Timestamp,
      last_seen_at: Timestamp,
      orders: Type.Integer(),
    }),
  ),
  orders: Type.Object({ count: Type.Integer(), cancelled: Type.Integer() }),
  money: Type.Array(
    Type.Object({
      currency: Type.String(),
      orders: Type.Integer(),
      revenue: Type.Integer({ description: 'Sum of order totals (minor units), cancelled orders excluded' }),
      average_order_value: Type.Integer(),
      lifetime_value: Nullable(
        Type.Integer({
          description: 'Captured minus refunded, to date; null while processing is restricted',
        }),
      ),
      refunded: Type.Integer(),
    }),
  ),
  preferred_store: Nullable(
    Type.Object({
      location_id: Type.String(),
      source: Type.Union([Type.Literal('profile'), Type.Literal('derived')]),
    }),
  ),
  loyalty: Type.Object({ enrolled: Type.Boolean(), balance: Type.Integer() }),
  processing_restricted: Type.Boolean(),
});

export const singleViewRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/customers/:id/timeline',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminCustomerTimeline',
        tags,
        security,
        summary: "A customer's history from every channel in one feed, newest first (keyset-paged)",
        params: IdParams('cus'),
        querystring: Obj(PageQuery),
        response: { 200: Page(Entry) },
      },
    },
    async (req) => {
      const c = await getCustomer(deps.db, req.params.id);
      if (!c || c.status === 'erased') throw notFound('Customer', req.params.id);
      return customerTimeline(deps.db, req.params.id, req.query);
    },
  );

  app.get(
    '/customers/:id/summary',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminCustomerSummary',
        tags,
        security,
        summary: 'Channels used, orders, revenue, average order value, lifetime value, preferred store',
        params: IdParams('cus'),
        response: { 200: Summary },
      },
    },
    async (req) => customerSummary(deps.db, req.params.id),
  );
};
