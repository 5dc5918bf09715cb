/**
 * "Item at risk of stock-out" in audiences (issue 14, point 6), over HTTP: the `stockRisk` condition
 * in each `where` mode, its `days`, under `not`, with hostile values and invalid trees; the
 * `items_at_risk` computed trait; and the re-evaluation of both after a forecasting run.
 *
 * The `stockout_risks` rows are inserted directly: they are what a forecasting run writes
 * (src/flows/replenishment/suggest.ts `writeRisks`: one row per SKU and location whose projected
 * stock falls below zero within 90 days, `days` from the run's day), under a completed run of
 * `forecast_runs` (the rows' foreign key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { MINUTE } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { compileRules } from './compile.ts';
import { refreshDueTrait } from './computed-traits-repo.ts';
import { evaluateDueSegment } from './jobs.ts';

let t: TestApp;
const q = (sql: string, params: unknown[] = []) => t.deps.db.query(sql, params);

// customers by name (ids are ULIDs, so the preview's sample is in this order, newest first)
const who = (n: string) => ({ n, id: newId('cus') });
const [ann, bob, cat, dan, eve, gus] = [
  who('ann'),
  who('bob'),
  who('cat'),
  who('dan'),
  who('eve'),
  who('gus'),
];
const nameOf = new Map([ann, bob, cat, dan, eve, gus].map((c) => [c.id, c.n]));
const [jacket, boot] = [newId('prod'), newId('prod')];
const HOSTILE = "'; DROP TABLE stockout_risks; --";

/** A forecasting run as it ends: a completed `forecast_runs` row, and its stock-out risks. */
const forecastRun = async (risks: [sku: string, location: string, days: number][]) => {
  const run = newId('fcr');
  const now = t.clock.now();
  await q(
    `INSERT INTO forecast_runs (id, scope, status, first_day, horizon, started_at, finished_at)
     VALUES ($1, 'all', 'completed', $2::date, 90, $3, $3)`,
    [run, now.toISOString().slice(0, 10), now],
  );
  await q('DELETE FROM stockout_risks');
  for (const [sku, location, days] of risks)
    await q(
      `INSERT INTO stockout_risks (sku, location_id, run_id, stockout_on, days, available, inbound, demand, computed_at)
       VALUES ($1, $2, $3, $4::date + $5::int, $5, 3, 0, 4, $6)`,
      [sku, location, run, now.toISOString().slice(0, 10), days, now],
    );
};

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  await q(
    `INSERT INTO channels (id, type, name, currency, locale, created_at, updated_at) VALUES
       ('chn_web', 'web', 'Web', 'USD', 'en-US', $1, $1), ('chn_app', 'app', 'App', 'USD', 'en-US', $1, $1)`,
    [now],
  );
  await q(
    `INSERT INTO locations (id, name, type, address_line1, city, country, timezone, active, created_at, updated_at) VALUES
       ('loc_paris', 'Paris', 'store', '1 rue', 'Paris', 'FR', 'Europe/Paris', true, $1, $1),
       ('loc_lyon', 'Lyon', 'store', '2 rue', 'Lyon', 'FR', 'Europe/Paris', true, $1, $1),
       ('loc_wh', 'Warehouse', 'warehouse', '3 rue', 'Lille', 'FR', 'Europe/Paris', true, $1, $1),
       ('loc_closed', 'Closed', 'store', '4 rue', 'Nice', 'FR', 'Europe/Paris', false, $1, $1)`,
    [now],
  );
  // web is served by the warehouse, Paris and the closed store; the app by Lyon
  await q(
    `INSERT INTO channel_locations (channel_id, location_id, priority) VALUES
       ('chn_web', 'loc_wh', 1), ('chn_web', 'loc_paris', 2), ('chn_web', 'loc_closed', 3), ('chn_app', 'loc_lyon', 1)`,
  );
  await q(
    `INSERT INTO products (id, handle, title, status, created_at, updated_at) VALUES
       ($1, 'jacket', 'Rain jacket', 'published', $3, $3), ($2, 'boot', 'Boot', 'published', $3, $3)`,
    [jacket, boot, now],
  );
  await q(
    `INSERT INTO variants (id, product_id, sku, title, options, created_at, updated_at) VALUES
       ($1, $4, 'JACKET-M', 'M', '{"size": "M"}', $6, $6), ($2, $4, 'JACKET-L', 'L', '{"size": "L"}', $6, $6),
       ($3, $5, 'BOOT-1', 'One', '{}', $6, $6)`,
    [newId('var'), newId('var'), newId('var'), jacket, boot, now],
  );
  const preferred = { ann: 'loc_paris', bob: 'loc_lyon', cat: 'loc_closed' } as Record<string, string>;
  for (const c of [ann, bob, cat, dan, eve, gus])
    await q(
      `INSERT INTO customers (id, email, preferred_location_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
      [c.id, `${c.n}@example.com`, preferred[c.n] ?? null, now],
    );
  await q(
    `INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at) VALUES
       ($1, 'plan', '"gold"', $3, $3), ($2, 'plan', '"gold"', $3, $3)`,
    [ann.id, bob.id, now],
  );
  const cart = async (c: { id: string }, status: string, channel: string, skus: string[]) => {
    const id = newId('cart');
    await q(
      `INSERT INTO carts (id, customer_id, origin_channel_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [id, c.id, channel, status, now],
    );
    for (const sku of skus)
      await q(
        `INSERT INTO cart_lines (id, cart_id, sku, quantity, channel_id, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5, $5)`,
        [newId('cl'), id, sku, channel, now],
      );
  };
  await cart(ann, 'active', 'chn_web', ['JACKET-L', 'HAT-1']);
  await cart(bob, 'active', 'chn_web', ['BOOT-1', 'acc-1']);
  await cart(dan, 'active', 'chn_app', ['JACKET-L']);
  await cart(eve, 'active', 'chn_web', []); // empty: not an open cart
  await cart(gus, 'checked_out', 'chn_web', ['BOOT-1']);
  await forecastRun([
    ['JACKET-M', 'loc_paris', 3],
    ['JACKET-L', 'loc_lyon', 20],
    ['BOOT-1', 'loc_wh', 10],
    ['acc-1', 'loc_wh', 5],
    ['HAT-1', 'loc_closed', 0], // a closed location neither fulfils nor advertises
  ]);
}, 60_000);
afterAll(() => t.close());

