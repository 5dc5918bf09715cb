/**
 * Live cart sync: a device streaming a cart (SSE) sees every change made from another device within
 * a second — through another API process on PostgreSQL (NOTIFY crosses processes), or through the
 * same process on PGlite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, testBackend } from '../src/platform/testing.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { http, type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from './support/processes.ts';
import { createShop } from './support/shop.ts';
import { openSse, type SseStream } from './support/sse.ts';

interface CartEvent {
  id: string;
  version: number;
  lines: { id: string; sku: string; quantity: number }[];
  status: string;
}

const parse = (data: string) => JSON.parse(data) as CartEvent;

/** Opens a stream on `streamBase`, changes the cart through `changeBase`, and checks the timing. */
const syncAcross = async (streamBase: string, changeBase: string, key: string, sku: string) => {
  const created = await http<{ cart: CartEvent; cart_token: string }>(changeBase, 'POST', '/store/carts', {
    key,
    body: { items: [{ sku, quantity: 1 }] },
  });
  const { cart, cart_token } = created.body;
  const streams: SseStream[] = [];
  try {
    // Browsers' EventSource cannot set headers: credentials go in the query string.
    const url = `${streamBase}/store/carts/${cart.id}/stream?channel_key=${key}&cart_token=${cart_token}`;
    const phone = openSse(url);
    const laptop = openSse(url);
    streams.push(phone, laptop);
    expect(await phone.status).toBe(200);
    const first = await phone.next((m) => m.event === 'cart');
    expect(parse(first.data).lines.map((l) => l.quantity)).toEqual([1]);
    await laptop.next((m) => m.event === 'cart');

    const started = Date.now();
    const added = await http<CartEvent>(changeBase, 'POST', `/store/carts/${cart.id}/items`, {
      key,
      headers: { 'x-plaza-cart-token': cart_token },
      body: { sku, quantity: 2 },
    });
    expect(added.status).toBe(200);
    const [onPhone, onLaptop] = await Promise.all(
      [phone, laptop].map((s) =>
        s.next((m) => m.event === 'cart' && parse(m.data).version === added.body.version, 1000),
      ),
    );
    expect(parse(onPhone?.data as string).lines[0]?.quantity).toBe(3);
    expect((onLaptop?.at as number) - started).toBeLessThan(1000);

    const line = added.body.lines[0]?.id;
    const removed = await http<CartEvent>(changeBase, 'DELETE', `/store/carts/${cart.id}/items/${line}`, {
      key,
      headers: { 'x-plaza-cart-token': cart_token },
    });
    const gone = await phone.next(
      (m) => m.event === 'cart' && parse(m.data).version === removed.body.version,
      1000,
    );
    expect(parse(gone.data).lines).toEqual([]);

    const noToken = openSse(`${streamBase}/store/carts/${cart.id}/stream?channel_key=${key}`);
    streams.push(noToken);
    expect(await noToken.status).toBe(404);
  } finally {
    for (const s of streams) s.close();
  }
};

describe.runIf(testBackend() === 'postgres')('cart stream across two API processes (PostgreSQL)', () => {
  const procs: PlazaProcess[] = [];
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await drop?.();
  });

  it('pushes a change made through process B to devices streaming from process A within a second', async () => {
    const db = await createPostgresDatabase();
    drop = db.drop;
    procs.push(
      await startPlaza({ DATABASE_URL: db.url }),
      await startPlaza({ DATABASE_URL: db.url, PLAZA_WORKERS: '0' }),
    );
    const [a, b] = procs.map((p) => p.url) as [string, string];
    const adminCall = (method: string, path: string, body?: unknown) =>
      http<Record<string, unknown>>(b, method, `/admin${path}`, { token: TEST_ADMIN_TOKEN, body });
    const ch = await adminCall('POST', '/channels', {
      type: 'app',
      name: 'App',
      currency: 'USD',
      locale: 'en-US',
    });
    const created = await adminCall('POST', `/channels/${ch.body.id}/keys`, {});
    const key = created.body.key as string;
    const loc = await adminCall('POST', '/locations', {
      name: 'WH',
      type: 'warehouse',
      address: { line1: '1 Dock', city: 'Portland', postal_code: '97205', country: 'US' },
      timezone: 'America/Los_Angeles',
    });
    await adminCall('PUT', `/channels/${ch.body.id}/locations`, { location_ids: [loc.body.id] });
    const p = await adminCall('POST', '/products', {
      title: 'Beanie',
      status: 'published',
      variants: [{ sku: 'BEANIE-1', prices: [{ channel_id: ch.body.id, amount: 2000 }] }],
    });
    await adminCall('PUT', `/products/${p.body.id}/channels/${ch.body.id}`);
    await adminCall('POST', '/inventory/adjustments', {
      sku: 'BEANIE-1',
      location_id: loc.body.id,
      kind: 'receipt',
      delta: 50,
      reason: 'stock',
    });
    await syncAcross(a, b, key, 'BEANIE-1');

    // A price changed through process B is what process A charges at once (its cache is invalidated
    // by the catalog's triggers through NOTIFY).
    const cart = await http<{ cart: { id: string }; cart_token: string }>(a, 'POST', '/store/carts', {
      key,
      body: { items: [{ sku: 'BEANIE-1', quantity: 1 }] },
    });
    const priceOnA = async () =>
      (
        await http<{ lines: { unit_price: number }[] }>(a, 'GET', `/store/carts/${cart.body.cart.id}`, {
          key,
          headers: { 'x-plaza-cart-token': cart.body.cart_token },
        })
      ).body.lines[0]?.unit_price;
    expect(await priceOnA()).toBe(2000);
    const product = await adminCall('GET', `/products/${p.body.id}`);
    const variantId = (product.body.variants as { id: string }[])[0]?.id;
    expect(
      (
        await adminCall('PUT', `/variants/${variantId}/prices`, {
          channel_id: ch.body.id,
          prices: [{ amount: 1500 }],
        })
      ).status,
    ).toBe(200);
    let seen = await priceOnA();
    for (let i = 0; i < 20 && seen !== 1500; i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await priceOnA();
    }
    expect(seen).toBe(1500);

    // A key revoked through process B is refused by process A (which has it cached) at once: the
    // revocation's NOTIFY makes A forget it when the revocation commits.
    expect((await http(a, 'GET', '/store/channel', { key })).status).toBe(200);
    expect((await adminCall('DELETE', `/channels/${ch.body.id}/keys/${created.body.id}`)).status).toBe(200);
    const revokedAt = Date.now();
    let status = (await http(a, 'GET', '/store/channel', { key })).status;
    while (status === 200 && Date.now() - revokedAt < 1000) {
      await new Promise((r) => setTimeout(r, 10));
      status = (await http(a, 'GET', '/store/channel', { key })).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  }, 120_000);
});

describe('cart stream in one process', () => {
  let t: TestApp | undefined;
  afterAll(() => t?.close());

  it('pushes every change to every open stream within a second', async () => {
    t = await createTestApp();
    const shop = await createShop(t);
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await syncAcross(base, base, shop.app.key, shop.skus.tee);
  }, 60_000);
});
