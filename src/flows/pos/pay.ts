/**
 * Paying a counter sale, like checkout in two phases: hold the store's stock and create the order
 * (pending payment) in one transaction; authorize and capture with the provider outside any
 * transaction; then in a second one turn the hold into a sale (the store's stock is decremented),
 * complete the order and the sale — or, declined, release the hold and reopen the sale.
 */
import { getCart, touchCart } from '../../modules/carts/index.ts';
import { getChannel } from '../../modules/channels/index.ts';
import { getCustomer } from '../../modules/customers/index.ts';
import { codeDiscount, redeemDiscount, releaseDiscount } from '../../modules/discounts/index.ts';
import { commitReservation, releaseReservation, reserve } from '../../modules/inventory/index.ts';
import {
  addLineQuantities,
  changeFulfillmentStatus,
  changeOrderStatus,
  createOrder,
  fulfillmentsOf,
  getOrder,
  linesOf,
  type OrderRow,
} from '../../modules/orders/index.ts';
import {
  authorizeWithProvider,
  changePayment,
  createPayment,
  faultPoint,
  getProvider,
  type PaymentRow,
  paymentsOfOrders,
  setProviderAction,
  withTimeout,
} from '../../modules/payments/index.ts';
import { changeSale, getSale, linesOfSale, type PosSaleRow } from '../../modules/pos/index.ts';
import { moveStoreCredit } from '../../modules/store-credit/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import type { AdminPrincipal } from '../../platform/http/auth.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { applyLoyaltyPoints, releaseLoyaltyPoints } from '../loyalty/redeem.ts';
import { reconcilePayment } from '../payments/reconcile.ts';
import type { OnceContext } from '../shared/idempotent.ts';
import { orderLinesOf, priceItems } from '../shared/pricing.ts';
import { saleFor } from './sale.ts';
import type { PosPayment } from './schema.ts';

/** How long a sale being paid holds the store's stock if the payment never answers. */
const HOLD_MS = 15 * 60_000;

type Outcome =
  | { status: 'captured'; reference: string; display: string | null }
  | { status: 'declined' | 'failed'; reason: string };

/** Phase one: the order (pending payment) with the store's stock held; resumes a payment in progress. */
const prepare = async (
  tx: Tx,
  deps: Deps,
  admin: AdminPrincipal,
  saleId: string,
  payment: PosPayment,
  ctx: OnceContext,
  loyaltyPoints: number | undefined,
  discountCode?: string,
) => {
  const actor = `token:${admin.tokenId}`;
  let sale = await saleFor(tx, admin, saleId, true);
  if (sale.status === 'completed' && sale.order_id) return sale.order_id;
  if (sale.status === 'paying' && sale.order_id) {
    const earlier = await getOrder(tx, sale.order_id);
    if (earlier?.status === 'pending_payment') return earlier.id;
    sale = await changeSale(tx, deps, sale, 'open', { actor, reason: 'payment_abandoned' });
  }
  if (sale.status !== 'open') {
    throw new PlazaError('INVALID_STATE_TRANSITION', `Sale ${sale.id} is ${sale.status}`, {
      status: sale.status,
    });
  }
  const lines = await linesOfSale(tx, sale.id);
  if (lines.length === 0) throw new PlazaError('UNPROCESSABLE', 'The sale is empty: scan something first');
  if (payment.provider === 'store-credit' && !sale.customer_id) {
    throw validation('Store credit needs the customer on the sale', [
      { path: 'body.payment', message: 'no customer' },
    ]);
  }
  const now = deps.clock.now();
  const orderId = newId('ord');
  // Loyalty points of the sale's customer pay part of it, as a discount line (any channel, POS too),
  // up to what is due before tax, like at checkout (the one pricing calculation decides).
  const currency = (await getChannel(tx, sale.channel_id))?.currency ?? 'USD';
  // A discount or offer code is priced by the one pricing calculation, like at checkout.
  const priced = await priceItems(tx, sale.channel_id, lines, now, {
    discount: discountCode
      ? codeDiscount(tx, discountCode, {
          channelId: sale.channel_id,
          currency,
          at: now,
          customerId: sale.customer_id,
        })
      : undefined,
    points: (due) =>
      applyLoyaltyPoints(tx, deps, {
        points: loyaltyPoints,
        customerId: sale.customer_id,
        orderId,
        channelId: sale.channel_id,
        due,
      }),
  });
  if (payment.provider === 'cash' && payment.tendered < priced.totals.total) {
    throw validation(`Cash tendered (${payment.tendered}) is less than the total (${priced.totals.total})`, [
      { path: 'body.payment.tendered', message: `must be at least ${priced.totals.total}` },
    ]);
  }
  const held = await reserve(tx, deps, {
    reference: { type: 'order', id: orderId },
    lines: lines.map((l) => ({ sku: l.sku, location_id: sale.location_id, quantity: l.quantity })),
    expiresAt: new Date(now.getTime() + HOLD_MS),
    actor,
  });
  if (!held.ok)
    throw new PlazaError('INSUFFICIENT_STOCK', held.detail, { ...held.details, endless_aisle: true });
  if (sale.cart_id) {
    const cart = await getCart(tx, sale.cart_id, true);
    if (cart?.status !== 'active' || cart.version !== sale.cart_version) {
      throw new PlazaError(
        'CONFLICT',
        'The online cart changed since it was pulled up; start the sale again',
        {
          cart_id: sale.cart_id,
        },
      );
    }
  }
  const customer = sale.customer_id ? await getCustomer(tx, sale.customer_id) : undefined;
  const order = await createOrder(tx, deps, {
    id: orderId,
    status: 'pending_payment',
    paymentStatus: 'pending',
    channelId: sale.channel_id,
    sellingLocationId: sale.location_id,
    customerId: sale.customer_id,
    email: customer?.email ?? null,
    cartId: sale.cart_id,
    fulfillmentType: 'in_store',
    pickupLocationId: null,
    shippingAddress: null,
    currency,
    shippingTotal: 0,
    pricesIncludeTax: priced.settings.prices_include_tax,
    discountId: priced.totals.discount?.id ?? null,
    discountCode: priced.totals.discount?.code ?? null,
    accessToken: null,
    lines: orderLinesOf(priced.lines),
    fulfillments: [
      {
        type: 'in_store',
        locationId: sale.location_id,
        sourceLocationId: null,
        status: 'pending',
        readyEstimateAt: null,
        reservationId: held.value.id,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      },
    ],
    actor,
  });
  const discount = priced.totals.discount;
  if (discount) {
    const r = await redeemDiscount(tx, deps, {
      discountId: discount.id,
      orderId,
      amount: discount.amount,
      code: discount.code,
      customerId: sale.customer_id,
      channelId: sale.channel_id,
      locationId: sale.location_id,
    });
    if (!r.ok) throw new PlazaError('DISCOUNT_INVALID', r.detail, r.details);
  }
  const charged = await createPayment(tx, deps, {
    orderId,
    provider: payment.provider,
    amount: order.total,
    currency: order.currency,
    actor,
  });
  // Committed before the provider is called: should this request die after the provider took the
  // money, the payment reconciler finds the sale's payment and gives the money back.
  await setProviderAction(tx, charged.id, 'charge', deps.clock.now());
  await changeSale(tx, deps, sale, 'paying', {
    actor,
    patch: { order_id: orderId, ...(payment.provider === 'cash' ? { tendered: payment.tendered } : {}) },
  });
  await ctx.attach(tx, orderId);
  return orderId;
};

