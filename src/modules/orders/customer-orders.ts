/**
 * Orders seen from their customer: which orders a customer holds, moving them between duplicate
 * profiles (merge and undo), anonymising them on erasure, and the facts behind a customer summary.
 */
import type { Queryable } from '../../platform/db.ts';

export const orderIdsOfCustomers = async (q: Queryable, customerIds: readonly string[]): Promise<string[]> =>
  (
    await q.query<{ id: string }>('SELECT id FROM orders WHERE customer_id = ANY($1) ORDER BY id', [
      customerIds,
    ])
  ).rows.map((r) => r.id);

/** Gives these orders to another customer (a merge or its undo); returns the ids that moved. */
export const reassignOrders = async (
  q: Queryable,
  orderIds: readonly string[],
  from: string,
  to: string,
  at: Date,
): Promise<string[]> =>
  orderIds.length === 0
    ? []
    : (
        await q.query<{ id: string }>(
          `UPDATE orders SET customer_id = $3, updated_at = $4 WHERE id = ANY($1) AND customer_id = $2 RETURNING id`,
          [orderIds, from, to, at],
        )
      ).rows.map((r) => r.id);

export interface CustomerOrderFact {
  id: string;
  number: number;
  channel_id: string;
  status: string;
  payment_status: string;
  fulfillment_type: string;
  currency: string;
  total: number;
  pickup_location_id: string | null;
  selling_location_id: string | null;
  placed_at: Date;
  captured: number;
  refunded: number;
}

/** One row per order of these customers with the money actually captured and refunded. */
export const customerOrderFacts = async (
  q: Queryable,
  customerIds: readonly string[],
): Promise<CustomerOrderFact[]> =>
  (
    await q.query<CustomerOrderFact>(
      `SELECT o.id, o.number, o.channel_id, o.status, o.payment_status, o.fulfillment_type, o.currency, o.total,
         o.pickup_location_id, o.selling_location_id, o.placed_at,
         coalesce(sum(p.captured_amount), 0)::bigint AS captured, coalesce(sum(p.refunded_amount), 0)::bigint AS refunded
       FROM orders o LEFT JOIN payments p ON p.order_id = o.id
       WHERE o.customer_id = ANY($1)
       GROUP BY o.id ORDER BY o.placed_at, o.id`,
      [customerIds],
    )
  ).rows;