/** The preview of a rule: its count and the names of its sample (every match here). */
const preview = async (rules: unknown) => {
  const r = await t.admin<{ count: number; sample: { id: string }[] }>('POST', '/segments/preview', {
    rules,
  });
  expect(r.status).toBe(200);
  return { count: r.body.count, names: r.body.sample.map((s) => nameOf.get(s.id)).sort() };
};
const names = async (rules: unknown) => (await preview(rules)).names;
const EVERYONE = ['ann', 'bob', 'cat', 'dan', 'eve', 'gus'];

describe('stockRisk', () => {
  it('preferredStore: an item of the list at risk at the customer’s store within `days` (default 14)', async () => {
    expect(await preview({ stockRisk: { skus: ['JACKET-M'], where: 'preferredStore' } })).toEqual({
      count: 1,
      names: ['ann'],
    });
    const both = { skus: ['JACKET-M', 'JACKET-L'], where: 'preferredStore' };
    expect(await names({ stockRisk: both })).toEqual(['ann']); // Lyon runs out in 20 days
    expect(await names({ stockRisk: { ...both, days: 30 } })).toEqual(['ann', 'bob']);
    expect(await names({ stockRisk: { productIds: [jacket], where: 'preferredStore', days: 30 } })).toEqual([
      'ann',
      'bob',
    ]);
    expect(await names({ stockRisk: { productIds: [jacket], where: 'preferredStore', days: 3 } })).toEqual([
      'ann',
    ]);
    expect(await names({ stockRisk: { productIds: [jacket], where: 'preferredStore', days: 2 } })).toEqual(
      [],
    );
    expect(
      await names({ stockRisk: { productIds: [boot], skus: ['JACKET-M'], where: 'preferredStore' } }),
    ).toEqual(['ann']);
    expect(await names({ stockRisk: { skus: ['HAT-1'], where: 'preferredStore', days: 0 } })).toEqual([]);
  });

  it('cart: a line of the open cart at risk where its channel is fulfilled', async () => {
    // bob: BOOT-1 and acc-1 at the warehouse (web); dan's JACKET-L at Lyon (app) in 20 days; ann's
    // JACKET-L is at risk at Lyon only, which does not serve web; gus's cart is checked out
    expect(await names({ stockRisk: { where: 'cart' } })).toEqual(['bob']);
    expect(await names({ stockRisk: { where: 'cart', days: 30 } })).toEqual(['bob', 'dan']);
    expect(await names({ stockRisk: { where: 'cart', days: 30, skus: ['JACKET-L'] } })).toEqual(['dan']);
    expect(await names({ stockRisk: { where: 'cart', productIds: [boot] } })).toEqual(['bob']);
    expect(await names({ stockRisk: { where: 'cart', days: 90, skus: ['JACKET-M', 'HAT-1'] } })).toEqual([]);
    expect(await names({ stockRisk: { where: 'cart', days: 4 } })).toEqual([]);
  });

  it('anywhere: the same answer for everyone, to hold a whole campaign back', async () => {
    expect(await preview({ stockRisk: { skus: ['JACKET-M'], where: 'anywhere' } })).toEqual({
      count: 6,
      names: EVERYONE,
    });
    expect(await names({ stockRisk: { skus: ['JACKET-M'], where: 'anywhere', days: 2 } })).toEqual([]);
    expect(await names({ not: { stockRisk: { productIds: [jacket], where: 'anywhere' } } })).toEqual([]);
    expect(await names({ not: { stockRisk: { skus: ['HAT-1'], where: 'anywhere', days: 90 } } })).toEqual(
      EVERYONE,
    );
  });

  it('not: everyone else, customers without a preferred store or a cart included', async () => {
    expect(await names({ not: { stockRisk: { skus: ['JACKET-M'], where: 'preferredStore' } } })).toEqual([
      'bob',
      'cat',
      'dan',
      'eve',
      'gus',
    ]);
    expect(await names({ not: { stockRisk: { where: 'cart', days: 30 } } })).toEqual([
      'ann',
      'cat',
      'eve',
      'gus',
    ]);
    // docs/segments.md: a campaign for the rain jacket leaves out those whose store will run out of it
    const campaign = {
      all: [
        { trait: { key: 'plan', op: 'eq', value: 'gold' } },
        { not: { stockRisk: { skus: ['JACKET-M'], where: 'preferredStore', days: 14 } } },
      ],
    };
    expect(await preview(campaign)).toEqual({ count: 1, names: ['bob'] });
  });

  it('hostile values are values', async () => {
    const before = await q('SELECT count(*)::int AS n FROM stockout_risks');
    expect(
      await names({ stockRisk: { skus: [HOSTILE, 'JACKET-M', '名前 🎉'], where: 'preferredStore' } }),
    ).toEqual(['ann']);
    expect(await names({ stockRisk: { skus: ["BOOT-1' OR '1'='1"], where: 'cart' } })).toEqual([]);
    expect((await q('SELECT count(*)::int AS n FROM stockout_risks')).rows).toEqual(before.rows);
    for (const where of ['preferredStore', 'cart', 'anywhere'] as const) {
      const { sql, params } = compileRules({ stockRisk: { skus: [HOSTILE], where } }, { now: t.clock.now() });
      expect(sql).not.toContain('DROP');
      expect(params).toContainEqual([HOSTILE]);
    }
    // product ids are ids: anything else is refused by the schema
    const bad = await t.admin('POST', '/segments/preview', {
      rules: { stockRisk: { productIds: [`prod_${HOSTILE}`], where: 'anywhere' } },
    });
    expect(bad.status).toBe(400);
  });

  it('refuses what the condition cannot mean, with paths and clear messages', async () => {
    const refused = async (rules: unknown) => {
      const r = await t.admin('POST', '/segments/preview', { rules });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      return r.body.errors;
    };
    expect(await refused({ stockRisk: { where: 'preferredStore' } })).toEqual([
      {
        path: 'body.rules.stockRisk',
        message: '`where: "preferredStore"` needs `skus` or `productIds` (only `cart` may leave both out)',
      },
    ]);
    expect(
      await refused({
        all: [{ trait: { key: 'plan', op: 'exists' } }, { not: { stockRisk: { where: 'anywhere' } } }],
      }),
    ).toEqual([
      {
        path: 'body.rules.all.1.not.stockRisk',
        message: '`where: "anywhere"` needs `skus` or `productIds` (only `cart` may leave both out)',
      },
    ]);
    const saved = await t.admin('POST', '/segments', {
      name: 'Nothing named',
      rules: { stockRisk: { where: 'anywhere' } },
    });
    expect(saved.status).toBe(400);
    for (const stockRisk of [
      { skus: ['JACKET-M'], where: 'preferredStore', days: 91 },
      { skus: ['JACKET-M'], where: 'preferredStore', days: -1 },
      { skus: ['JACKET-M'], where: 'preferredStore', days: 1.5 },
      { skus: ['JACKET-M'], where: 'nowhere' },
      { skus: ['JACKET-M'] },
      { skus: [], where: 'cart' },
      { skus: [''], where: 'cart' },
      { skus: Array.from({ length: 101 }, (_, i) => `S-${i}`), where: 'cart' },
      { productIds: ['jacket'], where: 'cart' },
      { where: 'cart', locationIds: ['loc_paris'] },
    ])
      expect((await t.admin('POST', '/segments/preview', { rules: { stockRisk } })).status).toBe(400);
  });
});

