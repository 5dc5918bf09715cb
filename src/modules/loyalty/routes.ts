import { Type } from '@sinclair/typebox';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  actorOf,
  assertLocationAccess,
  canAccessLocation,
  requireAdmin,
  requireChannel,
  requireCustomer,
} from '../../platform/http/auth.ts';
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
import { getCustomerOrThrow } from '../customers/index.ts';
import { LoyaltyProgram, loyaltyProgram, programProblem, saveProgram } from './program.ts';
import { redeemPoints, redemptionLocation, releaseRedemption } from './redeem.ts';
import * as repo from './repo.ts';
import { accountView, adjustPoints, enroll, entryToApi } from './service.ts';

const Entry = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  points: Type.Integer(),
  spend: Type.Integer(),
  currency: Nullable(Type.String()),
  order_id: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  note: Nullable(Type.String()),
  created_at: Type.String(),
});
const Account = Type.Object({
  enrolled: Type.Boolean(),
  card_number: Nullable(Type.String()),
  balance: Type.Integer(),
  point_value: Type.Integer({ description: 'Minor units one point is worth at redemption' }),
  tier: Type.Object({
    name: Type.String(),
    multiplier_bps: Type.Integer(),
    spend_12m: Type.Integer(),
    next: Nullable(
      Type.Object({ name: Type.String(), min_spend: Type.Integer(), remaining: Type.Integer() }),
    ),
  }),
});
const AccountWithHistory = Type.Object({ ...Account.properties, history: Page(Entry) });
const Reference = Str({ min: 1, max: 200, pattern: '^[\\x21-\\x7e]+$' });
const Redemption = Type.Object({
  reference: Type.String(),
  points: Type.Integer(),
  amount: Type.Integer({ description: 'What the points are worth, minor units' }),
  balance: Type.Integer(),
});

