/**
 * The hand-made history of the computed-trait tests (values computed by hand in the test): a
 * web channel with two stores and a warehouse, a POS channel, three products with stock, three
 * customers (cat is restricted), their orders, refunds, events and carts; and an app with only the
 * computed-trait routes.
 */
import { createToken } from '../../modules/access/index.ts';
import { DAY, HOUR, TestClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { newId } from '../../platform/ids.ts';
import { silentLogger } from '../../platform/log.ts';
import type { Deps } from '../../platform/module.ts';
import { createTestDb, TEST_PRIVACY_KEY, type TestDb } from '../../platform/testing.ts';
import { buildApp, makeDeps } from '../../server.ts';
import { computedTraitRoutes } from './routes-computed.ts';

/** The app with only these routes (fast to build, and independent of other modules' routes). */
export interface Harness {
  deps: Deps;
  clock: TestClock;
  admin<T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T & { code?: string } }>;
  close(): Promise<void>;
}
const harness = async (): Promise<Harness> => {
  const tdb: TestDb = await createTestDb();
  const clock = new TestClock();
  const deps = makeDeps({
    db: tdb.db,
    clock,
    log: silentLogger(),
    config: loadConfig({ PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY }),
  });
  const app: HttpApp = await buildApp(deps, [{ name: 'computed-traits', adminRoutes: computedTraitRoutes }]);
  const { token } = await deps.db.tx((tx) =>
    createToken(tx, deps, { name: 'test admin', scope: 'admin', createdBy: 'test' }),
  );
  return {
    deps,
    clock,
    async admin(method, url, body) {
      const res = await app.inject({
        method: method as 'GET',
        url: `/admin${url}`,
        headers: { authorization: `Bearer ${token}` },
        ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
    },
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
};

export interface Shop {
  web: { id: string };
  storeA: string;
  storeB: string;
  skus: { tee: string; hoodie: string; cap: string };
}

/** A web channel (2 stores and a warehouse), a POS channel, three products priced on web, stock. */
const createShop = async (): Promise<{ shop: Shop; pos: string }> => {
  const now = t.clock.now();
  const [web, pos, wh, storeA, storeB] = [
    newId('chn'),
    newId('chn'),
    newId('loc'),
    newId('loc'),
    newId('loc'),
  ];
  await q(
    `INSERT INTO channels (id, type, name, currency, locale, created_at, updated_at)
     VALUES ($1, 'web', 'Web', 'USD', 'en-US', $3, $3), ($2, 'pos', 'Counter', 'USD', 'en-US', $3, $3)`,
    [web, pos, now],
  );
  for (const [i, id] of [wh, storeA, storeB].entries()) {
    await q(
      `INSERT INTO locations (id, name, type, address_line1, city, country, timezone, created_at, updated_at)
       VALUES ($1, $2, $3, '1 Main St', 'Portland', 'US', 'America/Los_Angeles', $4, $4)`,
      [id, `Location ${id}`, i === 0 ? 'warehouse' : 'store', now],
    );
    await q('INSERT INTO channel_locations (channel_id, location_id, priority) VALUES ($1, $2, $3)', [
      web,
      id,
      i + 1,
    ]);
  }
  const skus = { tee: `TEE-${web}`, hoodie: `HOOD-${web}`, cap: `CAP-${web}` };
  const price = { tee: 2500, hoodie: 6000, cap: 1800 };
  for (const name of ['tee', 'hoodie', 'cap'] as const) {
    const [prod, variant] = [newId('prod'), newId('var')];
    await q(
      `INSERT INTO products (id, handle, title, status, created_at, updated_at) VALUES ($1, $2 || '-' || lower(substr($1, 6)), $2, 'published', $3, $3)`,
      [prod, name, now],
    );
    await q(
      `INSERT INTO variants (id, product_id, sku, title, created_at, updated_at) VALUES ($1, $2, $3, 'One', $4, $4)`,
      [variant, prod, skus[name], now],
    );
    await q(
      `INSERT INTO prices (id, variant_id, channel_id, currency, amount, created_at) VALUES ($1, $2, $3, 'USD', $4, $5)`,
      [newId('price'), variant, web, price[name], now],
    );
  }
  for (const [sku, loc, n] of [
    [skus.tee, wh, 20],
    [skus.tee, storeA, 2],
    [skus.hoodie, wh, 5],
    [skus.cap, storeB, 1],
  ] as const)
    await q('INSERT INTO inventory_levels (sku, location_id, on_hand, updated_at) VALUES ($1, $2, $3, $4)', [
      sku,
      loc,
      n,
      now,
    ]);
  return { shop: { web: { id: web }, storeA, storeB, skus }, pos };
};

export let t: Harness;
export let shop: Shop;
export let pos: string;
export const ana = newId('cus');
export const ben = newId('cus');
export const cat = newId('cus');
export let tops: string;
export let hats: string;

export const ago = (ms: number) => new Date(t.clock.now().getTime() - ms);
export const q = (sql: string, params: unknown[] = []) => t.deps.db.query(sql, params);

const order = async (o: {
  customer: string;
  channel: string;
  status: string;
  type?: 'shipping' | 'pickup' | 'in_store';
  total: number;
  at: Date;
  location?: string;
  lines?: { sku: string; qty: number }[];
}) => {
  const id = newId('ord');
  const type = o.type ?? 'shipping';
  await q(
    `INSERT INTO orders (id, channel_id, customer_id, status, payment_status, fulfillment_type, currency,
       subtotal, total, placed_at, created_at, updated_at, pickup_location_id, selling_location_id)
     VALUES ($1, $2, $3, $4, 'captured', $5, 'USD', $6, $6, $7, $7, $7, $8, $9)`,
    [
      id,
      o.channel,
      o.customer,
      o.status,
      type,
      o.total,
      o.at,
      type === 'pickup' ? o.location : null,
      type === 'in_store' ? o.location : null,
    ],
  );
  for (const [i, l] of (o.lines ?? []).entries())
    await q(
      `INSERT INTO order_lines (id, order_id, position, sku, product_id, title, quantity, unit_price, total)
       SELECT $1, $2, $3, v.sku, v.product_id, 'x', $4, 100, 100 FROM variants v WHERE v.sku = $5`,
      [newId('ordl'), id, i, l.qty, l.sku],
    );
  return id;
};

export const event = (customer: string, name: string, at: Date, channel: string | null = null) =>
  q(
    `INSERT INTO events (source_id, channel_id, message_id, type, event, customer_id, "timestamp", received_at)
     VALUES ('src_plaza', $1, $2, 'track', $3, $4, $5, $6)`,
    [channel, newId('msg'), name, customer, at, t.clock.now()],
  );

const cart = async (customer: string, lines: { sku: string; qty: number }[], pickupAt?: string) => {
  const id = newId('cart');
  const now = t.clock.now();
  await q(
    `INSERT INTO carts (id, customer_id, origin_channel_id, status, fulfillment, created_at, updated_at)
     VALUES ($1, $2, $3, 'active', $4::jsonb, $5, $5)`,
    [
      id,
      customer,
      shop.web.id,
      pickupAt ? JSON.stringify({ type: 'pickup', location_id: pickupAt }) : null,
      now,
    ],
  );
  for (const l of lines)
    await q(
      `INSERT INTO cart_lines (id, cart_id, sku, quantity, channel_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [newId('cl'), id, l.sku, l.qty, shop.web.id, now],
    );
};

/** Builds the app and writes the history (once per test file). */
export const setupFixture = async (): Promise<void> => {
  t = await harness();
  ({ shop, pos } = await createShop());
  const now = t.clock.now();
  for (const [id, email] of [
    [ana, 'ana@example.com'],
    [ben, 'ben@example.com'],
    [cat, 'cat@example.com'],
  ])
    await q('INSERT INTO customers (id, email, created_at, updated_at) VALUES ($1, $2, $3, $3)', [
      id,
      email,
      now,
    ]);
  await q('UPDATE customers SET processing_restricted_at = $2 WHERE id = $1', [cat, now]);
  tops = newId('cat');
  hats = newId('cat');
  for (const [id, name] of [
    [tops, 'Tops'],
    [hats, 'Hats'],
  ])
    await q(
      `INSERT INTO categories (id, name, handle, created_at, updated_at) VALUES ($1, $2, lower(substr($1, 5)), $3, $3)`,
      [id, name, now],
    );
  await q(
    `INSERT INTO product_categories (product_id, category_id)
     SELECT product_id, CASE WHEN sku = $3 THEN $2 ELSE $1 END FROM variants WHERE sku = ANY($4)`,
    [tops, hats, shop.skus.cap, [shop.skus.tee, shop.skus.hoodie, shop.skus.cap]],
  );
  const { tee, hoodie, cap } = shop.skus;
  await order({
    customer: ana,
    channel: shop.web.id,
    status: 'delivered',
    total: 5000,
    at: ago(10 * DAY),
    lines: [{ sku: tee, qty: 2 }],
  });
  await order({
    customer: ana,
    channel: pos,
    status: 'completed',
    type: 'in_store',
    location: shop.storeA,
    total: 1800,
    at: ago(2 * DAY),
    lines: [{ sku: cap, qty: 1 }],
  });
  await order({
    customer: ana,
    channel: shop.web.id,
    status: 'picked_up',
    type: 'pickup',
    location: shop.storeA,
    total: 6000,
    at: ago(100 * DAY),
    lines: [{ sku: hoodie, qty: 1 }],
  });
  await order({
    customer: ana,
    channel: shop.web.id,
    status: 'cancelled',
    total: 9999,
    at: ago(DAY),
    lines: [{ sku: cap, qty: 5 }],
  });
  await order({ customer: ben, channel: shop.web.id, status: 'pending_payment', total: 100, at: ago(DAY) });
  const o6 = await order({
    customer: ben,
    channel: pos,
    status: 'completed',
    type: 'in_store',
    location: shop.storeB,
    total: 2500,
    at: ago(3 * DAY),
    lines: [{ sku: tee, qty: 1 }],
  });
  await q(
    `INSERT INTO refunds (id, order_id, method, status, amount, currency, reason, created_at, updated_at)
     VALUES ($1, $2, 'store_credit', 'succeeded', 500, 'USD', 'test', $3, $3)`,
    [newId('ref'), o6, ago(DAY)],
  );
  await order({
    customer: cat,
    channel: shop.web.id,
    status: 'delivered',
    total: 1000,
    at: ago(DAY),
    lines: [{ sku: tee, qty: 1 }],
  });
  await event(ana, 'Product Viewed', ago(1.5 * DAY), shop.web.id);
  await event(ana, 'Product Viewed', ago(2 * DAY), shop.web.id);
  await event(ana, 'Product Viewed', ago(10 * DAY), shop.web.id);
  await event(ben, 'Product Viewed', ago(3 * HOUR));
  await event(ben, 'Product Viewed', new Date(now.getTime() + DAY)); // from a clock in the future
  await event(cat, 'Product Viewed', ago(HOUR), shop.web.id);
  // tee: 20 in the warehouse + 2 in store A (web sells from both); cap: 1 in store B only
  await cart(ana, [
    { sku: tee, qty: 3 },
    { sku: cap, qty: 2 },
  ]);
  await cart(ben, [{ sku: cap, qty: 1 }], shop.storeA);
};
