/**
 * Exchanges: the customer returns an item and takes another (another size) in the same transaction.
 * The items taken become a completed in-store order on the original order's channel, sold from the
 * receiving location, paid with the value of what was returned (`exchange` tender); what is left
 * of that value is refunded as the return says.
 */
import { sellNow } from '../../modules/inventory/index.ts';
import {
  addLineQuantities,
  createOrder,
  getOrder,
  linesOf,
  type OrderRow,
} from '../../modules/orders/index.ts';
import { changePayment, createPayment } from '../../modules/payments/index.ts';
import { type ReturnRow, updateReturn } from '../../modules/returns/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { itemsOfCodes, orderLinesOf, priceItems } from '../shared/pricing.ts';

/**
 * Sells the exchange items at the return's location (stock decremented at once) as a completed
 * order paid by the return, and records it on the return. Refused with UNPROCESSABLE when the new
 * items cost more than the returned ones (`difference`), INSUFFICIENT_STOCK when the location lacks them.
 */
export const exchangeTx = async (
  tx: Tx,
  deps: Deps,
  ret: ReturnRow,
  codes: readonly { code: string; quantity: number }[],
  actor: string,
): Promise<ReturnRow> => {
  const order = (await getOrder(tx, ret.order_id)) as OrderRow;
  const items = await itemsOfCodes(tx, codes);
  const priced = await priceItems(tx, order.channel_id, items, deps.clock.now());
  if (priced.totals.total > ret.total) {
    throw new PlazaError('UNPROCESSABLE', 'The items taken cost more than the items returned', {
      reason: 'exchange_exceeds_return',
      returned_value: ret.total,
      exchange_value: priced.totals.total,
      difference: priced.totals.total - ret.total,
    });
  }
  const orderId = newId('ord');
  const sold = await sellNow(tx, deps, {
    reference: { type: 'order', id: orderId },
    lines: items.map((i) => ({ ...i, location_id: ret.location_id })),
    actor,
  });
  if (!sold.ok) throw new PlazaError('INSUFFICIENT_STOCK', sold.detail, sold.details);
  const exchange = await createOrder(tx, deps, {
    id: orderId,
    status: 'completed',
    paymentStatus: 'captured',
    channelId: order.channel_id,
    sellingLocationId: ret.location_id,
    customerId: order.customer_id,
    email: order.email,
    cartId: null,
    fulfillmentType: 'in_store',
    pickupLocationId: null,
    shippingAddress: null,
    currency: order.currency,
    shippingTotal: 0,
    pricesIncludeTax: priced.settings.prices_include_tax,
    discountId: null,
    discountCode: null,
    accessToken: null,
    lines: orderLinesOf(priced.lines),
    fulfillments: [
      {
        type: 'in_store',
        locationId: ret.location_id,
        sourceLocationId: null,
        status: 'picked_up',
        readyEstimateAt: null,
        reservationId: sold.value.id,
        lines: items,
      },
    ],
    actor,
  });
  for (const l of await linesOf(tx, [exchange.id]))
    await addLineQuantities(tx, l.id, { fulfilled: l.quantity });
  const payment = await createPayment(tx, deps, {
    orderId: exchange.id,
    provider: 'exchange',
    amount: exchange.total,
    currency: exchange.currency,
    actor,
  });
  const data = { customer_id: order.customer_id, channel_id: order.channel_id, location_id: ret.location_id };
  await changePayment(tx, deps, payment.id, 'captured', {
    actor,
    reason: `exchange for return ${ret.id}`,
    patch: { captured_amount: exchange.total, reference: ret.id, display: 'exchange' },
    data,
  });
  return updateReturn(
    tx,
    ret.id,
    {
      exchange_total: exchange.total,
      refund_total: ret.total - exchange.total,
      exchange_order_id: exchange.id,
    },
    deps.clock.now(),
  );
};
