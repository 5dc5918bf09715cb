import {
  assertActive,
  type CartCaller,
  cartNotFound,
  cartWithLines,
  loadCartContext,
  mayOpen,
  type PricingChannel,
} from '../../modules/carts/index.ts';
import { findByEmail, getCustomer } from '../../modules/customers/index.ts';
import { codeDiscount, redeemDiscount } from '../../modules/discounts/index.ts';
import { reserveMany } from '../../modules/inventory/index.ts';
import { nextOrderNumber, type StagedOrder, stageOrder } from '../../modules/orders/index.ts';
import { getProvider, type PaymentRow, stagePayment } from '../../modules/payments/index.ts';
import { WriteBatch } from '../../platform/batch.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { stageAttachResource } from '../../platform/idempotency.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { applyLoyaltyPoints } from '../loyalty/redeem.ts';
import { orderLinesOf, priceLines, sellingLines } from '../shared/pricing.ts';
import { assertNotCheckedOut, settleEarlierAttempts } from './once.ts';
import { planFulfillments, unprocessable } from './plan.ts';
import type { CheckoutBody } from './schema.ts';

export interface Prepared extends StagedOrder {
  payment: PaymentRow;
  orderToken: string | null;
}

/**
 * Phase one of checkout, in one short transaction: lock the cart, price and route it, then
 * write the order (pending payment), its lines and fulfilments, the pending payment, the history and
 * the events in ONE batched statement, then hold the stock of every fulfilment (one statement for all
 * holds, expiring after the channel's hold time) right before COMMIT. About six round trips; no
 * network call.
 */
export const prepareCheckout = async (
  tx: Tx,
  deps: Deps,
  c: {
    cartId: string;
    caller: CartCaller;
    channel: PricingChannel;
    body: CheckoutBody;
    idem: { scope: string; key: string };
  },
): Promise<Prepared> => {
  const now = deps.clock.now();
  const state = await cartWithLines(tx, c.cartId, true);
  if (!state || !mayOpen(state.cart, c.caller)) throw cartNotFound(c.cartId);
  const { cart, lines } = state;
  assertNotCheckedOut(cart);
  assertActive(cart);
  // One cart, one checkout: refuse while another attempt of this cart runs, release a dead one (its
  // holds are the cart's own, and must not make this attempt look sold out).
  await settleEarlierAttempts(tx, deps, cart.id);
  if (lines.length === 0) throw unprocessable('The cart is empty');
  if (!cart.fulfillment)
    throw unprocessable('Choose shipping or pickup first (PUT /store/carts/:id/fulfillment)');
  const provider = getProvider(c.body.payment.provider);
  if (provider.pickupOnly && cart.fulfillment.type !== 'pickup') {
    throw unprocessable(`${provider.id} is only for pickup orders`, { provider: provider.id });
  }
  let email = c.body.email?.toLowerCase() ?? cart.email;
  if (!email && cart.customer_id) email = (await getCustomer(tx, cart.customer_id))?.email ?? null;
  if (!email) {
    throw new PlazaError('VALIDATION_FAILED', 'An email is needed for a guest checkout', {
      errors: [{ path: 'body.email', message: 'is required when the cart has no email' }],
    });
  }
  // A guest order belongs to the customer who has this email, if there is one: it shows in their
  // order history on every channel.
  const customerId = cart.customer_id ?? (await findByEmail(tx, email))?.id ?? null;

  const ctx = await loadCartContext(tx, c.channel, lines, now);
  const priced = sellingLines(ctx.sellable, lines, (sku) => `${sku} is not sold on this channel any more`);
  const { fulfillments, pickupLocationId } = planFulfillments(cart, priced, ctx, now);

  const orderId = newId('ord');
  const expiresAt = new Date(now.getTime() + ctx.settings.checkout_hold_minutes * 60_000);
  for (const f of fulfillments) f.reservationId = newId('res');

  // Priced like the cart view (one calculation), but a code that no longer applies is refused.
  const code = cart.discount_code;
  const { lines: orderLines, totals } = await priceLines(priced, ctx.settings, {
    ships: cart.fulfillment.type === 'shipping',
    discount: code
      ? codeDiscount(tx, code, { ...c.channel, at: now, customerId: cart.customer_id })
      : undefined,
    // Loyalty points pay part of the order as a discount line (only when the shopper asks for it).
    points: (due) =>
      applyLoyaltyPoints(tx, deps, {
        points: c.body.loyalty_points,
        customerId,
        orderId,
        channelId: c.channel.channelId,
        due,
      }),
  });
  const discount = totals.discount;
  if (c.body.expected_total !== undefined && c.body.expected_total !== totals.total) {
    throw new PlazaError('CONFLICT', 'The total changed since you saw it; review the cart', {
      expected_total: c.body.expected_total,
      total: totals.total,
    });
  }

  const orderToken = cart.customer_id ? null : newSecret('plz_ot_');
  const batch = new WriteBatch();
  const staged = stageOrder(batch, deps, {
    id: orderId,
    number: await nextOrderNumber(tx),
    status: 'pending_payment',
    paymentStatus: 'pending',
    channelId: c.channel.channelId,
    sellingLocationId: null,
    customerId,
    email,
    cartId: cart.id,
    fulfillmentType: cart.fulfillment.type,
    pickupLocationId,
    shippingAddress: cart.fulfillment.type === 'shipping' ? (cart.fulfillment.address ?? null) : null,
    currency: c.channel.currency,
    shippingTotal: totals.shippingTotal,
    pricesIncludeTax: ctx.settings.prices_include_tax,
    discountId: discount?.id ?? null,
    discountCode: discount?.code ?? null,
    accessToken: orderToken,
    lines: orderLinesOf(orderLines),
    fulfillments,
    actor: cart.customer_id ? `customer:${cart.customer_id}` : 'guest',
  });
  const payment = stagePayment(batch, deps, {
    orderId,
    provider: provider.id,
    amount: staged.order.total,
    currency: staged.order.currency,
    actor: 'checkout',
  });
  stageAttachResource(batch, c.idem.scope, c.idem.key, orderId);
  await batch.flush(tx);
  if (discount) {
    const r = await redeemDiscount(tx, deps, {
      discountId: discount.id,
      orderId,
      amount: discount.amount,
      code: discount.code,
      customerId,
      channelId: c.channel.channelId,
    });
    if (!r.ok) throw new PlazaError('DISCOUNT_INVALID', r.detail, r.details);
  }
  // Last, so the hot stock rows stay locked only until COMMIT. The holds are the real check: if
  // another checkout took the stock since the snapshot, this refuses and everything rolls back.
  const held = await reserveMany(tx, {
    reservations: fulfillments.map((f) => ({
      id: f.reservationId as string,
      reference: { type: 'order', id: orderId },
      lines: f.lines.map((l) => ({ sku: l.sku, location_id: f.source, quantity: l.quantity })),
      expiresAt,
    })),
    actor: 'checkout',
    at: now,
  });
  if (!held.ok) throw new PlazaError('INSUFFICIENT_STOCK', held.detail, held.details);
  return { ...staged, payment, orderToken };
};
