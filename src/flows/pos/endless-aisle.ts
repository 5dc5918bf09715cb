/**
 * Endless aisle: at the counter, an item the store lacks is ordered from another location, for home
 * delivery or a later pickup (at this store or another). It is a normal order of the POS channel,
 * tagged with the selling store, held and paid like a web checkout (authorized now, captured when
 * shipped or collected); a pickup gets its pickup code and transfers like any pickup order.
 */
import { getCustomer } from '../../modules/customers/index.ts';
import { planPickup, planShipping, type RoutingLocation } from '../../modules/fulfillment/index.ts';
import {
  availability,
  releaseReservation,
  reserve,
  setReservationExpiry,
} from '../../modules/inventory/index.ts';
import { getLocation, listLocations, readyAt } from '../../modules/locations/index.ts';
import {
  changeOrderStatus,
  createOrder,
  fulfillmentsOf,
  getOrder,
  type NewFulfillment,
  type OrderRow,
} from '../../modules/orders/index.ts';
import {
  authorizeWithProvider,
  changePayment,
  createPayment,
  paymentsOfOrders,
} from '../../modules/payments/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import type { AdminPrincipal } from '../../platform/http/auth.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { setUpPickup } from '../pickup/setup.ts';
import type { OnceContext } from '../shared/idempotent.ts';
import { itemsOfCodes, orderLinesOf, priceItems } from '../shared/pricing.ts';
import { assertCounterAccess, counterOf } from './sale.ts';
import type { EndlessAisleBody } from './schema.ts';

const insufficient = (p: { sku: string; requested: number; available: number }) =>
  new PlazaError('INSUFFICIENT_STOCK', `Only ${p.available} of ${p.sku} available anywhere`, p);

/** Every active location with its stock of `skus`: warehouses first, then stores. */
const network = async (tx: Tx, skus: readonly string[]) => {
  const locations = (await listLocations(tx, { active: true, limit: 500 })).sort((a, b) =>
    a.type === b.type ? 0 : a.type === 'warehouse' ? -1 : 1,
  );
  const routing: RoutingLocation[] = locations.map((l, i) => ({
    id: l.id,
    priority: l.type === 'warehouse' ? 0 : 1 + i,
    latitude: l.latitude,
    longitude: l.longitude,
    canShip: l.type === 'warehouse' || l.ship_from_store,
    pickup: l.pickup,
  }));
  const stock = new Map<string, Map<string, number>>();
  for (const r of await availability(tx, { skus, locationIds: locations.map((l) => l.id) })) {
    const m = stock.get(r.location_id) ?? new Map<string, number>();
    m.set(r.sku, r.available);
    stock.set(r.location_id, m);
  }
  return { routing, stock };
};