describe('items_at_risk computed trait', () => {
  it('the open cart’s SKUs at risk, sorted; [] by default; a segment can read it', async () => {
    const made = await t.admin<{ id: string; default_value: unknown }>('POST', '/computed-traits', {
      key: 'cart_at_risk',
      name: 'Cart items selling out',
      definition: { kind: 'items_at_risk' },
    });
    expect(made.status).toBe(201);
    expect(made.body.default_value).toEqual([]);
    const wide = await t.admin<{ id: string }>('POST', '/computed-traits', {
      key: 'cart_at_risk_30',
      name: 'Cart items selling out in 30 days',
      definition: { kind: 'items_at_risk', days: 30 },
    });
    while (await t.deps.db.tx((tx) => refreshDueTrait(tx, t.clock.now())));
    const values = async (id: string) =>
      Object.fromEntries(
        (
          await t.admin<{ data: { customer_id: string; value: unknown }[] }>(
            'GET',
            `/computed-traits/${id}/values`,
          )
        ).body.data.map((v) => [nameOf.get(v.customer_id), v.value]),
      );
    // byte order: upper case before lower case, whatever the database's collation
    expect(await values(made.body.id)).toEqual({ bob: ['BOOT-1', 'acc-1'] });
    expect(await values(wide.body.id)).toEqual({ bob: ['BOOT-1', 'acc-1'], dan: ['JACKET-L'] });
    expect(
      await names({ computedTrait: { key: 'cart_at_risk_30', op: 'contains', value: 'JACKET-L' } }),
    ).toEqual(['dan']);
    for (const days of [91, -1])
      expect(
        (
          await t.admin('POST', '/computed-traits', {
            key: 'bad_days',
            name: 'x',
            definition: { kind: 'items_at_risk', days },
          })
        ).body.code,
      ).toBe('VALIDATION_FAILED');
  });
});

