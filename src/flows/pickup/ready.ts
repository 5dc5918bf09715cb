import { getLocation, plusLocalDays } from '../../modules/locations/index.ts';
import {
  changeFulfillmentStatus,
  changeOrderStatus,
  getOrder,
  type OrderRow,
} from '../../modules/orders/index.ts';
import {
  changePickup,
  getPickup,
  type PickupRow,
  pickupTransfersOf,
  qrPayload,
  storeSettings,
} from '../../modules/pickups/index.ts';
import { HOUR } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { type AdminPrincipal, canAccessLocation } from '../../platform/http/auth.ts';
import type { Deps } from '../../platform/module.ts';
import { pickupFulfillments, setUpPickup } from './setup.ts';
import { holdAtStore } from './transfers.ts';

/**
 * The pickup of an order for a staff member, locked (order first, then pickup). Staff of another
 * store get NOT_FOUND: they cannot tell the order exists.
 */
export const lockPickupFor = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  admin: AdminPrincipal,
  orderId: string,
): Promise<{ order: OrderRow; pickup: PickupRow }> => {
  const order = await getOrder(tx, orderId, true);
  if (order) await setUpPickup(tx, deps, orderId);
  const pickup = order ? await getPickup(tx, orderId, 'wait') : undefined;
  if (!order || !pickup || !canAccessLocation(admin, pickup.location_id)) {
    throw notFound('Pickup order', orderId);
  }
  return { order, pickup };
};

/**
 * Marks a pickup order ready, in one transaction: every unit must be held at the store (transfers
 * received), then fulfilments and order move to ready_for_pickup, the deadline is set from the
 * store's hold days, and `pickup.ready` carries the code, QR payload and deadline for the customer's
 * notification. Marking a ready order ready again changes nothing.
 */
export const markReady = async (tx: Tx, deps: Deps, admin: AdminPrincipal, orderId: string) => {
  const actor = `token:${admin.tokenId}`;
  const { order, pickup } = await lockPickupFor(tx, deps, admin, orderId);
  if (pickup.status === 'ready') return pickup;
  if (pickup.status !== 'to_prepare' || order.status !== 'confirmed') {
    throw new PlazaError(
      'INVALID_STATE_TRANSITION',
      `Order ${order.number} is ${order.status} (pickup ${pickup.status}); it cannot be marked ready`,
      { status: order.status, pickup_status: pickup.status },
    );
  }
  // Transfers received through the generic inventory endpoints may not be held yet: hold them now.
  for (const link of await pickupTransfersOf(tx, [orderId])) {
    if (!link.store_held_at) await holdAtStore(tx, deps, link.transfer_id, actor);
  }
  const fuls = await pickupFulfillments(tx, order);
  const waiting = fuls.filter((f) => f.status === 'awaiting_transfer');
  if (waiting.length > 0) {
    const links = await pickupTransfersOf(tx, [orderId]);
    throw new PlazaError(
      'INVALID_STATE_TRANSITION',
      `Order ${order.number} is waiting for stock to arrive by transfer; it can be marked ready once received`,
      {
        status: 'awaiting_transfer',
        ready_estimate_at: pickup.ready_estimate_at?.toISOString() ?? null,
        transfer_ids: links
          .filter((l) => waiting.some((f) => f.id === l.fulfillment_id))
          .map((l) => l.transfer_id),
      },
    );
  }
  for (const f of fuls) {
    if (f.status === 'pending') await changeFulfillmentStatus(tx, deps, f, 'ready_for_pickup', { actor });
  }
  const now = deps.clock.now();
  const settings = await storeSettings(tx, pickup.location_id);
  // Hold days are calendar days at the store: 12:00 stays 12:00 across a daylight-saving change.
  const store = await getLocation(tx, pickup.location_id);
  const deadline = plusLocalDays(store?.timezone ?? 'UTC', now, settings.pickup_hold_days);
  const reminder =
    settings.pickup_reminder_hours > 0
      ? new Date(deadline.getTime() - settings.pickup_reminder_hours * HOUR)
      : null;
  await changeOrderStatus(tx, deps, orderId, 'ready_for_pickup', {
    actor,
    data: { location_id: pickup.location_id, deadline_at: deadline.toISOString() },
  });
  return changePickup(tx, deps, pickup, 'ready', {
    actor,
    event: 'ready',
    patch: {
      ready_at: now,
      deadline_at: deadline,
      reminder_at: reminder && reminder > now ? reminder : null,
    },
    data: {
      code: pickup.code,
      qr_payload: qrPayload(pickup.order_number, pickup.code),
      email: order.email,
      ready_at: now.toISOString(),
      deadline_at: deadline.toISOString(),
      hold_days: settings.pickup_hold_days,
    },
  });
};
