import type { Queryable } from '../../platform/db.ts';
import type { ReturnStatus } from './machine.ts';

export type Condition = 'resellable' | 'damaged';
export type ReturnRefundMethod = 'original' | 'store_credit';

export interface ReturnRow {
  id: string;
  order_id: string;
  channel_id: string;
  customer_id: string | null;
  location_id: string;
  status: ReturnStatus;
  refund_method: ReturnRefundMethod;
  currency: string;
  total: number;
  exchange_total: number;
  refund_total: number;
  refunded_amount: number;
  exchange_order_id: string | null;
  reason: string | null;
  created_by: string;
  created_at: Date;
  received_at: Date | null;
  updated_at: Date;
}

export interface ReturnLineRow {
  id: string;
  return_id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
  amount: number;
  tax_amount: number;
  condition: Condition | null;
}

const RET = `id, order_id, channel_id, customer_id, location_id, status, refund_method, currency, total, exchange_total,
  refund_total, refunded_amount, exchange_order_id, reason, created_by, created_at, received_at, updated_at`;
const LINE = 'id, return_id, order_line_id, sku, quantity, amount, tax_amount, condition';

export const insertReturn = async (q: Queryable, r: ReturnRow): Promise<ReturnRow> =>
  (
    await q.query<ReturnRow>(
      `INSERT INTO returns (${RET})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING ${RET}`,
      [
        r.id,
        r.order_id,
        r.channel_id,
        r.customer_id,
        r.location_id,
        r.status,
        r.refund_method,
        r.currency,
        r.total,
        r.exchange_total,
        r.refund_total,
        r.refunded_amount,
        r.exchange_order_id,
        r.reason,
        r.created_by,
        r.created_at,
        r.received_at,
        r.updated_at,
      ],
    )
  ).rows[0] as ReturnRow;

export const insertReturnLines = async (q: Queryable, lines: readonly ReturnLineRow[]): Promise<void> => {
  await q.query(
    `INSERT INTO return_lines (${LINE})
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bigint[], $8::text[])`,
    [
      lines.map((l) => l.id),
      lines.map((l) => l.return_id),
      lines.map((l) => l.order_line_id),
      lines.map((l) => l.sku),
      lines.map((l) => l.quantity),
      lines.map((l) => l.amount),
      lines.map((l) => l.tax_amount),
      lines.map((l) => l.condition),
    ],
  );
};

export const getReturn = async (q: Queryable, id: string, lock = false): Promise<ReturnRow | undefined> =>
  (await q.query<ReturnRow>(`SELECT ${RET} FROM returns WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const returnLinesOf = async (q: Queryable, returnIds: readonly string[]): Promise<ReturnLineRow[]> =>
  (
    await q.query<ReturnLineRow>(
      `SELECT ${LINE} FROM return_lines WHERE return_id = ANY($1::text[]) ORDER BY return_id, id`,
      [returnIds],
    )
  ).rows;

export const setLineCondition = (q: Queryable, lineId: string, condition: Condition) =>
  q.query('UPDATE return_lines SET condition = $2 WHERE id = $1', [lineId, condition]);

export type ReturnPatch = Partial<
  Pick<
    ReturnRow,
    'status' | 'exchange_total' | 'refund_total' | 'refunded_amount' | 'exchange_order_id' | 'received_at'
  >
>;

export const updateReturn = async (q: Queryable, id: string, p: ReturnPatch, at: Date): Promise<ReturnRow> =>
  (
    await q.query<ReturnRow>(
      `UPDATE returns SET status = coalesce($2, status), exchange_total = coalesce($3, exchange_total),
         refund_total = coalesce($4, refund_total), refunded_amount = coalesce($5, refunded_amount),
         exchange_order_id = coalesce($6, exchange_order_id), received_at = coalesce($7, received_at), updated_at = $8
       WHERE id = $1 RETURNING ${RET}`,
      [
        id,
        p.status ?? null,
        p.exchange_total ?? null,
        p.refund_total ?? null,
        p.refunded_amount ?? null,
        p.exchange_order_id ?? null,
        p.received_at ?? null,
        at,
      ],
    )
  ).rows[0] as ReturnRow;

export interface ReturnFilter {
  orderId?: string;
  locationIds?: readonly string[];
  status?: ReturnStatus;
  channelId?: string;
  customerId?: string;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
  before?: string;
  limit: number;
}

/** Returns newest first, keyset-paged by id. */
export const listReturns = async (q: Queryable, f: ReturnFilter): Promise<ReturnRow[]> =>
  (
    await q.query<ReturnRow>(
      `SELECT ${RET} FROM returns WHERE ($1::text IS NULL OR order_id = $1)
         AND ($2::text[] IS NULL OR location_id = ANY($2::text[])) AND ($3::text IS NULL OR id < $3)
         AND ($5::text IS NULL OR status = $5) AND ($6::text IS NULL OR channel_id = $6)
         AND ($7::text IS NULL OR customer_id = $7) AND ($8::timestamptz IS NULL OR created_at >= $8)
         AND ($9::timestamptz IS NULL OR created_at < $9)
       ORDER BY id DESC LIMIT $4`,
      [
        f.orderId ?? null,
        f.locationIds ? [...f.locationIds] : null,
        f.before ?? null,
        f.limit,
        f.status ?? null,
        f.channelId ?? null,
        f.customerId ?? null,
        f.from ?? null,
        f.to ?? null,
      ],
    )
  ).rows;

/** The return an exchange order was made for (its items were paid with that return's value). */
export const returnOfExchangeOrder = async (q: Queryable, orderId: string): Promise<ReturnRow | undefined> =>
  (await q.query<ReturnRow>(`SELECT ${RET} FROM returns WHERE exchange_order_id = $1`, [orderId])).rows[0];