/** Phase one: route, hold the stock at its sources, create the order (pending payment). */
const prepare = async (tx: Tx, deps: Deps, admin: AdminPrincipal, body: EndlessAisleBody) => {
  const actor = `token:${admin.tokenId}`;
  const { channel, store } = await counterOf(tx, body.channel_id);
  assertCounterAccess(admin, store.id);
  const customer = body.customer_id ? await getCustomer(tx, body.customer_id) : undefined;
  const email = body.email?.toLowerCase() ?? customer?.email ?? null;
  if (!email)
    throw validation('An email is needed to tell the customer about the order', [
      {
        path: 'body.email',
        message: customer
          ? 'is required: this customer has no e-mail on file'
          : 'is required without a customer',
      },
    ]);
  const f = body.fulfillment;
  if (body.payment.provider === 'pay-in-store' && f.type !== 'pickup') {
    throw validation('pay-in-store is only for pickup orders', [
      { path: 'body.payment', message: 'pickup only' },
    ]);
  }
  const now = deps.clock.now();
  const items = await itemsOfCodes(tx, body.items);
  const priced = await priceItems(tx, channel.id, items, now, { ships: f.type === 'shipping' });
  const { routing, stock } = await network(
    tx,
    items.map((i) => i.sku),
  );
  const settings = priced.settings;
  const fulfillments: (NewFulfillment & { source: string })[] = [];
  if (f.type === 'shipping') {
    const to =
      f.address.latitude !== undefined && f.address.longitude !== undefined
        ? { lat: f.address.latitude, lng: f.address.longitude }
        : null;
    const plan = planShipping(
      items,
      routing.filter((l) => l.id !== store.id),
      stock,
      to,
    );
    if (!plan.ok) throw insufficient(plan);
    for (const s of plan.shipments) {
      fulfillments.push({
        type: 'shipping',
        locationId: s.locationId,
        sourceLocationId: null,
        status: 'pending',
        readyEstimateAt: null,
        reservationId: null,
        lines: s.lines,
        source: s.locationId,
      });
    }
  } else {
    if (!routing.find((l) => l.id === f.location_id)?.pickup) {
      throw new PlazaError('UNPROCESSABLE', `Location ${f.location_id} does not offer pickup`, {
        location_id: f.location_id,
      });
    }
    const plan = planPickup(items, f.location_id, routing, stock);
    if (!plan.ok) throw insufficient(plan);
    // Within the pickup store's opening hours and closures, in its time zone.
    const hours = await getLocation(tx, f.location_id);
    const at = (ms: number) => (hours ? readyAt(hours, now, ms / 60_000) : new Date(now.getTime() + ms));
    if (plan.inStore.length) {
      fulfillments.push({
        type: 'pickup',
        locationId: f.location_id,
        sourceLocationId: null,
        status: 'pending',
        readyEstimateAt: at(settings.pickup_prep_minutes * 60_000),
        reservationId: null,
        lines: plan.inStore,
        source: f.location_id,
      });
    }
    for (const t of plan.transfers) {
      fulfillments.push({
        type: 'pickup',
        locationId: f.location_id,
        sourceLocationId: t.locationId,
        status: 'awaiting_transfer',
        readyEstimateAt: at(settings.transfer_lead_hours * 3_600_000),
        reservationId: null,
        lines: t.lines,
        source: t.locationId,
      });
    }
  }
  const orderId = newId('ord');
  const expiresAt = new Date(now.getTime() + settings.checkout_hold_minutes * 60_000);
  for (const ful of fulfillments) {
    const r = await reserve(tx, deps, {
      reference: { type: 'order', id: orderId },
      lines: ful.lines.map((l) => ({ sku: l.sku, location_id: ful.source, quantity: l.quantity })),
      expiresAt,
      actor,
    });
    if (!r.ok) throw new PlazaError('INSUFFICIENT_STOCK', r.detail, r.details);
    ful.reservationId = r.value.id;
  }
  const orderToken = customer ? null : newSecret('plz_ot_');
  const order = await createOrder(tx, deps, {
    id: orderId,
    status: 'pending_payment',
    paymentStatus: 'pending',
    channelId: channel.id,
    sellingLocationId: store.id,
    customerId: customer?.id ?? null,
    email,
    cartId: null,
    fulfillmentType: f.type,
    pickupLocationId: f.type === 'pickup' ? f.location_id : null,
    shippingAddress: f.type === 'shipping' ? { ...f.address } : null,
    currency: channel.currency,
    shippingTotal: priced.totals.shippingTotal,
    pricesIncludeTax: settings.prices_include_tax,
    discountId: null,
    discountCode: null,
    accessToken: orderToken,
    lines: orderLinesOf(priced.lines),
    fulfillments,
    actor,
  });
  await createPayment(tx, deps, {
    orderId,
    provider: body.payment.provider,
    amount: order.total,
    currency: order.currency,
    actor,
  });
  return { order, orderToken };
};