/** Phase two, outside any transaction: authorize, then capture at once (a counter sale is paid now). */
const charge = async (deps: Deps, orderId: string, payment: PosPayment): Promise<Outcome | undefined> => {
  const p = (await paymentsOfOrders(deps.db, [orderId])).at(-1);
  if (p?.status !== 'pending') return undefined;
  const details = payment.provider === 'test-card' ? { card_number: payment.card_number } : {};
  const auth = await authorizeWithProvider(deps.config.paymentTimeoutMs, p, details);
  if (auth.status !== 'authorized') return auth;
  const provider = getProvider(p.provider);
  try {
    const out = await withTimeout(
      provider.capture(
        { paymentId: p.id, reference: auth.reference, amount: p.amount, currency: p.currency },
        { db: deps.db },
      ),
      deps.config.paymentTimeoutMs,
      provider.id,
    );
    faultPoint('after_capture');
    if (out.ok) return { status: 'captured', reference: auth.reference, display: auth.display };
  } catch {
    // the provider may have captured all the same: giveBack asks it and voids or refunds
  }
  return { status: 'failed', reason: 'capture_failed' };
};

/**
 * The sale did not complete with this payment: asks the provider what it holds, voids or refunds it,
 * and records that (the order is cancelled and the sale open again). If the provider or the database
 * cannot do it now, the payment stays marked and the payment reconciler does it within a minute.
 */
const giveBack = async (deps: Deps, orderId: string, actor: string): Promise<PaymentRow | undefined> => {
  const p = (await paymentsOfOrders(deps.db, [orderId])).at(-1);
  if (!p?.provider_action) return p;
  try {
    return (await reconcilePayment(deps, p.id, actor)) ?? p;
  } catch (e) {
    deps.log.error({ err: e, paymentId: p.id }, 'could not give back the payment of a failed sale yet');
    return p;
  }
};

