/**
 * The ready-time promise: stock for a pickup that the store lacks comes by transfer. Checkout held
 * it at the source; when the transfer ships, that hold is released as the units leave (so the
 * transfer can take them); when it is received, the units are held at the store for the order and
 * the fulfilment becomes `pending` (ready to prepare) with a new estimate.
 */
import { channelSettings } from '../../modules/channels/index.ts';
import {
  getTransfer,
  receiveTransfer,
  releaseReservation,
  reserve,
  shipTransfer,
  type Transfer,
} from '../../modules/inventory/index.ts';
import { getLocation, readyAt } from '../../modules/locations/index.ts';
import {
  changeFulfillmentStatus,
  fulfillmentsOf,
  getOrder,
  updateFulfillmentReservation,
} from '../../modules/orders/index.ts';
import {
  getPickup,
  markTransferStep,
  type PickupTransferRow,
  pickupEventData,
  pickupTransfer,
  updatePickup,
} from '../../modules/pickups/index.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import type { Subscriber } from '../../platform/outbox/events.ts';
import { writeEvent } from '../../platform/outbox/events.ts';

type Clocked = Pick<Deps, 'clock'>;

const fulfillmentOf = async (tx: Tx, link: PickupTransferRow) =>
  (await fulfillmentsOf(tx, [link.order_id])).find((f) => f.id === link.fulfillment_id);

/** Releases the order's hold at the transfer's source, once (the units are leaving). */
export const releaseSourceHold = async (tx: Tx, deps: Clocked, link: PickupTransferRow, actor: string) => {
  if (link.source_released_at) return;
  const f = await fulfillmentOf(tx, link);
  if (f?.reservation_id) {
    const r = await releaseReservation(tx, deps, f.reservation_id, { reason: 'shipped_to_store', actor });
    if (!r.ok && r.code !== 'INVALID_STATE_TRANSITION') throw new PlazaError(r.code, r.detail, r.details);
  }
  await markTransferStep(tx, link.transfer_id, 'source_released_at', deps.clock.now());
};

/**
 * Locks, in the house order (order, then pickup, then the transfer link), what a transfer step
 * changes. Undefined when the transfer is not a pickup transfer.
 */
const lockForTransfer = async (tx: Tx, transferId: string) => {
  const first = await pickupTransfer(tx, transferId);
  if (!first) return undefined;
  const order = await getOrder(tx, first.order_id, true);
  const pickup = await getPickup(tx, first.order_id, 'wait');
  const link = (await pickupTransfer(tx, transferId, true)) as PickupTransferRow;
  return { order, pickup, link };
};

/**
 * Holds a fully received transfer's units at the store for its order, once, and moves the
 * fulfilment from `awaiting_transfer` to `pending` with a ready estimate of now + the channel's
 * preparation time. Returns false when the order no longer wants them (cancelled) or the store
 * cannot hold them (its safety stock): the units then stay free at the store.
 */
export const holdAtStore = async (
  tx: Tx,
  deps: Clocked,
  transferId: string,
  actor: string,
): Promise<boolean> => {
  const locked = await lockForTransfer(tx, transferId);
  if (!locked) return false;
  const { order, pickup, link } = locked;
  if (link.store_held_at) return true;
  const t = (await getTransfer(tx, link.transfer_id)) as Transfer;
  const f = await fulfillmentOf(tx, link);
  if (t.status !== 'received' || !order || !f || f.status !== 'awaiting_transfer') return false;
  if (order.status !== 'confirmed') return false;
  await releaseSourceHold(tx, deps, link, actor);
  const held = await reserve(tx, deps, {
    reference: { type: 'order', id: order.id },
    lines: t.lines.map((l) => ({ sku: l.sku, location_id: t.to_location_id, quantity: l.quantity })),
    expiresAt: null,
    actor,
  });
  if (!held.ok) {
    if (pickup) {
      await writeEvent(tx, deps.clock, {
        type: 'pickup.hold_failed',
        aggregateType: 'order',
        aggregateId: order.id,
        data: { ...pickupEventData(pickup), transfer_id: t.id, detail: held.detail },
      });
    }
    return false;
  }
  const settings = await channelSettings(tx, order.channel_id);
  // Ready within the store's opening hours and closures, in its time zone.
  const store = await getLocation(tx, t.to_location_id);
  const now = deps.clock.now();
  const estimate = store
    ? readyAt(store, now, settings.pickup_prep_minutes)
    : new Date(now.getTime() + settings.pickup_prep_minutes * 60_000);
  await updateFulfillmentReservation(tx, deps, f.id, held.value.id);
  await changeFulfillmentStatus(tx, deps, { ...f, reservation_id: held.value.id }, 'pending', {
    actor,
    reason: 'transfer_received',
    patch: { ready_estimate_at: estimate },
  });
  await markTransferStep(tx, link.transfer_id, 'store_held_at', deps.clock.now());
  if (pickup) {
    const fuls = (await fulfillmentsOf(tx, [order.id])).filter((x) => x.location_id === pickup.location_id);
    const waiting = fuls.some((x) => x.status === 'awaiting_transfer');
    const latest = fuls
      .map((x) => x.ready_estimate_at)
      .reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);
    const row = await updatePickup(tx, order.id, { ready_estimate_at: latest ?? estimate }, deps.clock.now());
    await writeEvent(tx, deps.clock, {
      type: 'pickup.stock_arrived',
      aggregateType: 'order',
      aggregateId: order.id,
      data: {
        ...pickupEventData(row),
        transfer_id: t.id,
        waiting_for_more: waiting,
        ready_estimate_at: row.ready_estimate_at?.toISOString() ?? null,
      },
    });
  }
  return true;
};

/** Ships a pickup transfer: the order's hold at the source is released and the units leave, atomically. */
export const shipPickupTransfer = async (tx: Tx, deps: Clocked, transferId: string, actor: string) => {
  const locked = await lockForTransfer(tx, transferId);
  if (!locked) throw notFound('Pickup transfer', transferId);
  await releaseSourceHold(tx, deps, locked.link, actor);
  const shipped = await shipTransfer(tx, deps, transferId, { actor });
  if (!shipped.ok) throw new PlazaError(shipped.code, shipped.detail, shipped.details);
  return shipped.value;
};

/** Receives everything outstanding on a pickup transfer and holds it at the store for the order. */
export const receivePickupTransfer = async (tx: Tx, deps: Clocked, transferId: string, actor: string) => {
  if (!(await lockForTransfer(tx, transferId))) throw notFound('Pickup transfer', transferId);
  const received = await receiveTransfer(tx, deps, transferId, { actor });
  if (!received.ok) throw new PlazaError(received.code, received.detail, received.details);
  const held = await holdAtStore(tx, deps, transferId, actor);
  return { transfer: received.value, held };
};

/**
 * Subscribers for transfers moved through the generic inventory endpoints: a pickup transfer that
 * shipped releases the source hold; one fully received holds its units at the store.
 */
export const pickupTransferSubscribers = (deps: Deps): Subscriber[] => [
  {
    name: 'pickup.transfer-shipped',
    types: ['transfer.shipped'],
    handle: async (tx, event) => {
      const locked = event.aggregateId ? await lockForTransfer(tx, event.aggregateId) : undefined;
      if (locked) await releaseSourceHold(tx, deps, locked.link, 'pickup');
    },
  },
  {
    name: 'pickup.transfer-received',
    types: ['transfer.received'],
    handle: async (tx, event) => {
      if (event.aggregateId) await holdAtStore(tx, deps, event.aggregateId, 'pickup');
    },
  },
];
