import type { Queryable, Tx } from '../../platform/db.ts';
import { pgCode } from '../../platform/db.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { isCurrency } from '../../platform/money.ts';
import { writeEvent, writeEvents } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import * as offers from './offer-codes.ts';
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
  | 'exhausted'
  // offer codes of a campaign (docs/campaigns.md, "Offer codes")
  | 'offer_used'
  | 'offer_expired'
  | 'offer_ended'
  | 'not_your_code';

export interface DiscountContext {
  channelId: string;
  currency: string;
  subtotal: number;
  at: Date;
  /**
   * The logged-in customer of the cart or sale: a personal offer code is refused for another
   * customer (a guest may redeem it: the printed coupon is in their hands). Undefined: not checked.
   */
  customerId?: string | null;
}

type Refuse = (reason: DiscountRefusal, detail: string) => ReturnType<typeof fail<'DISCOUNT_INVALID'>>;

/**
 * An offer code stands for its discount, under the code's own limits: uses left, expiry, a campaign
 * that was not cancelled, the customer it was made for. Returns the discount as if it had this code.
 */
const offerDiscount = async (
  q: Queryable,
  typed: string,
  ctx: DiscountContext,
  refuse: Refuse,
): Promise<repo.DiscountRow | ReturnType<Refuse>> => {
  const o = await offers.findOfferCode(q, typed);
  const d = o && !o.customer_erased ? await repo.getDiscount(q, o.discount_id) : undefined;
  if (!o || !d) return refuse('unknown_code', `There is no discount code ${typed.toUpperCase()}`);
  if (o.campaign_status === 'cancelled') return refuse('offer_ended', `The offer ${o.code} has ended`);
  if (o.expires_at && ctx.at >= o.expires_at)
    return refuse('offer_expired', `The offer ${o.code} has expired`);
  if (o.redemptions >= o.max_redemptions)
    return refuse('offer_used', `The offer code ${o.code} has already been used`);
  if (o.customer_id && ctx.customerId && ctx.customerId !== o.customer_id) {
    return refuse('not_your_code', `The offer code ${o.code} belongs to another customer`);
  }
  return { ...d, code: o.code };
};

/** What a discount takes off a subtotal (never more than the subtotal). */
export const discountAmount = (d: repo.DiscountRow, subtotal: number): number =>
  d.type === 'percent' ? Math.floor((subtotal * d.value) / 100) : Math.min(d.value, subtotal);

/** Checks whether a code applies to a cart on a channel now; returns the amount or why not. */
export const evaluateCode = async (
  q: Queryable,
  code: string,
  ctx: DiscountContext,
): Promise<Result<{ discount: repo.DiscountRow; amount: number }, 'DISCOUNT_INVALID'>> => {
  const refuse: Refuse = (reason, detail) => fail('DISCOUNT_INVALID', detail, { reason, code });
  const found = (await repo.findByCode(q, code)) ?? (await offerDiscount(q, code, ctx, refuse));
  if ('ok' in found) return found;
  const d = found;
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
 * A code's discount as pricing asks for it (checkout and the POS): evaluated on the subtotal it is
 * given, DISCOUNT_INVALID thrown when the code is refused.
 */
export const codeDiscount =
  (q: Queryable, code: string, ctx: Omit<DiscountContext, 'subtotal'>) =>
  async (subtotal: number): Promise<{ id: string; code: string; amount: number }> => {
    const d = await evaluateCode(q, code, { ...ctx, subtotal });
    if (!d.ok) throw new PlazaError('DISCOUNT_INVALID', d.detail, d.details);
    return { id: d.value.discount.id, code: d.value.discount.code, amount: d.value.amount };
  };

/**
 * Takes one use of a discount for an order, in the order's transaction. The usage counter is a
 * conditional UPDATE, so concurrent checkouts never exceed the limit. With the `code` the order
 * carries, an offer code also gives up one of its uses (conditional UPDATE too), its redemption is
 * recorded (offer_redemptions) and `offer.redeemed` is written to the outbox: the campaigns flow
 * makes it a touch of the campaign (modules do not import flows).
 */
export const redeemDiscount = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  r: {
    discountId: string;
    orderId: string;
    amount: number;
    code?: string | null;
    customerId?: string | null;
    channelId?: string | null;
    locationId?: string | null;
  },
): Promise<Result<true, 'DISCOUNT_INVALID'>> => {
  const now = deps.clock.now();
  const offer =
    r.code && !(await repo.findByCode(tx, r.code)) ? await offers.findOfferCode(tx, r.code) : undefined;
  if (offer) {
    const taken = await offers.takeOfferUse(tx, offer.code, now);
    if (!taken) {
      return fail('DISCOUNT_INVALID', `The offer code ${offer.code} has already been used`, {
        reason: 'offer_used',
        code: offer.code,
      });
    }
  }
  if (!(await repo.takeUse(tx, r.discountId))) {
    return fail('DISCOUNT_INVALID', 'The discount code has been used up', { reason: 'exhausted' });
  }
  if (offer) {
    const redemption: offers.OfferRedemption = {
      id: newId('ofr'),
      code: offer.code,
      campaign_id: offer.campaign_id,
      customer_id: r.customerId ?? offer.customer_id,
      code_customer_id: offer.customer_id,
      order_id: r.orderId,
      channel_id: r.channelId ?? null,
      location_id: r.locationId ?? null,
    };
    await offers.insertOfferRedemption(tx, redemption, now);
    await writeEvent(tx, deps.clock, {
      type: 'offer.redeemed',
      aggregateType: 'campaign',
      aggregateId: offer.campaign_id,
      data: { ...redemption, print_run_id: offer.print_run_id, send_id: offer.send_id, amount: r.amount },
    });
  }
  await tx.query(
    `INSERT INTO discount_redemptions (id, discount_id, order_id, amount, status, created_at)
     VALUES ($1, $2, $3, $4, 'applied', $5)`,
    [newId('dre'), r.discountId, r.orderId, r.amount, deps.clock.now()],
  );
  return ok(true);
};

/**
 * Gives the use back when the order is cancelled or its payment fails (idempotent), and the use of
 * its offer code: the code can be redeemed again. With `deps`, `offer.released` is written so the
 * campaign's `redeemed` rollup goes down again.
 */
export const releaseDiscount = async (tx: Tx, orderId: string, deps?: Pick<Deps, 'clock'>): Promise<void> => {
  const { rows } = await tx.query<{ discount_id: string }>(
    `UPDATE discount_redemptions SET status = 'released' WHERE order_id = $1 AND status = 'applied'
     RETURNING discount_id`,
    [orderId],
  );
  for (const r of rows) await repo.giveBackUse(tx, r.discount_id);
  const released = await offers.releaseOfferUses(tx, orderId);
  if (deps && released.length > 0) {
    await writeEvents(
      tx,
      deps.clock,
      released.map((o) => ({
        type: 'offer.released',
        aggregateType: 'campaign',
        aggregateId: String(o.campaign_id),
        data: o,
      })),
    );
  }
};
