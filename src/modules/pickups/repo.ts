import type { Queryable } from '../../platform/db.ts';
import type { PickupStatus } from './machine.ts';

export interface PickupRow {
  order_id: string;
  order_number: number;
  location_id: string;
  channel_id: string;
  customer_id: string | null;
  status: PickupStatus;
  code: string;
  ready_estimate_at: Date | null;
  ready_at: Date | null;
  deadline_at: Date | null;
  reminder_at: Date | null;
  reminded_at: Date | null;
  closed_at: Date | null;
  failed_attempts: number;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface PickupLineRow {
  order_id: string;
  fulfillment_id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
  collected: number;
  released: number;
}

export interface PickupTransferRow {
  transfer_id: string;
  order_id: string;
  fulfillment_id: string;
  source_released_at: Date | null;
  store_held_at: Date | null;
  created_at: Date;
}

const PICKUP = `order_id, order_number, location_id, channel_id, customer_id, status, code, ready_estimate_at,
  ready_at, deadline_at, reminder_at, reminded_at, closed_at, failed_attempts, locked_until, created_at, updated_at`;
const LINE = 'order_id, fulfillment_id, order_line_id, sku, quantity, collected, released';
const TRANSFER = 'transfer_id, order_id, fulfillment_id, source_released_at, store_held_at, created_at';

/** Inserts a pickup unless the order has one already; returns the new row (undefined if it existed). */
export const insertPickup = async (q: Queryable, p: PickupRow): Promise<PickupRow | undefined> =>
  (
    await q.query<PickupRow>(
      `INSERT INTO pickups (${PICKUP})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (order_id) DO NOTHING RETURNING ${PICKUP}`,
      [
        p.order_id,
        p.order_number,
        p.location_id,
        p.channel_id,
        p.customer_id,
        p.status,
        p.code,
        p.ready_estimate_at,
        p.ready_at,
        p.deadline_at,
        p.reminder_at,
        p.reminded_at,
        p.closed_at,
        p.failed_attempts,
        p.locked_until,
        p.created_at,
        p.updated_at,
      ],
    )
  ).rows[0];

/** A pickup; `lock` takes its row FOR UPDATE (SKIP LOCKED with 'skip'). */
export const getPickup = async (
  q: Queryable,
  orderId: string,
  lock: 'none' | 'wait' | 'skip' = 'none',
): Promise<PickupRow | undefined> => {
  const suffix = lock === 'wait' ? ' FOR UPDATE' : lock === 'skip' ? ' FOR UPDATE SKIP LOCKED' : '';
  return (await q.query<PickupRow>(`SELECT ${PICKUP} FROM pickups WHERE order_id = $1${suffix}`, [orderId]))
    .rows[0];
};

export type PickupPatch = Partial<
  Pick<
    PickupRow,
    'status' | 'ready_estimate_at' | 'ready_at' | 'deadline_at' | 'reminder_at' | 'reminded_at' | 'closed_at'
  >
>;

export const updatePickup = async (
  q: Queryable,
  orderId: string,
  p: PickupPatch,
  at: Date,
): Promise<PickupRow> =>
  (
    await q.query<PickupRow>(
      `UPDATE pickups SET status = coalesce($2, status), ready_estimate_at = coalesce($3, ready_estimate_at),
         ready_at = coalesce($4, ready_at), deadline_at = coalesce($5, deadline_at),
         reminder_at = coalesce($6, reminder_at), reminded_at = coalesce($7, reminded_at),
         closed_at = coalesce($8, closed_at), updated_at = $9
       WHERE order_id = $1 RETURNING ${PICKUP}`,
      [
        orderId,
        p.status ?? null,
        p.ready_estimate_at ?? null,
        p.ready_at ?? null,
        p.deadline_at ?? null,
        p.reminder_at ?? null,
        p.reminded_at ?? null,
        p.closed_at ?? null,
        at,
      ],
    )
  ).rows[0] as PickupRow;

/**
 * Counts a wrong code in one statement (safe across processes): the fifth wrong attempt in a row
 * locks the pickup until `lockUntil` and starts the count again.
 */
export const countWrongCode = async (
  q: Queryable,
  orderId: string,
  max: number,
  lockUntil: Date,
  at: Date,
): Promise<{ failed_attempts: number; locked_until: Date | null } | undefined> =>
  (
    await q.query<{ failed_attempts: number; locked_until: Date | null }>(
      `UPDATE pickups SET
         locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END,
         failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
         updated_at = $4
       WHERE order_id = $1 RETURNING failed_attempts, locked_until`,
      [orderId, max, lockUntil, at],
    )
  ).rows[0];

/**
 * Claims the handover of a ready pickup until `until` (a lease, so a crashed handover frees it):
 * false when another handover holds it. Two counters cannot capture the same payment twice.
 */
export const claimHandover = async (
  q: Queryable,
  orderId: string,
  until: Date,
  now: Date,
): Promise<boolean> =>
  (
    await q.query(
      `UPDATE pickups SET handover_until = $2 WHERE order_id = $1 AND status = 'ready'
         AND (handover_until IS NULL OR handover_until <= $3)`,
      [orderId, until, now],
    )
  ).rowCount === 1;

export const releaseHandover = (q: Queryable, orderId: string) =>
  q.query('UPDATE pickups SET handover_until = NULL WHERE order_id = $1', [orderId]);

export const resetWrongCodes = (q: Queryable, orderId: string) =>
  q.query('UPDATE pickups SET failed_attempts = 0, locked_until = NULL WHERE order_id = $1', [orderId]);

export const insertPickupLines = async (
  q: Queryable,
  lines: readonly Omit<PickupLineRow, 'collected' | 'released'>[],
) => {
  if (lines.length === 0) return;
  await q.query(
    `INSERT INTO pickup_lines (order_id, fulfillment_id, order_line_id, sku, quantity)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
     ON CONFLICT DO NOTHING`,
    [
      lines.map((l) => l.order_id),
      lines.map((l) => l.fulfillment_id),
      lines.map((l) => l.order_line_id),
      lines.map((l) => l.sku),
      lines.map((l) => l.quantity),
    ],
  );
};

export const pickupLinesOf = async (q: Queryable, orderIds: readonly string[]): Promise<PickupLineRow[]> =>
  (
    await q.query<PickupLineRow>(
      `SELECT ${LINE} FROM pickup_lines WHERE order_id = ANY($1::text[]) ORDER BY order_id, fulfillment_id, order_line_id`,
      [orderIds],
    )
  ).rows;

/** Adds collected and released units to a line; refuses (false) to go beyond its quantity. */
export const settlePickupLine = async (
  q: Queryable,
  key: { fulfillment_id: string; order_line_id: string },
  d: { collected: number; released: number },
): Promise<boolean> =>
  (
    await q.query(
      `UPDATE pickup_lines SET collected = collected + $3, released = released + $4
       WHERE fulfillment_id = $1 AND order_line_id = $2 AND collected + released + $3 + $4 <= quantity`,
      [key.fulfillment_id, key.order_line_id, d.collected, d.released],
    )
  ).rowCount === 1;

export const insertPickupTransfer = (q: Queryable, t: PickupTransferRow) =>
  q.query(
    `INSERT INTO pickup_transfers (${TRANSFER}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [t.transfer_id, t.order_id, t.fulfillment_id, t.source_released_at, t.store_held_at, t.created_at],
  );

export const pickupTransfer = async (
  q: Queryable,
  transferId: string,
  lock = false,
): Promise<PickupTransferRow | undefined> =>
  (
    await q.query<PickupTransferRow>(
      `SELECT ${TRANSFER} FROM pickup_transfers WHERE transfer_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [transferId],
    )
  ).rows[0];

