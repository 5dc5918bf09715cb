import type { Queryable } from '../../platform/db.ts';

export const TRANSFER_STATUSES = [
  'requested',
  'in_transit',
  'partially_received',
  'received',
  'cancelled',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface TransferLine {
  sku: string;
  quantity: number;
  quantity_received: number;
}

export interface Transfer {
  id: string;
  from_location_id: string;
  to_location_id: string;
  status: TransferStatus;
  note: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  shipped_at: Date | null;
  received_at: Date | null;
  cancelled_at: Date | null;
  lines: TransferLine[];
}

const COLUMNS = `t.id, t.from_location_id, t.to_location_id, t.status, t.note, t.created_by, t.created_at,
  t.updated_at, t.shipped_at, t.received_at, t.cancelled_at,
  coalesce((SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity,
    'quantity_received', l.quantity_received) ORDER BY l.sku) FROM inventory_transfer_lines l
    WHERE l.transfer_id = t.id), '[]'::json) AS lines`;

export const insertTransfer = async (q: Queryable, t: Transfer): Promise<void> => {
  await q.query(
    `INSERT INTO inventory_transfers (id, from_location_id, to_location_id, status, note, created_by,
       created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [t.id, t.from_location_id, t.to_location_id, t.status, t.note, t.created_by, t.created_at],
  );
  await q.query(
    `INSERT INTO inventory_transfer_lines (transfer_id, sku, quantity)
     SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS u(sku, quantity)`,
    [t.id, t.lines.map((l) => l.sku), t.lines.map((l) => l.quantity)],
  );
};

export const getTransfer = async (
  q: Queryable,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Transfer | undefined> => {
  // Lock first, then read in a second statement: a statement that waited for the lock sees the
  // locked row's new version but its lines (a subquery) as of its own snapshot, before the change
  // that held the lock (two parallel receipts would both see the same outstanding quantities).
  if (opts.forUpdate) await q.query('SELECT 1 FROM inventory_transfers WHERE id = $1 FOR UPDATE', [id]);
  return (await q.query<Transfer>(`SELECT ${COLUMNS} FROM inventory_transfers t WHERE t.id = $1`, [id]))
    .rows[0];
};

/** Records the new status; `stamp` names the timestamp column to set with it. */
export const setTransferStatus = async (
  q: Queryable,
  id: string,
  status: TransferStatus,
  at: Date,
  stamp?: 'shipped_at' | 'received_at' | 'cancelled_at',
): Promise<void> => {
  await q.query(
    `UPDATE inventory_transfers SET status = $2, updated_at = $3${stamp ? `, ${stamp} = $3` : ''} WHERE id = $1`,
    [id, status, at],
  );
};

export const addReceived = async (
  q: Queryable,
  id: string,
  lines: readonly { sku: string; quantity: number }[],
): Promise<void> => {
  await q.query(
    `UPDATE inventory_transfer_lines l SET quantity_received = l.quantity_received + u.quantity
     FROM unnest($2::text[], $3::int[]) AS u(sku, quantity)
     WHERE l.transfer_id = $1 AND l.sku = u.sku`,
    [id, lines.map((l) => l.sku), lines.map((l) => l.quantity)],
  );
};

export const listTransfers = async (
  q: Queryable,
  f: {
    status?: TransferStatus;
    location_id?: string;
    locationIds?: readonly string[];
    after?: string;
    limit: number;
  },
): Promise<Transfer[]> =>
  (
    await q.query<Transfer>(
      `SELECT ${COLUMNS} FROM inventory_transfers t
       WHERE ($1::text IS NULL OR t.status = $1)
         AND ($2::text IS NULL OR t.from_location_id = $2 OR t.to_location_id = $2)
         AND ($3::text[] IS NULL OR t.from_location_id = ANY($3::text[]) OR t.to_location_id = ANY($3::text[]))
         AND ($4::text IS NULL OR t.id > $4)
       ORDER BY t.id LIMIT $5`,
      [f.status ?? null, f.location_id ?? null, f.locationIds ?? null, f.after ?? null, f.limit],
    )
  ).rows;
