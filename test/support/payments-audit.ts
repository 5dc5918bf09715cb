/**
 * The money audit: no captured or authorized payment belongs to a cancelled or expired order, or to
 * a counter sale that did not complete — neither in Plaza's records nor at the provider (the
 * `test-card` sandbox's ledger: what it captured and did not refund).
 */
import type { Queryable } from '../../src/platform/db.ts';

export interface MoneyKept {
  payment_id: string;
  payment_status: string;
  order_status: string;
  sale_status: string | null;
  held_at_provider: number;
}

export const moneyKeptForFailedSales = async (db: Queryable): Promise<MoneyKept[]> =>
  (
    await db.query<MoneyKept>(
      `SELECT p.id AS payment_id, p.status AS payment_status, o.status AS order_status,
              s.status AS sale_status,
              coalesce(l.captured_amount - l.refunded_amount, 0)::int AS held_at_provider
       FROM payments p
       JOIN orders o ON o.id = p.order_id
       LEFT JOIN pos_sales s ON s.order_id = o.id
       LEFT JOIN sandbox_card_payments l ON l.payment_id = p.id
       WHERE (o.status IN ('cancelled', 'expired') OR (s.id IS NOT NULL AND s.status <> 'completed'))
         AND (p.status IN ('authorized', 'captured', 'partially_refunded')
              OR coalesce(l.captured_amount - l.refunded_amount, 0) > 0)
       ORDER BY p.id`,
    )
  ).rows;
