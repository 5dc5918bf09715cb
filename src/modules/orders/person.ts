/**
 * The orders of a person for data rights: their own, and guest orders placed with one of their
 * verified e-mails or phones (before they registered, or without logging in).
 */
import type { Queryable } from '../../platform/db.ts';

export interface GuestOrderRow {
  id: string;
  number: number;
  channel_id: string;
  status: string;
  cart_id: string | null;
  currency: string;
  total: number;
  placed_at: Date;
}

/** Guest orders (no customer) whose e-mail or shipping phone is one of `emails` / `phones`. */
export const guestOrdersOf = async (
  q: Queryable,
  contacts: { emails: readonly string[]; phones: readonly string[] },
): Promise<GuestOrderRow[]> =>
  contacts.emails.length + contacts.phones.length === 0
    ? []
    : (
        await q.query<GuestOrderRow>(
          `SELECT id, number, channel_id, status, cart_id, currency, total, placed_at FROM orders
           WHERE customer_id IS NULL
             AND (lower(email) = ANY($1::text[]) OR shipping_address ->> 'phone' = ANY($2::text[]))
           ORDER BY placed_at, id`,
          [contacts.emails.map((e) => e.toLowerCase()), contacts.phones],
        )
      ).rows;

/** Ids and carts of every order of these customers. */
export const ordersOfCustomers = async (
  q: Queryable,
  customerIds: readonly string[],
): Promise<{ id: string; cart_id: string | null; status: string }[]> =>
  (
    await q.query<{ id: string; cart_id: string | null; status: string }>(
      'SELECT id, cart_id, status FROM orders WHERE customer_id = ANY($1::text[])',
      [customerIds],
    )
  ).rows;
