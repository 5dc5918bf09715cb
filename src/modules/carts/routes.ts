import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireChannel, requireCustomer } from '../../platform/http/auth.ts';
import { IdParams, Obj, Str } from '../../platform/http/schemas.ts';
import { LiveHub } from '../../platform/live.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { channelSettings } from '../channels/index.ts';
import { anonymousIdOf } from '../customers/index.ts';
import { callerOf, openCart } from './access.ts';
import { attachCart } from './merge.ts';
import * as repo from './repo.ts';
import {
  AttachBody,
  Cart,
  CreateCartBody,
  CreatedCart,
  DiscountBody,
  FulfillmentBody,
  ItemInput,
  LineParams,
  MergeResult,
  UpdateCartBody,
  UpdateItemBody,
} from './schema.ts';
import * as svc from './service.ts';
import { streamCart } from './stream.ts';
import { type PricingChannel, priceCart } from './view.ts';

const tags = ['store: carts'];
const security: Record<string, string[]>[] = [{ channelKey: [] }, { channelKey: [], customerToken: [] }];

export const pricingChannel = (req: FastifyRequest): PricingChannel => {
  const c = requireChannel(req);
  return { channelId: c.channelId, currency: c.currency };
};

/** Prices a cart for the caller's channel inside the transaction that changed it. */
export const viewIn = async (tx: Tx, deps: Deps, cart: repo.CartRow, ch: PricingChannel) =>
  priceCart(tx, cart, await repo.linesOf(tx, cart.id), ch, deps.clock.now());

