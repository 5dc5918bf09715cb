/**
 * Building a sale at a store counter: a `pos` channel bound to one store, a staff member of that
 * store, items scanned by SKU or barcode (checked against the store's stock), an optional customer,
 * and the customer's own online cart pulled up to be checked out in the store.
 */
import { getToken } from '../../modules/access/index.ts';
import { activeCartOf, linesOf as cartLinesOf } from '../../modules/carts/index.ts';
import { getChannel } from '../../modules/channels/index.ts';
import { type CustomerRow, getCustomer } from '../../modules/customers/index.ts';
import { availability } from '../../modules/inventory/index.ts';
import { channelLocations } from '../../modules/locations/index.ts';
import {
  getSale,
  linesOfSale,
  openSale,
  type PosSaleRow,
  setQuantity,
  updateSale,
} from '../../modules/pos/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import { type AdminPrincipal, canAccessLocation } from '../../platform/http/auth.ts';
import type { Deps } from '../../platform/module.ts';
import { priceItems, skuOfCode } from '../shared/pricing.ts';
import type { Item, PosSale } from './schema.ts';

/** The store a `pos` channel sells from; VALIDATION_FAILED for another channel type or an unbound channel. */
export const counterOf = async (q: Queryable, channelId: string) => {
  const channel = await getChannel(q, channelId);
  if (!channel) throw notFound('Channel', channelId);
  if (channel.type !== 'pos') {
    throw validation(
      `Channel ${channel.name} is a ${channel.type} channel; counter sales need a pos channel`,
      [{ path: 'body.channel_id', message: 'must be a pos channel' }],
    );
  }
  const [store] = (await channelLocations(q, channelId)).filter((l) => l.type === 'store');
  if (!store)
    throw new PlazaError('UNPROCESSABLE', `POS channel ${channel.name} is not bound to a store yet`);
  return { channel, store };
};

/** Refuses (FORBIDDEN) a staff member of another store. */
export const assertCounterAccess = (admin: AdminPrincipal, locationId: string): void => {
  if (!canAccessLocation(admin, locationId)) {
    throw new PlazaError('FORBIDDEN', `This staff token may not sell for location ${locationId}`, {
      location_id: locationId,
    });
  }
};

/** A sale the caller may work on (NOT_FOUND for staff of other stores), optionally locked. */
export const saleFor = async (
  q: Queryable,
  admin: AdminPrincipal,
  id: string,
  lock = false,
): Promise<PosSaleRow> => {
  const sale = await getSale(q, id, lock);
  if (!sale || !canAccessLocation(admin, sale.location_id)) throw notFound('Sale', id);
  return sale;
};

const assertOpen = (sale: PosSaleRow) => {
  if (sale.status !== 'open') {
    throw new PlazaError(
      'INVALID_STATE_TRANSITION',
      `Sale ${sale.id} is ${sale.status}; it can no longer change`,
      {
        status: sale.status,
      },
    );
  }
};

/** Units of `sku` the store can sell now. */
const unitsInStore = async (q: Queryable, locationId: string, skus: readonly string[]) =>
  new Map(
    (await availability(q, { skus, locationIds: [locationId] })).map((l) => [
      l.sku,
      Math.max(0, l.available),
    ]),
  );

/**
 * Sets a SKU's quantity on an open sale after checking the channel sells it and the store has it.
 * Too few in the store: INSUFFICIENT_STOCK with `available` and `endless_aisle: true` (order it from
 * another location instead).
 */
export const setItem = async (tx: Tx, deps: Deps, sale: PosSaleRow, sku: string, quantity: number) => {
  assertOpen(sale);
  if (quantity > 0) {
    await priceItems(tx, sale.channel_id, [{ sku, quantity }], deps.clock.now());
    const available = (await unitsInStore(tx, sale.location_id, [sku])).get(sku) ?? 0;
    if (available < quantity) {
      throw new PlazaError('INSUFFICIENT_STOCK', `Only ${available} of ${sku} in this store`, {
        sku,
        requested: quantity,
        available,
        endless_aisle: true,
      });
    }
  }
  return setQuantity(tx, deps, sale, sku, quantity);
};

/** Adds scanned items (quantities add up with what the sale has). */
export const addItems = async (tx: Tx, deps: Deps, sale: PosSaleRow, items: readonly Item[]) => {
  let current = sale;
  for (const item of items) {
    const sku = await skuOfCode(tx, item.code);
    const have = (await linesOfSale(tx, sale.id)).find((l) => l.sku === sku)?.quantity ?? 0;
    current = await setItem(tx, deps, current, sku, have + (item.quantity ?? 1));
  }
  return current;
};

