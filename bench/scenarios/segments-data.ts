/**
 * The segments benchmark's data set, generated in SQL (generate_series, INSERT … SELECT): at scale 1,
 * 1,000,000 customers (each with an external identity `user-<n>`, the id analytics.js sends as userId,
 * and two traits: plan and city), 2,000,000 orders over a year on web, app and in store, and
 * 10,000,000 events over 90 days with a realistic skew of names (Product Viewed most common, then
 * pages, product lists, searches, adds to cart … Order Completed rare) and of customers (a few very
 * active, most seldom seen; 15 % of events anonymous). Deterministic (setseed per chunk).
 *
 * Foreign keys are not checked row by row during the load (session_replication_role = replica; the
 * rows are consistent by construction). The events' indexes are dropped during the load and built again afterwards (same definitions, read
 * from pg_indexes), which is how a bulk load is done; then VACUUM ANALYZE, as autovacuum leaves a live
 * database.
 */
import { createChannel } from '../../src/modules/channels/index.ts';
import { createLocation } from '../../src/modules/locations/index.ts';
import type { Db, Queryable } from '../../src/platform/db.ts';
import type { Runtime } from './events-env.ts';

export interface Scale {
  customers: number;
  orders: number;
  events: number;
}

export const FULL: Scale = { customers: 1_000_000, orders: 2_000_000, events: 10_000_000 };

export const scaled = (f: number): Scale => ({
  customers: Math.round(FULL.customers * f),
  orders: Math.round(FULL.orders * f),
  events: Math.round(FULL.events * f),
});

/** Customer n's id, as the generator writes it. */
export const customerId = (n: number) => `cus_${String(n).padStart(26, '0')}`;

const CHUNK = 500_000;

const timed = async (label: string, fn: () => Promise<unknown>, log: string[]) => {
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  log.push(`${label} ${s.toFixed(1)} s`);
  console.log(`    ${label}: ${s.toFixed(1)} s`);
};

/** Runs `count` rows in chunks over `lanes` connections at once (one transaction per chunk). */
const chunked = async (
  db: Db,
  count: number,
  lanes: number,
  sql: string,
  params: (from: number, to: number) => unknown[],
) => {
  const chunks: [number, number][] = [];
  for (let a = 1; a <= count; a += CHUNK) chunks.push([a, Math.min(count, a + CHUNK - 1)]);
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let c = next++; c < chunks.length; c = next++) {
        const [from, to] = chunks[c] as [number, number];
        await db.tx(async (tx) => {
          if (db.kind === 'postgres') {
            await tx.query('SET LOCAL synchronous_commit = off');
            await tx.query('SET LOCAL statement_timeout = 0');
          }
          // A bulk load of rows consistent by construction: no per-row foreign-key triggers.
          await tx.query('SET LOCAL session_replication_role = replica');
          await tx.query('SELECT setseed($1)', [(c + 1) / (chunks.length + 1)]);
          await tx.query(sql, params(from, to));
        });
      }
    }),
  );
};

const CUSTOMERS_SQL = `
INSERT INTO customers (id, email, first_name, last_name, status, processing_restricted_at, erased_at,
  preferred_location_id, source, created_at, updated_at)
SELECT 'cus_' || lpad(i::text, 26, '0'),
  CASE WHEN i % 1000 = 7 THEN NULL ELSE 'customer' || i || '@example.com' END,
  CASE WHEN i % 1000 = 7 THEN NULL ELSE 'First' || i END, 'Last' || (i % 997),
  CASE WHEN i % 1000 = 7 THEN 'erased' ELSE 'active' END,
  CASE WHEN i % 1000 = 3 THEN now() - interval '10 days' END,
  CASE WHEN i % 1000 = 7 THEN now() - interval '20 days' END,
  CASE WHEN i % 10 < 3 THEN ($3::text[])[1 + i % 3] END,
  CASE WHEN i % 5 = 0 THEN 'pos' ELSE 'web' END,
  now() - (400 - i % 365) * interval '1 day', now() - (i % 30) * interval '1 day'
FROM generate_series($1::int, $2::int) AS i`;

const IDENTITIES_SQL = `
INSERT INTO customer_identities (id, customer_id, kind, value, source, first_seen_at, last_seen_at, created_at)
SELECT 'idn_' || lpad(i::text, 26, '0'), 'cus_' || lpad(i::text, 26, '0'), 'external', 'user-' || i,
  'bench', now() - interval '1 year', now(), now() - interval '1 year'
FROM generate_series($1::int, $2::int) AS i WHERE i % 1000 <> 7`;

