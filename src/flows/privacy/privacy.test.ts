import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { canContact, processingAllowed } from '../../modules/consent/index.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { MODULES } from '../../modules.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 100 });
});
afterAll(() => t.close());

interface Request {
  id: string;
  kind: string;
  status: string;
  received_at: string;
  due_at: string;
  overdue: boolean;
}

let n = 0;
/** A shopper with a device, a phone, an address, an SMS opt-in, points and a shipped order. */
const shopper = async () => {
  const email = `subject${++n}@example.com`;
  const phone = `+1971555${String(2000 + n).slice(-4)}`;
  const dev = `privacy-device-${n}-a8f3c1`;
  const key = shop.web.key;
  await t.call('POST', '/store/customers', {
    key,
    headers: { 'x-plaza-anonymous-id': dev },
    body: { email, password: 'long password 1', first_name: 'Dora', last_name: 'Subject', phone },
  });
  const s = await t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
    key,
    body: { email, password: 'long password 1' },
  });
  const token = s.body.token;
  const id = s.body.customer.id;
  await t.call('POST', '/store/customers/me/addresses', {
    key,
    token,
    body: { line1: `${n} Secret Lane`, city: 'Portland', country: 'US' },
  });
  await t.call('PUT', '/store/customers/me/consents', {
    key,
    token,
    headers: { 'user-agent': `SubjectBrowser/${n}` },
    body: { consents: [{ purpose: 'marketing', channel: 'sms', granted: true }] },
  });
  await t.admin('POST', `/customers/${id}/loyalty/enroll`);
  await t.admin('POST', `/customers/${id}/loyalty/adjustments`, { points: 120, note: 'welcome' });
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
      address: {
        name: 'Dora Subject',
        line1: '9 Secret Lane',
        city: 'Portland',
        postal_code: '97205',
        country: 'US',
      },
    },
  });
  const o = await t.call<{ order: { id: string; total: number; fulfillments: { id: string }[] } }>(
    'POST',
    `/store/carts/${cart.body.cart.id}/checkout`,
    {
      key,
      token,
      headers: { 'idempotency-key': `dsr-${n}` },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
    },
  );
  expect(o.status).toBe(201);
  return {
    id,
    email,
    phone,
    dev,
    token,
    order: o.body.order,
    line1: `${n} Secret Lane`,
    ua: `SubjectBrowser/${n}`,
  };
};
const file = (token: string, kind: string) =>
  t.call<Request>('POST', '/store/customers/me/requests', { key: shop.web.key, token, body: { kind } });
const processIt = (id: string, body?: Record<string, unknown>) =>
  t.admin<Request & { balance_decision: string | null }>('POST', `/privacy/requests/${id}/process`, body);
const deliver = async (order: { id: string; fulfillments: { id: string }[] }) => {
  const f = order.fulfillments[0]?.id;
  await t.admin('POST', `/orders/${order.id}/fulfillments/${f}/ship`);
  await t.admin('POST', `/orders/${order.id}/fulfillments/${f}/deliver`);
};