describe('after a forecasting run', () => {
  it('segments using stockRisk and items_at_risk traits are due again; others are not', async () => {
    const seg = await t.admin<{ id: string; size: number }>('POST', '/segments', {
      name: 'Boots running out in carts',
      rules: { any: [{ stockRisk: { where: 'cart', productIds: [boot] } }] },
    });
    expect(seg.body.size).toBe(1); // bob
    const other = await t.admin<{ id: string; last_full_at: string }>('POST', '/segments', {
      name: 'Gold',
      rules: { trait: { key: 'plan', op: 'eq', value: 'gold' } },
    });
    expect(await evaluateDueSegment(t.deps)).toBe(0);
    expect(await t.deps.db.tx((tx) => refreshDueTrait(tx, t.clock.now()))).toBe(0);

    t.clock.advance(MINUTE);
    await forecastRun([
      ['JACKET-L', 'loc_wh', 1],
      ['BOOT-1', 'loc_paris', 30],
    ]);
    while (await t.deps.db.tx((tx) => refreshDueTrait(tx, t.clock.now())));
    const trait = await t.admin<{ data: { id: string; key: string }[] }>('GET', '/computed-traits');
    const id = trait.body.data.find((x) => x.key === 'cart_at_risk')?.id;
    const vals = await t.admin<{ data: { customer_id: string; value: unknown }[] }>(
      'GET',
      `/computed-traits/${id}/values`,
    );
    expect(vals.body.data).toEqual([expect.objectContaining({ customer_id: ann.id, value: ['JACKET-L'] })]);

    let runs = 0;
    while (await evaluateDueSegment(t.deps)) runs++;
    expect(runs).toBe(1); // the stockRisk segment only (no segment reads the changed trait)
    const after = await t.admin<{ size: number }>('GET', `/segments/${seg.body.id}`);
    expect(after.body.size).toBe(0); // BOOT-1 is now at risk at Paris in 30 days only
    const unchanged = await t.admin<{ last_full_at: string }>('GET', `/segments/${other.body.id}`);
    expect(unchanged.body.last_full_at).toBe(other.body.last_full_at);
    expect(await evaluateDueSegment(t.deps)).toBe(0);
  });
});
