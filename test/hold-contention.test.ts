/**
 * Holds under contention never end in a database error: concurrent checkout holds (`reserveMany`,
 * several levels per statement) race with restocks, releases, sales and write-offs on the same few
 * hot rows. Every hold either succeeds or is refused as INSUFFICIENT_STOCK; no statement ever trips
 * the `reserved <= on_hand` check constraint (that was a 500 at checkout), and the levels still
 * equal the ledger afterwards. Then the same over HTTP: shoppers check out scarce stock, cancel and
 * check out again while restocks run: no 5xx. The race needs real concurrency: PostgreSQL only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adjust,
  commitReservation,
  ledgerMismatches,
  releaseReservation,
  reserveMany,
} from '../src/modules/inventory/index.ts';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { testBackend } from '../src/platform/testing.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { createShop } from './support/shop.ts';
import { newLocation, newSku, stock } from './support/stock.ts';

const WORKERS = 12;
const ROUNDS = 30;

const address = { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };

describe.runIf(testBackend() === 'postgres')('stock holds under contention (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('holds racing restocks, releases, sales and write-offs: 0 database errors', async () => {
    const locs = [await newLocation(t), await newLocation(t)];
    const skus = [newSku('HOT'), newSku('HOT'), newSku('HOT')];
    for (const sku of skus) for (const loc of locs) await stock(t, sku, loc, 3);
    const { db } = t.deps;
    const at = () => t.clock.now();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
    const held: string[] = [];
    const tally = {
      held: 0,
      short: 0,
      released: 0,
      sold: 0,
      restocked: 0,
      writtenOff: 0,
      errors: [] as string[],
    };

    const hold = async () => {
      const lines = [...new Set([pick(skus), pick(skus)])].map((sku) => ({
        sku,
        location_id: pick(locs),
        quantity: 1 + Math.floor(Math.random() * 2),
      }));
      const r = await db.tx((tx) =>
        reserveMany(tx, {
          reservations: [{ reference: { type: 'test', id: 'race' }, lines, expiresAt: null }],
          actor: 'test',
          at: at(),
        }),
      );
      if (r.ok) {
        tally.held++;
        held.push(...r.value.reservations.map((x) => x.id));
      } else tally.short++;
    };
    const giveBack = async () => {
      const id = held.shift();
      if (!id) return;
      const sell = Math.random() < 0.5;
      await db.tx(async (tx) => {
        const r = sell
          ? await commitReservation(tx, t.deps, id, { actor: 'test' })
          : await releaseReservation(tx, t.deps, id, { reason: 'test', actor: 'test' });
        if (!r.ok) throw new Error(r.detail);
      });
      if (sell) tally.sold++;
      else tally.released++;
    };
    const change = async (delta: number) => {
      const r = await db.tx((tx) =>
        adjust(tx, t.deps, {
          sku: pick(skus),
          location_id: pick(locs),
          delta,
          kind: delta > 0 ? 'receipt' : 'write_off',
          reason: 'race',
          actor: 'test',
        }),
      );
      if (r.ok && delta > 0) tally.restocked++;
      if (r.ok && delta < 0) tally.writtenOff++;
    };
    const restock = () => change(1 + Math.floor(Math.random() * 2));
    const writeOff = () => change(-1);
    const ops = [hold, hold, hold, giveBack, restock, writeOff];
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let i = 0; i < ROUNDS; i++) {
          let op: () => Promise<void> = hold;
          try {
            op = pick(ops);
            await op();
          } catch (e) {
            tally.errors.push(`${op.name}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }),
    );
    console.log('hold contention', {
      ...tally,
      errors: tally.errors.length,
      sample: tally.errors.slice(0, 3),
    });
    expect(tally.errors).toEqual([]);
    expect(tally.held).toBeGreaterThan(20);
    expect(tally.short).toBeGreaterThan(10);
    expect(await ledgerMismatches(db)).toEqual([]);
  }, 60_000);

  it('checkouts of scarce stock racing cancellations and restocks over HTTP: 0 × 5xx', async () => {
    const shop = await createShop(t, { stockTee: 3 });
    const { key } = shop.web;
    const statuses = new Map<number, number>();
    const note = (status: number, body: unknown) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) console.log('5xx', status, body);
    };
    const shopper = async (i: number) => {
      const c = await t.call<{ cart: { id: string }; cart_token: string }>('POST', '/store/carts', {
        key,
        body: { items: [{ sku: shop.skus.tee, quantity: 1 + (i % 2) }] },
      });
      const headers = { 'x-plaza-cart-token': c.body.cart_token };
      const cart = c.body.cart.id;
      await t.call('PUT', `/store/carts/${cart}/fulfillment`, {
        key,
        headers,
        body: { type: 'shipping', address },
      });
      // Check out, cancel (the cart comes back), check out again: holds and releases on the same rows.
      for (let round = 0; round < 4; round++) {
        const r = await t.call<{ order: { id: string }; order_token: string }>(
          'POST',
          `/store/carts/${cart}/checkout`,
          {
            key,
            headers: { ...headers, 'idempotency-key': `s${i}-r${round}` },
            body: {
              email: `s${i}@example.com`,
              payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
            },
          },
        );
        note(r.status, r.body);
        if (r.status !== 201) continue;
        const x = await t.call('POST', `/store/orders/${r.body.order.id}/cancel`, {
          key,
          headers: { 'x-plaza-order-token': r.body.order_token },
        });
        note(x.status, x.body);
      }
    };
    const restocker = async () => {
      for (let i = 0; i < 8; i++) {
        const r = await t.admin('POST', '/inventory/adjustments', {
          sku: shop.skus.tee,
          location_id: shop.warehouse,
          kind: 'receipt',
          delta: 1,
          reason: 'race',
        });
        note(r.status, r.body);
      }
    };
    await Promise.all([...Array.from({ length: 16 }, (_, i) => shopper(i)), restocker(), restocker()]);
    console.log('checkout contention over HTTP', Object.fromEntries(statuses));
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(statuses.get(201)).toBeGreaterThan(10);
    expect(statuses.get(409)).toBeGreaterThan(0);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  }, 60_000);
});
