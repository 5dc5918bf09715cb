/** SQL for purchase orders and their lines. */
import type { Queryable } from '../../platform/db.ts';
import type { PurchaseOrderStatus } from './schema.ts';

export interface PurchaseOrderLine {
  sku: string;
  quantity: number;
  quantity_received: number;
}

export interface PurchaseOrder {
  id: string;
  supplier_id: string;
  supplier_name: string;
  location_id: string;
  status: PurchaseOrderStatus;
  /** YYYY-MM-DD in the receiving location's calendar. */
  expected_on: string;
  note: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  ordered_at: Date | null;
  received_at: Date | null;
  cancelled_at: Date | null;
  lines: PurchaseOrderLine[];
}

const COLUMNS = `p.id, p.supplier_id, s.name AS supplier_name, p.location_id, p.status, p.expected_on, p.note,
  p.created_by, p.created_at, p.updated_at, p.ordered_at, p.received_at, p.cancelled_at,
  coalesce((SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity,
    'quantity_received', l.quantity_received) ORDER BY l.sku) FROM purchase_order_lines l
    WHERE l.purchase_order_id = p.id), '[]'::json) AS lines`;
const FROM = 'purchase_orders p JOIN suppliers s ON s.id = p.supplier_id';

export const insertPurchaseOrder = async (q: Queryable, p: Omit<PurchaseOrder, 'supplier_name'>) => {
  await q.query(
    `INSERT INTO purchase_orders (id, supplier_id, location_id, status, expected_on, note, created_by,
       created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [p.id, p.supplier_id, p.location_id, p.status, p.expected_on, p.note, p.created_by, p.created_at],
  );
  await q.query(
    `INSERT INTO purchase_order_lines (purchase_order_id, sku, quantity)
     SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS u(sku, quantity)`,
    [p.id, p.lines.map((l) => l.sku), p.lines.map((l) => l.quantity)],
  );
};

export const getPurchaseOrder = async (q: Queryable, id: string): Promise<PurchaseOrder | undefined> =>
  (await q.query<PurchaseOrder>(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1`, [id])).rows[0];

/**
 * Locks the purchase order row for this transaction and returns its status. Its lines are read by a
 * later statement, which sees what a transaction that held the lock before committed.
 */
export const lockPurchaseOrder = async (q: Queryable, id: string): Promise<PurchaseOrderStatus | undefined> =>
  (
    await q.query<{ status: PurchaseOrderStatus }>(
      'SELECT status FROM purchase_orders WHERE id = $1 FOR NO KEY UPDATE',
      [id],
    )
  ).rows[0]?.status;

/** Records the new status; `stamp` names the timestamp column to set with it. */
export const setStatus = async (
  q: Queryable,
  id: string,
  status: PurchaseOrderStatus,
  at: Date,
  stamp?: 'ordered_at' | 'received_at' | 'cancelled_at',
): Promise<void> => {
  await q.query(
    `UPDATE purchase_orders SET status = $2, updated_at = $3${stamp ? `, ${stamp} = $3` : ''} WHERE id = $1`,
    [id, status, at],
  );
};

/**
 * Adds received units to lines, each only while it stays within the ordered quantity; returns the
 * number of lines changed (fewer than given means one would have gone over).
 */
export const addReceived = async (
  q: Queryable,
  id: string,
  lines: readonly { sku: string; quantity: number }[],
): Promise<number> =>
  (
    await q.query(
      `UPDATE purchase_order_lines l SET quantity_received = l.quantity_received + u.quantity
       FROM unnest($2::text[], $3::int[]) AS u(sku, quantity)
       WHERE l.purchase_order_id = $1 AND l.sku = u.sku AND l.quantity_received + u.quantity <= l.quantity`,
      [id, lines.map((l) => l.sku), lines.map((l) => l.quantity)],
    )
  ).rowCount;

export interface PurchaseOrderFilter {
  status?: PurchaseOrderStatus;
  supplier_id?: string;
  location_id?: string;
  /** Staff: only these receiving locations. */
  locationIds?: readonly string[];
  sku?: string;
  /** Keyset cursor: ids below this one (the list is newest first). */
  before?: string;
  limit: number;
}

export const listPurchaseOrders = async (q: Queryable, f: PurchaseOrderFilter): Promise<PurchaseOrder[]> =>
  (
    await q.query<PurchaseOrder>(
      `SELECT ${COLUMNS} FROM ${FROM}
       WHERE ($1::text IS NULL OR p.status = $1)
         AND ($2::text IS NULL OR p.supplier_id = $2)
         AND ($3::text IS NULL OR p.location_id = $3)
         AND ($4::text[] IS NULL OR p.location_id = ANY($4::text[]))
         AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM purchase_order_lines x
                                          WHERE x.purchase_order_id = p.id AND x.sku = $5))
         AND ($6::text IS NULL OR p.id < $6)
       ORDER BY p.id DESC LIMIT $7`,
      [
        f.status ?? null,
        f.supplier_id ?? null,
        f.location_id ?? null,
        f.locationIds ?? null,
        f.sku ?? null,
        f.before ?? null,
        f.limit,
      ],
    )
  ).rows;

export interface InboundLine {
  sku: string;
  location_id: string;
  quantity: number;
  /** YYYY-MM-DD */
  expected_on: string;
  purchase_order_id: string;
}

/** Outstanding lines of ordered and partially received purchase orders, soonest expected first. */
export const inboundLines = async (
  q: Queryable,
  f: { skus?: readonly string[]; locationIds?: readonly string[] },
): Promise<InboundLine[]> =>
  (
    await q.query<InboundLine>(
      `SELECT l.sku, p.location_id, l.quantity - l.quantity_received AS quantity, p.expected_on,
         p.id AS purchase_order_id
       FROM purchase_orders p JOIN purchase_order_lines l ON l.purchase_order_id = p.id
       WHERE p.status IN ('ordered', 'partially_received') AND l.quantity > l.quantity_received
         AND ($1::text[] IS NULL OR l.sku = ANY($1::text[]))
         AND ($2::text[] IS NULL OR p.location_id = ANY($2::text[]))
       ORDER BY p.expected_on, p.id, l.sku`,
      [f.skus ?? null, f.locationIds ?? null],
    )
  ).rows;
