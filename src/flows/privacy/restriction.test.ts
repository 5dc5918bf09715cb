/**
 * Restriction of processing is enforced: each row of the matrix (docs/privacy.md) is checked
 * through the API or the one function every flow calls.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { canContact } from '../../modules/consent/index.ts';
import { checkProcessing, RESTRICTION_MATRIX } from '../../modules/customers/index.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { MODULES } from '../../modules.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';

let t: TestApp;
let shop: Shop;
let s: { id: string; token: string; orderId: string; fulfillmentId: string };

const store = (method: string, url: string, body?: unknown) =>
  t.call(method, url, { key: shop.web.key, token: s.token, body });

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 50 });
  const email = 'restricted@example.com';
  await t.call('POST', '/store/customers', {
    key: shop.web.key,
    body: { email, password: 'long password 1', first_name: 'Rita' },
  });
  const login = await t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
    key: shop.web.key,
    body: { email, password: 'long password 1' },
  });
  await t.admin('POST', `/customers/${login.body.customer.id}/loyalty/enroll`);
  await t.admin('POST', `/customers/${login.body.customer.id}/loyalty/adjustments`, {
    points: 500,
    note: 'x',
  });
  s = { id: login.body.customer.id, token: login.body.token, orderId: '', fulfillmentId: '' };
  // An order placed before the restriction: it must still be fulfilled.
  const cart = await store('POST', '/store/carts', { items: [{ sku: shop.skus.tee, quantity: 1 }] });
  const cartId = (cart.body as { cart: { id: string } }).cart.id;
  await store('PUT', `/store/carts/${cartId}/fulfillment`, {
    type: 'shipping',
    address: { name: 'Rita', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
  });
  const o = await t.call<{ order: { id: string; fulfillments: { id: string }[] } }>(
    'POST',
    `/store/carts/${cartId}/checkout`,
    {
      key: shop.web.key,
      token: s.token,
      headers: { 'idempotency-key': 'restricted-1' },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
    },
  );
  expect(o.status).toBe(201);
  s.orderId = o.body.order.id;
  s.fulfillmentId = o.body.order.fulfillments[0]?.id ?? '';
  const r = await store('POST', '/store/customers/me/requests', { kind: 'restrict' });
  expect(r.status).toBe(201);
  expect((await t.admin('POST', `/privacy/requests/${(r.body as { id: string }).id}/process`)).status).toBe(
    200,
  );
});
afterAll(() => t.close());

describe('restriction of processing', () => {
  it('refuses granting consent, and still lets the customer withdraw', async () => {
    const grant = await store('PUT', '/store/customers/me/consents', {
      consents: [{ purpose: 'marketing', channel: 'email', granted: true }],
    });
    expect(grant.status).toBe(409);
    expect(grant.body.code).toBe('PROCESSING_RESTRICTED');
    const withdraw = await store('PUT', '/store/customers/me/consents', {
      consents: [{ purpose: 'marketing', channel: 'sms', granted: false }],
    });
    expect(withdraw.status).toBe(200);
  });

  it('refuses marketing messages and allows transactional ones', async () => {
    const q = { purpose: 'marketing' as const, channel: 'email' as const };
    expect(await canContact(t.deps.db, s.id, { ...q, kind: 'marketing' })).toEqual({
      allowed: false,
      reason: 'processing_restricted',
    });
    expect((await canContact(t.deps.db, s.id, { ...q, kind: 'transactional' })).allowed).toBe(true);
  });

  it('refuses loyalty: redeeming at checkout and enrolling', async () => {
    const cart = await store('POST', '/store/carts', { items: [{ sku: shop.skus.tee, quantity: 1 }] });
    const cartId = (cart.body as { cart: { id: string } }).cart.id;
    await store('PUT', `/store/carts/${cartId}/fulfillment`, {
      type: 'shipping',
      address: { name: 'Rita', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
    });
    const paid = await t.call('POST', `/store/carts/${cartId}/checkout`, {
      key: shop.web.key,
      token: s.token,
      headers: { 'idempotency-key': 'restricted-points' },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve }, loyalty_points: 100 },
    });
    expect(paid.status).toBe(409);
    expect(paid.body.code).toBe('PROCESSING_RESTRICTED');
    const again = await t.admin('POST', `/customers/${s.id}/loyalty/enroll`);
    expect([200, 201]).toContain(again.status); // already enrolled: nothing new is processed
  });

  it('still fulfils the order placed before, without earning points, and hides profiling', async () => {
    const before = (await t.admin<{ balance: number }>('GET', `/customers/${s.id}/loyalty`)).body.balance;
    expect((await t.admin('POST', `/orders/${s.orderId}/fulfillments/${s.fulfillmentId}/ship`)).status).toBe(
      200,
    );
    expect(
      (await t.admin('POST', `/orders/${s.orderId}/fulfillments/${s.fulfillmentId}/deliver`)).status,
    ).toBe(200);
    const dispatcher = new OutboxDispatcher({
      ...t.deps,
      subscribers: MODULES.flatMap((m) => m.subscribers?.(t.deps) ?? []),
    });
    while ((await dispatcher.runOnce()) > 0) {
      // deliver every event to the in-process subscribers (loyalty earning among them)
    }
    const after = (await t.admin<{ balance: number }>('GET', `/customers/${s.id}/loyalty`)).body.balance;
    expect(after).toBe(before);
    const summary = await t.admin<{
      money: { lifetime_value: number | null; revenue: number }[];
      preferred_store: unknown;
      processing_restricted: boolean;
    }>('GET', `/customers/${s.id}/summary`);
    expect(summary.body.processing_restricted).toBe(true);
    expect(summary.body.money[0]?.lifetime_value).toBeNull();
    expect(summary.body.money[0]?.revenue).toBeGreaterThan(0);
    expect(summary.body.preferred_store).toBeNull();
  });

  it('answers every row of the matrix, and docs/privacy.md shows the same matrix', async () => {
    for (const [use, rule] of Object.entries(RESTRICTION_MATRIX)) {
      const d = await checkProcessing(t.deps.db, s.id, use as keyof typeof RESTRICTION_MATRIX);
      expect(d.allowed, use).toBe(rule === 'allowed');
    }
    const doc = readFileSync(new URL('../../../docs/privacy.md', import.meta.url), 'utf8');
    for (const [use, rule] of Object.entries(RESTRICTION_MATRIX)) {
      expect(doc, use).toMatch(new RegExp(`\\|\\s*\`${use}\`\\s*\\|\\s*${rule}\\s*\\|`));
    }
  });
});
