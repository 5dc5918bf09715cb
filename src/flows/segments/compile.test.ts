/**
 * The rule compiler against a real database (PGlite or PostgreSQL): a small fixture of customers,
 * traits, events, orders, loyalty, consent, stores and carts; each condition kind selects the right
 * members; hostile values stay values; invalid trees are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlazaError } from '../../platform/errors.ts';
import { createTestDb, type TestDb } from '../../platform/testing.ts';
import { compileRules } from './compile.ts';
import type { SegmentRules } from './rules.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

let t: TestDb;

const FIXTURE = `
INSERT INTO channels (id, type, name, currency, locale, created_at, updated_at) VALUES
  ('chn_web', 'web', 'Web', 'USD', 'en-US', now(), now()),
  ('chn_pos', 'pos', 'POS', 'USD', 'en-US', now(), now()),
  ('chn_app', 'app', 'App', 'USD', 'en-US', now(), now());
INSERT INTO locations (id, name, type, address_line1, city, country, latitude, longitude, timezone, created_at, updated_at) VALUES
  ('loc_paris', 'Paris', 'store', '1 rue', 'Paris', 'FR', 48.8566, 2.3522, 'Europe/Paris', now(), now()),
  ('loc_lyon', 'Lyon', 'store', '2 rue', 'Lyon', 'FR', 45.7640, 4.8357, 'Europe/Paris', now(), now());
INSERT INTO channel_locations (channel_id, location_id, priority) VALUES ('chn_web', 'loc_paris', 1);
INSERT INTO customers (id, email, phone, first_name, created_at, updated_at, status, merged_into, processing_restricted_at, preferred_location_id) VALUES
  ('ann', 'ann@example.com', NULL, 'Ann', now(), now(), 'active', NULL, NULL, 'loc_paris'),
  ('bob', NULL, '+33600000001', 'Bob', now(), now(), 'active', NULL, NULL, NULL),
  ('cat', 'cat@example.com', NULL, 'Cat', now(), now(), 'active', NULL, now(), NULL),
  ('fay', 'fay@example.com', NULL, 'Fay', now(), now(), 'active', NULL, NULL, NULL),
  ('gus', 'gus@example.com', NULL, 'Gus', now(), now(), 'active', NULL, NULL, NULL),
  ('eve', NULL, NULL, NULL, now(), now(), 'erased', NULL, NULL, NULL);
INSERT INTO customers (id, email, created_at, updated_at, status, merged_into) VALUES
  ('dan', 'dan@example.com', now(), now(), 'merged', 'ann');
INSERT INTO customer_identities (id, customer_id, kind, value, source, source_channel_id, first_seen_at, last_seen_at, created_at) VALUES
  ('idn_1', 'gus', 'anonymous', 'device-gus-1', 'events', 'chn_app', now(), now(), now());
INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at) VALUES
  ('ann', 'plan', '"gold"', now(), now()), ('ann', 'age', '42', now(), now()),
  ('ann', 'tags', '["vip", "eu"]', now(), now()), ('ann', 'last_name', '"O''Brien"', now(), now()),
  ('bob', 'plan', '"free"', now(), now()), ('bob', 'age', '17', now(), now()),
  ('cat', 'plan', '"gold"', now(), now()), ('dan', 'plan', '"gold"', now(), now()),
  ('gus', 'latitude', '45.75', now(), now()), ('gus', 'longitude', '4.85', now(), now()),
  ('gus', 'note', '"''; DROP TABLE customers; --"', now(), now());
INSERT INTO computed_traits (id, key, name, definition, created_at, updated_at) VALUES
  ('ctr_orders', 'orders_total', 'Orders', '{"kind": "order_count"}', now(), now());
INSERT INTO customer_computed_traits (trait_id, customer_id, value, computed_at) VALUES
  ('ctr_orders', 'ann', '2', now()), ('ctr_orders', 'bob', '1', now());
INSERT INTO products (id, handle, title, status, created_at, updated_at) VALUES
  ('prod_boot', 'boot', 'Boot', 'published', now(), now()), ('prod_hat', 'hat', 'Hat', 'published', now(), now());
INSERT INTO categories (id, name, handle, created_at, updated_at) VALUES ('cat_shoes', 'Shoes', 'shoes', now(), now());
INSERT INTO product_categories (product_id, category_id) VALUES ('prod_boot', 'cat_shoes');
INSERT INTO variants (id, product_id, sku, title, created_at, updated_at) VALUES
  ('var_boot', 'prod_boot', 'BOOT-1', 'Boot', now(), now()), ('var_hat', 'prod_hat', 'HAT-1', 'Hat', now(), now());
INSERT INTO prices (id, variant_id, channel_id, currency, amount, created_at) VALUES
  ('pri_1', 'var_boot', 'chn_web', 'USD', 9000, now()), ('pri_2', 'var_hat', 'chn_web', 'USD', 2000, now());
INSERT INTO inventory_levels (sku, location_id, on_hand, reserved, updated_at) VALUES
  ('BOOT-1', 'loc_paris', 5, 0, now()), ('HAT-1', 'loc_paris', 0, 0, now());
INSERT INTO loyalty_accounts (customer_id, balance, enrolled_at, last_activity_at, updated_at) VALUES
  ('ann', 500, now(), now(), now()), ('bob', 20, now(), now(), now());
`;

const insertDynamic = async () => {
  const q = t.db;
  const ev = async (customer: string, name: string, at: Date, props: Record<string, unknown> = {}) =>
    q.query(
      `INSERT INTO events (source_id, message_id, type, event, customer_id, properties, "timestamp", received_at)
       VALUES ('src_plaza', gen_random_uuid()::text, 'track', $1, $2, $3::jsonb, $4, $4)`,
      [name, customer, JSON.stringify(props), at],
    );
  for (const d of [1, 3, 9]) await ev('ann', 'Product Viewed', daysAgo(d), { category: 'shoes', price: 50 });
  await ev('bob', 'Product Viewed', daysAgo(40), { category: 'hats', price: 20, nested: { size: 'L' } });
  await ev('bob', 'Signed Up', daysAgo(100));
  await ev('cat', 'Product Viewed', daysAgo(1), { category: 'shoes' });
  await ev('dan', 'Product Viewed', daysAgo(1), { category: 'shoes' });
  await ev('gus', 'Bob\'s "Event"; DROP TABLE events', daysAgo(2), { "it's": 'ok' });
  const order = async (
    id: string,
    customer: string,
    channel: string,
    total: number,
    at: Date,
    opts: { loc?: string; status?: string; product?: string; sku?: string } = {},
  ) => {
    await q.query(
      `INSERT INTO orders (id, channel_id, selling_location_id, customer_id, status, payment_status, fulfillment_type,
         currency, subtotal, total, placed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'captured', $6, 'USD', $7, $7, $8, $8, $8)`,
      [
        id,
        channel,
        opts.loc ?? null,
        customer,
        opts.status ?? 'completed',
        channel === 'chn_pos' ? 'in_store' : 'shipping',
        total,
        at,
      ],
    );
    await q.query(
      `INSERT INTO order_lines (id, order_id, position, sku, product_id, title, quantity, unit_price, total)
       VALUES ($1, $2, 1, $3, $4, 'x', 1, $5, $5)`,
      [`${id}_l`, id, opts.sku ?? 'HAT-1', opts.product ?? 'prod_hat', total],
    );
  };
  await order('ord_a1', 'ann', 'chn_web', 5000, daysAgo(20), { product: 'prod_boot', sku: 'BOOT-1' });
  await order('ord_a2', 'ann', 'chn_pos', 3000, daysAgo(5), { loc: 'loc_paris' });
  await order('ord_b1', 'bob', 'chn_web', 1000, daysAgo(200));
  await order('ord_b2', 'bob', 'chn_pos', 99999, daysAgo(2), { loc: 'loc_lyon', status: 'cancelled' });
  await order('ord_c1', 'cat', 'chn_web', 5000, daysAgo(3));
  await q.query(
    `INSERT INTO loyalty_ledger (id, customer_id, kind, points, spend, created_at) VALUES
       ('lle_1', 'ann', 'earn', 500, 60000, $1), ('lle_2', 'bob', 'earn', 20, 2000, $1),
       ('lle_3', 'bob', 'earn', 0, 900000, $2)`,
    [daysAgo(30), daysAgo(400)],
  );
  await q.query(
    `INSERT INTO consent_records (id, customer_id, purpose, channel, status, legal_basis, source, recorded_by, recorded_at) VALUES
       ('cns_1', 'ann', 'marketing', 'email', 'granted', 'consent', 'api', 't', $1),
       ('cns_2', 'bob', 'marketing', 'email', 'granted', 'consent', 'api', 't', $1),
       ('cns_3', 'bob', 'marketing', 'email', 'withdrawn', 'consent', 'api', 't', $2),
       ('cns_4', 'bob', 'marketing', 'sms', 'granted', 'consent', 'api', 't', $1),
       ('cns_5', 'gus', 'marketing', 'push', 'granted', 'consent', 'api', 't', $1),
       ('cns_6', 'fay', 'marketing', 'push', 'granted', 'consent', 'api', 't', $1)`,
    [daysAgo(50), daysAgo(10)],
  );
  await q.query(
    `INSERT INTO carts (id, customer_id, origin_channel_id, status, created_at, updated_at) VALUES
       ('crt_bob', 'bob', 'chn_web', 'active', $1, $1), ('crt_ann', 'ann', 'chn_web', 'active', $2, $2)`,
    [daysAgo(1), daysAgo(3)],
  );
  await q.query(
    `INSERT INTO cart_lines (id, cart_id, sku, quantity, channel_id, created_at, updated_at) VALUES
       ('cl_1', 'crt_bob', 'BOOT-1', 2, 'chn_web', now(), now()), ('cl_2', 'crt_bob', 'HAT-1', 1, 'chn_web', now(), now()),
       ('cl_3', 'crt_ann', 'BOOT-1', 1, 'chn_web', now(), now())`,
  );
};

beforeAll(async () => {
  t = await createTestDb();
  for (const statement of FIXTURE.split(';\n').filter((x) => x.trim())) await t.db.query(statement);
  await insertDynamic();
});
afterAll(() => t.drop());

const members = async (rules: SegmentRules, customerIds?: string[]): Promise<string[]> => {
  const { sql, params } = compileRules(rules, { now: NOW, ...(customerIds ? { customerIds } : {}) });
  const { rows } = await t.db.query<{ customer_id: string }>(sql, params);
  return rows.map((r) => r.customer_id).sort();
};

describe('compileRules', () => {
  it('traits: every operator, only live unrestricted customers', async () => {
    expect(await members({ trait: { key: 'plan', op: 'eq', value: 'gold' } })).toEqual(['ann']);
    expect(await members({ trait: { key: 'plan', op: 'neq', value: 'gold' } })).toEqual(['bob']);
    expect(await members({ trait: { key: 'age', op: 'gte', value: 18 } })).toEqual(['ann']);
    expect(await members({ trait: { key: 'age', op: 'lt', value: 18 } })).toEqual(['bob']);
    expect(await members({ trait: { key: 'plan', op: 'gt', value: 'g' } })).toEqual(['ann']);
    expect(await members({ trait: { key: 'tags', op: 'contains', value: 'vip' } })).toEqual(['ann']);
    expect(await members({ trait: { key: 'last_name', op: 'contains', value: "o'b" } })).toEqual(['ann']);
    expect(await members({ trait: { key: 'plan', op: 'in', value: ['free', 'gold'] } })).toEqual([
      'ann',
      'bob',
    ]);
    expect(await members({ trait: { key: 'age', op: 'exists' } })).toEqual(['ann', 'bob']);
    expect(await members({ not: { trait: { key: 'age', op: 'exists' } } })).toEqual(['fay', 'gus']);
  });

  it('computed traits read the kind default when no value is stored', async () => {
    expect(await members({ computedTrait: { key: 'orders_total', op: 'gte', value: 1 } })).toEqual([
      'ann',
      'bob',
    ]);
    expect(await members({ computedTrait: { key: 'orders_total', op: 'eq', value: 0 } })).toEqual([
      'fay',
      'gus',
    ]);
    expect(await members({ computedTrait: { key: 'nope', op: 'exists' } })).toEqual([]);
  });

  it('events: existence, windows, counts, sums, property filters, didNot', async () => {
    expect(await members({ event: { name: 'Product Viewed' } })).toEqual(['ann', 'bob']);
    expect(await members({ event: { name: 'Product Viewed', within: { days: 30 } } })).toEqual(['ann']);
    expect(await members({ event: { name: 'Product Viewed', count: { op: 'gte', value: 3 } } })).toEqual([
      'ann',
    ]);
    expect(await members({ event: { name: 'Product Viewed', count: { op: 'lt', value: 2 } } })).toEqual([
      'bob',
      'fay',
      'gus',
    ]);
    expect(
      await members({ event: { name: 'Product Viewed', sum: { property: 'price', op: 'gte', value: 150 } } }),
    ).toEqual(['ann']);
    expect(
      await members({
        event: { name: 'Product Viewed', where: [{ property: 'category', op: 'eq', value: 'hats' }] },
      }),
    ).toEqual(['bob']);
    expect(
      await members({
        event: { name: 'Product Viewed', where: [{ property: 'nested.size', op: 'in', value: ['L', 'XL'] }] },
      }),
    ).toEqual(['bob']);
    expect(await members({ event: { name: 'Product Viewed', didNot: true, within: { days: 30 } } })).toEqual([
      'bob',
      'fay',
      'gus',
    ]);
    expect(
      await members({
        event: { name: 'Signed Up', didNot: true, within: { since: daysAgo(150).toISOString() } },
      }),
    ).toEqual(['ann', 'fay', 'gus']);
    expect(await members({ event: { name: 'Product Viewed', within: { hours: 30 } } })).toEqual(['ann']);
  });

  it('orders: count, revenue, channel, location, product, category, window; cancelled ones do not count', async () => {
    expect(await members({ orders: {} })).toEqual(['ann', 'bob']);
    expect(await members({ orders: { count: { op: 'gte', value: 2 } } })).toEqual(['ann']);
    expect(await members({ orders: { revenue: { op: 'gte', value: 8000, currency: 'USD' } } })).toEqual([
      'ann',
    ]);
    expect(await members({ orders: { revenue: { op: 'gte', value: 1, currency: 'EUR' } } })).toEqual([]);
    expect(await members({ orders: { channelTypes: ['pos'] } })).toEqual(['ann']);
    expect(await members({ orders: { channelIds: ['chn_web'], within: { days: 90 } } })).toEqual(['ann']);
    expect(await members({ orders: { locationIds: ['loc_lyon'] } })).toEqual([]);
    expect(await members({ orders: { categoryIds: ['cat_shoes'] } })).toEqual(['ann']);
    expect(await members({ orders: { productIds: ['prod_hat'] } })).toEqual(['ann', 'bob']);
    expect(await members({ orders: { skus: ['BOOT-1'] } })).toEqual(['ann']);
    expect(await members({ orders: { count: { op: 'eq', value: 0 } } })).toEqual(['fay', 'gus']);
  });

  it('channel mix, loyalty, consent, geography and carts', async () => {
    expect(await members({ channelMix: { online: true, inStore: true } })).toEqual(['ann']);
    expect(await members({ channelMix: { online: true, inStore: false } })).toEqual(['bob']);
    expect(await members({ loyalty: { enrolled: true } })).toEqual(['ann', 'bob']);
    expect(await members({ loyalty: { points: { op: 'gt', value: 100 } } })).toEqual(['ann']);
    expect(await members({ loyalty: { tiers: ['Silver'] } })).toEqual(['ann']);
    expect(await members({ loyalty: { tiers: ['Member'] } })).toEqual(['bob']);
    expect(await members({ consent: { reachable: 'email' } })).toEqual(['ann']);
    expect(await members({ consent: { reachable: 'sms' } })).toEqual(['bob']);
    expect(await members({ consent: { reachable: 'push' } })).toEqual(['gus']);
    expect(await members({ geo: { preferredStore: ['loc_paris'] } })).toEqual(['ann']);
    expect(await members({ geo: { withinKm: { km: 10 } } })).toEqual(['ann', 'gus']);
    expect(await members({ geo: { withinKm: { km: 10, locationIds: ['loc_lyon'] } } })).toEqual(['gus']);
    expect(await members({ cart: {} })).toEqual(['ann', 'bob']);
    expect(await members({ cart: { open: false } })).toEqual(['fay', 'gus']);
    expect(await members({ cart: { value: { op: 'gte', value: 20000 } } })).toEqual(['bob']);
    expect(await members({ cart: { itemsInStock: 'all' } })).toEqual(['ann']);
    expect(await members({ cart: { itemsInStock: 'any', locationIds: ['loc_paris'] } })).toEqual([
      'ann',
      'bob',
    ]);
    expect(await members({ cart: { idleFor: { hours: 48 } } })).toEqual(['ann']);
    expect(await members({ cart: { updatedWithin: { days: 2 } } })).toEqual(['bob']);
  });

  it('all / any / not combine, and customerIds limits the evaluation', async () => {
    const rules: SegmentRules = {
      all: [
        { any: [{ trait: { key: 'plan', op: 'eq', value: 'gold' } }, { consent: { reachable: 'sms' } }] },
        { not: { event: { name: 'Signed Up' } } },
        { orders: { within: { days: 60 } } },
      ],
    };
    expect(await members(rules)).toEqual(['ann']);
    expect(await members({ orders: {} }, ['bob', 'fay', 'cat'])).toEqual(['bob']);
    expect(
      await members({ event: { name: 'Product Viewed', count: { op: 'lt', value: 2 } } }, ['ann', 'fay']),
    ).toEqual(['fay']);
  });

  it('hostile values are values: quotes, SQL, unicode, huge numbers', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    expect(await members({ trait: { key: 'note', op: 'eq', value: "'; DROP TABLE customers; --" } })).toEqual(
      ['gus'],
    );
    expect(await members({ trait: { key: "plan' OR '1'='1", op: 'exists' } })).toEqual([]);
    expect(await members({ event: { name: 'Bob\'s "Event"; DROP TABLE events' } })).toEqual(['gus']);
    expect(
      await members({
        event: { name: 'x', where: [{ property: 'it\'s"); DROP TABLE events; --', op: 'eq', value: "'" }] },
      }),
    ).toEqual([]);
    expect(
      await members({
        event: {
          name: 'Bob\'s "Event"; DROP TABLE events',
          where: [{ property: "it's", op: 'eq', value: 'ok' }],
        },
      }),
    ).toEqual(['gus']);
    expect(await members({ trait: { key: '名前 🎉', op: 'contains', value: 'Ünïcødé ✓' } })).toEqual([]);
    expect(await members({ trait: { key: 'age', op: 'lt', value: 1e300 } })).toEqual(['ann', 'bob']);
    expect(await members({ orders: { count: { op: 'lt', value: -9_007_199_254_740_991 } } })).toEqual([]);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    const { sql } = compileRules(
      { trait: { key: "'; DROP TABLE customers; --", op: 'eq', value: "'; DROP" } },
      { now: NOW },
    );
    expect(sql).not.toContain('DROP');
  });

  it('refuses trees the language does not allow, with paths', () => {
    let deep: SegmentRules = { trait: { key: 'a', op: 'exists' } };
    for (let i = 0; i < 6; i++) deep = { not: deep };
    const problem = (rules: SegmentRules) => {
      try {
        compileRules(rules, { now: NOW });
        return undefined;
      } catch (e) {
        if (!isPlazaError(e)) throw e;
        return { code: e.code, errors: e.details.errors as { path: string; message: string }[] };
      }
    };
    expect(problem(deep)?.errors[0]?.path).toBe('rules.not.not.not.not.not.not');
    const many = { any: Array.from({ length: 51 }, () => ({ trait: { key: 'a', op: 'exists' as const } })) };
    expect(problem(many)?.errors.at(-1)?.message).toMatch(/at most 50 conditions/);
    expect(problem({ trait: { key: 'a', op: 'in', value: 'x' } })?.errors[0]).toEqual({
      path: 'rules.trait',
      message: '`in` needs a list of values',
    });
    expect(
      problem({ all: [{ event: { name: 'x', within: { since: '2099-01-01T00:00:00Z' } } }] })?.errors[0]
        ?.path,
    ).toBe('rules.all.0.event.within.since');
    expect(problem({ event: { name: 'x', didNot: true, count: { op: 'gt', value: 1 } } })?.code).toBe(
      'VALIDATION_FAILED',
    );
  });
});
