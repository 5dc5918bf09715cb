import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { canContact } from '../../modules/consent/index.ts';
import { ledgerMismatches } from '../../modules/loyalty/index.ts';
import { getEndpoint, upsertEndpoint } from '../../modules/messaging/index.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { MODULES } from '../../modules.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';

let t: TestApp;
let shop: Shop;
let dispatcher: OutboxDispatcher;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 100 });
  dispatcher = new OutboxDispatcher({
    ...t.deps,
    subscribers: MODULES.flatMap((m) => m.subscribers?.(t.deps) ?? []),
  });
});
afterAll(() => t.close());

const drain = async () => {
  while ((await dispatcher.runOnce()) > 0) {
    // until idle
  }
};

let n = 0;
const device = () => `merge-device-${++n}-${Math.random().toString(36).slice(2, 10)}`;

/** A registered shopper with an address, an SMS opt-in, points, an order and an open cart. */
const fullProfile = async (label: string) => {
  const email = `${label}${++n}@example.com`;
  const phone = `+1503555${String(1000 + n).slice(-4)}`;
  const dev = device();
  await t.call('POST', '/store/customers', {
    key: shop.web.key,
    headers: { 'x-plaza-anonymous-id': dev },
    body: { email, password: 'long password 1', first_name: label, phone },
  });
  const s = await t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
    key: shop.web.key,
    body: { email, password: 'long password 1' },
  });
  const token = s.body.token;
  const id = s.body.customer.id;
  const key = shop.web.key;
  await t.call('PATCH', '/store/customers/me', { key, token, body: { birthday: '1985-05-05' } });
  await t.call('POST', '/store/customers/me/addresses', {
    key,
    token,
    body: { line1: `${n} Elm St`, city: 'Portland', country: 'US' },
  });
  await t.call('PUT', '/store/customers/me/consents', {
    key,
    token,
    body: { consents: [{ purpose: 'marketing', channel: 'sms', granted: true }] },
  });
  await t.admin('POST', `/customers/${id}/loyalty/enroll`);
  await t.admin('POST', `/customers/${id}/loyalty/adjustments`, { points: 300, note: 'welcome' });
  const cart = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
    key,
    token,
    body: { items: [{ sku: shop.skus.tee, quantity: 1 }] },
  });
  await t.call('PUT', `/store/carts/${cart.body.cart.id}/fulfillment`, {
    key,
    token,
    body: {
      type: 'shipping',
      address: { name: label, line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
    },
  });
  const order = await t.call<{ order: { id: string; fulfillments: { id: string }[] } }>(
    'POST',
    `/store/carts/${cart.body.cart.id}/checkout`,
    {
      key,
      token,
      headers: { 'idempotency-key': `merge-${cart.body.cart.id}` },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
    },
  );
  expect(order.status).toBe(201);
  const open = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
    key,
    token,
    body: { items: [{ sku: shop.skus.hoodie, quantity: 1 }] },
  });
  return { id, email, phone, dev, token, order: order.body.order, openCart: open.body.cart.id };
};

/** Everything the two profiles own, row by row (the merge-then-undo round trip must restore it). */
const snapshot = async (ids: string[]) => {
  const q = async (sql: string) => (await t.deps.db.query(sql, [ids])).rows;
  return {
    customers: await q(
      `SELECT id, email, phone, first_name, last_name, birthday, language, preferred_location_id, status, merged_into
       FROM customers WHERE id = ANY($1) ORDER BY id`,
    ),
    identities: await q(
      'SELECT id, customer_id, kind, value, is_primary, unlinked_at FROM customer_identities WHERE customer_id = ANY($1) ORDER BY id',
    ),
    orders: await q('SELECT id, customer_id FROM orders WHERE customer_id = ANY($1) ORDER BY id'),
    carts: await q(
      'SELECT id, customer_id, status, merged_into FROM carts WHERE customer_id = ANY($1) ORDER BY id',
    ),
    points: await q(
      'SELECT id, customer_id, points FROM loyalty_ledger WHERE customer_id = ANY($1) ORDER BY id',
    ),
    balances: await q(
      'SELECT customer_id, balance, card_number FROM loyalty_accounts WHERE customer_id = ANY($1) ORDER BY customer_id',
    ),
    consents: await q(
      'SELECT id, customer_id, status FROM consent_records WHERE customer_id = ANY($1) ORDER BY id',
    ),
    addresses: await q(
      'SELECT id, customer_id, is_default_shipping FROM customer_addresses WHERE customer_id = ANY($1) ORDER BY id',
    ),
  };
};
const lookup = async (identity: string) =>
  (await t.admin<{ data: { id: string }[] }>('GET', `/customers?identity=${encodeURIComponent(identity)}`))
    .body.data[0]?.id;
