/**
 * Splitting a hold: part of an active reservation becomes a reservation of its own, so that part can
 * be committed or released while the rest keeps holding (a customer collects some lines of a pickup).
 * Stock levels do not change (the units stay reserved), so no movement is written.
 */
import type { Tx } from '../../platform/db.ts';
import { validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { writeInventoryEvents } from './events.ts';
import { aggregateLines } from './reservations.ts';
import type { Reservation, ReservationLine } from './reservations-repo.ts';
import * as repo from './reservations-repo.ts';

const key = (l: { sku: string; location_id: string }) => `${l.sku}\u0000${l.location_id}`;

/**
 * Moves `lines` out of active reservation `reservationId` into a new active reservation with the
 * same reference and expiry. Taking every unit returns the reservation itself (`rest: null`).
 * Lines beyond what the reservation holds are refused with VALIDATION_FAILED; a reservation that is
 * no longer active with INVALID_STATE_TRANSITION.
 */
export const splitReservation = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  reservationId: string,
  lines: readonly ReservationLine[],
  opts: { actor: string },
): Promise<
  Result<{ split: Reservation; rest: Reservation | null }, 'NOT_FOUND' | 'INVALID_STATE_TRANSITION'>
> => {
  const r = await repo.getReservation(tx, reservationId, 'wait');
  if (!r) return fail('NOT_FOUND', `Reservation ${reservationId} was not found`, { id: reservationId });
  if (r.status !== 'active') {
    return fail(
      'INVALID_STATE_TRANSITION',
      `Reservation ${r.id} is ${r.status}; only an active hold splits`,
      {
        id: r.id,
        current_status: r.status,
      },
    );
  }
  const wanted = aggregateLines(lines);
  const held = new Map(r.lines.map((l) => [key(l), l.quantity]));
  for (const l of wanted) {
    if ((held.get(key(l)) ?? 0) < l.quantity) {
      throw validation(`Reservation ${r.id} holds only ${held.get(key(l)) ?? 0} of ${l.sku}`);
    }
  }
  const left = r.lines
    .map((l) => ({ ...l, quantity: l.quantity - (wanted.find((w) => key(w) === key(l))?.quantity ?? 0) }))
    .filter((l) => l.quantity > 0);
  if (left.length === 0) return ok({ split: r, rest: null });
  const now = deps.clock.now();
  const split: Reservation = {
    ...r,
    id: newId('res'),
    lines: wanted,
    actor: opts.actor,
    created_at: now,
    updated_at: now,
  };
  await repo.insertReservation(tx, split);
  // The original keeps what is left: lines taken whole are deleted, the others reduced.
  await tx.query('DELETE FROM reservation_lines WHERE reservation_id = $1', [r.id]);
  await tx.query(
    `INSERT INTO reservation_lines (reservation_id, sku, location_id, quantity)
     SELECT $1, sku, location_id, quantity FROM unnest($2::text[], $3::text[], $4::int[]) AS t(sku, location_id, quantity)`,
    [r.id, left.map((l) => l.sku), left.map((l) => l.location_id), left.map((l) => l.quantity)],
  );
  await tx.query('UPDATE reservations SET updated_at = $2 WHERE id = $1', [r.id, now]);
  const rest: Reservation = { ...r, lines: left, updated_at: now };
  await writeInventoryEvents(tx, deps.clock, [
    {
      type: 'reservation.split',
      aggregateType: 'reservation',
      aggregateId: r.id,
      data: { id: r.id, reference: r.reference, into: split.id, lines: wanted, remaining: left },
    },
  ]);
  return ok({ split, rest });
};
