/**
 * The store counter's offers (counter-offers.ts): GET /admin/pos/customers/:id/offers and
 * POST /admin/pos/offers/:send_id/shown, for admin tokens and staff of the store.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { counterOf } from '../../modules/customers/index.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { canAccessLocation, requireAdmin } from '../../platform/http/auth.ts';
import { Id, Nullable, Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { counterOffers, markOfferShown } from './counter-offers.ts';

const tags = ['pos'];
const security = [{ adminToken: [] }];
const config = { staff: true };

const CounterOffer = Type.Object(
  {
    send_id: Type.String(),
    campaign_id: Type.String(),
    campaign_name: Type.String(),
    variant: Nullable(Type.String()),
    shown: Type.Boolean({ description: 'Already shown to the customer (POST …/shown)' }),
    title: Nullable(Type.String()),
    body: Type.String(),
    code: Nullable(
      Type.String({ description: "The customer's offer code (type it as the sale's discount_code)" }),
    ),
    products: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        available_here: Type.Integer(),
        in_stock_here: Type.Boolean(),
      }),
    ),
  },
  { $id: 'CounterOffer' },
);

const LocationQuery = Obj({
  location_id: Type.Optional({
    ...Id('loc'),
    description: "The counter's store (a staff token of one store: that one)",
  }),
});

/** The counter's location: given, or the staff token's only store; FORBIDDEN for another store. */
const counterLocation = (req: FastifyRequest, given: string | undefined): string => {
  const admin = requireAdmin(req);
  const loc = counterOf(admin, given);
  if (!loc)
    throw validation('Which store? Give location_id', [
      { path: 'querystring.location_id', message: 'is required' },
    ]);
  if (!canAccessLocation(admin, loc)) {
    throw new PlazaError('FORBIDDEN', `This staff token may not work for location ${loc}`, {
      location_id: loc,
    });
  }
  return loc;
};

export const offerRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/pos/customers/:id/offers',
    {
      config,
      schema: {
        operationId: 'listAdminPosCustomerOffers',
        tags,
        security,
        problems: ['NOT_FOUND', 'FORBIDDEN'],
        summary: "The customer's active offers at this counter, with the campaign's products in stock here",
        description:
          'Campaigns with the pos medium in status sending that planned a row for the customer (a holdout sees ' +
          "none). Mark one shown with POST /admin/pos/offers/{send_id}/shown; redeem its code as the sale's " +
          'discount_code.',
        params: Obj({ id: Id('cus') }),
        querystring: LocationQuery,
        response: { 200: Type.Object({ location_id: Type.String(), data: Type.Array(CounterOffer) }) },
      },
    },
    async (req) => {
      const loc = counterLocation(req, req.query.location_id);
      return { location_id: loc, data: await counterOffers(deps, req.params.id, loc) };
    },
  );

  app.post(
    '/pos/offers/:send_id/shown',
    {
      config,
      schema: {
        operationId: 'markAdminPosOfferShown',
        tags,
        security,
        problems: ['NOT_FOUND', 'FORBIDDEN'],
        summary: 'Staff showed the offer to the customer: the touch is recorded once (idempotent)',
        params: Obj({ send_id: Id('msg') }),
        querystring: LocationQuery,
        response: {
          200: Type.Object({
            send_id: Type.String(),
            status: Type.String(),
            first: Type.Boolean({ description: 'false when it had been recorded already' }),
          }),
        },
      },
    },
    async (req) => {
      const loc = counterLocation(req, req.query.location_id);
      const r = await markOfferShown(deps, req.params.send_id, loc, null);
      return { send_id: r.send_id, status: r.status, first: r.first };
    },
  );
};
