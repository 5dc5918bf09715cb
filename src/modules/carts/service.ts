import { sha256 } from '../../platform/crypto.ts';
import { pgCode, type Queryable } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { sellableSkus } from '../catalog/index.ts';
import { evaluateCode } from '../discounts/index.ts';
import { fulfilmentLocations } from '../locations/index.ts';
import { assertActive, type CartCaller, cartNotFound, mayOpen } from './access.ts';
import { subtotalOf, unitPriceOf } from './pricing.ts';
import * as repo from './repo.ts';
import type { FulfillmentBody } from './schema.ts';
import {
  activeLocations,
  availableFor,
  type CartContext,
  loadCartContext,
  type PricingChannel,
} from './view.ts';

type Clocked = Pick<Deps, 'clock'>;
export const CART_TOKEN_PREFIX = 'plz_cart_';

export type ItemChange =
  | { kind: 'add'; sku: string; quantity: number }
  | { kind: 'set'; lineId: string; quantity: number }
  | { kind: 'remove'; lineId: string };

const MAX_LINE_QUANTITY = 999;

/** Refuses SKUs the channel does not sell and quantities beyond what the cart's fulfilment can get. */
const checkLine = (
  cart: repo.CartRow,
  ctx: CartContext,
  sku: string,
  quantity: number,
): Result<true, 'NOT_FOUND' | 'INSUFFICIENT_STOCK'> => {
  const s = ctx.sellable.get(sku);
  if (!s?.published || !s.price) return fail('NOT_FOUND', `SKU ${sku} is not sold on this channel`, { sku });
  const available = Math.min(availableFor(cart, ctx.routing, sku), MAX_LINE_QUANTITY);
  if (quantity > available) {
    return fail('INSUFFICIENT_STOCK', `Only ${available} of ${sku} available`, {
      sku,
      requested: quantity,
      available,
    });
  }
  return ok(true);
};

export interface ChangedCart {
  cart: repo.CartRow;
  lines: repo.LineRow[];
  ctx: CartContext;
}

/**
 * Adds, changes or removes a line with optimistic concurrency: read the cart (one query), check the
 * change against the channel's catalog and stock (one query), write it only if nobody changed the
 * cart meanwhile (one statement), else read again (up to 5 times). No transaction and no lock are
 * held, so a busy cart never blocks; the result carries what is needed to price the cart.
 */
export const changeItems = async (
  q: Queryable,
  deps: Clocked,
  cartId: string,
  who: CartCaller,
  channel: PricingChannel,
  change: ItemChange,
): Promise<Result<ChangedCart, 'NOT_FOUND' | 'INSUFFICIENT_STOCK'>> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.clock.now();
    const active = await activeLocations(q, channel.channelId);
    const state = await repo.cartWithLines(q, cartId, false, {
      locationIds: active.map((l) => l.id),
      extraSkus: change.kind === 'add' ? [change.sku] : [],
    });
    if (!state || !mayOpen(state.cart, who)) throw cartNotFound(cartId);
    assertActive(state.cart);
    const { cart, lines } = state;
    const line =
      change.kind === 'add'
        ? lines.find((l) => l.sku === change.sku)
        : lines.find((l) => l.id === change.lineId);
    if (change.kind !== 'add' && !line) throw notFound('Cart line', change.lineId);
    const sku = change.kind === 'add' ? change.sku : (line as repo.LineRow).sku;
    const quantity =
      change.kind === 'add'
        ? (line?.quantity ?? 0) + change.quantity
        : change.kind === 'set'
          ? change.quantity
          : 0;
    const next: repo.LineRow[] =
      change.kind === 'remove'
        ? lines.filter((l) => l.id !== change.lineId)
        : line
          ? lines.map((l) => (l.id === line.id ? { ...l, quantity, updated_at: now } : l))
          : [
              ...lines,
              {
                id: newId('cli'),
                cart_id: cart.id,
                sku,
                quantity,
                channel_id: channel.channelId,
                created_at: now,
                updated_at: now,
              },
            ];
    const ctx = await loadCartContext(q, channel, next, now, state.stock);
    // Lowering a quantity or removing a line is always allowed; raising one is checked.
    if (change.kind !== 'remove' && quantity > (line?.quantity ?? 0)) {
      const check = checkLine(cart, ctx, sku, quantity);
      if (!check.ok) return check;
    }
    const written = await repo.writeLineIfVersion(
      q,
      cart.id,
      cart.version,
      change.kind === 'remove'
        ? { kind: 'remove', id: change.lineId }
        : {
            kind: 'set',
            id: line?.id ?? (next.at(-1) as repo.LineRow).id,
            sku,
            quantity,
            channelId: line?.channel_id ?? channel.channelId,
          },
      now,
    );
    if (written) return ok({ cart: written, lines: next, ctx });
  }
  throw new PlazaError('CONFLICT', 'The cart is being changed from several places at once; retry', {
    retryable: true,
  });
};

/**
 * Creates a cart with its first items in one statement, after checking them all against one read of
 * the catalog and stock. An anonymous cart gets its secret token (shown once); a logged-in customer
 * who already has an active cart gets that cart, with the items added.
 */
