/**
 * The demo history's hands: the public API (the typed client of `client/`), answered in-process by
 * an app built on a clock set to the past (`app.inject`, no socket). Each helper is one thing a
 * shopper, a store or the back office does; an expected refusal (no stock left) answers undefined.
 */
import {
  type components,
  createPlazaClient,
  type PlazaClient,
  PlazaProblemError,
  type Problem,
} from '../../../client/src/index.ts';
import type { HttpApp } from '../../platform/http/app.ts';

export type Order = components['schemas']['Order'];
export type Receipt = components['schemas']['Receipt'];
type Address = {
  name: string;
  line1: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
};

/** A fetch that never leaves the process: the request goes to `app.inject`. */
const injectFetch =
  (app: HttpApp) =>
  async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const payload = request.body ? await request.text() : undefined;
    const res = await app.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(request.headers),
      ...(payload !== undefined ? { payload } : {}),
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, String(v));
    return new Response(res.statusCode === 204 ? null : res.rawPayload, { status: res.statusCode, headers });
  };

export const inProcessClient = (app: HttpApp, opts: { channelKey?: string; token?: string }): PlazaClient =>
  createPlazaClient({ baseUrl: 'http://demo.plaza.internal', fetch: injectFetch(app), ...opts });

type Answer<D> = { data?: D; error?: unknown; response: Response };

const problemOf = (e: unknown): Problem | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as Problem)
    : undefined;

/** The answer's data; `undefined` for a refusal with one of the `expected` codes; throws otherwise. */
export const ok = async <D>(
  what: string,
  call: Promise<Answer<D>>,
  expected: string[] = [],
): Promise<D | undefined> => {
  const { data, error, response } = await call;
  if (response.ok && error === undefined) return data as D;
  const problem = problemOf(error);
  if (problem && expected.includes(problem.code)) return undefined;
  const err = new PlazaProblemError(response.status, problem);
  err.message = `demo history: ${what}: ${response.status} ${problem?.code ?? ''} ${JSON.stringify(error)}`;
  throw err;
};

/** Like `ok`, for calls that must succeed. */
export const must = async <D>(what: string, call: Promise<Answer<D>>): Promise<D> =>
  (await ok(what, call)) as D;

/** Portland addresses for shipped orders. */
const STREETS = [
  'SE Division St',
  'NE Alberta St',
  'N Mississippi Ave',
  'SW Corbett Ave',
  'NW 23rd Ave',
  'SE Belmont St',
];
const ZIPS = ['97202', '97211', '97227', '97239', '97210', '97214'];
export const addressFor = (name: string, n: number): Address => ({
  name,
  line1: `${100 + ((n * 37) % 3900)} ${STREETS[n % STREETS.length]}`,
  city: 'Portland',
  region: 'OR',
  postal_code: ZIPS[n % ZIPS.length] as string,
  country: 'US',
});

export interface Checkout {
  order: Order;
  orderToken: string | null;
}

/**
 * A shopper's order: a cart with `items`, shipping to `address` or pickup at `pickupAt`, checked out
 * as a guest with `email` (an order with a customer's e-mail belongs to that customer). Undefined when
 * the stock is gone.
 */
export const placeOrder = async (
  shop: PlazaClient,
  input: {
    items: { sku: string; quantity: number }[];
    email: string;
    address?: Address;
    pickupAt?: string;
    pay: 'test-card' | 'pay-in-store';
    key: string;
  },
): Promise<Checkout | undefined> => {
  const cart = await ok('cart', shop.POST('/store/carts', { body: { items: input.items } }), [
    'INSUFFICIENT_STOCK',
  ]);
  if (!cart) return undefined;
  const header = { 'x-plaza-cart-token': cart.cart_token ?? '' };
  const path = { id: cart.cart.id };
  const fulfillment = input.pickupAt
    ? { type: 'pickup' as const, location_id: input.pickupAt }
    : { type: 'shipping' as const, address: input.address ?? addressFor('Demo Shopper', 0) };
  const set = await ok(
    'fulfillment',
    shop.PUT('/store/carts/{id}/fulfillment', { params: { path, header }, body: fulfillment }),
    ['INSUFFICIENT_STOCK'],
  );
  if (!set) return undefined;
  const payment =
    input.pay === 'test-card'
      ? { provider: 'test-card' as const, card_number: '4242424242424242' }
      : { provider: 'pay-in-store' as const };
  const done = await ok(
    'checkout',
    shop.POST('/store/carts/{id}/checkout', {
      params: { path, header: { ...header, 'Idempotency-Key': input.key } },
      body: { email: input.email, payment },
    }),
    ['INSUFFICIENT_STOCK'],
  );
  return done ? { order: done.order, orderToken: done.order_token } : undefined;
};

