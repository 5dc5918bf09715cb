/**
 * A real SIGKILL between the provider's capture and Plaza's commit (PLAZA_FAULT_INJECT=after_capture,
 * test-only): once for a counter sale being paid, once for an order being shipped. A fresh process
 * then reconciles both within seconds: the shipped order's payment is recorded as captured (and the
 * shipment can be retried without a second capture), the dead sale's money is refunded and the sale
 * is open again. The audit finds no money kept for a cancelled order or an uncompleted sale.
 * Runs on PostgreSQL (the processes share a test database). It also passes on PGlite, where the
 * processes take turns on one data folder, but three embedded starts make it too slow for `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { type Db, openPglite, openPostgres } from '../src/platform/db.ts';
import { createPostgresDatabase, testBackend } from '../src/platform/testing.ts';
import { moneyKeptForFailedSales } from './support/payments-audit.ts';
import { http, type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from './support/processes.ts';

type Body = Record<string, unknown>;
interface Order {
  id: string;
  status: string;
  payment_status: string;
  total: number;
  fulfillments: { id: string; status: string }[];
  payments: { id: string; status: string; captured_amount: number; refunded_amount: number }[];
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** Where the processes keep their data, and how the test opens it once they are gone. */
const storage = async (): Promise<{ env: Record<string, string>; open(): Promise<Db> }> => {
  if (testBackend() === 'postgres') {
    const db = await createPostgresDatabase();
    cleanup.push(() => db.drop());
    return { env: { DATABASE_URL: db.url }, open: () => openPostgres(db.url, { poolSize: 2 }) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'plaza-kill-'));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { env: { PLAZA_DATA_DIR: dir }, open: () => openPglite(dir) };
};

