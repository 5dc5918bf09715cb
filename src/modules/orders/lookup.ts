/**
 * Finding orders for a return at any counter: by number, or every order of a customer together
 * with the guest orders placed with their e-mail, newest first.
 */
import type { Queryable } from '../../platform/db.ts';
import { getOrder, type OrderRow } from './repo.ts';

/** The order with this number (order numbers are unique), or undefined. */
export const getOrderByNumber = async (q: Queryable, number: number): Promise<OrderRow | undefined> => {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM orders WHERE number = $1', [number]);
  return rows[0] ? getOrder(q, rows[0].id) : undefined;
};

/**
 * Ids of the orders of these customers and of the guest orders (no customer) placed with `guestEmail`
 * (compared in lower case), newest first, keyset-paged by id (`before`). Two index scans
 * (orders_customer, orders_guest_email) merged: a single OR lets the planner walk the primary key
 * backwards through every order (76 ms against 0.1 ms on 300,000 orders, PostgreSQL 15).
 */
export const orderIdsOfShopper = async (
  q: Queryable,
  by: { customerIds: readonly string[]; guestEmail?: string | null; before?: string; limit: number },
): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      `SELECT id FROM (
         (SELECT id FROM orders WHERE customer_id = ANY($1::text[]) AND ($3::text IS NULL OR id < $3)
          ORDER BY id DESC LIMIT $4)
         UNION ALL
         (SELECT id FROM orders WHERE customer_id IS NULL AND lower(email) = lower($2::text)
            AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4)
       ) found ORDER BY id DESC LIMIT $4`,
      [[...by.customerIds], by.guestEmail ?? null, by.before ?? null, by.limit],
    )
  ).rows.map((r) => r.id);
