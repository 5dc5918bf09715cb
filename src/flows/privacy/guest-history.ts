/**
 * The guest history of a customer, for the customer view: guest orders and carts placed with one of
 * their verified e-mails or phones before they registered or without logging in. These belong to the
 * person for export and erasure (docs/privacy.md) and are shown here without being re-linked to the
 * account: linking is the customer's or an admin's explicit choice.
 */
import { Type } from '@sinclair/typebox';
import { getCustomer } from '../../modules/customers/index.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { IdParams, Timestamp } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { personOf } from './scope.ts';

const GuestHistory = Type.Object({
  customer_id: Type.String(),
  orders: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.Integer(),
      channel_id: Type.String(),
      status: Type.String(),
      currency: Type.String(),
      total: Type.Integer(),
      placed_at: Timestamp,
    }),
  ),
  cart_ids: Type.Array(Type.String()),
});

export const guestHistoryRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/customers/:id/guest-history',
    {
      schema: {
        operationId: 'getAdminCustomerGuestHistory',
        tags: ['privacy'],
        security: [{ adminToken: [] }],
        summary: 'Guest orders and carts tied to the customer by a verified e-mail or phone',
        description:
          'Orders and carts placed as a guest with one of the customer’s verified e-mails or phones. They belong to ' +
          'the person for export and erasure; they are not moved to the account.',
        params: IdParams('cus'),
        response: { 200: GuestHistory },
      },
    },
    async (req) => {
      const c = await getCustomer(deps.db, req.params.id);
      if (!c || c.status === 'erased') throw notFound('Customer', req.params.id);
      const person = await personOf(deps.db, deps, req.params.id);
      return {
        customer_id: req.params.id,
        orders: person.guest.orders.map((o) => ({ ...o, placed_at: o.placed_at.toISOString() })),
        cart_ids: person.guest.cartIds,
      };
    },
  );
};
