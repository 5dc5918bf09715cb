/**
 * The analytics benchmark's data set, generated in SQL (generate_series, set-based INSERT … SELECT)
 * into a fresh database migrated with Plaza's migrations: 4 channels (web, app, and two POS channels
 * each bound to its store), 5 locations (a warehouse that ships, 4 stores that take pickups), 200,000
 * customers, 1,000,000 orders over 365 days with their lines, carts, payments, pickups, returns and
 * refunds (analytics-orders.ts), 10,000,000 events of which about 5 % are touches, and 8 e-mail
 * campaigns with their rollups, holdouts and costs (analytics-events.ts). Deterministic (setseed per
 * chunk) relative to the start time `t0`.
 *
 * As in segments-data.ts: foreign keys are not checked row by row during the load
 * (session_replication_role = replica) and the non-unique indexes of the big tables are dropped and
 * built again after it; CHECK, NOT NULL and unique constraints are checked as rows go in. Then every
 * foreign key of the loaded tables is checked in one anti-join each (`checkForeignKeys`, the run
 * fails on an orphan), and VACUUM ANALYZE.
 */
import { createChannel } from '../../src/modules/channels/index.ts';
import { createLocation, setChannelLocations } from '../../src/modules/locations/index.ts';
import type { Db, Queryable } from '../../src/platform/db.ts';
import type { Deps } from '../../src/platform/module.ts';
import {
  CAMPAIGN_STATS_SQL,
  CAMPAIGNS,
  CAMPAIGNS_SQL,
  CLIENT_CONTEXT,
  COSTS_SQL,
  campaignId,
  EVENTS_SQL,
} from './analytics-events.ts';
import { CUSTOMERS_SQL, ORDERS_SQL, REFUNDED_SQL, REFUNDS_SQL, RETURNS_SQL } from './analytics-orders.ts';
import { vacuum } from './campaigns-data.ts';
import { createIndexes, dropIndexes } from './segments-data.ts';

export interface Scale {
  customers: number;
  orders: number;
  events: number;
}

export const FULL: Scale = { customers: 200_000, orders: 1_000_000, events: 10_000_000 };

export const scaled = (f: number): Scale => ({
  customers: Math.max(100, Math.round(FULL.customers * f)),
  orders: Math.max(1000, Math.round(FULL.orders * f)),
  events: Math.max(10_000, Math.round(FULL.events * f)),
});

export interface Shop {
  /** [web, app, POS A, POS B] */
  channels: string[];
  warehouse: string;
  /** 4 stores: the first two are POS A's and POS B's */
  stores: string[];
  webSource: string;
  appSource: string;
}

/** Tables the generator writes, whose foreign keys are checked afterwards. */
const LOADED = [
  'customers',
  'carts',
  'orders',
  'order_lines',
  'payments',
  'pickups',
  'returns',
  'return_lines',
  'refunds',
  'campaigns',
  'campaign_stats',
  'channel_locations',
  'event_sources',
];

const timed = async <T>(label: string, fn: () => Promise<T>, log: string[]): Promise<T> => {
  const t0 = performance.now();
  const v = await fn();
  const s = (performance.now() - t0) / 1000;
  log.push(`${label} ${s.toFixed(1)} s`);
  console.log(`    ${label}: ${s.toFixed(1)} s`);
  return v;
};

/** Runs `sql` over 1..count in chunks of `size` on `lanes` connections (one transaction per chunk, seeded). */
const chunked = async (
  db: Db,
  count: number,
  size: number,
  sql: string,
  params: (from: number, to: number) => unknown[],
) => {
  const chunks: [number, number][] = [];
  for (let a = 1; a <= count; a += size) chunks.push([a, Math.min(count, a + size - 1)]);
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      for (let c = next++; c < chunks.length; c = next++) {
        const [from, to] = chunks[c] as [number, number];
        await db.tx(async (tx) => {
          await tx.query('SET LOCAL synchronous_commit = off');
          await tx.query('SET LOCAL statement_timeout = 0');
          await tx.query("SET LOCAL work_mem = '64MB'");
          await tx.query('SET LOCAL session_replication_role = replica');
          await tx.query('SELECT setseed($1)', [(c + 1) / (chunks.length + 1)]);
          await tx.query(sql, params(from, to));
        });
      }
    }),
  );
};

