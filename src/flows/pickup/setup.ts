/**
 * Opening a pickup when a pickup order is confirmed: its code, its lines, and a transfer to the
 * store for every fulfilment whose stock is held elsewhere (`awaiting_transfer`). Also closing it
 * when the order is cancelled some other way. Both run from outbox subscribers and are idempotent.
 */
import { cancelTransfer, createTransfer, getTransfer } from '../../modules/inventory/index.ts';
import {
  type FulfillmentRow,
  fulfillmentLinesOf,
  fulfillmentsOf,
  getOrder,
  type OrderRow,
} from '../../modules/orders/index.ts';
import {
  changePickup,
  getPickup,
  insertPickupTransfer,
  OPEN_PICKUP,
  openPickup,
  type PickupRow,
  pickupEventData,
  pickupTransfersOf,
} from '../../modules/pickups/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';
import { writeEvent } from '../../platform/outbox/events.ts';

const latest = (dates: (Date | null)[]): Date | null =>
  dates.reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);

/** The order's pickup fulfilments (at its pickup store), in id order. */
export const pickupFulfillments = async (tx: Tx, order: OrderRow): Promise<FulfillmentRow[]> =>
  (await fulfillmentsOf(tx, [order.id])).filter(
    (f) => f.type === 'pickup' && f.location_id === order.pickup_location_id,
  );

/**
 * Opens the pickup of a confirmed pickup order (once) and requests a transfer to the store for each
 * fulfilment awaiting one. Returns the pickup, or undefined when the order is not a confirmed
 * pickup order. Safe to call again: nothing is created twice.
 */
export const setUpPickup = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  orderId: string,
  actor = 'pickup',
): Promise<PickupRow | undefined> => {
  const order = await getOrder(tx, orderId, true);
  const existing = await getPickup(tx, orderId);
  if (order?.fulfillment_type !== 'pickup' || !order.pickup_location_id) return existing;
  if (existing || order.status !== 'confirmed') return existing;
  const fuls = await pickupFulfillments(tx, order);
  const lines = await fulfillmentLinesOf(
    tx,
    fuls.map((f) => f.id),
  );
  const { pickup, created } = await openPickup(tx, deps, {
    order,
    locationId: order.pickup_location_id,
    readyEstimateAt: latest(fuls.map((f) => f.ready_estimate_at)),
    lines: lines.map((l) => ({ ...l })),
    actor,
  });
  if (!created) return pickup;
  const linked = new Set((await pickupTransfersOf(tx, [orderId])).map((t) => t.fulfillment_id));
  for (const f of fuls) {
    if (f.status !== 'awaiting_transfer' || !f.source_location_id || linked.has(f.id)) continue;
    const t = await createTransfer(tx, deps, {
      from_location_id: f.source_location_id,
      to_location_id: f.location_id,
      lines: lines
        .filter((l) => l.fulfillment_id === f.id)
        .map((l) => ({ sku: l.sku, quantity: l.quantity })),
      note: `Click & collect order ${order.number}`,
      actor,
    });
    await insertPickupTransfer(tx, {
      transfer_id: t.id,
      order_id: orderId,
      fulfillment_id: f.id,
      source_released_at: null,
      store_held_at: null,
      created_at: deps.clock.now(),
    });
    await writeEvent(tx, deps.clock, {
      type: 'pickup.transfer_requested',
      aggregateType: 'order',
      aggregateId: orderId,
      data: {
        ...pickupEventData(pickup),
        transfer_id: t.id,
        from_location_id: f.source_location_id,
        lines: t.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        ready_estimate_at: f.ready_estimate_at?.toISOString() ?? null,
      },
    });
  }
  return pickup;
};

/**
 * Closes the open pickup of an order that was cancelled by another path (the customer, the
 * merchant, the abandoned-checkout sweeper) and cancels its transfers that have not shipped yet.
 */
export const closePickupOfCancelledOrder = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  orderId: string,
): Promise<void> => {
  await getOrder(tx, orderId, true); // lock order, then pickup, then transfers (the house order)
  const pickup = await getPickup(tx, orderId, 'wait');
  for (const link of await pickupTransfersOf(tx, [orderId])) {
    const t = await getTransfer(tx, link.transfer_id);
    if (t?.status === 'requested') {
      await cancelTransfer(tx, deps, t.id, { actor: 'pickup', reason: 'order_cancelled' });
    }
  }
  if (pickup && OPEN_PICKUP.includes(pickup.status)) {
    await changePickup(tx, deps, pickup, 'cancelled', {
      actor: 'pickup',
      reason: 'order_cancelled',
      event: 'cancelled',
    });
  }
};

/** Order events say the order's fulfilment type; older events without it are looked at anyway. */
const isPickupOrder = (e: OutboxEvent) =>
  e.data.fulfillment_type === undefined || e.data.fulfillment_type === 'pickup';

/** Outbox subscribers: open pickups for confirmed orders, close them for cancelled ones. */
export const pickupSetupSubscribers = (deps: Deps): Subscriber[] => [
  {
    name: 'pickup.open-on-confirm',
    types: ['order.confirmed'],
    accepts: isPickupOrder,
    handle: async (tx, event) => {
      if (event.aggregateId) await setUpPickup(tx, deps, event.aggregateId);
    },
  },
  {
    name: 'pickup.close-on-cancel',
    types: ['order.cancelled'],
    accepts: isPickupOrder,
    handle: async (tx, event) => {
      if (event.aggregateId) await closePickupOfCancelledOrder(tx, deps, event.aggregateId);
    },
  },
];