const TRAITS_SQL = `
INSERT INTO customer_traits (customer_id, key, value, observed_at, source_id, updated_at)
SELECT 'cus_' || lpad(i::text, 26, '0'), t.key, t.value, now() - (i % 60) * interval '1 day', $3, now()
FROM generate_series($1::int, $2::int) AS i
CROSS JOIN LATERAL (VALUES
  ('plan', to_jsonb(CASE WHEN i % 10 = 0 THEN 'gold' WHEN i % 10 < 4 THEN 'silver' ELSE 'free' END)),
  ('city', to_jsonb((ARRAY['Portland', 'Seattle', 'Boise', 'Eugene', 'Salem', 'Bend', 'Spokane', 'Tacoma'])[1 + (i / 7) % 8]))
) AS t(key, value)
WHERE i % 1000 <> 7`;

// Customers drawn with a skew: density ~ 1/sqrt(n) (customer 1 the most active).
const ORDERS_SQL = `
INSERT INTO orders (id, channel_id, selling_location_id, customer_id, status, payment_status, fulfillment_type,
  pickup_location_id, currency, subtotal, total, placed_at, created_at, updated_at)
SELECT 'ord_' || lpad(k::text, 26, '0'), ($4::text[])[1 + ch],
  CASE WHEN ch = 2 THEN ($5::text[])[1 + k % 3] END,
  'cus_' || lpad(c::text, 26, '0'),
  (ARRAY['completed', 'delivered', 'picked_up', 'shipped', 'confirmed', 'cancelled'])[1 + k % 6], 'captured',
  CASE WHEN ch = 2 THEN 'in_store' WHEN k % 4 = 0 THEN 'pickup' ELSE 'shipping' END,
  CASE WHEN ch <> 2 AND k % 4 = 0 THEN ($5::text[])[1 + k % 3] END,
  'USD', amount, amount, at, at, at
FROM (SELECT k, (k % 3) AS ch, 1 + floor($3::int * power(random(), 2))::int AS c,
        1500 + floor(random() * 20000)::bigint AS amount,
        now() - random() * interval '365 days' AS at
      FROM generate_series($1::int, $2::int) AS k) g
WHERE c % 1000 <> 7`;

const EVENTS_SQL = `
INSERT INTO events (source_id, channel_id, origin, message_id, type, event, user_id, anonymous_id, customer_id,
  properties, context, "timestamp", received_at, retention_months)
SELECT $4, $5, 'client', 'gen-' || k, n.type, n.event,
  CASE WHEN c IS NOT NULL AND k % 3 = 0 THEN 'user-' || c END,
  'anon-' || coalesce(c, $3::int + k % 500000),
  CASE WHEN c IS NOT NULL THEN 'cus_' || lpad(c::text, 26, '0') END,
  CASE WHEN n.type = 'track' THEN jsonb_build_object('product_id', 'prod_' || (k % 5000),
    'category', (ARRAY['Jackets', 'Boots', 'Tents', 'Backpacks', 'Base Layers', 'Socks'])[1 + k % 6],
    'price', 20 + k % 200, 'currency', 'USD')
   WHEN n.type = 'page' THEN jsonb_build_object('path', '/' || lower(n.event), 'title', n.event)
   ELSE '{}'::jsonb END,
  '{"library":{"name":"analytics.js","version":"npm:next-1.70.0"},"locale":"en-US","timezone":"America/Los_Angeles","ip":"203.0.113.0","userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"}'::jsonb,
  ts, ts + interval '400 milliseconds', 0
FROM (SELECT k, random() AS r1, random() AS r2,
        CASE WHEN random() < 0.85 THEN 1 + floor($3::int * power(random(), 2))::int END AS c,
        now() - random() * interval '90 days' AS ts
      FROM generate_series($1::int, $2::int) AS k) g
CROSS JOIN LATERAL (SELECT
  CASE WHEN r1 < 0.35 THEN 'track' WHEN r1 < 0.55 THEN 'page' WHEN r1 < 0.865 THEN 'track'
       WHEN r1 < 0.885 THEN 'identify' ELSE 'track' END AS type,
  CASE WHEN r1 < 0.35 THEN 'Product Viewed'
       WHEN r1 < 0.55 THEN (ARRAY['Home', 'Category', 'Product', 'Search', 'Cart'])[1 + floor(r2 * 5)::int]
       WHEN r1 < 0.63 THEN 'Product List Viewed' WHEN r1 < 0.69 THEN 'Products Searched'
       WHEN r1 < 0.76 THEN 'Product Added' WHEN r1 < 0.80 THEN 'Cart Viewed'
       WHEN r1 < 0.82 THEN 'Product Removed' WHEN r1 < 0.845 THEN 'Checkout Started'
       WHEN r1 < 0.865 THEN 'Order Completed' WHEN r1 < 0.885 THEN NULL
       WHEN r1 < 0.94 THEN 'Product Clicked' ELSE 'Promotion Viewed' END AS event) n`;