export const pickupTransfersOf = async (
  q: Queryable,
  orderIds: readonly string[],
): Promise<PickupTransferRow[]> =>
  (
    await q.query<PickupTransferRow>(
      `SELECT ${TRANSFER} FROM pickup_transfers WHERE order_id = ANY($1::text[]) ORDER BY transfer_id`,
      [orderIds],
    )
  ).rows;

/** Marks a step of a pickup transfer done once; false when it was done already. */
export const markTransferStep = async (
  q: Queryable,
  transferId: string,
  step: 'source_released_at' | 'store_held_at',
  at: Date,
): Promise<boolean> =>
  (
    await q.query(`UPDATE pickup_transfers SET ${step} = $2 WHERE transfer_id = $1 AND ${step} IS NULL`, [
      transferId,
      at,
    ])
  ).rowCount === 1;

export type QueueFilter = 'to_prepare' | 'ready' | 'overdue' | 'collected' | 'expired' | 'cancelled';

/** What each queue holds, once (`$2` is now): for the queue lists and their counts. */
const QUEUE_WHERE: Record<QueueFilter, string> = {
  to_prepare: "status = 'to_prepare'",
  ready: "status = 'ready'",
  overdue: "status = 'to_prepare' AND ready_estimate_at < $2",
  collected: "status IN ('collected', 'partially_collected')",
  expired: "status = 'expired'",
  cancelled: "status = 'cancelled'",
};

