/**
 * One cart, one order (issue 18.1 and 18.2): simultaneous checkouts of one cart with different keys
 * give one order, one authorization and one set of holds; a dead attempt never makes its own cart look
 * sold out; settling checks the cart; dead keys are settled by the sweeper. Runs on both backends
 * (on PostgreSQL the app's pool runs the checkouts truly in parallel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Reply, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { level } from '../../../test/support/stock.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { claimKey, requestHash } from '../../platform/idempotency.ts';
import { answerSlowly } from './answer.ts';
import { cancelAbandonedCheckouts, settleDeadCheckoutKeys } from './expiry.ts';
import { checkoutLeaseMs, checkoutPath, checkoutScope } from './once.ts';
import { prepareCheckout } from './prepare.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 100 });
});
afterAll(() => t.close());

interface Cart {
  id: string;
  token: string;
}
const body = (email = 'once@example.com') => ({
  email,
  payment: { provider: 'test-card' as const, card_number: TEST_CARDS.approve },
});

const newCart = async (sku: string, quantity: number): Promise<Cart> => {
  const r = await t.call<{ cart: { id: string }; cart_token: string }>('POST', '/store/carts', {
    key: shop.web.key,
    body: { items: [{ sku, quantity }] },
  });
  expect(r.status).toBe(201);
  const cart = { id: r.body.cart.id, token: r.body.cart_token };
  const f = await t.call('PUT', `/store/carts/${cart.id}/fulfillment`, {
    key: shop.web.key,
    headers: { 'x-plaza-cart-token': cart.token },
    body: {
      type: 'shipping',
      address: { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
    },
  });
  expect(f.status).toBe(200);
  return cart;
};

const checkout = (cart: Cart, key: string): Promise<Reply<{ order: { id: string; status: string } }>> =>
  t.call('POST', checkoutPath(cart.id), {
    key: shop.web.key,
    headers: { 'x-plaza-cart-token': cart.token, 'idempotency-key': key },
    body: body(),
  });

/** Phase one of a checkout whose process then died: key claimed, order and holds written, never settled. */
const deadAttempt = async (cart: Cart, key: string) => {
  const scope = checkoutScope(cart.id);
  const claim = await claimKey(t.deps.db, t.clock, {
    scope,
    key,
    hash: requestHash('POST', checkoutPath(cart.id), body()),
    leaseMs: checkoutLeaseMs(t.deps.config),
  });
  expect(claim.kind).toBe('new');
  return t.deps.db.tx((tx) =>
    prepareCheckout(tx, t.deps, {
      cartId: cart.id,
      caller: { customer: null, cartToken: cart.token },
      channel: { channelId: shop.web.id, currency: 'USD' },
      body: body(),
      idem: { scope, key },
    }),
  );
};

const ordersOfCart = async (cartId: string) =>
  (
    await t.deps.db.query<{ id: string; status: string; cancel_reason: string | null }>(
      'SELECT id, status, cancel_reason FROM orders WHERE cart_id = $1 ORDER BY id',
      [cartId],
    )
  ).rows;

const paymentsOfCart = async (cartId: string) =>
  (
    await t.deps.db.query<{ status: string }>(
      'SELECT p.status FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.cart_id = $1 ORDER BY p.id',
      [cartId],
    )
  ).rows.map((p) => p.status);

const keyRow = async (cartId: string, key: string) =>
  (
    await t.deps.db.query<{
      status: string;
      response_status: number | null;
      response_body: { code?: string };
    }>('SELECT status, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2', [
      checkoutScope(cartId),
      key,
    ])
  ).rows[0];