export interface Generated {
  channels: string[];
  stores: string[];
  log: string[];
  seconds: number;
}

/** Generates the data set into a migrated database whose web channel and event source exist. */
export const generate = async (
  rt: Runtime,
  s: { webChannelId: string; sourceId: string; scale: Scale },
): Promise<Generated> => {
  const { deps } = rt;
  const db = deps.db;
  const lanes = db.kind === 'postgres' ? 2 : 1;
  const log: string[] = [];
  const t0 = performance.now();
  const address = { line1: '1 Main St', city: 'Portland', region: 'OR', postal_code: '97205', country: 'US' };
  const { channels, stores } = await db.tx(async (tx) => {
    const app = await createChannel(tx, deps, { type: 'app', name: 'App', currency: 'USD', locale: 'en-US' });
    const pos = await createChannel(tx, deps, { type: 'pos', name: 'POS', currency: 'USD', locale: 'en-US' });
    const made: string[] = [];
    for (const name of ['Store Pearl', 'Store Hawthorne', 'Store Alberta']) {
      made.push(
        (
          await createLocation(tx, deps, {
            name,
            type: 'store',
            address,
            timezone: 'America/Los_Angeles',
            pickup: true,
          })
        ).id,
      );
    }
    return { channels: [s.webChannelId, app.id, pos.id], stores: made };
  });
  const { customers, orders, events } = s.scale;
  await timed(
    `${customers.toLocaleString('en-US')} customers`,
    () => chunked(db, customers, lanes, CUSTOMERS_SQL, (a, b) => [a, b, stores]),
    log,
  );
  await timed(
    'their external identities',
    () => chunked(db, customers, lanes, IDENTITIES_SQL, (a, b) => [a, b]),
    log,
  );
  await timed(
    'traits (plan, city)',
    () => chunked(db, customers, lanes, TRAITS_SQL, (a, b) => [a, b, s.sourceId]),
    log,
  );
  await timed(
    `${orders.toLocaleString('en-US')} orders over 365 days`,
    () => chunked(db, orders, lanes, ORDERS_SQL, (a, b) => [a, b, customers, channels, stores]),
    log,
  );
  await db.query("SELECT plaza_events_ensure_partitions((now() - interval '100 days')::date, 5)");
  const indexes = await dropIndexes(db, 'events');
  await timed(
    `${events.toLocaleString('en-US')} events over 90 days`,
    () => chunked(db, events, lanes, EVENTS_SQL, (a, b) => [a, b, customers, s.sourceId, s.webChannelId]),
    log,
  );
  await timed(`events' ${indexes.length} indexes built again`, () => createIndexes(db, indexes, lanes), log);
  await timed('VACUUM ANALYZE', () => vacuum(db), log);
  return { channels, stores, log, seconds: (performance.now() - t0) / 1000 };
};

/** VACUUM ANALYZE (outside a transaction, without the pool's statement timeout). */
const vacuum = (db: Db) =>
  db.withAdvisoryLock(0x5e6b, async (session) => {
    if (db.kind === 'postgres') await session.query('SET statement_timeout = 0');
    try {
      await session.query('VACUUM ANALYZE');
    } finally {
      if (db.kind === 'postgres') await session.query('RESET statement_timeout');
    }
  });

/** Drops the partitioned indexes of `table` (not constraints) and returns their definitions. */
export const dropIndexes = async (db: Queryable, table: string): Promise<string[]> => {
  const { rows } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.tablename = $1 AND i.schemaname = current_schema()
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [table],
  );
  for (const r of rows) await db.query(`DROP INDEX ${r.name}`);
  // pg_indexes shows a partitioned index as `ON ONLY` (the parent alone): built again on every partition.
  return rows.map((r) => r.def.replace(' ON ONLY ', ' ON '));
};

/** Builds indexes from their definitions on `lanes` connections at once (after a bulk load). */
export const createIndexes = async (db: Db, defs: string[], lanes: number) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = next++; i < defs.length; i = next++) {
        await db.tx(async (tx) => {
          if (db.kind === 'postgres') {
            await tx.query("SET LOCAL maintenance_work_mem = '512MB'");
            await tx.query('SET LOCAL statement_timeout = 0');
          }
          await tx.query(defs[i] as string);
        });
      }
    }),
  );
};
