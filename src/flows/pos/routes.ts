import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { activeCartOf, linesOf as cartLinesOf } from '../../modules/carts/index.ts';
import { counterOf, phoneCountry } from '../../modules/customers/index.ts';
import { getOrder, Order, orderViews } from '../../modules/orders/index.ts';
import { changeSale, getSale, linesOfSale, type PosSaleRow } from '../../modules/pos/index.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { IdParams, Nullable } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { once } from '../shared/idempotent.ts';
import { orderFromCounter } from './endless-aisle.ts';
import { lookupCustomers } from './lookup.ts';
import { paySale } from './pay.ts';
import { receiptHtml, receiptOf } from './receipt.ts';
import {
  addItems,
  nameOf,
  pullOnlineCart,
  saleFor,
  saleView,
  setCustomer,
  setItem,
  startSale,
} from './sale.ts';
import {
  CreateSaleBody,
  CustomerMatch,
  EndlessAisleBody,
  Item,
  LookupQuery,
  PayBody,
  PosSale,
  Receipt,
  SaleLineParams,
  SetCustomerBody,
  SetQuantityBody,
} from './schema.ts';

const tags = ['pos'];
const security = [{ adminToken: [] }];
const config = { staff: true };

export const posRoutes = (app: HttpApp, deps: Deps): void => {
  const view = (s: PosSaleRow) => saleView(deps.db, deps, s);
  /** Runs a change on an open sale in a transaction (the sale row locked) and answers its view. */
  const change = async (
    req: FastifyRequest,
    id: string,
    fn: (tx: Tx, sale: PosSaleRow) => Promise<PosSaleRow>,
  ) => {
    const admin = requireAdmin(req);
    const sale = await deps.db.tx(async (tx) => fn(tx, await saleFor(tx, admin, id, true)));
    return view(sale);
  };

  app.get(
    '/pos/customers',
    {
      config,
      schema: {
        operationId: 'findAdminPosCustomers',
        tags,
        security,
        summary:
          'Find a customer at the counter by phone, email or loyalty card (with their online cart, if any)',
        description:
          'A phone number without a country code is read in the country of the counter: `location_id`, or ' +
          "the staff token's only store (its `default_country`, else its address country), else PLAZA_COUNTRY.",
        querystring: LookupQuery,
        response: { 200: Type.Object({ data: Type.Array(CustomerMatch) }) },
      },
    },
    async (req) => {
      const { location_id, ...by } = req.query;
      const country = await phoneCountry(deps.db, deps.config.defaultCountry, {
        locationId: counterOf(requireAdmin(req), location_id),
      });
      const found = await lookupCustomers(deps.db, by, country);
      const data = await Promise.all(
        found.map(async (c) => {
          const cart = await activeCartOf(deps.db, c.id);
          const lines = cart ? await cartLinesOf(deps.db, cart.id) : [];
          return {
            id: c.id,
            email: c.email,
            name: nameOf(c),
            phone: c.phone,
            online_cart:
              cart && lines.length
                ? {
                    id: cart.id,
                    item_count: lines.reduce((n, l) => n + l.quantity, 0),
                    updated_at: cart.updated_at.toISOString(),
                  }
                : null,
          };
        }),
      );
      return { data };
    },
  );

  app.post(
    '/pos/sales',
    {
      config,
      schema: {
        operationId: 'createAdminPosSale',
        tags,
        security,
        summary:
          'Open a counter sale on a POS channel (staff of its store), optionally with items and a customer',
        body: CreateSaleBody,
        response: { 201: PosSale },
      },
    },
    async (req, reply) => {
      const sale = await deps.db.tx((tx) => startSale(tx, deps, requireAdmin(req), req.body));
      return reply.code(201).send(await view(sale));
    },
  );

  app.get(
    '/pos/sales/:id',
    {
      config,
      schema: {
        operationId: 'getAdminPosSale',
        tags,
        security,
        summary: 'A counter sale',
        params: IdParams('pos'),
        response: { 200: PosSale },
      },
    },
    async (req) => view(await saleFor(deps.db, requireAdmin(req), req.params.id)),
  );

  app.post(
    '/pos/sales/:id/items',
    {
      config,
      schema: {
        operationId: 'addAdminPosSaleItem',
        problems: ['INSUFFICIENT_STOCK', 'INVALID_STATE_TRANSITION', 'UNPROCESSABLE'],
        tags,
        security,
        summary:
          'Scan an item (SKU or barcode) onto the sale; INSUFFICIENT_STOCK with endless_aisle when the store lacks it',
        params: IdParams('pos'),
        body: Item,
        response: { 200: PosSale },
      },
    },
    async (req) => change(req, req.params.id, (tx, sale) => addItems(tx, deps, sale, [req.body])),
  );

  app.patch(
    '/pos/sales/:id/items/:lineId',
    {
      config,
      schema: {
        operationId: 'updateAdminPosSaleItem',
        problems: ['INSUFFICIENT_STOCK', 'INVALID_STATE_TRANSITION', 'UNPROCESSABLE'],
        tags,
        security,
        summary: 'Change the quantity of a line (0 removes it)',
        params: SaleLineParams,
        body: SetQuantityBody,
        response: { 200: PosSale },
      },
    },
    async (req) =>
      change(req, req.params.id, async (tx, sale) => {
        const line = (await linesOfSale(tx, sale.id)).find((l) => l.id === req.params.lineId);
        if (!line) throw notFound('Sale line', req.params.lineId);
        return setItem(tx, deps, sale, line.sku, req.body.quantity);
      }),
  );

  app.put(
    '/pos/sales/:id/customer',
    {
      config,
      schema: {
        operationId: 'setAdminPosSaleCustomer',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Attach a customer to the sale (null detaches)',
        params: IdParams('pos'),
        body: SetCustomerBody,
        response: { 200: PosSale },
      },
    },
    async (req) =>
      change(req, req.params.id, (tx, sale) => setCustomer(tx, deps, sale, req.body.customer_id)),
  );

  app.post(
    '/pos/sales/:id/online-cart',
    {
      config,
      schema: {
        operationId: 'addAdminPosSaleOnlineCart',
        problems: ['INVALID_STATE_TRANSITION', 'INSUFFICIENT_STOCK', 'UNPROCESSABLE'],
        tags,
        security,
        summary:
          "Pull up the customer's own online cart: its items join the sale, and it is checked out with it",
        params: IdParams('pos'),
        response: { 200: PosSale },
      },
    },
    async (req) => change(req, req.params.id, (tx, sale) => pullOnlineCart(tx, deps, sale)),
  );

  app.post(
    '/pos/sales/:id/pay',
    {
      config,
      schema: {
        operationId: 'payAdminPosSale',
        reads: { 'Idempotency-Key': 'required' },
        problems: [
          'INSUFFICIENT_STOCK',
          'INVALID_STATE_TRANSITION',
          'PAYMENT_DECLINED',
          'PAYMENT_FAILED',
          'INSUFFICIENT_POINTS',
          'UNPROCESSABLE',
          'PROCESSING_RESTRICTED',
          'DISCOUNT_INVALID',
        ],
        tags,
        security,
        summary:
          'Take payment (cash, test-card or store credit; requires Idempotency-Key): the store stock is sold at once',
        description:
          'Answers the receipt. A declined payment (PAYMENT_DECLINED) leaves the sale open. Replaying the same key ' +
          'answers the first receipt.',
        params: IdParams('pos'),
        body: PayBody,
        response: { 200: Receipt },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      await saleFor(deps.db, admin, req.params.id);
      const r = await once(
        deps,
        req,
        { scope: `pos-pay:${req.params.id}`, required: true, status: 200 },
        async (ctx) => {
          await paySale(
            deps,
            admin,
            req.params.id,
            req.body.payment,
            ctx,
            req.body.loyalty_points,
            req.body.discount_code,
          );
          return receiptOf(deps.db, (await getSale(deps.db, req.params.id)) as PosSaleRow);
        },
      );
      return r.body;
    },
  );

  app.post(
    '/pos/sales/:id/void',
    {
      config,
      schema: {
        operationId: 'voidAdminPosSale',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Abandon an open sale',
        params: IdParams('pos'),
        response: { 200: PosSale },
      },
    },
    async (req) =>
      change(req, req.params.id, (tx, sale) =>
        changeSale(tx, deps, sale, 'voided', { actor: `token:${requireAdmin(req).tokenId}` }),
      ),
  );

  app.get(
    '/pos/sales/:id/receipt',
    {
      config,
      schema: {
        operationId: 'getAdminPosSaleReceipt',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'The receipt of a paid sale',
        params: IdParams('pos'),
        response: { 200: Receipt },
      },
    },
    async (req) => receiptOf(deps.db, await saleFor(deps.db, requireAdmin(req), req.params.id)),
  );

  app.get(
    '/pos/sales/:id/receipt.html',
    {
      config,
      schema: {
        operationId: 'getAdminPosSaleReceiptHtml',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'The receipt of a paid sale as a printable HTML page',
        params: IdParams('pos'),
        produces: ['text/html'],
        response: { 200: Type.String({ description: 'text/html' }) },
      },
    },
    async (req, reply) => {
      const receipt = await receiptOf(deps.db, await saleFor(deps.db, requireAdmin(req), req.params.id));
      return reply
        .type('text/html; charset=utf-8')
        .serializer((s) => String(s))
        .send(receiptHtml(receipt));
    },
  );

  app.post(
    '/pos/endless-aisle',
    {
      config,
      schema: {
        operationId: 'createAdminEndlessAisleOrder',
        reads: { 'Idempotency-Key': 'required' },
        problems: ['INSUFFICIENT_STOCK', 'PAYMENT_DECLINED', 'PAYMENT_FAILED', 'UNPROCESSABLE'],
        tags,
        security,
        summary:
          'Order items the store lacks from other locations, for delivery or pickup (requires Idempotency-Key)',
        description:
          'A normal order of the POS channel with `selling_location_id` = the store. The payment is authorized now and ' +
          'captured when shipped or collected.',
        body: EndlessAisleBody,
        response: { 201: Type.Object({ order: Order, order_token: Nullable(Type.String()) }) },
      },
    },
    async (req, reply) => {
      const admin = requireAdmin(req);
      const r = await once(
        deps,
        req,
        { scope: 'pos-endless-aisle', required: true, status: 201 },
        async (ctx) => {
          const out = await orderFromCounter(deps, admin, req.body, ctx);
          const order = await getOrder(deps.db, out.orderId);
          if (!order) throw notFound('Order', out.orderId);
          const [view] = await orderViews(deps.db, [order]);
          if (!view) throw notFound('Order', out.orderId);
          return { order: view, order_token: out.orderToken };
        },
      );
      return reply.code(201).send(r.body);
    },
  );
};
