/**
 * Several stock holds (one per fulfilment of an order) in ONE statement, for the checkout hot path.
 * Same guarantees as `reserve`: quantities are summed per level, the levels are locked in the one
 * order every stock change uses (`byLevel`: sku then location, byte order), each is checked against
 * on_hand − reserved − safety_stock, and either every level is updated with its movement and every
 * reservation inserted, or nothing is (the shortfall comes back as INSUFFICIENT_STOCK and the
 * caller's transaction stays usable). Its events (`reservation.created`, `inventory.low_stock`) are
 * written by the same statement.
 */
import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { availableOf, byLevel, type LevelState, type Reference } from './ledger.ts';
import type { Reservation, ReservationLine } from './reservations-repo.ts';

export interface ManyInput {
  reservations: {
    id?: string;
    reference: Reference;
    lines: readonly ReservationLine[];
    expiresAt: Date | null;
  }[];
  actor: string;
  at: Date;
}

const key = (l: { sku: string; location_id: string }) => `${l.sku}\u0000${l.location_id}`;

export const reserveMany = async (
  tx: Tx,
  input: ManyInput,
): Promise<Result<{ reservations: Reservation[] }, 'INSUFFICIENT_STOCK'>> => {
  const reservations: Reservation[] = input.reservations.map((r) => {
    const lines = new Map<string, ReservationLine>();
    for (const l of r.lines) {
      const k = key(l);
      lines.set(k, { ...l, quantity: (lines.get(k)?.quantity ?? 0) + l.quantity });
    }
    return {
      id: r.id ?? newId('res'),
      reference: r.reference,
      status: 'active',
      expires_at: r.expiresAt,
      actor: input.actor,
      created_at: input.at,
      updated_at: input.at,
      lines: [...lines.values()],
    };
  });
  const perLevel = new Map<string, ReservationLine>();
  for (const r of reservations) {
    for (const l of r.lines) {
      const k = key(l);
      perLevel.set(k, { ...l, quantity: (perLevel.get(k)?.quantity ?? 0) + l.quantity });
    }
  }
  const levels = [...perLevel.values()].sort(byLevel);
  // One movement per reservation line, so each reservation's ledger stays its own.
  const moves = reservations.flatMap((r) =>
    r.lines.map((l) => ({ ...l, reservation: r.id, id: newId('mov') })),
  );
  const { rows } = await tx.query<LevelState & { requested: number; short: boolean }>(
    `WITH want AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) AS w(sku, location_id, qty)),
     locked AS (
       SELECT l.sku, l.location_id, l.on_hand, l.reserved, l.on_hand - l.reserved - l.safety_stock AS available
       FROM inventory_levels l JOIN want w ON w.sku = l.sku AND w.location_id = l.location_id
       ORDER BY l.sku COLLATE "C", l.location_id COLLATE "C"
       FOR UPDATE OF l),
     short AS (
       SELECT w.sku, w.location_id, w.qty, coalesce(k.available, 0) AS available
       FROM want w LEFT JOIN locked k ON k.sku = w.sku AND k.location_id = w.location_id
       WHERE coalesce(k.available, 0) < w.qty),
     go AS (SELECT NOT EXISTS (SELECT 1 FROM short) AS ok),
     -- The new values come from the row AS LOCKED, not from l: the UPDATE scans with the statement's
     -- snapshot, and PostgreSQL checks constraints on the tuple computed from that (possibly stale)
     -- version before it notices the newer one. A restock committed after the snapshot made
     -- l.reserved + qty > l.on_hand there: inventory_levels_check raised, a 500 at checkout.
     upd AS (
       UPDATE inventory_levels l SET on_hand = k.on_hand, reserved = k.reserved + w.qty, updated_at = $4
       FROM want w JOIN locked k ON k.sku = w.sku AND k.location_id = w.location_id
       WHERE l.sku = w.sku AND l.location_id = w.location_id AND (SELECT ok FROM go)
       RETURNING l.sku, l.location_id, l.on_hand, l.reserved, l.safety_stock, l.low_stock_threshold, w.qty AS requested),
     mov AS (
       INSERT INTO inventory_movements (id, sku, location_id, kind, on_hand_delta, reserved_delta,
         reason, actor, reference_type, reference_id, created_at)
       SELECT m.id, m.sku, m.location_id, 'reservation', 0, m.qty, NULL, $5, 'reservation', m.reservation, $4
       FROM unnest($6::text[], $7::text[], $8::text[], $9::int[], $10::text[]) AS m(id, sku, location_id, qty, reservation)
       WHERE (SELECT ok FROM go)),
     res AS (
       INSERT INTO reservations (id, reference_type, reference_id, status, expires_at, actor, created_at, updated_at)
       SELECT r.id, r.rtype, r.rid, 'active', r.expires_at, $5, $4, $4
       FROM unnest($11::text[], $12::text[], $13::text[], $14::timestamptz[]) AS r(id, rtype, rid, expires_at)
       WHERE (SELECT ok FROM go)),
     res_lines AS (
       INSERT INTO reservation_lines (reservation_id, sku, location_id, quantity)
       SELECT m.reservation, m.sku, m.location_id, m.qty
       FROM unnest($6::text[], $7::text[], $8::text[], $9::int[], $10::text[]) AS m(id, sku, location_id, qty, reservation)
       WHERE (SELECT ok FROM go)),
     created AS (
       INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, data, occurred_at, available_at)
       SELECT e.id, 'reservation.created', 'reservation', e.rid, e.data::jsonb, $4, $4
       FROM unnest($15::text[], $11::text[], $16::text[]) AS e(id, rid, data)
       WHERE (SELECT ok FROM go)),
     -- inventory.low_stock when a level's available falls to or below its threshold from above.
     low AS (
       INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, data, occurred_at, available_at)
       SELECT ($17::text[])[x.n], 'inventory.low_stock', 'sku', x.sku,
         json_build_object('sku', x.sku, 'location_id', x.location_id, 'on_hand', x.on_hand, 'reserved', x.reserved,
           'safety_stock', x.safety_stock, 'available', greatest(0, x.on_hand - x.reserved - x.safety_stock),
           'low_stock_threshold', x.low_stock_threshold)::jsonb, $4, $4
       FROM (SELECT u.*, row_number() OVER () AS n FROM upd u) x
       WHERE x.low_stock_threshold IS NOT NULL
         AND greatest(0, x.on_hand - x.reserved + x.requested - x.safety_stock) > x.low_stock_threshold
         AND greatest(0, x.on_hand - x.reserved - x.safety_stock) <= x.low_stock_threshold)
     SELECT sku, location_id, on_hand, reserved, safety_stock, low_stock_threshold, requested, false AS short FROM upd
     UNION ALL
     SELECT sku, location_id, 0, 0, 0, NULL, qty, true FROM short`,
    [
      levels.map((l) => l.sku),
      levels.map((l) => l.location_id),
      levels.map((l) => l.quantity),
      input.at,
      input.actor,
      moves.map((m) => m.id),
      moves.map((m) => m.sku),
      moves.map((m) => m.location_id),
      moves.map((m) => m.quantity),
      moves.map((m) => m.reservation),
      reservations.map((r) => r.id),
      reservations.map((r) => r.reference.type),
      reservations.map((r) => r.reference.id),
      reservations.map((r) => r.expires_at),
      reservations.map(() => newId('evt')),
      reservations.map((r) =>
        JSON.stringify({
          id: r.id,
          reference: r.reference,
          status: r.status,
          expires_at: r.expires_at?.toISOString() ?? null,
          lines: r.lines,
        }),
      ),
      levels.map(() => newId('evt')),
    ],
  );
  const short = rows.find((r) => r.short);
  if (short) {
    const available = Math.max(
      0,
      (
        await tx.query<LevelState>(
          'SELECT sku, location_id, on_hand, reserved, safety_stock, low_stock_threshold FROM inventory_levels WHERE sku = $1 AND location_id = $2',
          [short.sku, short.location_id],
        )
      ).rows.map(availableOf)[0] ?? 0,
    );
    return fail(
      'INSUFFICIENT_STOCK',
      `Only ${available} of ${short.sku} available at ${short.location_id}; ${short.requested} requested`,
      { sku: short.sku, location_id: short.location_id, requested: short.requested, available },
    );
  }
  return ok({ reservations });
};
