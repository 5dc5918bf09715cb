import type { Queryable } from '../../platform/db.ts';
import type { SellableSku } from '../catalog/index.ts';
import { type ChannelSettings, channelSettings } from '../channels/index.ts';
import { evaluateCode } from '../discounts/index.ts';
import { planPickup, planShipping, type RoutingContext, routingFrom, unitsAt } from '../fulfillment/index.ts';
import { fulfilmentLocations, readyAt } from '../locations/index.ts';
import { priceOrder, unitPriceOf } from './pricing.ts';
import { catalogFacts, parseStock, stockOf } from './read-model.ts';
import type { CartRow, LineRow } from './repo.ts';
import type { CartView } from './schema.ts';

export interface PricingChannel {
  channelId: string;
  currency: string;
}

const LOW_STOCK = 5;

/** Where a line can come from for the cart's fulfilment: all channel locations, or only those that ship. */
const sourceIds = (cart: CartRow, ctx: RoutingContext): string[] =>
  (cart.fulfillment?.type === 'shipping' ? ctx.locations.filter((l) => l.canShip) : ctx.locations).map(
    (l) => l.id,
  );

export interface CartContext {
  sellable: Map<string, SellableSku>;
  routing: RoutingContext;
  settings: ChannelSettings;
}

/** The channel's active fulfilment locations (cached per process). */
export const activeLocations = async (q: Queryable, channelId: string) =>
  (await fulfilmentLocations(q, channelId)).filter((l) => l.active);

/**
 * Loads what pricing a cart on a channel needs: settings and fulfilment locations (cached), catalog
 * facts (cached until they can change), live stock (one query, or `knownStock` read with the cart).
 */
export const loadCartContext = async (
  q: Queryable,
  channel: PricingChannel,
  lines: readonly { sku: string; quantity: number }[],
  at: Date,
  knownStock?: string | null,
): Promise<CartContext> => {
  const [active, settings] = await Promise.all([
    activeLocations(q, channel.channelId),
    channelSettings(q, channel.channelId),
  ]);
  const skus = lines.map((l) => l.sku);
  const [sellable, stock] = await Promise.all([
    catalogFacts(q, channel.channelId, skus, at),
    knownStock === undefined
      ? stockOf(
          q,
          skus,
          active.map((l) => l.id),
        )
      : Promise.resolve(parseStock(knownStock)),
  ]);
  return { sellable, routing: routingFrom(active, stock), settings };
};

/** Units of `sku` the cart could get with its current fulfilment choice. */
export const availableFor = (cart: CartRow, ctx: RoutingContext, sku: string): number =>
  unitsAt(ctx, sku, sourceIds(cart, ctx));

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * The cart as seen through a channel: that channel's prices now, availability for the chosen
 * fulfilment, discount, shipping, tax and totals. Nothing is stored: a cart is priced when read.
 */
