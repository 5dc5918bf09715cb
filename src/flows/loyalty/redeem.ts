/**
 * Loyalty points at checkout: redeemed in phase one, in the order's transaction, and turned into
 * money off (a discount spread over the lines like a code's); given back when the payment fails or
 * the order is cancelled. The redemption's reference is `order:<id>`, so both are idempotent.
 */
import { loyaltyProgram, redeemPoints, releaseRedemption } from '../../modules/loyalty/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';

const referenceOf = (orderId: string) => `order:${orderId}`;

/**
 * Redeems up to `points` (never more than the amount still due after the discount code) and returns
 * the amount they take off. 0 when no points were asked for.
 */
export const applyLoyaltyPoints = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  a: {
    points: number | undefined;
    customerId: string | null;
    orderId: string;
    channelId: string;
    due: number;
  },
): Promise<number> => {
  if (!a.points) return 0;
  if (!a.customerId) {
    throw new PlazaError('UNPROCESSABLE', 'Log in to pay with loyalty points', { reason: 'not_logged_in' });
  }
  const { point_value } = await loyaltyProgram(tx);
  const points = Math.min(a.points, Math.floor(a.due / point_value));
  if (points <= 0)
    throw new PlazaError('UNPROCESSABLE', 'Nothing is left to pay with points', { reason: 'nothing_due' });
  const r = await redeemPoints(tx, deps, {
    customerId: a.customerId,
    points,
    reference: referenceOf(a.orderId),
    orderId: a.orderId,
    channelId: a.channelId,
  });
  if (!r.ok) throw new PlazaError(r.code, r.detail, r.details);
  return r.value.amount;
};

/** Gives the order's points back (idempotent; nothing happens when none were used). */
export const releaseLoyaltyPoints = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  orderId: string,
): Promise<void> => {
  await releaseRedemption(tx, deps, referenceOf(orderId));
};