const admin = async (base: string, method: string, path: string, body?: unknown) => {
  const r = await http<Body>(base, method, `/admin${path}`, { body, token: TEST_ADMIN_TOKEN });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

const address = { line1: '1 Main St', city: 'Portland', region: 'OR', postal_code: '97205', country: 'US' };

/** A web channel shipping from a warehouse, a POS channel at a store, one product with stock in both. */
const setup = async (base: string) => {
  const location = async (type: string) =>
    (
      await admin(base, 'POST', '/locations', {
        name: `Kill ${type}`,
        type,
        address,
        timezone: 'America/Los_Angeles',
        pickup: false,
      })
    ).id as string;
  const channel = async (type: string, locationId: string) => {
    const c = await admin(base, 'POST', '/channels', {
      type,
      name: `Kill ${type}`,
      currency: 'USD',
      locale: 'en-US',
    });
    await admin(base, 'PUT', `/channels/${c.id}/locations`, { location_ids: [locationId] });
    return {
      id: c.id as string,
      key: (await admin(base, 'POST', `/channels/${c.id}/keys`, {})).key as string,
    };
  };
  const warehouse = await location('warehouse');
  const store = await location('store');
  const web = await channel('web', warehouse);
  const pos = await channel('pos', store);
  const sku = `KILL-${Math.random().toString(36).slice(2, 8)}`;
  const p = await admin(base, 'POST', '/products', {
    title: 'Kill tee',
    status: 'published',
    variants: [
      {
        sku,
        prices: [
          { channel_id: web.id, amount: 2500 },
          { channel_id: pos.id, amount: 2400 },
        ],
      },
    ],
  });
  for (const c of [web, pos]) await admin(base, 'PUT', `/products/${p.id}/channels/${c.id}`);
  for (const loc of [warehouse, store]) {
    await admin(base, 'POST', '/inventory/adjustments', {
      sku,
      location_id: loc,
      kind: 'receipt',
      delta: 5,
      reason: 'test stock',
    });
  }
  return { web, pos, sku };
};

const webOrder = async (base: string, key: string, sku: string): Promise<Order> => {
  const c = await http<Body>(base, 'POST', '/store/carts', { key, body: { items: [{ sku, quantity: 1 }] } });
  const cart = (c.body.cart as { id: string }).id;
  const headers = { 'x-plaza-cart-token': c.body.cart_token as string };
  await http(base, 'PUT', `/store/carts/${cart}/fulfillment`, {
    key,
    headers,
    body: { type: 'shipping', address: { name: 'Ada', ...address } },
  });
  const r = await http<{ order: Order }>(base, 'POST', `/store/carts/${cart}/checkout`, {
    key,
    headers: { ...headers, 'idempotency-key': `kill-${cart}` },
    body: { email: 'ada@example.com', payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
  });
  expect(r.status).toBe(201);
  return r.body.order;
};

/** Sends a request that kills the process; waits for its death. */
const killedBy = async (p: PlazaProcess, request: () => Promise<unknown>) => {
  await expect(request()).rejects.toThrow();
  await p.stop('SIGKILL'); // already dead: only waits for the exit
  expect(p.proc.signalCode).toBe('SIGKILL');
};

const until = async <T>(what: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe.skipIf(testBackend() !== 'postgres')('a SIGKILL between the capture and the commit', () => {
  it('is reconciled within seconds: the shipment recorded as captured, the dead sale refunded', async () => {
    const store = await storage();
    const env = { ...store.env, PLAZA_PAYMENT_TIMEOUT_MS: '1000' };
    const fault = { ...env, PLAZA_FAULT_INJECT: 'after_capture' };

    const a = await startPlaza(fault);
    const s = await setup(a.url);
    const order = await webOrder(a.url, s.web.key, s.sku);
    expect(order).toMatchObject({ status: 'confirmed', payment_status: 'authorized' });
    const sale = await admin(a.url, 'POST', '/pos/sales', {
      channel_id: s.pos.id,
      items: [{ code: s.sku, quantity: 1 }],
    });
    await killedBy(a, () =>
      http(a.url, 'POST', `/admin/pos/sales/${sale.id}/pay`, {
        token: TEST_ADMIN_TOKEN,
        headers: { 'idempotency-key': `pay-${sale.id}` },
        body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
      }),
    );

    const a2 = await startPlaza(fault);
    await killedBy(a2, () =>
      http(a2.url, 'POST', `/admin/orders/${order.id}/fulfillments/${order.fulfillments[0]?.id}/ship`, {
        token: TEST_ADMIN_TOKEN,
      }),
    );

    const b = await startPlaza(env);
    const started = Date.now();
    const shipped = await until(
      async () => (await admin(b.url, 'GET', `/orders/${order.id}`)) as unknown as Order,
      (o) => o.payments[0]?.status === 'captured',
      30_000,
    );
    const saleAfter = await until(
      () => admin(b.url, 'GET', `/pos/sales/${sale.id}`),
      (v) => v.status === 'open',
      30_000,
    );
    const reconciledMs = Date.now() - started;
    expect(shipped).toMatchObject({ status: 'confirmed', payment_status: 'captured' });
    expect(shipped.payments[0]).toMatchObject({ status: 'captured', captured_amount: order.total });
    expect(saleAfter.status).toBe('open');
    const saleOrder = (await admin(b.url, 'GET', `/orders/${saleAfter.order_id}`)) as unknown as Order;
    expect(saleOrder).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    expect(saleOrder.payments[0]).toMatchObject({
      status: 'refunded',
      captured_amount: saleOrder.total,
      refunded_amount: saleOrder.total,
    });
    expect(reconciledMs).toBeLessThan(60_000);

    // the shipment is retried: no second capture
    const again = await http<Order>(
      b.url,
      'POST',
      `/admin/orders/${order.id}/fulfillments/${order.fulfillments[0]?.id}/ship`,
      { token: TEST_ADMIN_TOKEN },
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'shipped', payment_status: 'captured' });
    await b.stop();

    const db = await store.open();
    try {
      expect(await moneyKeptForFailedSales(db)).toEqual([]);
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM sandbox_card_payments WHERE payment_id = $1 AND captured_amount = $2',
        [shipped.payments[0]?.id, order.total],
      );
      expect(rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
    console.info(`capture-kill: reconciled ${reconciledMs} ms after the new process started`);
  }, 180_000);
});