/** Opens a sale on a POS channel for a staff member of its store. */
export const startSale = async (
  tx: Tx,
  deps: Deps,
  admin: AdminPrincipal,
  body: { channel_id: string; customer_id?: string; items?: Item[] },
) => {
  const { store } = await counterOf(tx, body.channel_id);
  assertCounterAccess(admin, store.id);
  if (body.customer_id && !(await getCustomer(tx, body.customer_id)))
    throw notFound('Customer', body.customer_id);
  const token = await getToken(tx, admin.tokenId);
  const sale = await openSale(tx, deps, {
    channelId: body.channel_id,
    locationId: store.id,
    staffTokenId: admin.tokenId,
    staffName: token?.name ?? admin.tokenId,
    customerId: body.customer_id ?? null,
  });
  return body.items?.length ? addItems(tx, deps, sale, body.items) : sale;
};

/** Attaches (or with null detaches) the customer of an open sale. */
export const setCustomer = async (tx: Tx, deps: Deps, sale: PosSaleRow, customerId: string | null) => {
  assertOpen(sale);
  if (customerId && !(await getCustomer(tx, customerId))) throw notFound('Customer', customerId);
  return updateSale(tx, sale.id, { customer_id: customerId }, deps.clock.now());
};

/**
 * Pulls the sale customer's active online cart into the sale: its lines are added (priced at this
 * channel's prices, checked against the store's stock), and the cart is checked out with the sale.
 * NOT_FOUND when the customer has no active cart.
 */
export const pullOnlineCart = async (tx: Tx, deps: Deps, sale: PosSaleRow) => {
  assertOpen(sale);
  if (!sale.customer_id) throw validation('Attach the customer first (PUT /admin/pos/sales/:id/customer)');
  const cart = await activeCartOf(tx, sale.customer_id, true);
  if (!cart) throw notFound('Online cart of customer', sale.customer_id);
  if (sale.cart_id && sale.cart_id !== cart.id)
    throw new PlazaError('CONFLICT', 'This sale already holds another cart');
  let current = sale;
  for (const l of await cartLinesOf(tx, cart.id)) {
    const have = (await linesOfSale(tx, sale.id)).find((x) => x.sku === l.sku)?.quantity ?? 0;
    current = await setItem(tx, deps, current, l.sku, have + l.quantity);
  }
  return updateSale(tx, sale.id, { cart_id: cart.id, cart_version: cart.version }, deps.clock.now());
};

const nameOf = (c: CustomerRow) => [c.first_name, c.last_name].filter(Boolean).join(' ') || null;

/** The sale as the counter shows it: lines priced on the channel, tax and totals, store stock. */
export const saleView = async (q: Queryable, deps: Deps, sale: PosSaleRow): Promise<PosSale> => {
  const lines = await linesOfSale(q, sale.id);
  const priced = await priceItems(q, sale.channel_id, lines, deps.clock.now());
  const stock = await unitsInStore(
    q,
    sale.location_id,
    lines.map((l) => l.sku),
  );
  const customer = sale.customer_id ? await getCustomer(q, sale.customer_id) : undefined;
  const channel = await getChannel(q, sale.channel_id);
  return {
    id: sale.id,
    status: sale.status,
    channel_id: sale.channel_id,
    location_id: sale.location_id,
    staff: { token_id: sale.staff_token_id, name: sale.staff_name },
    customer: customer ? { id: customer.id, email: customer.email, name: nameOf(customer) } : null,
    cart_id: sale.cart_id,
    order_id: sale.order_id,
    currency: channel?.currency ?? '',
    lines: lines.map((l, i) => {
      const p = priced.lines[i];
      return {
        id: l.id,
        sku: l.sku,
        title: p ? `${p.sellable.product_title} — ${p.sellable.variant_title}` : l.sku,
        quantity: l.quantity,
        unit_price: p?.unitPrice ?? 0,
        tax_amount: p?.tax ?? 0,
        total: p?.total ?? 0,
        available_in_store: stock.get(l.sku) ?? 0,
      };
    }),
    subtotal: priced.totals.subtotal,
    tax_total: priced.totals.taxTotal,
    prices_include_tax: priced.settings.prices_include_tax,
    total: priced.totals.total,
    created_at: sale.created_at.toISOString(),
  };
};

export { nameOf };