/**
 * A store's pickups for one queue, keyset-paged by order id (newest first). `overdue`: still to
 * prepare after the promised ready time; `collected` includes partial collections.
 */
export const listQueue = async (
  q: Queryable,
  f: { locationId: string; queue: QueueFilter; now: Date; before?: string; limit: number },
): Promise<PickupRow[]> =>
  (
    await q.query<PickupRow>(
      `SELECT ${PICKUP} FROM pickups
       WHERE location_id = $1 AND ${QUEUE_WHERE[f.queue]} AND ($3::text IS NULL OR order_id < $3)
         AND $2::timestamptz IS NOT NULL
       ORDER BY order_id DESC LIMIT $4`,
      [f.locationId, f.now, f.before ?? null, f.limit],
    )
  ).rows;

/** How many pickups each open queue holds (`to_prepare` includes `overdue`). */
export type QueueCounts = Record<'to_prepare' | 'overdue' | 'ready', number>;
const OPEN_QUEUES = ['to_prepare', 'overdue', 'ready'] as const;

/**
 * The open queues' sizes for the given locations (all when undefined), with the same definitions as
 * `listQueue`: one statement over the open pickups (index `pickups_queue`).
 */
export const queueCounts = async (
  q: Queryable,
  f: { locationIds?: readonly string[]; now: Date },
): Promise<QueueCounts> => {
  const cols = OPEN_QUEUES.map((k) => `count(*) FILTER (WHERE ${QUEUE_WHERE[k]}) AS ${k}`).join(', ');
  const { rows } = await q.query<QueueCounts>(
    `SELECT ${cols} FROM pickups
     WHERE status IN ('to_prepare', 'ready') AND ($1::text[] IS NULL OR location_id = ANY($1::text[]))`,
    [f.locationIds ?? null, f.now],
  );
  return rows[0] ?? { to_prepare: 0, overdue: 0, ready: 0 };
};

/** Ready pickups whose reminder is due and not sent. */
export const dueReminders = async (q: Queryable, now: Date, limit: number): Promise<string[]> =>
  (
    await q.query<{ order_id: string }>(
      `SELECT order_id FROM pickups WHERE status = 'ready' AND reminded_at IS NULL AND reminder_at <= $1
       ORDER BY reminder_at LIMIT $2`,
      [now, limit],
    )
  ).rows.map((r) => r.order_id);

/** Ready pickups past their deadline. */
export const dueExpiries = async (q: Queryable, now: Date, limit: number): Promise<string[]> =>
  (
    await q.query<{ order_id: string }>(
      `SELECT order_id FROM pickups WHERE status = 'ready' AND deadline_at <= $1 ORDER BY deadline_at LIMIT $2`,
      [now, limit],
    )
  ).rows.map((r) => r.order_id);
