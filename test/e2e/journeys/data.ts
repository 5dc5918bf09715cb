/**
 * Data the journeys start from, made through the public API (what a shopper or the back office would
 * have done before): customers, stock at a store, a loyalty card with points, orders for a store.
 */
import { randomBytes } from 'node:crypto';
import type { UiEnv } from '../../support/browser.ts';

export interface Locations {
  byName: Record<string, string>;
  downtown: string;
  riverside: string;
}

export const demoLocations = async (ui: UiEnv): Promise<Locations> => {
  const list = await ui.admin<{ data: { id: string; name: string }[] }>('GET', '/locations?limit=100');
  const byName = Object.fromEntries(list.data.map((l) => [l.name, l.id]));
  const downtown = byName['Downtown Store'];
  const riverside = byName['Riverside Store'];
  if (!downtown || !riverside) throw new Error(`demo stores missing: ${Object.keys(byName).join(', ')}`);
  return { byName, downtown, riverside };
};

export const unique = (): string => randomBytes(4).toString('hex');

export interface Shopper {
  id: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

/** A registered customer of the web channel. */
export const registerShopper = async (ui: UiEnv, first = 'Mina', last = 'Park'): Promise<Shopper> => {
  const email = `${first.toLowerCase()}-${unique()}@example.com`;
  const password = `shopper-pass-${unique()}`;
  const c = await ui.store<{ id: string }>(ui.keys.web, 'POST', '/customers', {
    email,
    password,
    first_name: first,
    last_name: last,
  });
  return { id: c.id, email, password, firstName: first, lastName: last };
};

interface StoreProduct {
  handle: string;
  title: string;
  variants: { sku: string; available: number; price: { amount: number } | null }[];
}

/** The variant the product page picks first (the first with units available, as web/shop does). */
const firstAvailable = (p: StoreProduct) => p.variants.find((v) => v.available > 0) ?? p.variants[0];

export interface PickedProduct {
  handle: string;
  title: string;
  sku: string;
  amount: number;
}

/**
 * `n` products of the web shop's first page whose first variant is stocked (5 units received) at
 * `locationId`, so a pickup there can be prepared at once.
 */
export const productsStockedAt = async (
  ui: UiEnv,
  locationId: string,
  n: number,
): Promise<PickedProduct[]> => {
  const page = await ui.store<{ data: { handle: string }[] }>(ui.keys.web, 'GET', '/products?limit=12');
  const picked: PickedProduct[] = [];
  for (const { handle } of page.data) {
    if (picked.length === n) break;
    const p = await ui.store<StoreProduct>(ui.keys.web, 'GET', `/products/${handle}`);
    const v = firstAvailable(p);
    if (!v?.price) continue;
    await stockAt(ui, v.sku, locationId, 5);
    picked.push({ handle, title: p.title, sku: v.sku, amount: v.price.amount });
  }
  if (picked.length < n) throw new Error(`only ${picked.length} priced products on the shop's first page`);
  return picked;
};

export const stockAt = (ui: UiEnv, sku: string, locationId: string, delta: number) =>
  ui.admin('POST', '/inventory/adjustments', {
    sku,
    location_id: locationId,
    kind: 'receipt',
    delta,
    reason: 'e2e stock',
  });

/** Retries `fn` until it resolves (every 100 ms, up to `ms`). */
export const eventually = async <T>(fn: () => Promise<T>, ms = 10_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

export interface PickupOrder {
  id: string;
  number: string;
  code: string;
}

/** A guest's pickup order at a store, paid in store (as docs/stores.md shows with curl). */
export const guestPickupOrder = async (ui: UiEnv, locationId: string, sku: string): Promise<PickupOrder> => {
  const key = ui.keys.web;
  const created = await ui.store<{ cart: { id: string }; cart_token: string }>(key, 'POST', '/carts', {
    items: [{ sku, quantity: 1 }],
  });
  const cart = { 'x-plaza-cart-token': created.cart_token };
  const id = created.cart.id;
  await ui.store(key, 'PUT', `/carts/${id}/fulfillment`, { type: 'pickup', location_id: locationId }, cart);
  const done = await ui.store<{ order: { id: string; number: string }; order_token: string }>(
    key,
    'POST',
    `/carts/${id}/checkout`,
    { email: `guest-${unique()}@example.com`, payment: { provider: 'pay-in-store' } },
    { ...cart, 'idempotency-key': `e2e-${id}` },
  );
  // The pickup is made by the outbox's subscriber, just after the checkout's transaction.
  const pickup = await eventually(() =>
    ui.store<{ code: string }>(key, 'GET', `/orders/${done.order.id}/pickup`, undefined, {
      'x-plaza-order-token': done.order_token,
    }),
  );
  return { id: done.order.id, number: done.order.number, code: pickup.code };
};

/** A customer met at the counter, with a loyalty card and `points` points; answers the card number. */
export const loyaltyCustomer = async (
  ui: UiEnv,
  points: number,
): Promise<{ id: string; card: string; name: string }> => {
  const c = await ui.admin<{ id: string }>('POST', '/customers', {
    first_name: 'Noor',
    last_name: `Haddad ${unique()}`,
    email: `noor-${unique()}@example.com`,
    source: 'pos',
  });
  const enrolled = await ui.admin<{ card_number: string }>('POST', `/customers/${c.id}/loyalty/enroll`, {});
  await ui.admin('POST', `/customers/${c.id}/loyalty/adjustments`, { points, note: 'e2e welcome points' });
  const full = await ui.admin<{ first_name: string; last_name: string }>('GET', `/customers/${c.id}`);
  return { id: c.id, card: enrolled.card_number, name: `${full.first_name} ${full.last_name}` };
};
