/**
 * A dead attempt does not lock the shopper out (issue 18.2), with a real SIGKILL: an API process dies
 * while the provider still works on its checkout (phase one committed: order pending, every unit of
 * the SKU held). A new checkout of the same cart with a new key, on the other process, is told the
 * checkout is in progress (never "sold out"); once the dead attempt's lease has run out (moved in the
 * database: the lease is 30 s plus the payment timeout) it takes over: the dead order is cancelled,
 * its holds given back, and the stock held once, for the new order. PostgreSQL only (real processes).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { createPostgresDatabase, testBackend } from '../src/platform/testing.ts';
import { http, type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from './support/processes.ts';

const UNITS = 3;
type Body = Record<string, unknown>;

describe.runIf(testBackend() === 'postgres')('a checkout whose process was SIGKILLed', () => {
  const procs: PlazaProcess[] = [];
  let drop: (() => Promise<void>) | undefined;
  let sql: pg.Client | undefined;
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    await sql?.end();
    await drop?.();
  });

  it('a new key is told "in progress" during the lease, then takes over; never INSUFFICIENT_STOCK', async () => {
    const db = await createPostgresDatabase();
    drop = db.drop;
    // The doomed process's provider never answers in time: its checkouts stay between the phases.
    const [doomed, survivor] = await Promise.all([
      startPlaza({ DATABASE_URL: db.url, PLAZA_WORKERS: '0', PLAZA_PAYMENT_TIMEOUT_MS: '60000' }),
      startPlaza({ DATABASE_URL: db.url, PLAZA_WORKERS: '0' }),
    ]);
    procs.push(doomed as PlazaProcess, survivor as PlazaProcess);
    const base = (survivor as PlazaProcess).url;
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const admin = async (method: string, path: string, body?: unknown) =>
      (await http<Body>(base, method, `/admin${path}`, { body, token: TEST_ADMIN_TOKEN })).body;

    const ch = await admin('POST', '/channels', {
      type: 'web',
      name: 'Web',
      currency: 'USD',
      locale: 'en-US',
    });
    const key = (await admin('POST', `/channels/${ch.id}/keys`, {})).key as string;
    const loc = await admin('POST', '/locations', {
      name: 'Warehouse',
      type: 'warehouse',
      address: { line1: '1 Dock Rd', city: 'Portland', postal_code: '97205', country: 'US' },
      timezone: 'America/Los_Angeles',
    });
    await admin('PUT', `/channels/${ch.id}/locations`, { location_ids: [loc.id] });
    const sku = 'LAST-JACKET';
    const p = await admin('POST', '/products', {
      title: 'The last jackets',
      status: 'published',
      variants: [{ sku, prices: [{ channel_id: ch.id, amount: 9900 }] }],
    });
    await admin('PUT', `/products/${p.id}/channels/${ch.id}`);
    await admin('POST', '/inventory/adjustments', {
      sku,
      location_id: loc.id,
      kind: 'receipt',
      delta: UNITS,
      reason: 'the last units',
    });
    const c = await http<{ cart: { id: string }; cart_token: string }>(base, 'POST', '/store/carts', {
      key,
      body: { items: [{ sku, quantity: UNITS }] },
    });
    const cartId = c.body.cart.id;
    const headers = { 'x-plaza-cart-token': c.body.cart_token };
    const address = { name: 'A', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };
    await http(base, 'PUT', `/store/carts/${cartId}/fulfillment`, {
      key,
      headers,
      body: { type: 'shipping', address },
    });
    const checkout = (url: string, idem: string, card: string) =>
      http<Body>(url, 'POST', `/store/carts/${cartId}/checkout`, {
        key,
        headers: { ...headers, 'idempotency-key': idem },
        body: { email: 'a@example.com', payment: { provider: 'test-card', card_number: card } },
      });
    const orders = async () =>
      (
        await (sql as pg.Client).query<{ id: string; status: string; cancel_reason: string | null }>(
          'SELECT id, status, cancel_reason FROM orders WHERE cart_id = $1 ORDER BY id',
          [cartId],
        )
      ).rows;

    // The doomed process prepares the checkout, then waits on the provider: kill it there.
    void checkout((doomed as PlazaProcess).url, 'doomed-tab', TEST_CARDS.timeout).catch(() => undefined);
    for (let i = 0; i < 200 && (await orders()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    const [dead] = await orders();
    expect(dead?.status).toBe('pending_payment');
    await (doomed as PlazaProcess).stop('SIGKILL');

    const early = await checkout(base, 'second-tab', TEST_CARDS.approve);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'CHECKOUT_IN_PROGRESS', order_id: dead?.id });
    expect(early.body.retry_after_seconds).toBeGreaterThanOrEqual(1);

    // Time passes beyond the dead attempt's lease.
    await sql.query(
      `UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE scope = $1 AND key = 'doomed-tab'`,
      [`checkout:${cartId}`],
    );
    const late = await checkout(base, 'third-tab', TEST_CARDS.approve);
    expect(late.status).toBe(201);
    const order = late.body.order as { id: string; status: string };
    expect(order.status).toBe('confirmed');
    expect(await orders()).toEqual([
      { id: dead?.id, status: 'cancelled', cancel_reason: 'checkout_superseded' },
      { id: order.id, status: 'confirmed', cancel_reason: null },
    ]);
    const level = (
      await sql.query<{ on_hand: number; reserved: number }>(
        'SELECT on_hand, reserved FROM inventory_levels WHERE sku = $1',
        [sku],
      )
    ).rows[0];
    expect(level).toEqual({ on_hand: UNITS, reserved: UNITS });
    const replay = await checkout(base, 'doomed-tab', TEST_CARDS.timeout);
    expect(replay.body).toMatchObject({
      code: 'CONFLICT',
      reason: 'checkout_superseded',
      order_id: dead?.id,
    });
  }, 120_000);
});
