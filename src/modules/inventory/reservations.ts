/**
 * Reservations: holds on stock that a checkout, a cart or a POS sale takes, then commits (sold),
 * releases, or lets expire. Safe across processes by construction: each line is one conditional
 * UPDATE taken in a fixed order, inside a SAVEPOINT, so a refusal leaves the caller's transaction clean.
 */
import type { Tx } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import type { Job } from '../../platform/worker.ts';
import { writeInventoryEvents } from './events.ts';
import {
  applyDelta,
  availableOf,
  byLevel,
  type LevelChange,
  type MovementContext,
  type Reference,
  readLevel,
  withSavepoint,
} from './ledger.ts';
import type { Reservation, ReservationLine, ReservationStatus } from './reservations-repo.ts';
import * as repo from './reservations-repo.ts';

export const MAX_RESERVATION_LINES = 500;

/** The reservation state machine: only an active hold changes, and only once. */
export const RESERVATION_TRANSITIONS: Record<ReservationStatus, readonly ReservationStatus[]> = {
  active: ['released', 'committed', 'expired'],
  released: [],
  committed: [],
  expired: [],
};

export interface ReserveInput {
  reference: Reference;
  lines: readonly ReservationLine[];
  /** When the hold lapses (the sweeper then releases it); null holds until released or committed. */
  expiresAt: Date | null;
  actor: string;
}

/** Sums quantities per (sku, location) and sorts them in lock order; refuses malformed lines. */
export const aggregateLines = (lines: readonly ReservationLine[]): ReservationLine[] => {
  if (lines.length === 0 || lines.length > MAX_RESERVATION_LINES) {
    throw validation(`A reservation needs 1 to ${MAX_RESERVATION_LINES} lines`);
  }
  const sums = new Map<string, ReservationLine>();
  lines.forEach((l, i) => {
    if (!Number.isInteger(l.quantity) || l.quantity <= 0 || l.sku.length === 0) {
      throw validation('Each line needs a SKU and a positive whole quantity', [
        { path: `lines.${i}`, message: 'needs a sku and a positive integer quantity' },
      ]);
    }
    const k = `${l.sku}\u0000${l.location_id}`;
    sums.set(k, {
      sku: l.sku,
      location_id: l.location_id,
      quantity: (sums.get(k)?.quantity ?? 0) + l.quantity,
    });
  });
  return [...sums.values()].sort(byLevel);
};

const insufficient = async (tx: Tx, line: ReservationLine) => {
  const level = await readLevel(tx, line);
  const available = level ? availableOf(level) : 0;
  return fail(
    'INSUFFICIENT_STOCK',
    `Only ${available} of ${line.sku} available at ${line.location_id}; ${line.quantity} requested`,
    { sku: line.sku, location_id: line.location_id, requested: line.quantity, available },
  );
};

const event = (type: string, r: Reservation, extra: Record<string, unknown> = {}) => ({
  type,
  aggregateType: 'reservation',
  aggregateId: r.id,
  data: {
    id: r.id,
    reference: r.reference,
    status: r.status,
    expires_at: r.expires_at?.toISOString() ?? null,
    lines: r.lines,
    ...extra,
  },
});

/**
 * Holds stock for every line, or for none. Quantities of the same SKU and location are summed
 * first, so two lines can never together take more than is available. Each level is changed by one
 * conditional UPDATE (available ≥ quantity, safety stock kept) in (sku, location) order, so
 * concurrent reservations in any number of processes neither oversell nor deadlock. When a line
 * runs short, everything this call wrote is rolled back to a savepoint and INSUFFICIENT_STOCK says
 * which line and how much is `available`; the caller's transaction stays usable.
 */
export const reserve = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: ReserveInput,
): Promise<Result<Reservation, 'INSUFFICIENT_STOCK'>> => {
  const lines = aggregateLines(input.lines);
  const now = deps.clock.now();
  if (input.expiresAt && input.expiresAt <= now) throw validation('expiresAt must be in the future');
  const id = newId('res');
  const ctx: MovementContext = { actor: input.actor, reference: { type: 'reservation', id }, at: now };
  return withSavepoint(tx, async () => {
    const changes: LevelChange[] = [];
    for (const line of lines) {
      const change = await applyDelta(
        tx,
        { ...line, kind: 'reservation', on_hand_delta: 0, reserved_delta: line.quantity },
        ctx,
        { requireAvailable: true },
      );
      if (!change) return insufficient(tx, line);
      changes.push(change);
    }
    const reservation: Reservation = {
      id,
      reference: input.reference,
      status: 'active',
      expires_at: input.expiresAt,
      actor: input.actor,
      created_at: now,
      updated_at: now,
      lines,
    };
    await repo.insertReservation(tx, reservation);
    await writeInventoryEvents(tx, deps.clock, [event('reservation.created', reservation)], changes);
    return ok(reservation);
  });
};

