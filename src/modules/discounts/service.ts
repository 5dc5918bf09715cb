import type { Queryable, Tx } from '../../platform/db.ts';
import { pgCode } from '../../platform/db.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { isCurrency } from '../../platform/money.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import * as repo from './repo.ts';
import type { CreateDiscountBody, UpdateDiscountBody } from './schema.ts';

const checkWindow = (starts: Date | null, ends: Date | null) => {
  if (starts && ends && ends <= starts) {
    throw validation('ends_at must be after starts_at', [
      { path: 'body.ends_at', message: 'must be after starts_at' },
    ]);
  }
};

export const createDiscount = async (tx: Tx, deps: Pick<Deps, 'clock'>, b: CreateDiscountBody) => {
  if (b.type === 'fixed' && !b.currency) {
    throw validation('A fixed discount needs a currency', [
      { path: 'body.currency', message: 'is required for fixed' },
    ]);
  }
  if (b.type === 'percent' && b.value > 100) {
    throw validation('A percent discount is at most 100', [{ path: 'body.value', message: 'must be ≤ 100' }]);
  }
  if (b.currency && !isCurrency(b.currency)) {
    throw validation(`${b.currency} is not an ISO 4217 currency`, [
      { path: 'body.currency', message: 'is not ISO 4217' },
    ]);
  }
  const starts = b.starts_at ? new Date(b.starts_at) : null;
  const ends = b.ends_at ? new Date(b.ends_at) : null;
  checkWindow(starts, ends);
  const now = deps.clock.now();
  try {
    const row = await repo.insertDiscount(tx, {
      id: newId('dsc'),
      code: b.code.toUpperCase(),
      type: b.type,
      value: b.value,
      currency: b.type === 'fixed' ? (b.currency ?? null) : null,
      channel_ids: [...new Set(b.channel_ids ?? [])],
      starts_at: starts,
      ends_at: ends,
      usage_limit: b.usage_limit ?? null,
      usage_count: 0,
      min_subtotal: b.min_subtotal ?? null,
      active: b.active ?? true,
      created_at: now,
      updated_at: now,
    });
    await writeEvent(tx, deps.clock, {
      type: 'discount.created',
      aggregateType: 'discount',
      aggregateId: row.id,
      data: repo.discountToApi(row),
    });
    return row;
  } catch (e) {
    if (pgCode(e) === '23505') {
      throw new PlazaError('ALREADY_EXISTS', `The discount code ${b.code.toUpperCase()} already exists`);
    }
    throw e;
  }
};

export const updateDiscount = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  b: UpdateDiscountBody,
) => {
  const current = await repo.getDiscount(tx, id);
  if (!current) throw notFound('Discount', id);
  const starts = b.starts_at === undefined ? current.starts_at : b.starts_at ? new Date(b.starts_at) : null;
  const ends = b.ends_at === undefined ? current.ends_at : b.ends_at ? new Date(b.ends_at) : null;
  checkWindow(starts, ends);
  if (b.usage_limit != null && b.usage_limit < current.usage_count) {
    throw validation(`usage_limit cannot be below the ${current.usage_count} uses already made`, [
      { path: 'body.usage_limit', message: 'is below the uses already made' },
    ]);
  }
  return (await repo.updateDiscount(
    tx,
    id,
    {
      channel_ids: b.channel_ids ? [...new Set(b.channel_ids)] : undefined,
      starts_at: b.starts_at === undefined ? undefined : starts,
      ends_at: b.ends_at === undefined ? undefined : ends,
      usage_limit: b.usage_limit,
      min_subtotal: b.min_subtotal,
      active: b.active,
    },
    deps.clock.now(),
  )) as repo.DiscountRow;
};

export type DiscountRefusal =
  | 'unknown_code'
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'not_on_this_channel'
  | 'currency_mismatch'
  | 'below_minimum'
  | 'exhausted';

export interface DiscountContext {
  channelId: string;
  currency: string;
  subtotal: number;
  at: Date;
}

/** What a discount takes off a subtotal (never more than the subtotal). */
export const discountAmount = (d: repo.DiscountRow, subtotal: number): number =>
  d.type === 'percent' ? Math.floor((subtotal * d.value) / 100) : Math.min(d.value, subtotal);

/** Checks whether a code applies to a cart on a channel now; returns the amount or why not. */
export const evaluateCode = async (
  q: Queryable,
  code: string,
  ctx: DiscountContext,
): Promise<Result<{ discount: repo.DiscountRow; amount: number }, 'DISCOUNT_INVALID'>> => {
  const d = await repo.findByCode(q, code);
  const refuse = (reason: DiscountRefusal, detail: string) =>
    fail('DISCOUNT_INVALID', detail, { reason, code });
  if (!d) return refuse('unknown_code', `There is no discount code ${code.toUpperCase()}`);
  if (!d.active) return refuse('inactive', `The code ${d.code} is not active`);
  if (d.starts_at && ctx.at < d.starts_at)
    return refuse('not_started', `The code ${d.code} is not valid yet`);
  if (d.ends_at && ctx.at >= d.ends_at) return refuse('expired', `The code ${d.code} has expired`);
  if (d.channel_ids.length > 0 && !d.channel_ids.includes(ctx.channelId)) {
    return refuse('not_on_this_channel', `The code ${d.code} is not valid on this channel`);
  }
  if (d.currency && d.currency !== ctx.currency) {
    return refuse('currency_mismatch', `The code ${d.code} is for ${d.currency} prices`);
  }
  if (d.min_subtotal !== null && ctx.subtotal < d.min_subtotal) {
    return refuse('below_minimum', `The code ${d.code} needs a subtotal of at least ${d.min_subtotal}`);
  }
  if (d.usage_limit !== null && d.usage_count >= d.usage_limit) {
    return refuse('exhausted', `The code ${d.code} has been used up`);
  }
  return ok({ discount: d, amount: discountAmount(d, ctx.subtotal) });
};

/**
 * Takes one use of a discount for an order, in the order's transaction. The usage counter is a
 * conditional UPDATE, so concurrent checkouts never exceed the limit.
 */
export const redeemDiscount = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  r: { discountId: string; orderId: string; amount: number },
): Promise<Result<true, 'DISCOUNT_INVALID'>> => {
  if (!(await repo.takeUse(tx, r.discountId))) {
    return fail('DISCOUNT_INVALID', 'The discount code has been used up', { reason: 'exhausted' });
  }
  await tx.query(
    `INSERT INTO discount_redemptions (id, discount_id, order_id, amount, status, created_at)
     VALUES ($1, $2, $3, $4, 'applied', $5)`,
    [newId('dre'), r.discountId, r.orderId, r.amount, deps.clock.now()],
  );
  return ok(true);
};

/** Gives the use back when the order is cancelled or its payment fails (idempotent). */
export const releaseDiscount = async (tx: Tx, orderId: string): Promise<void> => {
  const { rows } = await tx.query<{ discount_id: string }>(
    `UPDATE discount_redemptions SET status = 'released' WHERE order_id = $1 AND status = 'applied'
     RETURNING discount_id`,
    [orderId],
  );
  for (const r of rows) await repo.giveBackUse(tx, r.discount_id);
};