export const createCart = async (
  q: Queryable,
  deps: Clocked,
  c: {
    channel: PricingChannel;
    customerId: string | null;
    email: string | null;
    items: { sku: string; quantity: number }[];
    /** The device (x-plaza-anonymous-id) that created the cart, remembered for the customer's history. */
    anonymousId?: string | null;
  },
): Promise<Result<ChangedCart & { token: string | null }, 'NOT_FOUND' | 'INSUFFICIENT_STOCK'>> => {
  if (c.customerId) {
    const existing = await repo.activeCartOf(q, c.customerId);
    if (existing) {
      const who = { customer: { customerId: c.customerId, sessionId: '' }, cartToken: undefined };
      let current: ChangedCart | undefined;
      for (const item of c.items) {
        const r = await changeItems(q, deps, existing.id, who, c.channel, { kind: 'add', ...item });
        if (!r.ok) return r;
        current = r.value;
      }
      if (current) return ok({ ...current, token: null });
      const lines = await repo.linesOf(q, existing.id);
      return ok({
        cart: existing,
        lines,
        ctx: await loadCartContext(q, c.channel, lines, deps.clock.now()),
        token: null,
      });
    }
  }
  const now = deps.clock.now();
  const merged = new Map<string, number>();
  for (const i of c.items) merged.set(i.sku, (merged.get(i.sku) ?? 0) + i.quantity);
  const id = newId('cart');
  const lines: repo.LineRow[] = [...merged].map(([sku, quantity]) => ({
    id: newId('cli'),
    cart_id: id,
    sku,
    quantity,
    channel_id: c.channel.channelId,
    created_at: now,
    updated_at: now,
  }));
  const token = c.customerId ? null : newSecret(CART_TOKEN_PREFIX);
  const draft = { id, customer_id: c.customerId, status: 'active', fulfillment: null } as repo.CartRow;
  const ctx = await loadCartContext(q, c.channel, lines, now);
  for (const l of lines) {
    const check = checkLine(draft, ctx, l.sku, l.quantity);
    if (!check.ok) return check;
  }
  let cart: repo.CartRow;
  try {
    cart = await repo.insertCartWithLines(
      q,
      {
        id,
        token_hash: token ? sha256(token) : null,
        customer_id: c.customerId,
        origin_channel_id: c.channel.channelId,
        email: c.email,
        created_at: now,
        anonymous_id: c.anonymousId ?? null,
      },
      lines.map((l) => ({ id: l.id, sku: l.sku, quantity: l.quantity, channelId: l.channel_id })),
    );
  } catch (e) {
    // Another device of this customer created the active cart at the same moment (one active cart
    // per customer): this request adds its items to that cart. Outside a transaction only, since a
    // failed statement ends a PostgreSQL transaction.
    if (c.customerId && pgCode(e) === '23505' && !('inTransaction' in q)) return createCart(q, deps, c);
    throw e;
  }
  return ok({ cart, lines, ctx, token });
};

/** The patch that sets the cart's email (guest checkout). */
export const emailPatch = (email: string): repo.CartPatch => ({ email: email.trim().toLowerCase() });

/** Chooses shipping (to an address) or pickup (at one of the channel's pickup locations). */
export const fulfillmentPatch = async (
  q: Queryable,
  channel: PricingChannel,
  body: FulfillmentBody,
): Promise<repo.CartPatch> => {
  if (body.type === 'pickup') {
    const loc = (await fulfilmentLocations(q, channel.channelId)).find((l) => l.id === body.location_id);
    if (!loc?.active || !loc.pickup) {
      throw new PlazaError(
        'VALIDATION_FAILED',
        `Location ${body.location_id} is not a pickup location of this channel`,
        {
          errors: [{ path: 'body.location_id', message: 'is not a pickup location of this channel' }],
        },
      );
    }
    return { fulfillment: { type: 'pickup', location_id: loc.id } };
  }
  return { fulfillment: { type: 'shipping', address: { ...body.address } } };
};

/** Applies a discount code if it is valid on this channel now (it is checked again at checkout). */
export const discountPatch = async (
  q: Queryable,
  deps: Clocked,
  lines: readonly repo.LineRow[],
  channel: PricingChannel,
  code: string,
  /** The cart's customer (a personal offer code of another customer is refused). */
  customerId: string | null = null,
): Promise<Result<repo.CartPatch, 'DISCOUNT_INVALID'>> => {
  const now = deps.clock.now();
  const sellable = await sellableSkus(
    q,
    channel.channelId,
    lines.map((l) => l.sku),
    now,
  );
  // The subtotal the cart view gives the code (lines not sold here count nothing).
  const subtotal = subtotalOf(
    lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: unitPriceOf(sellable.get(l.sku)) ?? 0,
    })),
  );
  const d = await evaluateCode(q, code, { ...channel, subtotal, at: now, customerId });
  return d.ok ? ok({ discount_code: d.value.discount.code }) : d;
};

/**
 * Changes the cart itself (email, fulfilment, discount) with optimistic concurrency: read it, let
 * `patchOf` compute the change, write it only if nobody changed the cart meanwhile (one statement,
 * announced to every open stream), else read again. Returns what is needed to price the result.
 */
export const patchCart = async (
  q: Queryable,
  deps: Clocked,
  cartId: string,
  who: CartCaller,
  channel: PricingChannel,
  patchOf: (state: { cart: repo.CartRow; lines: repo.LineRow[] }) => Promise<repo.CartPatch>,
): Promise<ChangedCart> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const active = await activeLocations(q, channel.channelId);
    const state = await repo.cartWithLines(q, cartId, false, {
      locationIds: active.map((l) => l.id),
      extraSkus: [],
    });
    if (!state || !mayOpen(state.cart, who)) throw cartNotFound(cartId);
    assertActive(state.cart);
    const patch = await patchOf(state);
    const now = deps.clock.now();
    const cart = await repo.updateCart(q, cartId, patch, now, state.cart.version);
    if (cart)
      return {
        cart,
        lines: state.lines,
        ctx: await loadCartContext(q, channel, state.lines, now, state.stock),
      };
  }
  throw new PlazaError('CONFLICT', 'The cart is being changed from several places at once; retry', {
    retryable: true,
  });
};
