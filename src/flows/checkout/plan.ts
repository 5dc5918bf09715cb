import type { CartContext, CartRow } from '../../modules/carts/index.ts';
import { planPickup, planShipping } from '../../modules/fulfillment/index.ts';
import { readyAt } from '../../modules/locations/index.ts';
import type { NewFulfillment } from '../../modules/orders/index.ts';
import { PlazaError } from '../../platform/errors.ts';

/** A fulfilment to create, with the location where its stock is held. */
export type PlannedFulfillment = NewFulfillment & { source: string };

export const unprocessable = (detail: string, details: Record<string, unknown> = {}) =>
  new PlazaError('UNPROCESSABLE', detail, details);

const insufficient = (p: { sku: string; requested: number; available: number }) =>
  new PlazaError('INSUFFICIENT_STOCK', `Only ${p.available} of ${p.sku} available`, p);

/**
 * Where every unit of the cart comes from: shipments (by routing) or, for pickup, what the store has
 * plus transfers from the channel's other locations. Throws INSUFFICIENT_STOCK when the snapshot
 * already shows a shortfall (the reservation that follows is the real check).
 */
export const planFulfillments = (
  cart: CartRow,
  priced: readonly { sku: string; quantity: number; unitPrice: number }[],
  ctx: CartContext,
  now: Date,
): { fulfillments: PlannedFulfillment[]; pickupLocationId: string | null } => {
  const f = cart.fulfillment;
  if (!f) throw unprocessable('Choose shipping or pickup first (PUT /store/carts/:id/fulfillment)');
  if (f.type === 'shipping') {
    const a = f.address ?? {};
    const to =
      typeof a.latitude === 'number' && typeof a.longitude === 'number'
        ? { lat: a.latitude, lng: a.longitude }
        : null;
    const plan = planShipping(priced, ctx.routing.locations, ctx.routing.stock, to);
    if (!plan.ok) throw insufficient(plan);
    return {
      pickupLocationId: null,
      fulfillments: plan.shipments.map((s) => ({
        type: 'shipping',
        locationId: s.locationId,
        sourceLocationId: null,
        status: 'pending',
        readyEstimateAt: null,
        reservationId: null,
        lines: s.lines,
        source: s.locationId,
      })),
    };
  }
  const storeId = f.location_id ?? '';
  const store = ctx.routing.byId.get(storeId);
  if (!store?.pickup) throw unprocessable('The pickup location no longer offers pickup');
  const plan = planPickup(priced, storeId, ctx.routing.locations, ctx.routing.stock);
  if (!plan.ok) throw insufficient(plan);
  // Within the store's opening hours and closures, in its time zone (locations/hours.ts).
  const ready = (ms: number) => readyAt(store, now, ms / 60_000);
  const fulfillments: PlannedFulfillment[] = [];
  if (plan.inStore.length) {
    fulfillments.push({
      type: 'pickup',
      locationId: storeId,
      sourceLocationId: null,
      status: 'pending',
      readyEstimateAt: ready(ctx.settings.pickup_prep_minutes * 60_000),
      reservationId: null,
      lines: plan.inStore,
      source: storeId,
    });
  }
  for (const t of plan.transfers) {
    fulfillments.push({
      type: 'pickup',
      locationId: storeId,
      sourceLocationId: t.locationId,
      status: 'awaiting_transfer',
      readyEstimateAt: ready(ctx.settings.transfer_lead_hours * 3_600_000),
      reservationId: null,
      lines: t.lines,
      source: t.locationId,
    });
  }
  return { fulfillments, pickupLocationId: storeId };
};