/** Phase three: complete order and sale (stock sold at once), or cancel the order and reopen the sale. */
const settle = async (
  tx: Tx,
  deps: Deps,
  sale: PosSaleRow,
  order: OrderRow,
  outcome: Outcome,
  actor: string,
) => {
  const p = (await paymentsOfOrders(tx, [order.id])).at(-1);
  const [ful] = await fulfillmentsOf(tx, [order.id]);
  if (!p || !ful?.reservation_id) throw new Error(`sale order ${order.id} lost its payment or hold`);
  const data = {
    customer_id: order.customer_id,
    channel_id: order.channel_id,
    location_id: sale.location_id,
  };
  let result = outcome;
  if (result.status === 'captured' && p.provider === 'store-credit' && order.customer_id) {
    const debit = await moveStoreCredit(tx, deps, {
      customerId: order.customer_id,
      currency: order.currency,
      amount: -order.total,
      kind: 'purchase',
      reference: { type: 'order', id: order.id },
      actor,
      data: { ...data, order_id: order.id },
    });
    if (!debit.ok) result = { status: 'declined', reason: 'insufficient_store_credit' };
  }
  if (result.status !== 'captured') {
    await changePayment(tx, deps, p.id, result.status, {
      actor,
      reason: result.reason,
      patch: { failure_reason: result.reason },
      data,
    });
    await releaseReservation(tx, deps, ful.reservation_id, { reason: `payment_${result.status}`, actor });
    await releaseLoyaltyPoints(tx, deps, order.id);
    await releaseDiscount(tx, order.id, deps);
    await changeOrderStatus(tx, deps, order.id, 'cancelled', {
      actor,
      reason: `payment_${result.status}`,
      paymentStatus: result.status,
      data: { location_id: sale.location_id },
    });
    await changeSale(tx, deps, sale, 'open', { actor, reason: `payment_${result.status}` });
    return result;
  }
  await changePayment(tx, deps, p.id, 'captured', {
    actor,
    patch: { captured_amount: p.amount, reference: result.reference, display: result.display },
    data,
  });
  await setProviderAction(tx, p.id, null, deps.clock.now());
  const committed = await commitReservation(tx, deps, ful.reservation_id, { actor });
  if (!committed.ok)
    throw new PlazaError('CONFLICT', 'The stock hold lapsed while paying; try again', { retryable: true });
  await changeFulfillmentStatus(tx, deps, ful, 'picked_up', { actor });
  for (const l of await linesOf(tx, [order.id])) await addLineQuantities(tx, l.id, { fulfilled: l.quantity });
  await changeOrderStatus(tx, deps, order.id, 'completed', {
    actor,
    paymentStatus: 'captured',
    data: { location_id: sale.location_id, selling_location_id: sale.location_id },
  });
  if (sale.cart_id)
    await touchCart(tx, sale.cart_id, { status: 'checked_out', order_id: order.id }, deps.clock.now());
  const done = await changeSale(tx, deps, sale, 'completed', {
    actor,
    patch: { completed_at: deps.clock.now() },
  });
  await writeEvent(tx, deps.clock, {
    type: 'pos.sale_completed',
    aggregateType: 'order',
    aggregateId: order.id,
    data: {
      ...data,
      order_id: order.id,
      order_number: order.number,
      sale_id: done.id,
      staff_token_id: done.staff_token_id,
      provider: p.provider,
      total: order.total,
      currency: order.currency,
      online_cart_id: done.cart_id,
    },
  });
  return result;
};

/**
 * Pays a sale. A declined or failed payment changes nothing but the cancelled attempt (the sale is
 * open again) and answers PAYMENT_DECLINED / PAYMENT_FAILED. Returns the completed sale's order id.
 */
export const paySale = async (
  deps: Deps,
  admin: AdminPrincipal,
  saleId: string,
  payment: PosPayment,
  ctx: OnceContext,
  loyaltyPoints?: number,
  discountCode?: string,
): Promise<string> => {
  const actor = `token:${admin.tokenId}`;
  const orderId = await deps.db.tx(
    (tx) => prepare(tx, deps, admin, saleId, payment, ctx, loyaltyPoints, discountCode),
    {
      retries: 2,
    },
  );
  const outcome = await charge(deps, orderId, payment);
  let result: Outcome | undefined;
  try {
    result = await deps.db.tx(async (tx) => {
      const order = (await getOrder(tx, orderId, true)) as OrderRow;
      const sale = (await getSale(tx, saleId, true)) as PosSaleRow;
      if (order.status !== 'pending_payment' || !outcome) return undefined; // settled already
      return settle(tx, deps, sale, order, outcome, actor);
    });
  } catch (e) {
    // Rolled back after the provider may have taken the money: never forget it.
    const p = await giveBack(deps, orderId, actor);
    if (e instanceof PlazaError) {
      throw new PlazaError(e.code, `${e.message} (payment ${p?.status ?? 'unknown'})`, {
        ...e.details,
        payment_status: p?.status ?? null,
      });
    }
    throw e;
  }
  if (result?.status === 'captured') return orderId;
  if (!result && (await getOrder(deps.db, orderId))?.status === 'completed') return orderId;
  const p = await giveBack(deps, orderId, actor);
  const reason = result?.reason ?? 'payment_interrupted';
  const given = p?.status === 'refunded' || p?.status === 'voided';
  throw new PlazaError(
    result?.status === 'declined' ? 'PAYMENT_DECLINED' : 'PAYMENT_FAILED',
    given
      ? `The payment did not go through; it was ${p?.status} with the provider and the sale is open again`
      : 'The payment did not go through; nothing was charged and the sale is open again',
    { reason, payment_status: p?.status ?? null },
  );
};
