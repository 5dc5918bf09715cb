/**
 * No oversell at checkout: 100 shoppers check out at once for the last 10 units → exactly 10 orders,
 * 90 clean INSUFFICIENT_STOCK answers, never a 5xx, and stock, holds, ledger and orders agree. On
 * PostgreSQL the checkouts are split over two real API processes; on PGlite they go to one in-process
 * app (single connection: this checks the logic, not the locking).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { createPostgresDatabase, testBackend } from '../src/platform/testing.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { http, type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from './support/processes.ts';

type Reply = { status: number; body: Record<string, unknown> };
type Call = (
  i: number,
  method: string,
  path: string,
  opts?: { body?: unknown; headers?: Record<string, string> },
) => Promise<Reply>;

const SHOPPERS = 100;
const UNITS = 10;

const admin = (call: Call, method: string, path: string, body?: unknown) =>
  call(0, method, `/admin${path}`, { body, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });

const setup = async (call: Call) => {
  const tag = Math.random().toString(36).slice(2, 8);
  const ch = await admin(call, 'POST', '/channels', {
    type: 'web',
    name: `Race ${tag}`,
    currency: 'USD',
    locale: 'en-US',
  });
  const key = (await admin(call, 'POST', `/channels/${ch.body.id}/keys`, {})).body.key as string;
  const loc = await admin(call, 'POST', '/locations', {
    name: `Race warehouse ${tag}`,
    type: 'warehouse',
    address: { line1: '1 Dock Rd', city: 'Portland', postal_code: '97205', country: 'US' },
    timezone: 'America/Los_Angeles',
  });
  await admin(call, 'PUT', `/channels/${ch.body.id}/locations`, { location_ids: [loc.body.id] });
  const sku = `LAST-${tag}`;
  const p = await admin(call, 'POST', '/products', {
    title: 'The last jacket',
    status: 'published',
    variants: [{ sku, prices: [{ channel_id: ch.body.id, amount: 9900 }] }],
  });
  await admin(call, 'PUT', `/products/${p.body.id}/channels/${ch.body.id}`);
  const r = await admin(call, 'POST', '/inventory/adjustments', {
    sku,
    location_id: loc.body.id,
    kind: 'receipt',
    delta: UNITS,
    reason: 'the last units',
  });
  expect(r.status).toBe(201);
  return { key, sku, locationId: loc.body.id as string, channelId: ch.body.id as string };
};

const race = async (call: Call) => {
  const s = await setup(call);
  const address = { name: 'A', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };
  // Every shopper has the last jacket in a cart, ready to pay.
  const carts = await Promise.all(
    Array.from({ length: SHOPPERS }, async (_, i) => {
      const c = await call(i, 'POST', '/store/carts', {
        body: { items: [{ sku: s.sku, quantity: 1 }] },
        headers: { 'x-plaza-channel-key': s.key },
      });
      expect(c.status).toBe(201);
      const headers = { 'x-plaza-channel-key': s.key, 'x-plaza-cart-token': c.body.cart_token as string };
      const id = (c.body.cart as { id: string }).id;
      expect(
        (
          await call(i, 'PUT', `/store/carts/${id}/fulfillment`, {
            body: { type: 'shipping', address },
            headers,
          })
        ).status,
      ).toBe(200);
      return { id, headers };
    }),
  );
  const results = await Promise.all(
    carts.map((c, i) =>
      call(i, 'POST', `/store/carts/${c.id}/checkout`, {
        headers: { ...c.headers, 'idempotency-key': `race-${i}` },
        body: {
          email: `shopper${i}@example.com`,
          payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
        },
      }),
    ),
  );
  const created = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status === 409);
  const errors = results.filter((r) => r.status >= 500 || (r.status !== 201 && r.status !== 409));
  expect(errors).toEqual([]);
  expect(created).toHaveLength(UNITS);
  expect(refused).toHaveLength(SHOPPERS - UNITS);
  for (const r of refused)
    expect(r.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', sku: s.sku, available: 0 });

  const level = (await admin(call, 'GET', `/inventory/levels?sku=${s.sku}&location_id=${s.locationId}`)).body
    .data as Record<string, number>[];
  expect(level[0]).toMatchObject({ on_hand: UNITS, reserved: UNITS, available: 0 });
  const moves = (
    await admin(call, 'GET', `/inventory/movements?sku=${s.sku}&location_id=${s.locationId}&limit=200`)
  ).body.data as { on_hand_delta: number; reserved_delta: number }[];
  expect(moves.reduce((n, m) => n + m.on_hand_delta, 0)).toBe(UNITS);
  expect(moves.reduce((n, m) => n + m.reserved_delta, 0)).toBe(UNITS);
  const orders = (await admin(call, 'GET', `/orders?channel_id=${s.channelId}&limit=200`)).body.data as {
    status: string;
  }[];
  expect(orders.map((o) => o.status)).toEqual(Array(UNITS).fill('confirmed'));
};

describe.runIf(testBackend() === 'postgres')(
  'checkout contention across two API processes (PostgreSQL)',
  () => {
    const procs: PlazaProcess[] = [];
    let drop: (() => Promise<void>) | undefined;
    afterAll(async () => {
      await Promise.all(procs.map((p) => p.stop()));
      await drop?.();
    });

    it(`${SHOPPERS} concurrent checkouts for the last ${UNITS} units: exactly ${UNITS} orders`, async () => {
      const db = await createPostgresDatabase();
      drop = db.drop;
      procs.push(
        await startPlaza({ DATABASE_URL: db.url }),
        await startPlaza({ DATABASE_URL: db.url, PLAZA_WORKERS: '0' }),
      );
      const call: Call = async (i, method, path, o = {}) =>
        http((procs[i % 2] as PlazaProcess).url, method, path, { body: o.body, headers: o.headers });
      await race(call);
    }, 120_000);
  },
);

describe('checkout contention in one process', () => {
  let t: TestApp | undefined;
  afterAll(() => t?.close());

  it(`${SHOPPERS} concurrent checkouts for the last ${UNITS} units: exactly ${UNITS} orders`, async () => {
    t = await createTestApp();
    await t.deps.db.tx(async (tx) => {
      const { createToken } = await import('../src/modules/access/index.ts');
      await createToken(tx, (t as TestApp).deps, {
        name: 'race',
        scope: 'admin',
        token: TEST_ADMIN_TOKEN,
        createdBy: 'test',
      });
    });
    const app = t;
    const call: Call = async (_i, method, path, o = {}) => {
      const r = await app.call(method, path, { body: o.body, headers: o.headers });
      return { status: r.status, body: r.body as Record<string, unknown> };
    };
    await race(call);
  }, 120_000);
});