export const cartStoreRoutes = (app: HttpApp, deps: Deps): void => {
  const hub = new LiveHub(deps.db, repo.CART_CHANNEL, deps.log);
  const streams = new Set<() => void>();
  app.addHook('onReady', () => hub.start());
  app.addHook('preClose', async () => {
    for (const close of [...streams]) close();
  });
  app.addHook('onClose', () => hub.stop());

  /** Changes the cart itself (optimistic, see patchCart) and answers the priced cart. */
  const mutate = async (
    req: FastifyRequest,
    cartId: string,
    patchOf: (
      state: { cart: repo.CartRow; lines: repo.LineRow[] },
      ch: PricingChannel,
    ) => Promise<repo.CartPatch>,
  ) => {
    const ch = pricingChannel(req);
    const r = await svc.patchCart(deps.db, deps, cartId, callerOf(req), ch, (state) => patchOf(state, ch));
    return priceCart(deps.db, r.cart, r.lines, ch, deps.clock.now(), r.ctx);
  };

  /** Adds, changes or removes a line (optimistic, see changeItems) and answers the priced cart. */
  const changeItem = async (req: FastifyRequest, cartId: string, change: svc.ItemChange) => {
    const ch = pricingChannel(req);
    const r = unwrap(await svc.changeItems(deps.db, deps, cartId, callerOf(req), ch, change));
    return priceCart(deps.db, r.cart, r.lines, ch, deps.clock.now(), r.ctx);
  };

  app.post(
    '/carts',
    {
      schema: {
        operationId: 'createCart',
        reads: { 'x-plaza-anonymous-id': 'optional' },
        problems: ['INSUFFICIENT_STOCK'],
        tags,
        security,
        summary:
          "Create a cart (anonymous: returns its secret cart token; logged in: returns the customer's cart)",
        body: Type.Optional(CreateCartBody),
        response: { 201: CreatedCart },
      },
    },
    async (req, reply) => {
      const ch = pricingChannel(req);
      const r = unwrap(
        await svc.createCart(deps.db, deps, {
          channel: ch,
          customerId: req.customer?.customerId ?? null,
          email: req.body?.email?.toLowerCase() ?? null,
          items: req.body?.items ?? [],
          anonymousId: anonymousIdOf(req),
        }),
      );
      const cart = await priceCart(deps.db, r.cart, r.lines, ch, deps.clock.now(), r.ctx);
      return reply.code(201).send({ cart, cart_token: r.token });
    },
  );

  app.get(
    '/carts/current',
    {
      config: { customer: true },
      schema: {
        operationId: 'getCurrentCart',
        problems: ['NOT_FOUND'],
        tags,
        security: [{ channelKey: [], customerToken: [] }],
        summary: "The logged-in customer's active cart, from whichever channel or device it was filled",
        response: { 200: Cart },
      },
    },
    async (req) => {
      const cart = await repo.activeCartOf(deps.db, requireCustomer(req).customerId);
      if (!cart)
        throw new PlazaError('NOT_FOUND', 'This customer has no active cart; POST /store/carts creates one');
      return priceCart(
        deps.db,
        cart,
        await repo.linesOf(deps.db, cart.id),
        pricingChannel(req),
        deps.clock.now(),
      );
    },
  );

  app.get(
    '/carts/:id',
    {
      schema: {
        operationId: 'getCart',
        reads: { 'x-plaza-cart-token': 'optional' },
        tags,
        security,
        summary: 'A cart, priced for the channel it is read through',
        params: IdParams('cart'),
        response: { 200: Cart },
      },
    },
    async (req) => {
      const cart = await openCart(deps.db, req.params.id, callerOf(req));
      return priceCart(
        deps.db,
        cart,
        await repo.linesOf(deps.db, cart.id),
        pricingChannel(req),
        deps.clock.now(),
      );
    },
  );

  app.patch(
    '/carts/:id',
    {
      schema: {
        operationId: 'updateCart',
        reads: { 'x-plaza-cart-token': 'optional' },
        tags,
        security,
        summary: "Set the cart's email (guest checkout)",
        params: IdParams('cart'),
        body: UpdateCartBody,
        response: { 200: Cart },
      },
    },
    async (req) => mutate(req, req.params.id, async () => svc.emailPatch(req.body.email)),
  );

  app.post(
    '/carts/:id/items',
    {
      schema: {
        operationId: 'addCartItem',
        reads: { 'x-plaza-cart-token': 'optional' },
        problems: ['INSUFFICIENT_STOCK'],
        tags,
        security,
        summary: 'Add units of a SKU (INSUFFICIENT_STOCK with `available` when there are not enough)',
        params: IdParams('cart'),
        body: ItemInput,
        response: { 200: Cart },
      },
    },
    async (req) => changeItem(req, req.params.id, { kind: 'add', ...req.body }),
  );

  app.patch(
    '/carts/:id/items/:lineId',
    {
      schema: {
        operationId: 'updateCartItem',
        reads: { 'x-plaza-cart-token': 'optional' },
        problems: ['INSUFFICIENT_STOCK'],
        tags,
        security,
        summary: "Change a line's quantity",
        params: LineParams,
        body: UpdateItemBody,
        response: { 200: Cart },
      },
    },
    async (req) =>
      changeItem(req, req.params.id, { kind: 'set', lineId: req.params.lineId, quantity: req.body.quantity }),
  );

  app.delete(
    '/carts/:id/items/:lineId',
    {
      schema: {
        operationId: 'removeCartItem',
        reads: { 'x-plaza-cart-token': 'optional' },
        tags,
        security,
        summary: 'Remove a line',
        params: LineParams,
        response: { 200: Cart },
      },
    },
    async (req) => changeItem(req, req.params.id, { kind: 'remove', lineId: req.params.lineId }),
  );

  app.put(
    '/carts/:id/fulfillment',
    {
      schema: {
        operationId: 'setCartFulfillment',
        reads: { 'x-plaza-cart-token': 'optional' },
        tags,
        security,
        summary:
          'Choose shipping to an address or pickup at a store (routing shows shipments or the ready time)',
        params: IdParams('cart'),
        body: FulfillmentBody,
        response: { 200: Cart },
      },
    },
    async (req) => mutate(req, req.params.id, (_state, ch) => svc.fulfillmentPatch(deps.db, ch, req.body)),
  );

  app.post(
    '/carts/:id/discount',
    {
      schema: {
        operationId: 'applyCartDiscount',
        reads: { 'x-plaza-cart-token': 'optional' },
        problems: ['DISCOUNT_INVALID'],
        tags,
        security,
        summary: 'Apply a discount code',
        params: IdParams('cart'),
        body: DiscountBody,
        response: { 200: Cart },
      },
    },
    async (req) =>
      mutate(req, req.params.id, async (state, ch) =>
        unwrap(
          await svc.discountPatch(deps.db, deps, state.lines, ch, req.body.code, state.cart.customer_id),
        ),
      ),
  );

  app.delete(
    '/carts/:id/discount',
    {
      schema: {
        operationId: 'removeCartDiscount',
        reads: { 'x-plaza-cart-token': 'optional' },
        tags,
        security,
        summary: 'Remove the discount code',
        params: IdParams('cart'),
        response: { 200: Cart },
      },
    },
    async (req) => mutate(req, req.params.id, async () => ({ discount_code: null })),
  );

  app.post(
    '/carts/:id/attach',
    {
      config: { customer: true },
      schema: {
        operationId: 'attachCart',
        reads: { 'x-plaza-cart-token': 'optional' },
        tags,
        security: [{ channelKey: [], customerToken: [] }],
        summary:
          'Attach an anonymous cart (its x-plaza-cart-token) to the logged-in customer, merging it into theirs',
        params: IdParams('cart'),
        body: Type.Optional(AttachBody),
        response: { 200: MergeResult },
      },
    },
    async (req) => {
      const ch = pricingChannel(req);
      const customerId = requireCustomer(req).customerId;
      return deps.db.tx(async (tx) => {
        const anonymous = await openCart(tx, req.params.id, callerOf(req));
        const strategy = req.body?.strategy ?? (await channelSettings(tx, ch.channelId)).cart_merge_strategy;
        const r = await attachCart(tx, deps, { anonymous, customerId, channel: ch, strategy });
        if (!r.cart) throw new PlazaError('CONFLICT', 'This cart cannot be attached', { reason: r.skipped });
        return { strategy, cart: await viewIn(tx, deps, r.cart, ch), adjustments: r.adjustments };
      });
    },
  );

  app.get(
    '/carts/:id/stream',
    {
      config: { queryAuth: true },
      schema: {
        operationId: 'streamCart',
        reads: { 'x-plaza-cart-token': 'optional' },
        produces: ['text/event-stream'],
        tags,
        security,
        summary: 'Server-Sent Events: the cart now, then after every change from any device or channel',
        description:
          'Each `cart` event carries the full priced cart. Browsers, whose EventSource cannot set headers, ' +
          'may pass `channel_key`, `access_token` (customer token) and `cart_token` in the query string.',
        params: IdParams('cart'),
        querystring: Obj({
          channel_key: Type.Optional(Str({ max: 200 })),
          access_token: Type.Optional(Str({ max: 200 })),
          cart_token: Type.Optional(Str({ max: 200 })),
        }),
      },
    },
    async (req, reply) => {
      const who = callerOf(req);
      await openCart(deps.db, req.params.id, who);
      await streamCart(req, reply, deps, hub, streams, req.params.id, pricingChannel(req), who);
    },
  );
};
