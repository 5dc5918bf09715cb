/**
 * Redeeming points for money off (a discount line at checkout, or at a POS) and giving them back.
 * Both are idempotent by reference; the balance never goes below zero, even under concurrent
 * redemptions (the account row is locked, and the balance update is conditional anyway).
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { checkProcessing } from '../customers/index.ts';
import { loyaltyProgram } from './program.ts';
import * as repo from './repo.ts';
import { post } from './service.ts';

export interface RedeemInput {
  customerId: string;
  points: number;
  /** Unique per redemption, e.g. `order:ord_…` or a POS receipt id. */
  reference: string;
  /** The order paid with the points, if any (the points then follow the order in merges). */
  orderId?: string | null;
  channelId?: string | null;
  locationId?: string | null;
}

/**
 * Takes `points` from the balance; `amount` is what they are worth in minor units. The same
 * reference again answers the first redemption (CONFLICT if it was for another customer or amount).
 */
export const redeemPoints = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  r: RedeemInput,
): Promise<
  Result<
    { amount: number; points: number; balance: number },
    'INSUFFICIENT_POINTS' | 'CONFLICT' | 'UNPROCESSABLE' | 'PROCESSING_RESTRICTED'
  >
> => {
  if (!Number.isSafeInteger(r.points) || r.points <= 0)
    return fail('UNPROCESSABLE', 'Redeem a positive number of points');
  if (!(await checkProcessing(tx, r.customerId, 'loyalty')).allowed)
    return fail(
      'PROCESSING_RESTRICTED',
      'The customer has restricted the processing of their data: no points',
    );
  const program = await loyaltyProgram(tx);
  if (!program.enabled) return fail('UNPROCESSABLE', 'The loyalty program is not active');
  const account = await repo.getAccount(tx, r.customerId, true);
  const existing = await repo.entryByReference(tx, 'redeem', r.reference);
  if (existing) {
    if (existing.customer_id !== r.customerId || existing.points !== -r.points) {
      return fail('CONFLICT', `Reference ${r.reference} was already used for another redemption`);
    }
    const amount = Number(existing.data.amount ?? 0);
    return ok({ amount, points: r.points, balance: account?.balance ?? 0 });
  }
  if (!account || account.balance < r.points) {
    return fail('INSUFFICIENT_POINTS', `Only ${account?.balance ?? 0} points available`, {
      balance: account?.balance ?? 0,
      requested: r.points,
    });
  }
  const amount = r.points * program.point_value;
  const done = await post(tx, deps, {
    customerId: r.customerId,
    kind: 'redeem',
    points: -r.points,
    reference: r.reference,
    orderId: r.orderId ?? null,
    data: { amount, point_value: program.point_value, channel_id: r.channelId, location_id: r.locationId },
    at: deps.clock.now(),
  });
  if (!done)
    return fail('INSUFFICIENT_POINTS', 'Not enough points', {
      balance: account.balance,
      requested: r.points,
    });
  return ok({ amount, points: r.points, balance: done.balance });
};

/**
 * Gives back the points of a redemption (payment failed, order cancelled). Idempotent: a second
 * release, or a reference that never redeemed anything, gives back nothing.
 */
/** Where a redemption was made (its store), null when not at a store, undefined when there is none. */
export const redemptionLocation = async (
  q: Queryable,
  reference: string,
): Promise<string | null | undefined> => {
  const redeemed = await repo.entryByReference(q, 'redeem', reference);
  if (!redeemed) return undefined;
  const at = (redeemed.data as { location_id?: unknown } | null)?.location_id;
  return typeof at === 'string' ? at : null;
};

export const releaseRedemption = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  reference: string,
): Promise<Result<{ points: number; balance: number | null }, never>> => {
  const redeemed = await repo.entryByReference(tx, 'redeem', reference);
  if (!redeemed) return ok({ points: 0, balance: null });
  const account = await repo.getAccount(tx, redeemed.customer_id, true);
  if (await repo.entryByReference(tx, 'release', reference))
    return ok({ points: 0, balance: account?.balance ?? null });
  const done = await post(tx, deps, {
    customerId: redeemed.customer_id,
    kind: 'release',
    points: -redeemed.points,
    reference,
    orderId: redeemed.order_id,
    at: deps.clock.now(),
  });
  return ok({ points: -redeemed.points, balance: done?.balance ?? null });
};
