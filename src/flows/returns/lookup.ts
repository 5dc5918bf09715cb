/**
 * Finding a returnable order at any counter: by order number, by what a receipt prints (the order
 * id, or its receipt number), or by the customer's phone, e-mail or loyalty card. Staff of every
 * store may look, because a return may happen anywhere; what they see is only what a return needs
 * (lines, quantities, amounts paid, refund methods, the window), never who the customer is or where
 * the goods went.
 */
import { getChannel } from '../../modules/channels/index.ts';
import {
  assertProcessing,
  counterOf,
  findCustomerByIdentity,
  type IdentityKind,
  normalizeIdentity,
  normalizePhone,
  phoneCountry,
} from '../../modules/customers/index.ts';
import {
  getOrder,
  getOrderByNumber,
  getOrders,
  linesOf,
  type OrderRow,
  orderIdsOfShopper,
} from '../../modules/orders/index.ts';
import { paymentsOfOrders } from '../../modules/payments/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { validation } from '../../platform/errors.ts';
import type { AdminPrincipal } from '../../platform/http/auth.ts';
import { cursorId, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unitsValue } from '../shared/value.ts';
import { returnWindow } from './create.ts';
import { LOOKUP_KEYS, type ReturnableOrder, type ReturnLookupBody } from './schema.ts';

const refuse = (key: string, message: string) =>
  validation(`Nothing can be looked up with this ${key}: ${message}`, [{ path: `body.${key}`, message }]);

/** What a receipt's barcode or its printed numbers read: the order id (`ord_…`) or the receipt number. */
const readReceipt = (raw: string): { id: string } | { number: number } | null => {
  const v = raw.trim();
  const id = /^ord_([0-9A-HJKMNP-TV-Z]{26})$/i.exec(v);
  if (id) return { id: `ord_${(id[1] as string).toUpperCase()}` };
  return /^[0-9]{1,12}$/.test(v) && Number(v) > 0 ? { number: Number(v) } : null;
};

/** The one key given (the schema already asks for exactly one; this keeps the types honest). */
const keyOf = (body: ReturnLookupBody): (typeof LOOKUP_KEYS)[number] => {
  const given = LOOKUP_KEYS.filter((k) => body[k] !== undefined);
  if (given.length !== 1) {
    throw validation(`Give exactly one of ${LOOKUP_KEYS.join(', ')}`, [
      { path: 'body', message: 'exactly one lookup key' },
    ]);
  }
  return given[0] as (typeof LOOKUP_KEYS)[number];
};

/** The customer (after merges) whose identity of this kind is `value`, or undefined. */
const customerWith = async (q: Queryable, kind: IdentityKind, value: string, country: string) => {
  const match = await findCustomerByIdentity(q, value, country);
  return match && match.matched.kind === kind ? match.customer : undefined;
};

/**
 * The orders a counter is looking for, newest first: one (number, receipt), or the customer's
 * orders with the guest orders placed with their e-mail. Unreadable values are VALIDATION_FAILED;
 * values that match nothing give no orders.
 */
export const findOrdersToReturn = async (
  deps: Deps,
  admin: AdminPrincipal,
  body: ReturnLookupBody,
): Promise<{ orders: OrderRow[]; next_cursor: string | null }> => {
  const q = deps.db;
  const one = (o: OrderRow | undefined) => ({ orders: o ? [o] : [], next_cursor: null });
  const key = keyOf(body);
  if (key === 'order_number') return one(await getOrderByNumber(q, body.order_number as number));
  if (key === 'receipt') {
    const r = readReceipt(body.receipt as string);
    if (!r) throw refuse(key, 'not an order id (ord_…) or a receipt number');
    return one('id' in r ? await getOrder(q, r.id) : await getOrderByNumber(q, r.number));
  }
  const country = await phoneCountry(q, deps.config.defaultCountry, {
    locationId: counterOf(admin, body.location_id),
  });
  const kind: IdentityKind = key === 'card' ? 'loyalty_card' : key;
  const raw = body[key] as string;
  // Phones go through the customers module's own parser (libphonenumber-js), as at the POS lookup.
  const value = kind === 'phone' ? normalizePhone(raw, country) : normalizeIdentity(kind, raw, country);
  if (value === null) throw refuse(key, `not a valid ${kind === 'loyalty_card' ? 'card number' : kind}`);
  const customer = await customerWith(q, kind, value, country);
  if (customer) await assertProcessing(q, customer.id, 'returns_and_refunds');
  const limit = body.limit ?? 20;
  const ids = await orderIdsOfShopper(q, {
    customerIds: customer ? [customer.id] : [],
    guestEmail: kind === 'email' ? value : null,
    before: cursorId(body.cursor),
    limit: limit + 1,
  });
  const page = toPage(
    ids.map((id) => ({ id })),
    limit,
    (x) => x.id,
  );
  const rows = await getOrders(q, page.data);
  const orders = page.data.map((id) => rows.find((o) => o.id === id)).filter((o) => o !== undefined);
  return { orders, next_cursor: page.next_cursor };
};

/** What a return needs to know about these orders (in the same order), and nothing personal. */
export const returnableViews = async (
  q: Queryable,
  orders: readonly OrderRow[],
  now: Date,
): Promise<ReturnableOrder[]> => {
  const ids = orders.map((o) => o.id);
  const [lines, payments] = await Promise.all([linesOf(q, ids), paymentsOfOrders(q, ids)]);
  const channels = new Map<string, ReturnType<typeof getChannel>>();
  const channelOf = (id: string) => {
    const c = channels.get(id) ?? getChannel(q, id);
    channels.set(id, c);
    return c;
  };
  return Promise.all(
    orders.map(async (order) => {
      const [channel, window] = await Promise.all([channelOf(order.channel_id), returnWindow(q, order)]);
      const open = now <= window.end;
      const view = lines
        .filter((l) => l.order_id === order.id)
        .map((l) => {
          const returnable = open ? Math.max(0, l.fulfilled_quantity - l.returned_quantity) : 0;
          return {
            order_line_id: l.id,
            sku: l.sku,
            title: l.title,
            quantity: l.quantity,
            fulfilled_quantity: l.fulfilled_quantity,
            returned_quantity: l.returned_quantity,
            returnable_quantity: returnable,
            unit_price: l.unit_price,
            unit_amount: unitsValue(l, Math.min(l.returned_quantity, l.quantity - 1), 1).amount,
            returnable_amount: unitsValue(l, l.returned_quantity, returnable).amount,
          };
        });
      return {
        order_id: order.id,
        order_number: order.number,
        channel: {
          id: order.channel_id,
          type: channel?.type ?? 'unknown',
          name: channel?.name ?? order.channel_id,
        },
        selling_location_id: order.selling_location_id,
        status: order.status,
        placed_at: order.placed_at.toISOString(),
        currency: order.currency,
        total: order.total,
        returnable: view.some((l) => l.returnable_quantity > 0),
        return_window: {
          days: window.days,
          started_at: window.start.toISOString(),
          ends_at: window.end.toISOString(),
          open,
        },
        refund_methods: order.customer_id ? ['original', 'store_credit'] : ['original'],
        payments: payments
          .filter((p) => p.order_id === order.id && p.captured_amount > 0)
          .map((p) => ({
            provider: p.provider,
            captured_amount: p.captured_amount,
            refunded_amount: p.refunded_amount,
            refundable_amount: p.captured_amount - p.refunded_amount,
          })),
        lines: view,
      };
    }),
  );
};
