/** Helpers for store tests: pickup orders through the shopper API, the outbox, events. */

import { findVariantByCode, withCheckDigit } from '../../src/modules/catalog/index.ts';
import { TEST_CARDS } from '../../src/modules/payments/index.ts';
import { MODULES } from '../../src/modules.ts';
import { OutboxDispatcher } from '../../src/platform/outbox/dispatcher.ts';
import type { TestApp } from './app.ts';

export interface PlacedOrder {
  id: string;
  number: number;
  status: string;
  payment_status: string;
  total: number;
  lines: {
    id: string;
    sku: string;
    quantity: number;
    total: number;
    fulfilled_quantity: number;
    returned_quantity: number;
  }[];
  fulfillments: {
    id: string;
    status: string;
    location_id: string;
    source_location_id: string | null;
    ready_estimate_at: string | null;
  }[];
  payments: {
    id: string;
    provider: string;
    status: string;
    amount: number;
    captured_amount: number;
    refunded_amount: number;
  }[];
}

let n = 0;

/**
 * Places an order through /store: a cart with `items`, pickup at `locationId` (or shipping), then
 * checkout paid with `pay-in-store` or an approved test card. Fails loudly on any refusal.
 */
export const placeOrder = async (
  t: TestApp,
  key: string,
  items: { sku: string; quantity: number }[],
  opts: {
    pickupAt?: string;
    pay?: 'pay-in-store' | 'test-card';
    customerToken?: string;
    email?: string;
  } = {},
): Promise<{ order: PlacedOrder; orderToken: string | null }> => {
  const auth = opts.customerToken ? { token: opts.customerToken } : {};
  const cart = await t.call<{ cart: { id: string }; cart_token: string | null }>('POST', '/store/carts', {
    key,
    ...auth,
    body: { items },
  });
  if (cart.status !== 201) throw new Error(`cart: ${cart.status} ${cart.text}`);
  const headers: Record<string, string> = cart.body.cart_token
    ? { 'x-plaza-cart-token': cart.body.cart_token }
    : {};
  const fulfillment = opts.pickupAt
    ? { type: 'pickup', location_id: opts.pickupAt }
    : {
        type: 'shipping',
        address: { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
      };
  const f = await t.call('PUT', `/store/carts/${cart.body.cart.id}/fulfillment`, {
    key,
    ...auth,
    headers,
    body: fulfillment,
  });
  if (f.status !== 200) throw new Error(`fulfillment: ${f.status} ${f.text}`);
  const pay = opts.pay ?? 'pay-in-store';
  const r = await t.call<{ order: PlacedOrder; order_token: string | null }>(
    'POST',
    `/store/carts/${cart.body.cart.id}/checkout`,
    {
      key,
      ...auth,
      headers: { ...headers, 'idempotency-key': `order-${++n}-${Date.now()}` },
      body: {
        ...(opts.customerToken ? {} : { email: opts.email ?? `shopper${n}@example.com` }),
        payment:
          pay === 'test-card'
            ? { provider: 'test-card', card_number: TEST_CARDS.approve }
            : { provider: pay },
      },
    },
  );
  if (r.status !== 201) throw new Error(`checkout: ${r.status} ${r.text}`);
  return { order: r.body.order, orderToken: r.body.order_token };
};

/** Runs the outbox dispatcher (with every module's subscribers) until it is idle. */
export const drainOutbox = async (t: TestApp): Promise<void> => {
  const subscribers = MODULES.flatMap((m) => m.subscribers?.(t.deps) ?? []);
  const dispatcher = new OutboxDispatcher({ ...t.deps, subscribers });
  for (let i = 0; i < 50 && (await dispatcher.runOnce()) > 0; i++);
};

export interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Events of a type about an order (oldest first). */
export const eventsOf = async (t: TestApp, type: string, orderId: string): Promise<StoredEvent[]> =>
  (
    await t.deps.db.query<StoredEvent>(
      `SELECT type, data FROM outbox_events WHERE type = $1 AND aggregate_type = 'order' AND aggregate_id = $2
       ORDER BY seq`,
      [type, orderId],
    )
  ).rows;

/** The order as the admin API shows it. */
export const adminOrder = async (t: TestApp, orderId: string): Promise<PlacedOrder> => {
  const r = await t.admin<PlacedOrder>('GET', `/orders/${orderId}`);
  if (r.status !== 200) throw new Error(`order: ${r.status} ${r.text}`);
  return r.body;
};

/**
 * A POS channel bound to `storeId`, selling the shop's products at `prices` (SKU → amount) with the
 * given sales tax; the first SKU also gets a random EAN-13 barcode, returned.
 */
export const addPosChannel = async (
  t: TestApp,
  storeId: string,
  prices: Record<string, number>,
  taxRateBps = 0,
): Promise<{ id: string; key: string; barcode: string }> => {
  const pos = await t.channel('pos');
  const bound = await t.admin('PUT', `/channels/${pos.id}/locations`, { location_ids: [storeId] });
  if (bound.status !== 200) throw new Error(`bind: ${bound.text}`);
  if (taxRateBps) await t.admin('PATCH', `/channels/${pos.id}`, { settings: { tax_rate_bps: taxRateBps } });
  const barcode = withCheckDigit(`40${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`);
  for (const [i, [sku, amount]] of Object.entries(prices).entries()) {
    const v = await findVariantByCode(t.deps.db, sku);
    if (!v) throw new Error(`no variant ${sku}`);
    await t.admin('PUT', `/products/${v.product_id}/channels/${pos.id}`);
    const priced = await t.admin('PUT', `/variants/${v.id}/prices`, {
      channel_id: pos.id,
      prices: [{ amount }],
    });
    if (priced.status !== 200) throw new Error(`price: ${priced.text}`);
    if (i === 0) {
      const r = await t.admin('PATCH', `/products/${v.product_id}/variants/${v.id}`, { barcode });
      if (r.status !== 200) throw new Error(`barcode: ${r.text}`);
    }
  }
  return { ...pos, barcode };
};