describe('one cart, one order', () => {
  it('20 carts × 2–4 simultaneous checkouts with different keys: one order, one authorization, stock held once', async () => {
    const CARTS = 20;
    const before = (await level(t, shop.skus.tee, shop.warehouse))?.reserved ?? 0;
    const carts = await Promise.all(Array.from({ length: CARTS }, () => newCart(shop.skus.tee, 2)));
    const replies = await Promise.all(
      carts.map((c, i) =>
        Promise.all(Array.from({ length: 2 + (i % 3) }, (_, k) => checkout(c, `tab-${i}-${k}`))),
      ),
    );
    const tally = { attempts: 0, created: 0, inProgress: 0, checkedOut: 0, other: [] as unknown[] };
    for (const [i, rs] of replies.entries()) {
      const cart = carts[i] as Cart;
      tally.attempts += rs.length;
      const won = rs.filter((r) => r.status === 201);
      expect(won).toHaveLength(1);
      const orderId = won[0]?.body.order.id;
      for (const r of rs.filter((x) => x.status !== 201)) {
        if (r.body.code === 'CHECKOUT_IN_PROGRESS') {
          tally.inProgress++;
          expect(r.status).toBe(409);
          expect(r.body.order_id).toBe(orderId);
          expect(r.body.retry_after_seconds).toBeGreaterThanOrEqual(1);
          expect(r.headers['retry-after']).toBe(String(r.body.retry_after_seconds));
        } else if (r.body.code === 'CART_ALREADY_CHECKED_OUT') {
          tally.checkedOut++;
          expect(r.status).toBe(409);
          expect(r.body.order_id).toBe(orderId);
        } else tally.other.push(r.body);
      }
      const orders = await ordersOfCart(cart.id);
      expect(orders.map((o) => [o.id, o.status])).toEqual([[orderId, 'confirmed']]);
      expect(await paymentsOfCart(cart.id)).toEqual(['authorized']);
    }
    tally.created = CARTS;
    console.log(`one cart, one order (${t.testDb.backend})`, { ...tally, other: tally.other.length });
    expect(tally.other).toEqual([]);
    const after = await level(t, shop.skus.tee, shop.warehouse);
    expect(after?.reserved).toBe(before + 2 * CARTS);
  }, 120_000);

  it('a dead attempt: in progress during its lease (never sold out), then a new key takes over', async () => {
    const units = (await level(t, shop.skus.hoodie, shop.warehouse))?.available as number;
    const cart = await newCart(shop.skus.hoodie, units); // every unit there is
    const dead = await deadAttempt(cart, 'dead-tab');
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.available).toBe(0);

    const early = await checkout(cart, 'new-tab-1');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'CHECKOUT_IN_PROGRESS', order_id: dead.order.id });
    expect(early.body.retry_after_seconds).toBeGreaterThanOrEqual(1);
    expect(early.body.retry_after_seconds).toBeLessThanOrEqual(2);
    expect(await keyRow(cart.id, 'new-tab-1')).toBeUndefined(); // nothing created: the key is free

    t.clock.advance(checkoutLeaseMs(t.deps.config) + 1_000);
    const late = await checkout(cart, 'new-tab-2');
    expect(late.status).toBe(201);
    expect(late.body.order.status).toBe('confirmed');
    expect(await ordersOfCart(cart.id)).toEqual([
      { id: dead.order.id, status: 'cancelled', cancel_reason: 'checkout_superseded' },
      { id: late.body.order.id, status: 'confirmed', cancel_reason: null },
    ]);
    expect(await paymentsOfCart(cart.id)).toEqual(['failed', 'authorized']);
    expect(await level(t, shop.skus.hoodie, shop.warehouse)).toMatchObject({ reserved: units, available: 0 });

    // The dead key was completed by the takeover: its replay answers that it was replaced.
    expect(await keyRow(cart.id, 'dead-tab')).toMatchObject({ status: 'completed', response_status: 409 });
    const replay = await checkout(cart, 'dead-tab');
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({
      code: 'CONFLICT',
      reason: 'checkout_superseded',
      order_id: dead.order.id,
    });
    const again = await checkout(cart, 'new-tab-3');
    expect(again.body).toMatchObject({ code: 'CART_ALREADY_CHECKED_OUT', order_id: late.body.order.id });
  });

  it('settling checks the cart: an attempt whose cart was checked out meanwhile is cancelled and voided', async () => {
    const first = await newCart(shop.skus.tee, 1);
    const winner = await checkout(first, 'winner');
    expect(winner.status).toBe(201);
    const cart = await newCart(shop.skus.tee, 1);
    const reservedBefore = (await level(t, shop.skus.tee, shop.warehouse))?.reserved as number;
    const p = await deadAttempt(cart, 'slow-tab');
    // Another path checked the cart out while this attempt's payment ran (the state a second order of
    // the cart would leave behind).
    await t.deps.db.query(`UPDATE carts SET status = 'checked_out', order_id = $2 WHERE id = $1`, [
      cart.id,
      winner.body.order.id,
    ]);
    const req = { url: checkoutPath(cart.id), id: 'test', log: t.app.log };
    const a = await answerSlowly(
      req,
      t.deps,
      p.order.id,
      p.payment,
      { status: 'authorized', reference: 'ref_test', display: null },
      null,
      { scope: checkoutScope(cart.id), key: 'slow-tab' },
    );
    expect(a.status).toBe(409);
    expect(a.body).toMatchObject({
      code: 'CART_ALREADY_CHECKED_OUT',
      order_id: winner.body.order.id,
      cancelled_order_id: p.order.id,
    });
    expect(await ordersOfCart(cart.id)).toMatchObject([
      { status: 'cancelled', cancel_reason: 'cart_already_checked_out' },
    ]);
    expect(await paymentsOfCart(cart.id)).toEqual(['voided']);
    expect((await level(t, shop.skus.tee, shop.warehouse))?.reserved).toBe(reservedBefore);
  });

  it('the sweeper forgets dead keys that created nothing and completes those whose order is settled', async () => {
    const a = await newCart(shop.skus.tee, 1);
    const b = await newCart(shop.skus.tee, 1);
    const claimOnly = await claimKey(t.deps.db, t.clock, {
      scope: checkoutScope(a.id),
      key: 'died-before-phase-one',
      hash: 'h',
      leaseMs: checkoutLeaseMs(t.deps.config),
    });
    expect(claimOnly.kind).toBe('new');
    const dead = await deadAttempt(b, 'died-after-phase-one');
    expect((await settleDeadCheckoutKeys(t.deps)).settled).toBe(0); // leases still run

    t.clock.advance(checkoutLeaseMs(t.deps.config) + 1_000);
    expect((await settleDeadCheckoutKeys(t.deps)).settled).toBe(1);
    expect(await keyRow(a.id, 'died-before-phase-one')).toBeUndefined();
    expect(await keyRow(b.id, 'died-after-phase-one')).toMatchObject({ status: 'in_progress' }); // order pending

    t.clock.advance(16 * 60_000); // past the channel's checkout hold: the abandoned checkout is cancelled
    expect(await cancelAbandonedCheckouts(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await settleDeadCheckoutKeys(t.deps)).settled).toBe(1);
    expect(await keyRow(b.id, 'died-after-phase-one')).toMatchObject({
      status: 'completed',
      response_status: 502,
      response_body: { code: 'PAYMENT_FAILED', reason: 'checkout_abandoned', order_id: dead.order.id },
    });
    const replay = await checkout(b, 'died-after-phase-one');
    expect(replay.status).toBe(502);
    expect(replay.body).toMatchObject({ code: 'PAYMENT_FAILED', order_id: dead.order.id });
    // The cart is free again: a new key checks it out.
    expect((await checkout(b, 'fresh')).status).toBe(201);
  });
});