/** Ships every fulfilment of an order (captures the payment on the first). */
export const shipAll = async (admin: PlazaClient, order: Order): Promise<void> => {
  for (const f of order.fulfillments) {
    await must(
      'ship',
      admin.POST('/admin/orders/{id}/fulfillments/{fulfillmentId}/ship', {
        params: { path: { id: order.id, fulfillmentId: f.id } },
        body: { tracking_number: `1Z${order.number}${f.id.slice(-4)}` },
      }),
    );
  }
};

export const deliverAll = async (admin: PlazaClient, order: Order): Promise<void> => {
  for (const f of order.fulfillments) {
    await must(
      'deliver',
      admin.POST('/admin/orders/{id}/fulfillments/{fulfillmentId}/deliver', {
        params: { path: { id: order.id, fulfillmentId: f.id } },
      }),
    );
  }
};

/** The store marks a pickup ready and, later, hands it over against the code the shopper shows. */
export const markReady = async (staff: PlazaClient, order: Order): Promise<void> => {
  await must('ready', staff.POST('/admin/orders/{id}/pickup/ready', { params: { path: { id: order.id } } }));
};

export const handOver = async (
  shop: PlazaClient,
  staff: PlazaClient,
  c: Checkout,
  key: string,
): Promise<void> => {
  const pickup = await must(
    'pickup code',
    shop.GET('/store/orders/{id}/pickup', {
      params: { path: { id: c.order.id }, header: { 'x-plaza-order-token': c.orderToken ?? '' } },
    }),
  );
  await must(
    'handover',
    staff.POST('/admin/orders/{id}/pickup/handover', {
      params: { path: { id: c.order.id }, header: { 'Idempotency-Key': key } },
      body: { code: pickup.qr_payload },
    }),
  );
};

export const cancelByShopper = (shop: PlazaClient, c: Checkout) =>
  must(
    'cancel',
    shop.POST('/store/orders/{id}/cancel', {
      params: { path: { id: c.order.id }, header: { 'x-plaza-order-token': c.orderToken ?? '' } },
      body: { reason: 'changed_mind' },
    }),
  );

export const cancelByMerchant = (admin: PlazaClient, order: Order) =>
  must(
    'cancel',
    admin.POST('/admin/orders/{id}/cancel', {
      params: { path: { id: order.id } },
      body: { reason: 'out_of_stock_at_packing' },
    }),
  );

/** A counter sale: scanned items, an optional customer, points if asked, cash (with change) or card. */
export const counterSale = async (
  staff: PlazaClient,
  input: {
    channelId: string;
    customerId?: string;
    items: { code: string; quantity: number }[];
    pay: 'cash' | 'test-card';
    /** Loyalty points to pay with, given the sale's total. */
    points?: (total: number) => number;
    key: string;
  },
): Promise<Receipt | undefined> => {
  const sale = await ok(
    'pos sale',
    staff.POST('/admin/pos/sales', {
      body: {
        channel_id: input.channelId,
        items: input.items,
        ...(input.customerId ? { customer_id: input.customerId } : {}),
      },
    }),
    ['INSUFFICIENT_STOCK'],
  );
  if (!sale) return undefined;
  const points = input.points?.(sale.total) ?? 0;
  const due = sale.total - points;
  const payment =
    input.pay === 'cash'
      ? { provider: 'cash' as const, tendered: Math.ceil(Math.max(due, 1) / 2000) * 2000 }
      : { provider: 'test-card' as const, card_number: '4242424242424242' };
  return must(
    'pos pay',
    staff.POST('/admin/pos/sales/{id}/pay', {
      params: { path: { id: sale.id }, header: { 'Idempotency-Key': input.key } },
      body: { payment, ...(points > 0 ? { loyalty_points: points } : {}) },
    }),
  );
};

/** A return of one unit of the order's first line, inspected now (at a store) or by mail (later). */
export const returnFirstLine = async (
  admin: PlazaClient,
  input: {
    orderId: string;
    locationId: string;
    refund: 'original' | 'store_credit';
    key: string;
    damaged?: boolean;
  },
): Promise<void> => {
  const order = await must(
    'order',
    admin.GET('/admin/orders/{id}', { params: { path: { id: input.orderId } } }),
  );
  const line = order.lines[0];
  if (!line) return;
  const condition = input.damaged ? 'damaged' : 'resellable';
  await must(
    'return',
    admin.POST('/admin/returns', {
      params: { header: { 'Idempotency-Key': input.key } },
      body: {
        order_id: order.id,
        location_id: input.locationId,
        lines: [{ order_line_id: line.id, quantity: 1, condition }],
        refund_method: input.refund,
        reason: input.damaged ? 'arrived damaged' : 'did not fit',
      },
    }),
  );
};
