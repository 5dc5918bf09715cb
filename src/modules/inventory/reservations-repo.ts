import type { Queryable } from '../../platform/db.ts';
import type { Reference } from './ledger.ts';

export const RESERVATION_STATUSES = ['active', 'released', 'committed', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationLine {
  sku: string;
  location_id: string;
  quantity: number;
}

/** A hold on stock for an outside record (order, cart, POS sale), with its lines per SKU and location. */
export interface Reservation {
  id: string;
  reference: Reference;
  status: ReservationStatus;
  expires_at: Date | null;
  actor: string;
  created_at: Date;
  updated_at: Date;
  lines: ReservationLine[];
}

type ReservationRow = Omit<Reservation, 'reference'> & { reference_type: string; reference_id: string };

const fromRow = ({ reference_type, reference_id, ...r }: ReservationRow): Reservation => ({
  ...r,
  reference: { type: reference_type, id: reference_id },
});

const SELECT = `SELECT r.id, r.reference_type, r.reference_id, r.status, r.expires_at, r.actor, r.created_at,
    r.updated_at, coalesce((SELECT json_agg(json_build_object('sku', l.sku, 'location_id', l.location_id,
      'quantity', l.quantity) ORDER BY l.sku, l.location_id) FROM reservation_lines l
      WHERE l.reservation_id = r.id), '[]'::json) AS lines
  FROM reservations r`;

export const insertReservation = async (q: Queryable, r: Reservation): Promise<void> => {
  await q.query(
    `INSERT INTO reservations (id, reference_type, reference_id, status, expires_at, actor, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [r.id, r.reference.type, r.reference.id, r.status, r.expires_at, r.actor, r.created_at, r.updated_at],
  );
  await q.query(
    `INSERT INTO reservation_lines (reservation_id, sku, location_id, quantity)
     SELECT $1, sku, location_id, quantity FROM unnest($2::text[], $3::text[], $4::int[]) AS t(sku, location_id, quantity)`,
    [r.id, r.lines.map((l) => l.sku), r.lines.map((l) => l.location_id), r.lines.map((l) => l.quantity)],
  );
};

/** A reservation; `lock` takes its row FOR UPDATE (SKIP LOCKED with 'skip'). */
export const getReservation = async (
  q: Queryable,
  id: string,
  lock: 'none' | 'wait' | 'skip' = 'none',
): Promise<Reservation | undefined> => {
  const suffix = lock === 'wait' ? ' FOR UPDATE OF r' : lock === 'skip' ? ' FOR UPDATE OF r SKIP LOCKED' : '';
  const row = (await q.query<ReservationRow>(`${SELECT} WHERE r.id = $1${suffix}`, [id])).rows[0];
  return row && fromRow(row);
};

export const setStatus = async (
  q: Queryable,
  id: string,
  status: ReservationStatus,
  at: Date,
): Promise<void> => {
  await q.query('UPDATE reservations SET status = $2, updated_at = $3 WHERE id = $1', [id, status, at]);
};

/** Ids of active reservations whose hold ran out by `now`, oldest first. */
export const dueReservationIds = async (q: Queryable, now: Date, limit: number): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      `SELECT id FROM reservations WHERE status = 'active' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
      [now, limit],
    )
  ).rows.map((r) => r.id);

export const listReservations = async (
  q: Queryable,
  f: { reference?: Reference; status?: ReservationStatus; after?: string; limit: number },
): Promise<Reservation[]> =>
  (
    await q.query<ReservationRow>(
      `${SELECT}
       WHERE ($1::text IS NULL OR (r.reference_type = $1 AND r.reference_id = $2))
         AND ($3::text IS NULL OR r.status = $3) AND ($4::text IS NULL OR r.id > $4)
       ORDER BY r.id LIMIT $5`,
      [f.reference?.type ?? null, f.reference?.id ?? null, f.status ?? null, f.after ?? null, f.limit],
    )
  ).rows.map(fromRow);
