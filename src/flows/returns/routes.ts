import { getOrder } from '../../modules/orders/index.ts';
import { refundsOf, retryRefund } from '../../modules/payments/index.ts';
import { getReturn, listReturns, type ReturnRow, returnLinesOf } from '../../modules/returns/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  type AdminPrincipal,
  assertLocationAccess,
  canAccessLocation,
  requireAdmin,
} from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { once } from '../shared/idempotent.ts';
import { executeRefunds } from '../shared/refunds.ts';
import { createReturn } from './create.ts';
import { findOrdersToReturn, returnableViews } from './lookup.ts';
import { applyRefundToReturn, cancelReturnTx, receiveReturnTx, refundData } from './receive.ts';
import {
  CreateReturnBody,
  ReceiveReturnBody,
  Return,
  ReturnableOrder,
  ReturnLookupBody,
  ReturnsQuery,
} from './schema.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const returnView = async (q: Queryable, r: ReturnRow): Promise<Return> => {
  const [lines, refunds] = await Promise.all([returnLinesOf(q, [r.id]), refundsOf(q, { returnId: r.id })]);
  return {
    id: r.id,
    order_id: r.order_id,
    channel_id: r.channel_id,
    customer_id: r.customer_id,
    location_id: r.location_id,
    status: r.status,
    refund_method: r.refund_method,
    currency: r.currency,
    total: r.total,
    exchange_total: r.exchange_total,
    refund_total: r.refund_total,
    refunded_amount: r.refunded_amount,
    exchange_order_id: r.exchange_order_id,
    reason: r.reason,
    created_at: r.created_at.toISOString(),
    received_at: iso(r.received_at),
    lines: lines.map(({ return_id: _r, ...l }) => l),
    refunds: refunds.map((x) => ({
      id: x.id,
      method: x.method,
      status: x.status,
      amount: x.amount,
      payment_id: x.payment_id,
      failure_reason: x.failure_reason,
    })),
  };
};

/** A return the caller may act on: admins any, staff those received at their locations (else NOT_FOUND). */
const returnFor = async (deps: Deps, admin: AdminPrincipal, id: string): Promise<ReturnRow> => {
  const r = await getReturn(deps.db, id);
  if (!r || !canAccessLocation(admin, r.location_id)) throw notFound('Return', id);
  return r;
};

const refundAll = async (
  deps: Deps,
  r: ReturnRow,
  refunds: Parameters<typeof executeRefunds>[1],
  actor: string,
) =>
  executeRefunds(deps, refunds, {
    actor,
    data: refundData(r),
    after: (tx, refund) => applyRefundToReturn(tx, deps, refund, actor),
  });

