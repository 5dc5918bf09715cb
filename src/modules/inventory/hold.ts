import type { WriteBatch } from '../../platform/batch.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';

/**
 * Changes how long an active reservation holds its stock: checkout holds stock for minutes while the
 * payment runs, then (payment authorized) until the order is fulfilled or cancelled (`null`).
 * Returns false when the reservation is no longer active (it expired or was released meanwhile).
 */
export const setReservationExpiry = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  reservationId: string,
  expiresAt: Date | null,
): Promise<boolean> =>
  (
    await tx.query(
      `UPDATE reservations SET expires_at = $2, updated_at = $3 WHERE id = $1 AND status = 'active'`,
      [reservationId, expiresAt, deps.clock.now()],
    )
  ).rowCount === 1;

/**
 * setReservationExpiry(null) for several holds, in a write batch: they are kept until fulfilled or
 * released. Only active holds change; the flow can require that all of them did.
 */
export const stageHoldsUntilFulfilled = (
  batch: WriteBatch,
  reservationIds: readonly string[],
  at: Date,
): string =>
  batch.add(
    `UPDATE reservations SET expires_at = NULL, updated_at = $2 WHERE id = ANY($1::text[]) AND status = 'active' RETURNING id`,
    [[...reservationIds], at],
  );