/** One statement without the pool's statement timeout and without per-row foreign-key triggers. */
const bulk = (db: Db, sql: string, params: unknown[]) =>
  db.tx(async (tx) => {
    await tx.query('SET LOCAL statement_timeout = 0');
    await tx.query("SET LOCAL work_mem = '64MB'");
    await tx.query('SET LOCAL session_replication_role = replica');
    return tx.query(sql, params);
  });

/** Channels, locations, the POS channels bound to their stores, the event sources of web and app. */
const createShop = async (deps: Deps): Promise<Shop> =>
  deps.db.tx(async (tx) => {
    const address = {
      line1: '1 Main St',
      city: 'Portland',
      region: 'OR',
      postal_code: '97205',
      country: 'US',
    };
    const location = async (name: string, type: 'warehouse' | 'store') =>
      (
        await createLocation(tx, deps, {
          name,
          type,
          address,
          timezone: 'America/Los_Angeles',
          pickup: type === 'store',
          sells_in_store: type === 'store',
          ship_from_store: false,
        })
      ).id;
    const warehouse = await location('Warehouse', 'warehouse');
    const stores: string[] = [];
    for (const n of ['Store Pearl', 'Store Hawthorne', 'Store Alberta', 'Store Sellwood'])
      stores.push(await location(n, 'store'));
    const channel = async (type: 'web' | 'app' | 'pos', name: string) =>
      (await createChannel(tx, deps, { type, name, currency: 'USD', locale: 'en-US' })).id;
    const channels = [
      await channel('web', 'Web'),
      await channel('app', 'App'),
      await channel('pos', 'POS Pearl'),
      await channel('pos', 'POS Hawthorne'),
    ];
    const [web, app, posA, posB] = channels as [string, string, string, string];
    await setChannelLocations(tx, deps, web, [warehouse, ...stores]);
    await setChannelLocations(tx, deps, app, [warehouse, ...stores]);
    await setChannelLocations(tx, deps, posA, [stores[0] as string]);
    await setChannelLocations(tx, deps, posB, [stores[1] as string]);
    const source = async (id: string, name: string, kind: 'web' | 'app', channelId: string) => {
      await tx.query(
        `INSERT INTO event_sources (id, name, kind, channel_id, retention_months, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 0, now(), now())`,
        [id, name, kind, channelId],
      );
      return id;
    };
    return {
      channels,
      warehouse,
      stores,
      webSource: await source('src_BENCHANALYTICSWEB0000000', 'Bench web shop', 'web', web),
      appSource: await source('src_BENCHANALYTICSAPP0000000', 'Bench app', 'app', app),
    };
  });

