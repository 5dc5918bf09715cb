/**
 * The console's lists and dashboard (issue 10.4/10.10): 10,000 products (20,000 variants, imported
 * from CSV as `plaza import` does), stock levels at four locations (a tenth with a low-stock
 * threshold), 20,000 customers and 100,000 orders over 90 days with some refunds and open pickups.
 * Products come through the catalog import (two sizes each); customers, orders, refunds, pickups and levels are
 * synthetic rows written with SQL (generating 100,000 real checkouts would take an hour and
 * measure checkout, not the lists). Then a real `plaza start` serves them and one client at a time
 * asks the console's questions: p50/p95/p99 per request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importProductsCsv } from '../../src/modules/catalog/index.ts';
import { createChannel } from '../../src/modules/channels/index.ts';
import { createLocation } from '../../src/modules/locations/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createPostgresDatabase } from '../../src/platform/testing.ts';
import { openRuntime } from '../../src/runtime.ts';
import { catalogCsv } from '../../test/support/catalog-csv.ts';
import { startPlaza, TEST_ADMIN_TOKEN } from '../../test/support/processes.ts';
import { type Backend, PG_SERVER } from '../lib/env.ts';
import { json, type Result, runLoad, send } from '../lib/load.ts';

const PRODUCTS = 10_000;
const CUSTOMERS = 20_000;
const ORDERS = 100_000;

interface Seeded {
  channels: string[];
  stores: string[];
  categoryId: string;
}

type Runtime = Awaited<ReturnType<typeof openRuntime>>;

/** Synthetic rows, in one transaction, with ids in the shape the API validates (prefix + 26 digits). */
export const seedRows = async (
  rt: Runtime,
  s: { channels: string[]; stores: string[]; warehouse: string },
) => {
  await rt.deps.db.tx(async (tx) => {
    const locations = [s.warehouse, ...s.stores];
    await tx.query(
      `INSERT INTO inventory_levels (sku, location_id, on_hand, reserved, safety_stock, low_stock_threshold, updated_at)
       SELECT v.sku, l, (abs(hashtext(v.sku || l)) % 40), 0, 0,
         CASE WHEN abs(hashtext(l || v.sku)) % 10 = 0 THEN 5 END, now()
       FROM variants v CROSS JOIN unnest($1::text[]) AS l`,
      [locations],
    );
    await tx.query(
      `INSERT INTO customers (id, email, first_name, last_name, status, created_at, updated_at)
       SELECT 'cus_' || lpad(i::text, 26, '0'), 'customer' || i || '@example.com', 'First' || i, 'Last' || (i % 997),
         'active', now() - interval '120 days', now()
       FROM generate_series(1, $1::int) AS i`,
      [CUSTOMERS],
    );
    await tx.query(
      `INSERT INTO orders (id, channel_id, selling_location_id, customer_id, status, payment_status, fulfillment_type,
         pickup_location_id, currency, subtotal, total, placed_at, created_at, updated_at)
       SELECT 'ord_' || lpad(row_number() OVER (ORDER BY at)::text, 26, '0'), ($3::text[])[1 + k % 3],
         CASE WHEN k % 3 = 2 THEN ($4::text[])[1 + (k / 3) % 3] END,
         CASE WHEN k % 10 < 7 THEN 'cus_' || lpad((1 + (k * 7919) % $2::int)::text, 26, '0') END,
         (ARRAY['confirmed', 'delivered', 'completed', 'picked_up', 'cancelled', 'shipped'])[1 + k % 6], 'captured',
         CASE k % 3 WHEN 0 THEN 'shipping' WHEN 1 THEN 'pickup' ELSE 'in_store' END,
         CASE WHEN k % 3 = 1 THEN ($4::text[])[1 + (k / 3) % 3] END,
         'USD', 1000 + k % 9000, 1000 + k % 9000, at, at, at
       FROM (SELECT k, now() - (k % 90) * interval '1 day' - (k % 1440) * interval '1 minute' AS at
             FROM generate_series(1, $1::int) AS k) g`,
      [ORDERS, CUSTOMERS, s.channels, s.stores],
    );
    await tx.query(
      `INSERT INTO refunds (id, order_id, method, status, amount, currency, reason, created_at, updated_at)
       SELECT 'ref_' || substr(o.id, 5), o.id, 'store_credit', 'succeeded', o.total / 2, 'USD', 'bench',
         o.placed_at + interval '1 day', o.placed_at + interval '1 day'
       FROM orders o WHERE o.number % 50 = 0`,
    );
    await tx.query(
      `INSERT INTO pickups (order_id, order_number, location_id, channel_id, customer_id, status, code,
         ready_estimate_at, deadline_at, created_at, updated_at)
       SELECT o.id, o.number, o.pickup_location_id, o.channel_id, o.customer_id,
         CASE WHEN o.number % 2 = 0 THEN 'ready' ELSE 'to_prepare' END, 'BENCH' || lpad((o.number % 1000)::text, 3, '0'),
         o.placed_at + interval '2 hours', o.placed_at + interval '7 days', o.placed_at, o.placed_at
       FROM orders o WHERE o.pickup_location_id IS NOT NULL AND o.placed_at > now() - interval '3 days'`,
    );
  });
  // As autovacuum leaves a live database: statistics and the visibility map (index-only scans).
  await rt.deps.db.query('VACUUM ANALYZE');
};

