/** The events purchasing writes to the outbox, always in the transaction of the change. */
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { purchaseOrderToApi } from './api.ts';
import type { PurchaseOrder } from './orders-repo.ts';

export const PURCHASING_EVENTS = [
  'purchase_order.created',
  'purchase_order.ordered',
  'purchase_order.received',
  'purchase_order.cancelled',
] as const;
export type PurchasingEvent = (typeof PURCHASING_EVENTS)[number];

/** Writes `type` about the purchase order (aggregate `purchase_order`/<id>) with its API view and `extra`. */
export const writePurchaseOrderEvent = async (
  tx: Tx,
  clock: Clock,
  type: PurchasingEvent,
  po: PurchaseOrder,
  extra: Record<string, unknown> = {},
): Promise<void> => {
  await writeEvent(tx, clock, {
    type,
    aggregateType: 'purchase_order',
    aggregateId: po.id,
    data: { ...purchaseOrderToApi(po), ...extra },
  });
};