export const priceCart = async (
  q: Queryable,
  cart: CartRow,
  lines: readonly LineRow[],
  channel: PricingChannel,
  at: Date,
  loaded?: CartContext,
): Promise<CartView> => {
  const ctx = loaded ?? (await loadCartContext(q, channel, lines, at));
  const { sellable, routing, settings } = ctx;
  const f = cart.fulfillment;
  const pickupId = f?.type === 'pickup' ? (f.location_id ?? null) : null;
  const viewLines = lines.map((l) => {
    const s = sellable.get(l.sku);
    const unitPrice = unitPriceOf(s);
    const available = availableFor(cart, routing, l.sku);
    const availability =
      unitPrice === null
        ? ('not_sold_here' as const)
        : available === 0
          ? ('out_of_stock' as const)
          : available < l.quantity
            ? ('insufficient' as const)
            : available - l.quantity < LOW_STOCK
              ? ('low_stock' as const)
              : ('in_stock' as const);
    return {
      id: l.id,
      sku: l.sku,
      variant_id: s?.variant_id ?? null,
      product_id: s?.product_id ?? null,
      title: s?.product_title ?? l.sku,
      variant_title: s?.variant_title ?? null,
      image_url: s?.image_url ?? null,
      quantity: l.quantity,
      unit_price: unitPrice,
      compare_at_price: unitPrice === null ? null : (s?.price?.compare_at_amount ?? null),
      subtotal: (unitPrice ?? 0) * l.quantity,
      available,
      availability,
      ...(pickupId
        ? {
            ready:
              unitsAt(routing, l.sku, [pickupId]) >= l.quantity
                ? ('in_store' as const)
                : ('by_transfer' as const),
          }
        : {}),
    };
  });
  const priced = viewLines.flatMap((l) =>
    l.unit_price === null ? [] : [{ sku: l.sku, quantity: l.quantity, unitPrice: l.unit_price }],
  );
  const code = cart.discount_code;
  const pricing = await priceOrder(priced, {
    settings,
    ships: f?.type === 'shipping',
    // A code that no longer applies shows why and takes nothing off (checkout refuses it).
    discount: code
      ? async (subtotal): Promise<NonNullable<CartView['discount']>> => {
          const d = await evaluateCode(q, code, { ...channel, subtotal, at, customerId: cart.customer_id });
          return d.ok
            ? { code: d.value.discount.code, amount: d.value.amount, invalid_reason: null }
            : { code: code.toUpperCase(), amount: 0, invalid_reason: String(d.details.reason) };
        }
      : undefined,
  });

  let fulfillment: CartView['fulfillment'] = null;
  if (f?.type === 'shipping') {
    const a = f.address ?? {};
    const to =
      typeof a.latitude === 'number' && typeof a.longitude === 'number'
        ? { lat: a.latitude, lng: a.longitude }
        : null;
    const plan = planShipping(priced, routing.locations, routing.stock, to);
    fulfillment = {
      type: 'shipping',
      address: a,
      shipments: plan.ok ? plan.shipments.map((s) => ({ location_id: s.locationId, lines: s.lines })) : [],
      problem: plan.ok ? null : `Not enough ${plan.sku} to ship: ${plan.available} available`,
    };
  } else if (f?.type === 'pickup' && pickupId) {
    const loc = routing.byId.get(pickupId);
    const plan = planPickup(priced, pickupId, routing.locations, routing.stock);
    const transfer = plan.ok && plan.transfers.length > 0;
    const readyIn = transfer
      ? settings.transfer_lead_hours * 3_600_000
      : settings.pickup_prep_minutes * 60_000;
    fulfillment = {
      type: 'pickup',
      location_id: pickupId,
      location_name: loc?.name ?? pickupId,
      // Within the store's opening hours and closures, in its time zone (locations/hours.ts).
      ready_estimate_at: plan.ok
        ? iso(loc ? readyAt(loc, at, readyIn / 60_000) : new Date(at.getTime() + readyIn))
        : null,
      needs_transfer: transfer,
      problem: !loc?.pickup
        ? 'This location no longer offers pickup for this channel'
        : plan.ok
          ? null
          : `Not enough ${plan.sku}: ${plan.available} available`,
    };
  }
  const changed = lines
    .map((l) => sellable.get(l.sku)?.price_changed_at)
    .filter((d): d is Date => d instanceof Date);
  return {
    id: cart.id,
    status: cart.status,
    customer_id: cart.customer_id,
    email: cart.email,
    channel_id: channel.channelId,
    currency: channel.currency,
    priced_at: at.toISOString(),
    prices_changed_at: changed.length
      ? new Date(Math.max(...changed.map((d) => d.getTime()))).toISOString()
      : null,
    lines: viewLines,
    item_count: lines.reduce((n, l) => n + l.quantity, 0),
    fulfillment,
    discount: pricing.discount,
    subtotal: pricing.subtotal,
    discount_total: pricing.discountTotal,
    shipping_total: pricing.shippingTotal,
    tax_total: pricing.taxTotal,
    total: pricing.total,
    merged_into: cart.merged_into,
    order_id: cart.order_id,
    version: cart.version,
    created_at: cart.created_at.toISOString(),
    updated_at: cart.updated_at.toISOString(),
  };
};
