import type { Queryable } from '../../platform/db.ts';

/**
 * Remembers the first anonymous (device) id that touched a cart, so the cart can be told apart by
 * device in a customer's history. Never overwritten: a cart does not change devices' hands.
 */
export const noteAnonymousId = async (q: Queryable, cartId: string, anonymousId: string | null) => {
  if (!anonymousId) return;
  await q.query('UPDATE carts SET anonymous_id = $2 WHERE id = $1 AND anonymous_id IS NULL', [
    cartId,
    anonymousId,
  ]);
};

export interface CartSummaryRow {
  id: string;
  customer_id: string | null;
  anonymous_id: string | null;
  origin_channel_id: string;
  status: string;
  order_id: string | null;
  merged_into: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Carts of these customers, plus anonymous carts touched by these devices (newest first). */
export const cartsOfCustomers = async (
  q: Queryable,
  customerIds: readonly string[],
  anonymousIds: readonly string[] = [],
): Promise<CartSummaryRow[]> =>
  (
    await q.query<CartSummaryRow>(
      `SELECT id, customer_id, anonymous_id, origin_channel_id, status, order_id, merged_into, created_at,
         updated_at
       FROM carts WHERE customer_id = ANY($1) OR (customer_id IS NULL AND anonymous_id = ANY($2))
       ORDER BY created_at DESC, id DESC`,
      [customerIds, anonymousIds],
    )
  ).rows;