const seed = async (rt: Runtime): Promise<Seeded> => {
  const { deps } = rt;
  const address = { line1: '1 Main St', city: 'Portland', region: 'OR', postal_code: '97205', country: 'US' };
  const made = await deps.db.tx(async (tx) => {
    const channels = [];
    for (const [type, name] of [
      ['web', 'Web'],
      ['app', 'App'],
      ['pos', 'Store POS'],
    ] as const) {
      channels.push((await createChannel(tx, deps, { type, name, currency: 'USD', locale: 'en-US' })).id);
    }
    const loc = (name: string, type: 'store' | 'warehouse') =>
      createLocation(tx, deps, {
        name,
        type,
        address,
        timezone: 'America/Los_Angeles',
        pickup: type === 'store',
      });
    const warehouse = (await loc('Warehouse', 'warehouse')).id;
    const stores = [
      (await loc('Store A', 'store')).id,
      (await loc('Store B', 'store')).id,
      (await loc('Store C', 'store')).id,
    ];
    return { channels, warehouse, stores };
  });
  // Two sizes of each product (20,000 variants): the lists are per product, and the import is measured by `import`.
  const csv = catalogCsv(PRODUCTS)
    .split(/(?<=\n)/)
    .filter((line, i) => i === 0 || /,PERF-\d+-[ML],/.test(line))
    .join('');
  const imported = await importProductsCsv(deps, csv);
  if (imported.errors.length)
    throw new Error(`import errors: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  await seedRows(rt, made);
  const { rows } = await deps.db.query<{ id: string }>('SELECT id FROM categories ORDER BY name LIMIT 1');
  return { channels: made.channels, stores: made.stores, categoryId: rows[0]?.id ?? '' };
};

export const adminLists = async (backend: Backend, seconds: number): Promise<Result[]> => {
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  const dir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'plaza-bench-lists-')) : undefined;
  const pg = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const env = {
    ...(dir ? { PLAZA_DATA_DIR: dir } : { DATABASE_URL: pg?.url }),
    LOG_LEVEL: 'error',
    PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
  };
  try {
    const t0 = performance.now();
    const rt = await openRuntime({ config: loadConfig(env) });
    let seeded: Seeded;
    try {
      seeded = await seed(rt);
    } finally {
      await rt.close();
    }
    console.log(`  seeded in ${Math.round((performance.now() - t0) / 100) / 10} s`);
    const plaza = await startPlaza({ ...env, PLAZA_WORKERS: '0' }, 180_000);
    try {
      return await measure(plaza.url, seeded, seconds);
    } finally {
      await plaza.stop();
    }
  } finally {
    await pg?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
};

const measure = async (url: string, s: Seeded, seconds: number): Promise<Result[]> => {
  const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const get = (path: string) => send(url, { method: 'GET', path: `/admin${path}`, headers });
  const check = async (path: string, atLeast: number) => {
    const r = await get(path);
    const n = r.status === 200 ? json<{ data: unknown[] }>(r).data.length : -1;
    if (n < atLeast) throw new Error(`GET ${path}: ${r.status}, ${n} rows: ${r.body.slice(0, 300)}`);
  };
  // A deep page: the cursor 40 pages into the filtered list.
  let cursor = '';
  for (let i = 0; i < 40; i++) {
    const r = json<{ next_cursor: string | null }>(await get(`/products?status=published&limit=50${cursor}`));
    cursor = r.next_cursor ? `&cursor=${r.next_cursor}` : '';
  }
  const terms = ['product 12', 'perf product 9', 'xl', '4321', 'product 777'];
  const cases: [string, (i: number) => string][] = [
    ['products: first page, 50 of 10,000', () => '/products?limit=50'],
    [
      'products: search + status filter',
      (i) => `/products?q=${encodeURIComponent(terms[i % terms.length] ?? '')}&status=published&limit=50`,
    ],
    [
      'products: search + category filter',
      (i) =>
        `/products?q=${encodeURIComponent(terms[i % terms.length] ?? '')}&category_id=${s.categoryId}&limit=50`,
    ],
    [
      'products: page 41 of the published list (cursor)',
      () => `/products?status=published&limit=50${cursor}`,
    ],
    ['products: exact SKU', (i) => `/products?sku=PERF-${i % PRODUCTS}-M`],
    [
      'orders: channel + status filter, 50',
      (i) => `/orders?channel_id=${s.channels[i % 3]}&status=delivered&limit=50`,
    ],
    ['orders: location filter, 50', (i) => `/orders?location_id=${s.stores[i % 3]}&limit=50`],
    ['customers: name/e-mail search', (i) => `/customers?q=last${(i * 37) % 997}&limit=50`],
    ['dashboard: 30 days, every location', () => '/reports/dashboard?days=30'],
    ['dashboard: 30 days, one store', (i) => `/reports/dashboard?days=30&location_id=${s.stores[i % 3]}`],
    ['dashboard: 90 days, every location', () => '/reports/dashboard?days=90'],
  ];
  await check('/products?limit=50', 50);
  await check('/products?q=product%2012&status=published&limit=50', 1);
  await check(`/orders?location_id=${s.stores[0]}&limit=50`, 50);
  await check('/customers?q=last12&limit=50', 1);
  const results: Result[] = [];
  for (const [name, path] of cases) {
    results.push(
      await runLoad({
        name,
        clients: 1,
        seconds: Math.min(seconds, 5),
        warmup: 1,
        step: async (_c, i) => (await get(path(i))).status,
      }),
    );
  }
  return results;
};