/** Phase three: confirmed (holds kept until fulfilled, pickup opened) or cancelled (holds released). */
const settle = async (
  tx: Tx,
  deps: Deps,
  order: OrderRow,
  outcome: Awaited<ReturnType<typeof authorizeWithProvider>>,
  actor: string,
) => {
  const p = (await paymentsOfOrders(tx, [order.id])).at(-1);
  if (!p) throw new Error(`order ${order.id} has no payment`);
  const data = { location_id: order.selling_location_id, selling_location_id: order.selling_location_id };
  const fuls = await fulfillmentsOf(tx, [order.id]);
  const release = async (reason: string) => {
    for (const f of fuls)
      if (f.reservation_id) await releaseReservation(tx, deps, f.reservation_id, { reason, actor });
  };
  if (outcome.status === 'authorized') {
    await changePayment(tx, deps, p.id, 'authorized', {
      actor,
      patch: { reference: outcome.reference, display: outcome.display },
    });
    let held = true;
    for (const f of fuls)
      if (f.reservation_id) held = held && (await setReservationExpiry(tx, deps, f.reservation_id, null));
    if (!held) {
      await changePayment(tx, deps, p.id, 'voided', { actor, reason: 'stock_hold_expired' });
      await release('stock_hold_expired');
      await changeOrderStatus(tx, deps, order.id, 'cancelled', {
        actor,
        reason: 'stock_hold_expired',
        paymentStatus: 'voided',
        data,
      });
      return { ok: false as const, code: 'INSUFFICIENT_STOCK' as const, reason: 'stock_hold_expired' };
    }
    await changeOrderStatus(tx, deps, order.id, 'confirmed', { actor, paymentStatus: 'authorized', data });
    if (order.fulfillment_type === 'pickup') await setUpPickup(tx, deps, order.id, actor);
    return { ok: true as const };
  }
  const status = outcome.status === 'declined' ? 'declined' : 'failed';
  await changePayment(tx, deps, p.id, status, {
    actor,
    reason: outcome.reason,
    patch: { failure_reason: outcome.reason },
  });
  await release(`payment_${status}`);
  await changeOrderStatus(tx, deps, order.id, 'cancelled', {
    actor,
    reason: `payment_${status}`,
    paymentStatus: status,
    data,
  });
  return {
    ok: false as const,
    code: status === 'declined' ? ('PAYMENT_DECLINED' as const) : ('PAYMENT_FAILED' as const),
    reason: outcome.reason,
  };
};

/**
 * Orders items for delivery or pickup from the counter. Returns the order and, for a guest, the
 * order token that lets them follow it online. Declined: PAYMENT_DECLINED, nothing held.
 */
export const orderFromCounter = async (
  deps: Deps,
  admin: AdminPrincipal,
  body: EndlessAisleBody,
  ctx: OnceContext,
): Promise<{ orderId: string; orderToken: string | null }> => {
  const actor = `token:${admin.tokenId}`;
  let orderToken: string | null = null;
  let orderId = ctx.resumeId;
  if (!orderId) {
    const prepared = await deps.db.tx(
      async (tx) => {
        const out = await prepare(tx, deps, admin, body);
        await ctx.attach(tx, out.order.id);
        return out;
      },
      { retries: 2 },
    );
    orderId = prepared.order.id;
    orderToken = prepared.orderToken;
  }
  const payment = (await paymentsOfOrders(deps.db, [orderId])).at(-1);
  const order = (await getOrder(deps.db, orderId)) as OrderRow;
  if (payment?.status !== 'pending' || order.status !== 'pending_payment') return { orderId, orderToken };
  const details = body.payment.provider === 'test-card' ? { card_number: body.payment.card_number } : {};
  const outcome = await authorizeWithProvider(deps.config.paymentTimeoutMs, payment, details);
  const id = orderId;
  const result = await deps.db.tx(async (tx) => {
    const locked = (await getOrder(tx, id, true)) as OrderRow;
    return locked.status === 'pending_payment'
      ? settle(tx, deps, locked, outcome, actor)
      : { ok: true as const };
  });
  if (!result.ok) {
    throw new PlazaError(result.code, 'The order could not be placed; nothing was charged', {
      reason: result.reason,
    });
  }
  return { orderId, orderToken };
};