const balance = async (id: string) =>
  (await t.admin<{ balance: number }>('GET', `/customers/${id}/loyalty`)).body.balance;
const merge = (survivor: string, merged: string) =>
  t.admin<{ id: string; moved: Record<string, string[]>; undo_report: Record<string, unknown> | null }>(
    'POST',
    '/customers/merge',
    {
      survivor_id: survivor,
      merged_id: merged,
      reason: 'same person, two accounts',
    },
  );
const undo = (id: string) =>
  t.admin<{ status: string; undo_report: Record<string, unknown> }>('POST', `/customers/merges/${id}/undo`);

describe('merging duplicate profiles', () => {
  it('previews, merges with an audit of every row moved, and undoes back to exactly what was', async () => {
    const a = await fullProfile('alice');
    const b = await fullProfile('alicia');
    // alice's phone app registered for push: her device follows her into the survivor, and back
    const phone = await upsertEndpoint(t.deps.db, {
      kind: 'fcm',
      address: `fcm-token-${a.id}`,
      customerId: a.id,
      anonymousId: null,
      at: t.clock.now(),
    });
    const deviceOwner = async () => (await getEndpoint(t.deps.db, phone.id))?.customer_id;
    const before = await snapshot([a.id, b.id]);

    const preview = await t.admin<{
      devices: string[];
      orders: string[];
      identities: { kind: string; primary_after: boolean }[];
      carts: { id: string; parked_into: string | null }[];
      points: { balance: number };
    }>('POST', '/customers/merge/preview', { survivor_id: b.id, merged_id: a.id });
    expect(preview.status).toBe(200);
    expect(preview.body.orders).toEqual([a.order.id]);
    expect(preview.body.devices).toEqual([phone.id]);
    expect(preview.body.points.balance).toBe(300);
    expect(preview.body.carts.find((c) => c.id === a.openCart)?.parked_into).toBe(b.openCart);
    expect(preview.body.identities.filter((i) => i.primary_after)).toEqual([]); // the survivor keeps its primaries
    expect(await snapshot([a.id, b.id])).toEqual(before); // a preview changes nothing

    const m = await merge(b.id, a.id);
    expect(m.status).toBe(201);
    expect(m.body.moved.order).toEqual([a.order.id]);
    expect(m.body.moved.identity).toHaveLength(4); // email, phone, device, loyalty card
    expect(Object.keys(m.body.moved).sort()).toEqual([
      'address',
      'cart',
      'consent',
      'device',
      'identity',
      'order',
      'points',
      'session',
    ]);
    const aCard = before.balances.find((x) => x.customer_id === a.id)?.card_number as string;
    for (const q of [a.email, a.phone, a.dev, aCard]) expect(await lookup(q)).toBe(b.id);
    expect(await balance(b.id)).toBe(600);
    expect(await deviceOwner()).toBe(b.id);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
    const aToken = await t.call('GET', '/store/customers/me', { key: shop.web.key, token: a.token });
    expect(aToken.status).toBe(401); // the merged profile's sessions ended
    const aLogin = await t.call<{ customer: { id: string } }>('POST', '/store/auth/token', {
      key: shop.web.key,
      body: { email: a.email, password: 'long password 1' },
    });
    expect(aLogin.body.customer.id).toBe(b.id); // same person: one profile
    const orders = await t.call<{ data: { id: string }[] }>('GET', '/store/orders', {
      key: shop.web.key,
      token: b.token,
    });
    expect(orders.body.data.map((o) => o.id)).toContain(a.order.id);
    expect(
      (await t.admin<{ status: string; merged_into: string }>('GET', `/customers/${a.id}`)).body,
    ).toMatchObject({
      status: 'merged',
      merged_into: b.id,
    });

    const u = await undo(m.body.id);
    expect(u.status).toBe(200);
    expect(u.body.status).toBe('undone');
    expect(u.body.undo_report).toMatchObject({ points_charged: 0, consents_copied: 0, profile_kept: [] });
    expect(await snapshot([a.id, b.id])).toEqual(before);
    for (const q of [a.email, a.phone, a.dev, aCard]) expect(await lookup(q)).toBe(a.id);
    expect(await deviceOwner()).toBe(a.id);
    expect(u.body.undo_report).toMatchObject({ restored: { device: 1 } });
    expect(await balance(a.id)).toBe(300);
    expect(await balance(b.id)).toBe(300);
    const again = await undo(m.body.id);
    expect(again.status).toBe(409);
  });

  it('handles what changed while merged: spent points, withdrawn consent, edited profile, new earnings', async () => {
    const a = await fullProfile('carol');
    const b = await t.admin<{ id: string }>('POST', '/customers', {
      email: `caroline${++n}@example.com`,
      source: 'pos',
    });
    const m = await merge(b.body.id, a.id);
    expect(m.status).toBe(201);
    const bid = b.body.id;
    expect((await t.admin<{ birthday: string }>('GET', `/customers/${bid}`)).body.birthday).toBe(
      '1985-05-05',
    );
    // While merged: B spends 250 of A's 300 points, says stop to SMS, fixes the birthday,
    // staff unlink A's phone, and A's old order is delivered (it earns on B).
    const r = await t.admin('POST', '/loyalty/redemptions', {
      customer_id: bid,
      points: 250,
      reference: `spend-${bid}`,
    });
    expect(r.status).toBe(201);
    await t.admin('POST', `/customers/${bid}/consents`, {
      purpose: 'marketing',
      channel: 'sms',
      status: 'withdrawn',
      source: 'admin',
    });
    await t.admin('PATCH', `/customers/${bid}`, { birthday: '1985-06-06' });
    const phone = (
      await t.admin<{ identities: { id: string; kind: string; value: string }[] }>('GET', `/customers/${bid}`)
    ).body.identities.find((i) => i.kind === 'phone' && i.value === a.phone);
    await t.admin('DELETE', `/customers/${bid}/identities/${phone?.id}`);
    const f = a.order.fulfillments[0]?.id;
    await t.admin('POST', `/orders/${a.order.id}/fulfillments/${f}/ship`);
    await t.admin('POST', `/orders/${a.order.id}/fulfillments/${f}/deliver`);
    await drain();
    expect(await balance(bid)).toBe(300 - 250 + 25);

    const u = await undo(m.body.id);
    expect(u.status).toBe(200);
    const report = u.body.undo_report as {
      points_charged: number;
      consents_copied: number;
      profile_kept: string[];
      kept: { kind: string; reason: string }[];
      followed_order: string[];
    };
    expect(report.consents_copied).toBe(1);
    expect(report.profile_kept).toEqual(['birthday']);
    expect(report.kept).toContainEqual(
      expect.objectContaining({ kind: 'identity', reason: 'unlinked_since_merge' }),
    );
    expect(report.followed_order).toHaveLength(1); // the earn of A's order went back with it
    // A gets its 300 + the 25 its order earned; B spent 250 of them, charged back to A.
    expect(report.points_charged).toBe(250);
    expect(await balance(a.id)).toBe(300 + 25 - 250);
    expect(await balance(bid)).toBe(0);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
    expect(
      await canContact(t.deps.db, a.id, { purpose: 'marketing', channel: 'sms', kind: 'marketing' }),
    ).toEqual({
      allowed: false,
      reason: 'withdrawn',
    });
    expect((await t.admin<{ birthday: string }>('GET', `/customers/${bid}`)).body.birthday).toBe(
      '1985-06-06',
    );
    expect(await lookup(a.email)).toBe(a.id);
  });

  it('refuses what cannot be merged or undone, and never lets staff merge', async () => {
    const a = await t.admin<{ id: string }>('POST', '/customers', { email: `x${++n}@example.com` });
    const b = await t.admin<{ id: string }>('POST', '/customers', { email: `y${++n}@example.com` });
    const c = await t.admin<{ id: string }>('POST', '/customers', { email: `z${++n}@example.com` });
    expect((await merge(a.body.id, a.body.id)).status).toBe(422);
    const staff = await t.staff([shop.storeA]);
    const s = await t.admin(
      'POST',
      '/customers/merge',
      { survivor_id: b.body.id, merged_id: a.body.id },
      staff,
    );
    expect(s.status).toBe(403);
    const ab = await merge(b.body.id, a.body.id);
    expect((await merge(c.body.id, a.body.id)).status).toBe(409); // already merged
    const bc = await merge(c.body.id, b.body.id);
    expect(bc.status).toBe(201);
    expect(await lookup(`x${n - 2}@example.com`)).toBe(c.body.id); // follows the chain
    expect((await undo(ab.body.id)).status).toBe(409); // undo the later merge first
    expect((await undo(bc.body.id)).status).toBe(200);
    expect((await undo(ab.body.id)).status).toBe(200);
    const list = await t.admin<{ data: { status: string }[] }>('GET', `/customers/${b.body.id}/merges`);
    expect(list.body.data.map((x) => x.status)).toEqual(['undone', 'undone']);
  });
});