export const returnAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['returns'];
  const security = [{ adminToken: [] }];
  const config = { staff: true };
  const fresh = async (id: string) => returnView(deps.db, (await getReturn(deps.db, id)) as ReturnRow);

  app.post(
    '/returns',
    {
      config,
      schema: {
        operationId: 'createAdminReturn',
        reads: { 'Idempotency-Key': 'optional' },
        problems: ['RETURN_WINDOW_CLOSED', 'UNPROCESSABLE', 'INSUFFICIENT_STOCK', 'INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Return lines of any order at a location (a store, or the warehouse for returns by mail)',
        description:
          'With a `condition` on every line the return is inspected and received at once (restock or write-off, ' +
          "exchange, refund); without, it waits for POST /admin/returns/:id/receive. Outside the channel's return " +
          'window: RETURN_WINDOW_CLOSED. More than was fulfilled: UNPROCESSABLE (`returnable`). Accepts an ' +
          'optional Idempotency-Key.',
        body: CreateReturnBody,
        response: { 201: Return },
      },
    },
    async (req, reply) => {
      assertLocationAccess(req, req.body.location_id);
      const actor = `token:${requireAdmin(req).tokenId}`;
      const r = await once(deps, req, { scope: 'returns', required: false, status: 201 }, async (ctx) => {
        if (ctx.resumeId) return fresh(ctx.resumeId);
        const created = unwrap(
          await deps.db.tx(async (tx) => {
            const out = await createReturn(tx, deps, req.body, actor);
            if (out.ok) await ctx.attach(tx, out.value.ret.id);
            return out;
          }),
        );
        await refundAll(deps, created.ret, created.refunds, actor);
        return fresh(created.ret.id);
      });
      return reply.code(201).send(r.body);
    },
  );

  app.post(
    '/returns/lookup',
    {
      config,
      schema: {
        operationId: 'lookUpAdminReturnableOrder',
        problems: ['PROCESSING_RESTRICTED'],
        tags,
        security,
        summary: 'Find a returnable order at any store: by order number, receipt, or the customer',
        description:
          'Exactly one of `order_number`, `receipt` (the order id a receipt prints, or its receipt number), ' +
          '`phone`, `email` or `card` (loyalty card). Staff of any store may look: the answer holds only what a ' +
          'return needs (lines with quantities bought, returned and returnable, amounts paid, payment methods, ' +
          'the return window), no name, e-mail, phone or address. A customer key answers their orders and the ' +
          'guest orders placed with that e-mail, newest first. Values in the body, so they stay out of URLs ' +
          'and logs. A phone without a country code is read in the country of `location_id` or the staff ' +
          "token's only store. Unknown values: an empty list; unreadable ones: VALIDATION_FAILED.",
        body: ReturnLookupBody,
        response: { 200: Page(ReturnableOrder) },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      if (req.body.location_id) assertLocationAccess(req, req.body.location_id);
      const found = await findOrdersToReturn(deps, admin, req.body);
      return {
        data: await returnableViews(deps.db, found.orders, deps.clock.now()),
        next_cursor: found.next_cursor,
      };
    },
  );

  app.get(
    '/returns',
    {
      config,
      schema: {
        operationId: 'listAdminReturns',
        tags,
        security,
        summary: 'Returns, newest first, with filters (staff: those received at their locations)',
        querystring: ReturnsQuery,
        response: { 200: Page(Return) },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      if (req.query.location_id) assertLocationAccess(req, req.query.location_id);
      const { status, channel_id, customer_id, from, to } = req.query;
      const rows = await listReturns(deps.db, {
        orderId: req.query.order_id,
        status,
        channelId: channel_id,
        customerId: customer_id,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
        locationIds: req.query.location_id
          ? [req.query.location_id]
          : admin.scope === 'staff'
            ? admin.locationIds
            : undefined,
        before: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      const page = toPage(rows, req.query.limit, (x) => x);
      return {
        data: await Promise.all(page.data.map((x) => returnView(deps.db, x))),
        next_cursor: page.next_cursor,
      };
    },
  );

  app.get(
    '/returns/:id',
    {
      config,
      schema: {
        operationId: 'getAdminReturn',
        tags,
        security,
        summary: 'A return',
        params: IdParams('ret'),
        response: { 200: Return },
      },
    },
    async (req) => returnView(deps.db, await returnFor(deps, requireAdmin(req), req.params.id)),
  );

  app.post(
    '/returns/:id/receive',
    {
      config,
      schema: {
        operationId: 'receiveAdminReturn',
        problems: ['INVALID_STATE_TRANSITION', 'INSUFFICIENT_STOCK'],
        tags,
        security,
        summary:
          'Receive a requested return (e.g. a parcel at the warehouse): inspect every line, then refund',
        params: IdParams('ret'),
        body: ReceiveReturnBody,
        response: { 200: Return },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const first = await returnFor(deps, admin, req.params.id);
      const actor = `token:${admin.tokenId}`;
      const conditions = new Map(req.body.lines.map((l) => [l.return_line_id, l.condition]));
      const out = await deps.db.tx(async (tx) => {
        await getOrder(tx, first.order_id, true); // the order first, then the return (the house order)
        const r = (await getReturn(tx, first.id, true)) as ReturnRow;
        return receiveReturnTx(tx, deps, r, conditions, actor);
      });
      await refundAll(deps, out.ret, out.refunds, actor);
      return fresh(first.id);
    },
  );

  app.post(
    '/returns/:id/cancel',
    {
      config,
      schema: {
        operationId: 'cancelAdminReturn',
        tags,
        security,
        summary: 'Cancel a return not received yet (its units become returnable again)',
        params: IdParams('ret'),
        response: { 200: Return },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const r = await returnFor(deps, admin, req.params.id);
      await deps.db.tx((tx) => cancelReturnTx(tx, deps, r.id, `token:${admin.tokenId}`));
      return fresh(r.id);
    },
  );

  app.post(
    '/returns/:id/refund',
    {
      config,
      schema: {
        operationId: 'refundAdminReturn',
        problems: ['UNPROCESSABLE', 'PAYMENT_FAILED'],
        tags,
        security,
        summary: 'Try failed refunds of a return again with the payment provider',
        params: IdParams('ret'),
        response: { 200: Return },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const r = await returnFor(deps, admin, req.params.id);
      const failed = (await refundsOf(deps.db, { returnId: r.id })).filter((x) => x.status === 'failed');
      const again = await deps.db.tx(async (tx) => {
        const rows = [];
        for (const f of failed) {
          const row = await retryRefund(tx, deps, f.id);
          if (row) rows.push(row);
        }
        return rows;
      });
      await refundAll(deps, r, again, `token:${admin.tokenId}`);
      return fresh(r.id);
    },
  );
};
