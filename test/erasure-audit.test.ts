/**
 * Erasure leaves nothing: a customer is built through every route that stores personal data (a guest
 * order first, registration on a device, a merged duplicate, a shipped order with a tracking number,
 * click & collect handed over at the counter, a POS sale found by phone, a return with a reason
 * refunded as store credit, a loyalty note, consents with their proofs, webhooks flowing), erased,
 * and then the whole database is dumped (pg_dump on PostgreSQL, every row of every table as text on
 * PGlite) and searched for every one of their values. Another customer is unchanged, and the
 * ledgers and totals still add up.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerMismatches as stockMismatches } from '../src/modules/inventory/index.ts';
import { ledgerMismatches as pointsMismatches } from '../src/modules/loyalty/index.ts';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { WebhookSender } from '../src/platform/outbox/webhooks.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { startReceiver } from './support/receiver.ts';
import { createShop, type Shop } from './support/shop.ts';
import { stock } from './support/stock.ts';
import { addPosChannel, drainOutbox, eventsOf, placeOrder } from './support/stores.ts';

let t: TestApp;
let shop: Shop;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

const tag = Math.random().toString(36).slice(2, 8);
const E = {
  email: `erin.${tag}@example.com`,
  altEmail: `erin.alt.${tag}@example.net`,
  phone: '+15035550177',
  first: `Erinyes${tag}`,
  last: `Quixotica${tag}`,
  street: `77 Vanishing Lane ${tag}`,
  tracking: `TRK-ERIN-${tag}`,
  reason: `sleeve torn by Erinyes ${tag}`,
  note: `goodwill for Erinyes ${tag}`,
  ua: `ErinBrowser/${tag}`,
  ip: '203.0.113.77',
  device: `erin-device-${tag}-a8f3c1`,
};

const dumpDatabase = async (): Promise<string> => {
  if (t.testDb.url) {
    return execFileSync('pg_dump', ['--data-only', '--no-owner', '--dbname', t.testDb.url], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
  }
  const tables = await t.deps.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const out: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await t.deps.db.query<{ r: string }>(`SELECT x::text AS r FROM "${table_name}" x`);
    out.push(`-- ${table_name}`, ...rows.rows.map((r) => r.r));
  }
  return out.join('\n');
};

const aggregates = async () =>
  (
    await t.deps.db.query(
      `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT sum(total) FROM orders) AS totals,
         (SELECT count(*) FROM order_lines) AS lines, (SELECT sum(amount) FROM payments) AS payments,
         (SELECT count(*) FROM inventory_movements) AS moved`,
    )
  ).rows[0];

const snapshot = async (customerId: string) =>
  (
    await t.deps.db.query<{ s: string }>(
      `SELECT json_build_array(
         (SELECT row_to_json(c) FROM customers c WHERE id = $1),
         (SELECT json_agg(i ORDER BY id) FROM customer_identities i WHERE customer_id = $1),
         (SELECT json_agg(a ORDER BY id) FROM customer_addresses a WHERE customer_id = $1),
         (SELECT json_agg(o ORDER BY id) FROM orders o WHERE customer_id = $1),
         (SELECT json_agg(k ORDER BY id) FROM consent_records k WHERE customer_id = $1))::text AS s`,
      [customerId],
    )
  ).rows[0]?.s;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 100 });
  await stock(t, shop.skus.tee, shop.storeA, 10);
  await stock(t, shop.skus.tee, shop.storeB, 10);
  receiver = await startReceiver();
  const hook = await t.admin('POST', '/webhooks', { url: receiver.url });
  expect(hook.status).toBe(201);
});
afterAll(async () => {
  await receiver?.close();
  await t.close();
});

describe('erasure leaves nothing behind', () => {
  it('erases every value of a customer built through every route, and nothing else', async () => {
    const key = shop.web.key;
    // Another customer, who must not change.
    const other = await t.call<{ id: string }>('POST', '/store/customers', {
      key,
      body: { email: `other.${tag}@example.com`, password: 'long password 1', first_name: 'Olga' },
    });
    // 1. A guest order with the e-mail, phone and street, before registering.
    const guestCart = await t.call<{ cart: { id: string }; cart_token: string }>('POST', '/store/carts', {
      key,
      body: { items: [{ sku: shop.skus.tee, quantity: 1 }] },
    });
    const ct = { 'x-plaza-cart-token': guestCart.body.cart_token };
    const address = { name: `${E.first} ${E.last}`, line1: E.street, city: 'Portland', postal_code: '97205' };
    await t.call('PUT', `/store/carts/${guestCart.body.cart.id}/fulfillment`, {
      key,
      headers: ct,
      body: { type: 'shipping', address: { ...address, country: 'US', phone: E.phone } },
    });
    const guest = await t.call<{ order: { id: string }; order_token: string }>(
      'POST',
      `/store/carts/${guestCart.body.cart.id}/checkout`,
      {
        key,
        headers: { ...ct, 'idempotency-key': `guest-${tag}` },
        body: { email: E.email, payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
      },
    );
    expect(guest.status).toBe(201);

    // 2. Registration on a device, an address, consents with their proofs.
    const reg = await t.call<{ id: string }>('POST', '/store/customers', {
      key,
      headers: { 'x-plaza-anonymous-id': E.device },
      body: {
        email: E.email,
        password: 'long password 1',
        first_name: E.first,
        last_name: E.last,
        phone: E.phone,
      },
    });
    expect(reg.status).toBe(201);
    const id = reg.body.id;
    const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key,
      body: { email: E.email, password: 'long password 1' },
    });
    const token = login.body.token;
    await t.call('POST', '/store/customers/me/addresses', {
      key,
      token,
      body: { ...address, country: 'US' },
    });
    const consent = await t.call('PUT', '/store/customers/me/consents', {
      key,
      token,
      ip: E.ip,
      headers: { 'user-agent': E.ua },
      body: {
        consents: [
          { purpose: 'marketing', channel: 'sms', granted: true },
          { purpose: 'marketing', channel: 'email', granted: true },
        ],
      },
    });
    expect(consent.status).toBe(200);
    const [confirmation] = (
      await t.deps.db.query<{ data: { token: string } }>(
        `SELECT data FROM outbox_events WHERE type = 'consent.confirmation_requested' AND data ->> 'customer_id' = $1`,
        [id],
      )
    ).rows;
    expect(
      (
        await t.call('POST', `/store/consents/confirm/${confirmation?.data.token}`, {
          key,
          headers: { 'user-agent': E.ua },
        })
      ).status,
    ).toBe(200);

    // 3. A duplicate profile merged in; the e-mail verified so that the guest order is theirs.
    const dup = await t.admin<{ id: string }>('POST', '/customers', {
      email: E.altEmail,
      first_name: E.first,
      last_name: E.last,
    });
    expect(dup.status).toBe(201);
    const merged = await t.admin('POST', '/customers/merge', {
      survivor_id: id,
      merged_id: dup.body.id,
      reason: `duplicate of ${E.first}`,
    });
    expect(merged.status).toBe(201);
    const me = await t.admin<{ identities: { id: string; kind: string; value: string }[] }>(
      'GET',
      `/customers/${id}`,
    );
    const emailIdentity = me.body.identities.find((i) => i.kind === 'email' && i.value === E.email);
    expect(
      (await t.admin('PATCH', `/customers/${id}/identities/${emailIdentity?.id}`, { verified: true })).status,
    ).toBe(200);
    const history = await t.admin<{ orders: { id: string }[] }>('GET', `/customers/${id}/guest-history`);
    expect(history.body.orders.map((o) => o.id)).toEqual([guest.body.order.id]);

    // 4. Loyalty with a note; a shipped order with a tracking number; a pickup handed over.
    const card = await t.admin<{ card_number: string }>('POST', `/customers/${id}/loyalty/enroll`);
    await t.admin('POST', `/customers/${id}/loyalty/adjustments`, { points: 50, note: E.note });
    const shipped = await placeOrder(t, key, [{ sku: shop.skus.tee, quantity: 2 }], {
      customerToken: token,
      pay: 'test-card',
    });
    const f = shipped.order.fulfillments[0]?.id;
    expect(
      (
        await t.admin('POST', `/orders/${shipped.order.id}/fulfillments/${f}/ship`, {
          tracking_number: E.tracking,
        })
      ).status,
    ).toBe(200);
    await t.admin('POST', `/orders/${shipped.order.id}/fulfillments/${f}/deliver`);
    const pickup = await placeOrder(t, key, [{ sku: shop.skus.tee, quantity: 1 }], {
      customerToken: token,
      pickupAt: shop.storeA,
      pay: 'test-card',
    });
    await drainOutbox(t);
    const staffA = await t.staff([shop.storeA]);
    await t.call('POST', `/admin/orders/${pickup.order.id}/pickup/ready`, { token: staffA });
    const [ready] = await eventsOf(t, 'pickup.ready', pickup.order.id);
    const handover = await t.call('POST', `/admin/orders/${pickup.order.id}/pickup/handover`, {
      token: staffA,
      body: { code: ready?.data.code },
    });
    expect(handover.status).toBe(200);

    // 5. A sale at the store B counter, the customer found by phone.
    const pos = await addPosChannel(t, shop.storeB, { [shop.skus.tee]: 2400 });
    const staffB = await t.staff([shop.storeB]);
    const found = await t.call<{ data: { id: string }[] }>('GET', '/admin/pos/customers?phone=503-555-0177', {
      token: staffB,
    });
    expect(found.body.data.map((c) => c.id)).toEqual([id]);
    const sale = await t.call<{ id: string }>('POST', '/admin/pos/sales', {
      token: staffB,
      body: { channel_id: pos.id, customer_id: id, items: [{ code: pos.barcode }] },
    });
    const paid = await t.call('POST', `/admin/pos/sales/${sale.body.id}/pay`, {
      token: staffB,
      headers: { 'idempotency-key': `pos-${tag}` },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
    });
    expect(paid.status).toBe(200);

    // 6. A return of the shipped order at store B, with a reason, refunded as store credit.
    const line = shipped.order.lines[0];
    const ret = await t.call('POST', '/admin/returns', {
      token: staffB,
      headers: { 'idempotency-key': `return-${tag}` },
      body: {
        order_id: shipped.order.id,
        location_id: shop.storeB,
        reason: E.reason,
        refund_method: 'store_credit',
        lines: [{ order_line_id: line?.id, quantity: 1, condition: 'resellable' }],
      },
    });
    expect(ret.status).toBe(201);

    // Webhooks flow to a receiver (they carry personal data: that is why receivers act on customer.erased).
    await drainOutbox(t);
    const sender = new WebhookSender({ ...t.deps, timeoutMs: 2000 });
    for (let i = 0; i < 20 && (await sender.runOnce()) > 0; i++);
    expect(receiver.received.length).toBeGreaterThan(5);

    // Erase: a balance decision is needed (store credit and points), then nothing is left.
    const otherBefore = await snapshot(other.body.id);
    const request = await t.call<{ id: string }>('POST', '/store/customers/me/requests', {
      key,
      token,
      body: { kind: 'erase' },
    });
    // The guest order is the person's too: while it is open, erasure waits.
    const open = await t.admin('POST', `/privacy/requests/${request.body.id}/process`);
    expect(open.body).toMatchObject({ code: 'CONFLICT', open_orders: [guest.body.order.id] });
    const gf = (await t.admin<{ fulfillments: { id: string }[] }>('GET', `/orders/${guest.body.order.id}`))
      .body.fulfillments[0]?.id;
    await t.admin('POST', `/orders/${guest.body.order.id}/fulfillments/${gf}/ship`);
    await t.admin('POST', `/orders/${guest.body.order.id}/fulfillments/${gf}/deliver`);
    const undecided = await t.admin('POST', `/privacy/requests/${request.body.id}/process`);
    expect(undecided.body.code).toBe('BALANCE_DECISION_REQUIRED');
    const before = await aggregates();
    const done = await t.admin<{ status: string }>('POST', `/privacy/requests/${request.body.id}/process`, {
      balances: 'refund',
    });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');

    const dump = (await dumpDatabase()).toLowerCase();
    const values = {
      ...E,
      card: card.body.card_number,
      phoneNational: '5035550177',
      emailLocal: `erin.${tag}`,
    };
    const left = Object.entries(values).filter(([, v]) => dump.includes(v.toLowerCase()));
    expect(left.map(([k]) => k)).toEqual([]);
    // The guest order token no longer opens the guest order.
    const peek = await t.call('GET', `/store/orders/${guest.body.order.id}`, {
      key,
      headers: { 'x-plaza-order-token': guest.body.order_token },
    });
    expect(peek.status).toBeGreaterThanOrEqual(400);

    // The other customer is untouched, and everything still adds up.
    expect(await snapshot(other.body.id)).toBe(otherBefore);
    const after = await aggregates();
    expect(after).toEqual(before);
    expect(await stockMismatches(t.deps.db)).toEqual([]);
    expect(await pointsMismatches(t.deps.db)).toEqual([]);

    // Suppressed: a guest checkout with the erased e-mail goes through (a contract), and creates nobody.
    const again = await placeOrder(t, key, [{ sku: shop.skus.tee, quantity: 1 }], {
      email: E.email,
      pay: 'test-card',
    });
    expect(again.order.status).toBe('confirmed');
    const nobody = await t.admin<{ data: unknown[] }>(
      'GET',
      `/customers?identity=${encodeURIComponent(E.email)}`,
    );
    expect(nobody.body.data).toEqual([]);
    const reRegister = await t.call('POST', '/store/customers', {
      key,
      body: { email: E.email, password: 'long password 2' },
    });
    expect(reRegister.body.code).toBe('IDENTITY_SUPPRESSED');
  }, 120_000);
});