/** Moves an active reservation to `to`: releases its holds, or for 'committed' takes the units out. */
const settle = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  r: Reservation,
  to: 'released' | 'committed' | 'expired',
  ctx: Omit<MovementContext, 'at' | 'reference'>,
): Promise<Reservation> => {
  if (!RESERVATION_TRANSITIONS[r.status].includes(to)) {
    throw new PlazaError('INTERNAL', `reservation ${r.id}: ${r.status} -> ${to}`);
  }
  const at = deps.clock.now();
  const full = { ...ctx, at, reference: { type: 'reservation', id: r.id } };
  const changes: LevelChange[] = [];
  for (const line of [...r.lines].sort(byLevel)) {
    const sold = to === 'committed' ? -line.quantity : 0;
    const kind = to === 'committed' ? 'sale' : 'release';
    const change = await applyDelta(
      tx,
      { ...line, kind, on_hand_delta: sold, reserved_delta: -line.quantity },
      full,
    );
    // The hold's units are in `reserved` by construction; missing them means the ledger was broken.
    if (!change)
      throw new PlazaError(
        'INTERNAL',
        `reservation ${r.id} holds more than level ${line.sku}@${line.location_id}`,
      );
    changes.push(change);
  }
  await repo.setStatus(tx, r.id, to, at);
  const next: Reservation = { ...r, status: to, updated_at: at };
  await writeInventoryEvents(
    tx,
    deps.clock,
    [event(`reservation.${to}`, next, { reason: ctx.reason ?? null })],
    changes,
  );
  return next;
};

const lockOrNotFound = async (tx: Tx, id: string) => {
  const r = await repo.getReservation(tx, id, 'wait');
  return r ? ok(r) : fail('NOT_FOUND', `Reservation ${id} was not found`, { id });
};

/**
 * Gives the held units back. Idempotent: releasing a released (or already expired) reservation
 * returns it unchanged. A committed one cannot be released (INVALID_STATE_TRANSITION): the units
 * are sold; book a return instead.
 */
export const releaseReservation = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  reservationId: string,
  opts: { reason: string | null; actor: string },
): Promise<Result<Reservation, 'NOT_FOUND' | 'INVALID_STATE_TRANSITION'>> => {
  const found = await lockOrNotFound(tx, reservationId);
  if (!found.ok) return found;
  const r = found.value;
  if (r.status === 'released' || r.status === 'expired') return ok(r);
  if (r.status === 'committed') {
    return fail('INVALID_STATE_TRANSITION', `Reservation ${r.id} is committed; the units are sold`, {
      id: r.id,
      current_status: r.status,
    });
  }
  return ok(await settle(tx, deps, r, 'released', opts));
};

/**
 * Turns the hold into a sale: on_hand and reserved both drop by each line's quantity (`sale`
 * movements). Idempotent for an already committed reservation. A released or expired one is refused
 * with INVALID_STATE_TRANSITION: its units may be sold to someone else by now, so reserve again.
 * An active hold past its expires_at that the sweeper has not yet taken can still be committed.
 */
export const commitReservation = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  reservationId: string,
  opts: { actor: string },
): Promise<Result<Reservation, 'NOT_FOUND' | 'INVALID_STATE_TRANSITION'>> => {
  const found = await lockOrNotFound(tx, reservationId);
  if (!found.ok) return found;
  const r = found.value;
  if (r.status === 'committed') return ok(r);
  if (r.status !== 'active') {
    return fail('INVALID_STATE_TRANSITION', `Reservation ${r.id} is ${r.status}; reserve again`, {
      id: r.id,
      current_status: r.status,
    });
  }
  return ok(await settle(tx, deps, r, 'committed', { actor: opts.actor, reason: null }));
};

/**
 * A counter sale: reserves and commits in one step (all lines or none), for POS. The result is a
 * committed reservation whose id the sale can keep; INSUFFICIENT_STOCK as for `reserve`.
 */
export const sellNow = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: { reference: Reference; lines: readonly ReservationLine[]; actor: string },
): Promise<Result<Reservation, 'INSUFFICIENT_STOCK'>> =>
  withSavepoint(tx, async () => {
    const held = await reserve(tx, deps, { ...input, expiresAt: null });
    if (!held.ok) return held;
    const committed = await commitReservation(tx, deps, held.value.id, { actor: input.actor });
    if (!committed.ok) throw new PlazaError('INTERNAL', `fresh reservation ${held.value.id} did not commit`);
    return committed;
  });

/**
 * Expires active reservations whose hold ran out by the clock's now: their units return (`release`
 * movements by 'sweeper', `reservation.expired`). One short transaction per reservation; rows another
 * process is handling are skipped. Returns how many expired.
 */
export const expireReservations = async (deps: Pick<Deps, 'db' | 'clock'>, limit = 100): Promise<number> => {
  const now = deps.clock.now();
  let expired = 0;
  for (const id of await repo.dueReservationIds(deps.db, now, limit)) {
    const done = await deps.db.tx(async (tx) => {
      const r = await repo.getReservation(tx, id, 'skip');
      if (r?.status !== 'active' || !r.expires_at || r.expires_at > now) return false;
      await settle(tx, deps, r, 'expired', { actor: 'sweeper', reason: 'hold expired' });
      return true;
    });
    if (done) expired++;
  }
  return expired;
};

/** The background job that runs `expireReservations` (every 5 s when idle, at once while busy). */
export const reservationSweeper = (deps: Pick<Deps, 'db' | 'clock'>): Job => ({
  name: 'inventory.reservation-sweeper',
  intervalMs: 5000,
  runOnce: () => expireReservations(deps),
});