export const loyaltyRoutes = {
  admin(app: HttpApp, deps: Deps): void {
    const tags = ['loyalty'];
    const security = [{ adminToken: [] }];
    const withHistory = async (customerId: string, q: { limit: number; cursor?: string }) => {
      const rows = await repo.entriesOf(deps.db, customerId, {
        before: cursorId(q.cursor),
        limit: q.limit + 1,
      });
      return {
        ...(await accountView(deps.db, deps, customerId)),
        history: toPage(rows, q.limit, entryToApi),
      };
    };

    app.get(
      '/loyalty/program',
      {
        schema: {
          operationId: 'getAdminLoyaltyProgram',
          tags,
          security,
          summary: 'The loyalty program settings',
          response: { 200: LoyaltyProgram },
        },
      },
      async () => loyaltyProgram(deps.db),
    );

    app.put(
      '/loyalty/program',
      {
        schema: {
          operationId: 'setAdminLoyaltyProgram',
          tags,
          security,
          summary: 'Change the program: earning rate, rounding, tiers by 12-month spend, point value, expiry',
          body: LoyaltyProgram,
          response: { 200: LoyaltyProgram },
        },
      },
      async (req) => {
        const problem = programProblem(req.body);
        if (problem) {
          throw new PlazaError('VALIDATION_FAILED', `body.tiers: ${problem}`, {
            errors: [{ path: 'body.tiers', message: problem }],
          });
        }
        await saveProgram(deps.db, req.body);
        return req.body;
      },
    );

    app.get(
      '/customers/:id/loyalty',
      {
        config: { staff: true },
        schema: {
          operationId: 'getAdminCustomerLoyalty',
          tags,
          security,
          summary: "A customer's loyalty account: card, balance, tier and the points ledger (newest first)",
          params: IdParams('cus'),
          querystring: Obj(PageQuery),
          response: { 200: AccountWithHistory },
        },
      },
      async (req) => {
        await getCustomerOrThrow(deps.db, req.params.id);
        return withHistory(req.params.id, req.query);
      },
    );

    app.post(
      '/customers/:id/loyalty/enroll',
      {
        config: { staff: true },
        schema: {
          operationId: 'enrollAdminCustomerInLoyalty',
          problems: ['PROCESSING_RESTRICTED'],
          tags,
          security,
          summary: 'Enrol a customer (issues a card number that works at every POS lookup); idempotent',
          params: IdParams('cus'),
          body: Type.Optional(Obj({ channel_id: Type.Optional(Id('chn')) })),
          response: { 200: Account },
        },
      },
      async (req) => {
        await deps.db.tx((tx) =>
          enroll(tx, deps, req.params.id, { source: 'admin', channelId: req.body?.channel_id }),
        );
        return accountView(deps.db, deps, req.params.id);
      },
    );

    app.post(
      '/customers/:id/loyalty/adjustments',
      {
        schema: {
          operationId: 'adjustAdminCustomerLoyaltyPoints',
          problems: ['INSUFFICIENT_POINTS', 'PROCESSING_RESTRICTED'],
          tags,
          security,
          summary: 'Add or remove points by hand (a goodwill gesture, a correction); never below zero',
          params: IdParams('cus'),
          body: Obj({
            points: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } }),
            note: Name(500),
          }),
          response: { 201: Entry },
        },
      },
      async (req, reply) => {
        const by = actorOf(requireAdmin(req));
        const r = unwrap(
          await deps.db.tx((tx) =>
            adjustPoints(tx, deps, {
              customerId: req.params.id,
              points: req.body.points,
              note: req.body.note,
              by,
            }),
          ),
        );
        return reply.code(201).send(entryToApi(r.entry));
      },
    );

    app.post(
      '/loyalty/redemptions',
      {
        config: { staff: true },
        schema: {
          operationId: 'redeemAdminLoyaltyPoints',
          problems: ['INSUFFICIENT_POINTS', 'UNPROCESSABLE', 'PROCESSING_RESTRICTED'],
          tags,
          security,
          summary: 'Redeem points at a POS (idempotent by reference); the amount is the discount to give',
          body: Obj({
            customer_id: Id('cus'),
            points: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
            reference: Reference,
            location_id: Type.Optional(Id('loc')),
          }),
          response: { 201: Redemption },
        },
      },
      async (req, reply) => {
        const b = req.body;
        if (b.location_id) assertLocationAccess(req, b.location_id);
        const r = unwrap(
          await deps.db.tx((tx) =>
            redeemPoints(tx, deps, {
              customerId: b.customer_id,
              points: b.points,
              reference: b.reference,
              locationId: b.location_id,
            }),
          ),
        );
        return reply.code(201).send({ reference: b.reference, ...r });
      },
    );

    app.post(
      '/loyalty/redemptions/release',
      {
        config: { staff: true },
        schema: {
          operationId: 'releaseAdminLoyaltyRedemption',
          tags,
          security,
          summary: 'Give back the points of a redemption (sale voided); idempotent; staff: their own store’s',
          body: Obj({ reference: Reference }),
          problems: ['FORBIDDEN'],
          response: {
            200: Type.Object({
              reference: Type.String(),
              points: Type.Integer(),
              balance: Nullable(Type.Integer()),
            }),
          },
        },
      },
      async (req) => {
        const admin = requireAdmin(req);
        const released = await deps.db.tx(async (tx) => {
          // Staff release only what their own store redeemed (the points come back after the discount).
          if (admin.scope === 'staff') {
            const at = await redemptionLocation(tx, req.body.reference);
            if (at === null || (at !== undefined && !canAccessLocation(admin, at)))
              throw new PlazaError('FORBIDDEN', 'This redemption was made at another location');
          }
          return releaseRedemption(tx, deps, req.body.reference);
        });
        return { reference: req.body.reference, ...unwrap(released) };
      },
    );
  },

  store(app: HttpApp, deps: Deps): void {
    const tags = ['store: loyalty'];
    const me = [{ channelKey: [], customerToken: [] }];
    app.get(
      '/customers/me/loyalty',
      {
        config: { customer: true },
        schema: {
          operationId: 'getCurrentCustomerLoyalty',
          tags,
          security: me,
          summary: 'My loyalty card, balance, tier and points history',
          querystring: Obj(PageQuery),
          response: { 200: AccountWithHistory },
        },
      },
      async (req) => {
        const id = requireCustomer(req).customerId;
        const rows = await repo.entriesOf(deps.db, id, {
          before: cursorId(req.query.cursor),
          limit: req.query.limit + 1,
        });
        return {
          ...(await accountView(deps.db, deps, id)),
          history: toPage(rows, req.query.limit, entryToApi),
        };
      },
    );

    app.post(
      '/customers/me/loyalty',
      {
        config: { customer: true },
        schema: {
          operationId: 'joinLoyalty',
          problems: ['PROCESSING_RESTRICTED'],
          tags,
          security: me,
          summary: 'Join the loyalty program (issues my card number); idempotent',
          body: Type.Optional(Obj({})),
          response: { 200: Account },
        },
      },
      async (req) => {
        const id = requireCustomer(req).customerId;
        await deps.db.tx((tx) =>
          enroll(tx, deps, id, { source: 'self', channelId: requireChannel(req).channelId }),
        );
        return accountView(deps.db, deps, id);
      },
    );
  },
};
