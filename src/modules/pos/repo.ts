import type { Queryable } from '../../platform/db.ts';
import type { PosSaleStatus } from './machine.ts';

export interface PosSaleRow {
  id: string;
  channel_id: string;
  location_id: string;
  staff_token_id: string;
  staff_name: string;
  customer_id: string | null;
  cart_id: string | null;
  cart_version: number | null;
  status: PosSaleStatus;
  order_id: string | null;
  tendered: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface PosLineRow {
  id: string;
  sale_id: string;
  sku: string;
  quantity: number;
  created_at: Date;
}

const SALE = `id, channel_id, location_id, staff_token_id, staff_name, customer_id, cart_id, cart_version, status, order_id,
  tendered, version, created_at, updated_at, completed_at`;
const LINE = 'id, sale_id, sku, quantity, created_at';

export const insertSale = async (q: Queryable, s: PosSaleRow): Promise<PosSaleRow> =>
  (
    await q.query<PosSaleRow>(
      `INSERT INTO pos_sales (${SALE}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING ${SALE}`,
      [
        s.id,
        s.channel_id,
        s.location_id,
        s.staff_token_id,
        s.staff_name,
        s.customer_id,
        s.cart_id,
        s.cart_version,
        s.status,
        s.order_id,
        s.tendered,
        s.version,
        s.created_at,
        s.updated_at,
        s.completed_at,
      ],
    )
  ).rows[0] as PosSaleRow;

export const getSale = async (q: Queryable, id: string, lock = false): Promise<PosSaleRow | undefined> =>
  (await q.query<PosSaleRow>(`SELECT ${SALE} FROM pos_sales WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const saleOfOrder = async (q: Queryable, orderId: string): Promise<PosSaleRow | undefined> =>
  (await q.query<PosSaleRow>(`SELECT ${SALE} FROM pos_sales WHERE order_id = $1`, [orderId])).rows[0];

export type SalePatch = Partial<
  Pick<PosSaleRow, 'status' | 'order_id' | 'tendered' | 'completed_at' | 'cart_id' | 'cart_version'>
> & { customer_id?: string | null };

/** Updates a sale and bumps its version. `customer_id: null` detaches the customer. */
export const updateSale = async (q: Queryable, id: string, p: SalePatch, at: Date): Promise<PosSaleRow> =>
  (
    await q.query<PosSaleRow>(
      `UPDATE pos_sales SET status = coalesce($2, status), order_id = coalesce($3, order_id),
         tendered = coalesce($4, tendered), completed_at = coalesce($5, completed_at),
         cart_id = coalesce($6, cart_id), cart_version = coalesce($7, cart_version),
         customer_id = CASE WHEN $8::boolean THEN $9 ELSE customer_id END,
         version = version + 1, updated_at = $10
       WHERE id = $1 RETURNING ${SALE}`,
      [
        id,
        p.status ?? null,
        p.order_id ?? null,
        p.tendered ?? null,
        p.completed_at ?? null,
        p.cart_id ?? null,
        p.cart_version ?? null,
        'customer_id' in p,
        p.customer_id ?? null,
        at,
      ],
    )
  ).rows[0] as PosSaleRow;

export const linesOfSale = async (q: Queryable, saleId: string): Promise<PosLineRow[]> =>
  (
    await q.query<PosLineRow>(
      `SELECT ${LINE} FROM pos_sale_lines WHERE sale_id = $1 ORDER BY created_at, id`,
      [saleId],
    )
  ).rows;

/** Sets the quantity of a SKU on a sale (adds the line if needed, deletes it at 0). */
export const setSaleLine = async (
  q: Queryable,
  line: { id: string; sale_id: string; sku: string; quantity: number; created_at: Date },
): Promise<void> => {
  if (line.quantity <= 0) {
    await q.query('DELETE FROM pos_sale_lines WHERE sale_id = $1 AND sku = $2', [line.sale_id, line.sku]);
    return;
  }
  await q.query(
    `INSERT INTO pos_sale_lines (${LINE}) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sale_id, sku) DO UPDATE SET quantity = excluded.quantity`,
    [line.id, line.sale_id, line.sku, line.quantity, line.created_at],
  );
};

export const listSales = async (
  q: Queryable,
  f: { locationIds?: readonly string[]; status?: PosSaleStatus; before?: string; limit: number },
): Promise<PosSaleRow[]> =>
  (
    await q.query<PosSaleRow>(
      `SELECT ${SALE} FROM pos_sales WHERE ($1::text[] IS NULL OR location_id = ANY($1::text[]))
         AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [f.locationIds ? [...f.locationIds] : null, f.status ?? null, f.before ?? null, f.limit],
    )
  ).rows;