describe('data-subject requests', () => {
  it('records requests with a 30-day deadline, lists the overdue ones, and exports everything held', async () => {
    const s = await shopper();
    const r = await file(s.token, 'export');
    expect(r.status).toBe(201);
    expect(new Date(r.body.due_at).getTime() - new Date(r.body.received_at).getTime()).toBe(30 * 86_400_000);
    const dup = await file(s.token, 'export');
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'ALREADY_EXISTS', open_request_id: r.body.id });
    const early = await t.call('GET', `/store/customers/me/requests/${r.body.id}/export`, {
      key: shop.web.key,
      token: s.token,
    });
    expect(early.status).toBe(409);

    t.clock.advance(31 * 86_400_000);
    const overdue = await t.admin<{ data: Request[] }>('GET', '/privacy/requests?overdue=true');
    expect(overdue.body.data.map((x) => x.id)).toContain(r.body.id);
    const staff = await t.staff([shop.storeA]);
    expect((await t.admin('GET', '/privacy/requests', undefined, staff)).status).toBe(403);

    const done = await processIt(r.body.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', overdue: false });
    // 31 days on, the old session has expired: log in again.
    const relog = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: shop.web.key,
      body: { email: s.email, password: 'long password 1' },
    });
    const doc = await t.call<Record<string, unknown>>(
      'GET',
      `/store/customers/me/requests/${r.body.id}/export`,
      {
        key: shop.web.key,
        token: relog.body.token,
      },
    );
    expect(doc.status).toBe(200);
    const e = doc.body as {
      format: string;
      profiles: { email: string; identities: { kind: string }[]; addresses: { line1: string }[] }[];
      orders: { id: string }[];
      carts: { lines: unknown[] }[];
      consents: { status: string; user_agent: string }[];
      loyalty: { account: { balance: number }; ledger: { points: number }[] };
      sessions: unknown[];
      requests: { id: string }[];
      timeline: { type: string }[];
    };
    expect(e.format).toBe('plaza.customer-export');
    expect(e.profiles[0]?.email).toBe(s.email);
    expect(e.profiles[0]?.identities.map((i) => i.kind).sort()).toEqual([
      'anonymous',
      'email',
      'loyalty_card',
      'phone',
    ]);
    expect(e.profiles[0]?.addresses[0]?.line1).toBe(s.line1);
    expect(e.orders.map((o) => o.id)).toEqual([s.order.id]);
    expect(e.carts.length).toBeGreaterThanOrEqual(1);
    expect(e.consents[0]).toMatchObject({ status: 'granted', user_agent: s.ua });
    expect(e.loyalty.account.balance).toBe(120);
    expect(e.loyalty.ledger.map((x) => x.points)).toEqual([120]);
    expect(e.sessions.length).toBeGreaterThanOrEqual(1);
    expect(e.requests.map((x) => x.id)).toContain(r.body.id);
    expect(e.timeline.map((x) => x.type)).toEqual(
      expect.arrayContaining(['customer.registered', 'order.created', 'consent.changed']),
    );
    expect(doc.text).not.toMatch(/password|token_hash|scrypt/);
    const other = await shopper();
    const peek = await t.call('GET', `/store/customers/me/requests/${r.body.id}/export`, {
      key: shop.web.key,
      token: other.token,
    });
    expect(peek.status).toBe(404);

    // Machine-readable sections from the registry, the download recorded, and the document expiring.
    const records = (doc.body as { records: Record<string, unknown[]> }).records;
    for (const section of [
      'profiles',
      'identities',
      'addresses',
      'orders',
      'order_lines',
      'payments',
      'consents',
    ])
      expect(records[section]?.length, section).toBeGreaterThan(0);
    expect(records.loyalty_ledger?.length).toBe(1);
    expect(JSON.stringify(records)).not.toMatch(/password_hash|token_hash|access_token_hash/);
    expect(done.body).toMatchObject({ export_expires_at: expect.any(String) });
    const downloads = await t.deps.db.query(
      `SELECT data FROM outbox_events WHERE type = 'privacy.export_downloaded' AND data ->> 'request_id' = $1`,
      [r.body.id],
    );
    expect(downloads.rows).toEqual([{ data: { customer_id: s.id, request_id: r.body.id, by: 'customer' } }]);
    t.clock.advance(8 * 86_400_000);
    const gone = await t.admin('GET', `/privacy/requests/${r.body.id}/export`);
    expect(gone.status).toBe(410);
    expect(gone.body.code).toBe('EXPORT_EXPIRED');
    const sweeper = MODULES.flatMap((m) => m.jobs?.(t.deps) ?? []).find(
      (j) => j.name === 'privacy-export-expiry',
    );
    expect(await sweeper?.runOnce()).toBe(1);
    const stored = await t.deps.db.query('SELECT result FROM privacy_requests WHERE id = $1', [r.body.id]);
    expect(stored.rows[0]).toEqual({ result: null });
  });

  it('restricts processing (no marketing, orders still fulfilled) and lifts the restriction', async () => {
    const s = await shopper();
    const sms = { purpose: 'marketing' as const, channel: 'sms' as const, kind: 'marketing' as const };
    expect((await canContact(t.deps.db, s.id, sms)).allowed).toBe(true);
    const r = await file(s.token, 'restrict');
    await processIt(r.body.id);
    expect(await canContact(t.deps.db, s.id, sms)).toEqual({
      allowed: false,
      reason: 'processing_restricted',
    });
    expect(await processingAllowed(t.deps.db, s.id, 'marketing')).toBe(false);
    expect((await canContact(t.deps.db, s.id, { ...sms, kind: 'transactional' })).allowed).toBe(true);
    await deliver(s.order);
    const order = await t.admin<{ status: string }>('GET', `/orders/${s.order.id}`);
    expect(order.body.status).toBe('delivered');
    const lift = await file(s.token, 'lift_restriction');
    await processIt(lift.body.id);
    expect((await canContact(t.deps.db, s.id, sms)).allowed).toBe(true);
    expect(await processingAllowed(t.deps.db, s.id, 'marketing')).toBe(true);
  });

  it('erases: personal data gone, orders kept anonymised, and the person cannot be re-created', async () => {
    const s = await shopper();
    const r = await file(s.token, 'erase');
    const blocked = await processIt(r.body.id);
    expect(blocked.status).toBe(409);
    expect(blocked.body.open_orders).toEqual([s.order.id]);
    await deliver(s.order);
    // Points are a balance: erasure needs a decision, and `wait` keeps the request open.
    const undecided = await processIt(r.body.id);
    expect(undecided.status).toBe(409);
    expect(undecided.body.code).toBe('BALANCE_DECISION_REQUIRED');
    expect((undecided.body.balances as { points: number }).points).toBeGreaterThanOrEqual(120);
    expect((await processIt(r.body.id, { balances: 'forfeit' })).body.code).toBe('BALANCE_DECISION_REQUIRED');
    const waiting = await processIt(r.body.id, { balances: 'wait' });
    expect(waiting.body).toMatchObject({ status: 'received', balance_decision: 'wait' });
    const done = await processIt(r.body.id, { balances: 'forfeit', reason: 'customer declined a payout' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', balance_decision: 'forfeit' });

    const view = await t.admin<{
      status: string;
      email: string | null;
      first_name: string | null;
      identities: unknown[];
      addresses: unknown[];
    }>('GET', `/customers/${s.id}`);
    expect(view.body).toMatchObject({
      status: 'erased',
      email: null,
      first_name: null,
      identities: [],
      addresses: [],
    });
    for (const q of [s.email, s.phone, s.dev]) {
      const found = await t.admin<{ data: unknown[] }>('GET', `/customers?identity=${encodeURIComponent(q)}`);
      expect(found.body.data, q).toEqual([]);
    }
    const order = await t.admin<{
      customer_id: string;
      email: string | null;
      shipping_address: unknown;
      total: number;
    }>('GET', `/orders/${s.order.id}`);
    expect(order.body).toMatchObject({
      customer_id: s.id,
      email: null,
      shipping_address: null,
      total: s.order.total,
    });
    expect((await t.call('GET', '/store/customers/me', { key: shop.web.key, token: s.token })).status).toBe(
      401,
    );
    expect((await t.admin<{ balance: number }>('GET', `/customers/${s.id}/loyalty`)).body.balance).toBe(0);

    // Nothing that names the person is left anywhere.
    const db = t.deps.db;
    for (const [table, col] of [
      ['customers', 'c'],
      ['customer_identities', 'c'],
      ['customer_addresses', 'c'],
      ['orders', 'c'],
      ['carts', 'c'],
      ['consent_records', 'c'],
      ['outbox_events', 'c'],
      ['privacy_requests', 'c'],
      ['privacy_suppressions', 'c'],
      ['customer_sessions', 'c'],
    ]) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} ${col} WHERE ${col}::text ILIKE $1 OR ${col}::text ILIKE $2 OR ${col}::text ILIKE $3 OR ${col}::text LIKE $4`,
        [`%${s.email}%`, `%${s.line1}%`, `%${s.ua}%`, `%${s.phone}%`],
      );
      expect(rows[0]?.n, table).toBe(0);
    }

    // Suppression: the same email or phone cannot come back.
    const again = await t.call('POST', '/store/customers', {
      key: shop.web.key,
      body: { email: s.email.toUpperCase(), password: 'long password 2' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('IDENTITY_SUPPRESSED');
    const imp = await t.admin<{ created: unknown[]; refused: { code: string }[] }>(
      'POST',
      '/customers/import',
      {
        customers: [
          { email: s.email },
          { phone: s.phone.replace('+1', '') },
          { email: `fresh${n}@example.com` },
        ],
      },
    );
    expect(imp.body.refused.map((x) => x.code)).toEqual(['IDENTITY_SUPPRESSED', 'IDENTITY_SUPPRESSED']);
    expect(imp.body.created).toHaveLength(1);
    const other = await shopper();
    const add = await t.admin('POST', `/customers/${other.id}/identities`, { kind: 'email', value: s.email });
    expect(add.status).toBe(409);
    expect(add.body.code).toBe('IDENTITY_SUPPRESSED');
  });
});
