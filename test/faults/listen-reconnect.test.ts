/**
 * Fault scenario: LISTEN comes back after a PostgreSQL restart.
 *
 * Process A streams a cart (SSE) and has a product's price cached; PostgreSQL restarts; right after it
 * returns, process B changes the price and adds an item to the cart. A must deliver the change to the
 * open stream within 5 s of the database's return (or end the stream, after which a new stream shows
 * the change), and must charge the new price at once (its caches are forgotten when its LISTEN
 * connection comes back; the price cache would otherwise keep the old price for a minute).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLoadShop } from '../support/checkout-load.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import { http, type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from '../support/processes.ts';
import { openSse, type SseStream } from '../support/sse.ts';
import { FULL, faultsSkipped, sleep, titled, within } from './faults.ts';

const RESTARTS = FULL ? 3 : 1;

interface CartEvent {
  id: string;
  version: number;
  lines: { quantity: number; unit_price: number }[];
}

describe.skipIf(faultsSkipped !== undefined)(titled('LISTEN across a PostgreSQL restart'), () => {
  let server: PrivatePostgres | undefined;
  const procs: PlazaProcess[] = [];
  const streams: SseStream[] = [];
  afterAll(async () => {
    for (const s of streams) s.close();
    await Promise.all(procs.map((p) => p.stop()));
    await server?.destroy();
  });

  it('an open cart stream and the price cache of another process follow changes made after the restart', async () => {
    server = await startPrivatePostgres();
    const url = server.url;
    procs.push(
      ...(await Promise.all([
        startPlaza({ DATABASE_URL: url }),
        startPlaza({ DATABASE_URL: url, PLAZA_WORKERS: '0' }),
      ])),
    );
    const [a, b] = procs.map((p) => p.url) as [string, string];
    const shop = await createLoadShop(b, 1000);
    const created = await http<{ cart: CartEvent; cart_token: string }>(b, 'POST', '/store/carts', {
      key: shop.key,
      body: { items: [{ sku: shop.sku, quantity: 1 }] },
    });
    expect(created.status).toBe(201);
    const cartId = created.body.cart.id;
    const cartHeaders = { 'x-plaza-cart-token': created.body.cart_token };
    const priceOnA = async () =>
      (await http<CartEvent>(a, 'GET', `/store/carts/${cartId}`, { key: shop.key, headers: cartHeaders }))
        .body.lines[0]?.unit_price;
    const streamUrl = `${a}/store/carts/${cartId}/stream?channel_key=${shop.key}&cart_token=${created.body.cart_token}`;
    let stream = openSse(streamUrl);
    streams.push(stream);
    expect(await stream.status).toBe(200);
    await stream.next((m) => m.event === 'cart');

    const figures: Record<string, number | string>[] = [];
    let price = 2500;
    for (let i = 0; i < RESTARTS; i++) {
      expect(await priceOnA()).toBe(price); // cached in A now
      const times = await server.restart({ mode: 'fast', downMs: 500 });
      // Right after the return (before A has surely listened again), B changes the price and the cart.
      price -= 100;
      let changedAt = 0;
      await within(5000, async () => {
        const r = await http(b, 'PUT', `/admin/variants/${shop.variantId}/prices`, {
          token: TEST_ADMIN_TOKEN,
          body: { channel_id: shop.channelId, prices: [{ amount: price }] },
        });
        changedAt = Date.now();
        return r.status === 200;
      });
      let version = 0;
      await within(5000, async () => {
        const add = await http<CartEvent>(b, 'POST', `/store/carts/${cartId}/items`, {
          key: shop.key,
          headers: cartHeaders,
          body: { sku: shop.sku, quantity: 1 },
        });
        version = add.body.version;
        return add.status === 200;
      });
      const priceSeenMs = await within(5000, async () => (await priceOnA()) === price);

      // The stream shows the new version by 5 s after the return, or ended so the client reconnects.
      const deadline = times.upAt + 5000;
      const seen = await Promise.race([
        stream
          .next(
            (m) => m.event === 'cart' && (JSON.parse(m.data) as CartEvent).version >= version,
            deadline - Date.now(),
          )
          .then((m) => ({ how: 'delivered', at: m.at }) as const),
        stream.ended.then(() => ({ how: 'ended', at: Date.now() }) as const),
      ]).catch(() => ({ how: 'missed', at: Date.now() }) as const);
      if (seen.how === 'ended') {
        stream = openSse(streamUrl);
        streams.push(stream);
        const fresh = await stream.next((m) => m.event === 'cart', 5000);
        expect((JSON.parse(fresh.data) as CartEvent).version).toBeGreaterThanOrEqual(version);
      }
      figures.push({
        restart: i + 1,
        outage_ms: times.upAt - times.stopAt,
        changed_after_return_ms: changedAt - times.upAt,
        stream: seen.how,
        stream_after_return_ms: seen.at - times.upAt,
        price_on_A_after_change_ms: priceSeenMs ?? 'never',
      });
      expect(seen.how).not.toBe('missed');
      expect(seen.at - times.upAt).toBeLessThanOrEqual(5000);
      expect(priceSeenMs).toBeDefined();
      expect(priceSeenMs as number).toBeLessThanOrEqual(2000);
      await sleep(300);
    }
    console.log(`LISTEN reconnect report:\n${JSON.stringify(figures, null, 1)}`);
    for (const p of procs) expect(p.proc.exitCode).toBeNull();
    const final = await http<CartEvent>(a, 'GET', `/store/carts/${cartId}`, {
      key: shop.key,
      headers: cartHeaders,
    });
    expect(final.body.lines[0]?.quantity).toBe(RESTARTS + 1);
  }, 180_000);
});