/** Counts the rows of each foreign key of `tables` whose referenced row is missing (anti-joins). */
export const checkForeignKeys = async (db: Queryable, tables: readonly string[]): Promise<string[]> => {
  const { rows } = await db.query<{
    name: string;
    tbl: string;
    ref: string;
    cols: string[];
    refcols: string[];
  }>(
    `SELECT c.conname AS name, c.conrelid::regclass::text AS tbl, c.confrelid::regclass::text AS ref,
       array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k (n, o)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
       array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k (n, o)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS refcols
     FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1) ORDER BY 2, 1`,
    [tables],
  );
  const problems: string[] = [];
  for (const fk of rows) {
    const notNull = fk.cols.map((c) => `t.${c} IS NOT NULL`).join(' AND ');
    const match = fk.cols.map((c, i) => `r.${fk.refcols[i]} = t.${c}`).join(' AND ');
    const n = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${fk.tbl} t WHERE ${notNull}
       AND NOT EXISTS (SELECT 1 FROM ${fk.ref} r WHERE ${match})`,
    );
    const orphans = Number(n.rows[0]?.n ?? 0);
    if (orphans > 0) problems.push(`${fk.tbl}.${fk.name}: ${orphans} rows without their ${fk.ref}`);
  }
  return problems;
};

export interface Generated {
  shop: Shop;
  seconds: number;
  log: string[];
  fkChecked: number;
}

/** Generates the data set into a fresh migrated database (t0: the generation's start). */
export const generate = async (deps: Deps, scale: Scale): Promise<Generated> => {
  const db = deps.db;
  const log: string[] = [];
  const t0 = new Date();
  const started = performance.now();
  const shop = await createShop(deps);
  const n = (x: number) => x.toLocaleString('en-US');
  const campaigns = Array.from({ length: CAMPAIGNS }, (_, i) => campaignId(i + 1));
  await timed(
    `${n(scale.customers)} customers`,
    () =>
      chunked(db, scale.customers, 100_000, CUSTOMERS_SQL, (a, b) => [a, b, shop.stores, shop.channels, t0]),
    log,
  );
  const tables = ['orders', 'order_lines', 'carts', 'payments', 'pickups', 'events'];
  const indexes: string[] = [];
  for (const t of tables) indexes.push(...(await dropIndexes(db, t)));
  await timed(
    `${n(scale.orders)} orders with their lines, carts, payments and pickups`,
    () =>
      chunked(db, scale.orders, 100_000, ORDERS_SQL, (a, b) => [
        a,
        b,
        scale.orders,
        scale.customers,
        shop.channels,
        shop.stores,
        t0,
      ]),
    log,
  );
  await db.query(`SELECT setval('order_number_seq', $1)`, [100_000 + scale.orders + 1]);
  await timed(
    'returns, refunds, payments refunded',
    async () => {
      await bulk(db, RETURNS_SQL, [shop.warehouse, shop.stores, t0]);
      await bulk(db, REFUNDS_SQL, [t0]);
      for (const sql of REFUNDED_SQL) await bulk(db, sql, []);
    },
    log,
  );
  await db.query("SELECT plaza_events_ensure_partitions(($1::timestamptz - interval '366 days')::date, 14)", [
    t0,
  ]);
  await timed(
    `${n(scale.events)} events over 365 days`,
    () =>
      chunked(db, scale.events, 500_000, EVENTS_SQL, (a, b) => [
        a,
        b,
        scale.events,
        scale.customers,
        shop.webSource,
        shop.channels[0],
        shop.appSource,
        shop.channels[1],
        campaigns,
        t0,
        JSON.stringify(CLIENT_CONTEXT),
      ]),
    log,
  );
  await timed(
    'campaigns, their stats and costs',
    async () => {
      await bulk(db, CAMPAIGNS_SQL, [campaigns, t0]);
      await bulk(db, CAMPAIGN_STATS_SQL, [campaigns]);
      await bulk(db, COSTS_SQL, [campaigns, t0]);
    },
    log,
  );
  await timed(`${indexes.length} indexes built again`, () => createIndexes(db, indexes, 2), log);
  const problems = await timed('foreign keys checked', () => checkForeignKeys(db, LOADED), log);
  if (problems.length) throw new Error(`the generated rows break foreign keys:\n  ${problems.join('\n  ')}`);
  const fks = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)`,
    [LOADED],
  );
  await timed('VACUUM ANALYZE', () => vacuum(db, [...LOADED, 'events', 'analytics_campaign_costs']), log);
  return { shop, seconds: (performance.now() - started) / 1000, log, fkChecked: fks.rows[0]?.n ?? 0 };
};

/** What a kept database holds: its shop (channels in the generator's order) and its size. */
export const readShop = async (db: Queryable): Promise<{ shop: Shop; orders: number; customers: number }> => {
  const ch = await db.query<{ id: string }>(
    `SELECT id FROM channels ORDER BY CASE name WHEN 'Web' THEN 1 WHEN 'App' THEN 2 WHEN 'POS Pearl' THEN 3 ELSE 4 END`,
  );
  const loc = await db.query<{ id: string; type: string }>(
    `SELECT id, type FROM locations ORDER BY type DESC, CASE name WHEN 'Store Pearl' THEN 1 WHEN 'Store Hawthorne' THEN 2
       WHEN 'Store Alberta' THEN 3 ELSE 4 END`,
  );
  const size = await db.query<{ orders: number; customers: number }>(
    `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM customers) AS customers`,
  );
  return {
    shop: {
      channels: ch.rows.map((r) => r.id),
      warehouse: loc.rows.find((l) => l.type === 'warehouse')?.id ?? '',
      stores: loc.rows.filter((l) => l.type === 'store').map((l) => l.id),
      webSource: 'src_BENCHANALYTICSWEB0000000',
      appSource: 'src_BENCHANALYTICSAPP0000000',
    },
    orders: size.rows[0]?.orders ?? 0,
    customers: size.rows[0]?.customers ?? 0,
  };
};
