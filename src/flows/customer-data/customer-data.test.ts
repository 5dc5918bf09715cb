import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { drainOutbox, placeOrder } from '../../../test/support/stores.ts';
import { type EventInput, insertEvents } from '../../modules/events/store.ts';
import { newId } from '../../platform/ids.ts';
import { factsOf, factsSubscriber, recordFact } from './facts.ts';
import { processIdentityQueue } from './queue.ts';

let t: TestApp;
let shop: Shop;
const web = `src_web_${Math.random().toString(36).slice(2, 8)}`;
const server = `src_srv_${Math.random().toString(36).slice(2, 8)}`;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  const now = t.clock.now();
  await t.deps.db.query(
    `INSERT INTO event_sources (id, name, kind, created_at, updated_at)
     VALUES ($1, $1, 'web', $3, $3), ($2, $2, 'server', $3, $3)`,
    [web, server, now],
  );
});
afterAll(() => t.close());

const at = (minutesAgo: number) => new Date(t.clock.now().getTime() - minutesAgo * 60_000);
const ev = (e: Partial<EventInput> & Pick<EventInput, 'type'>): EventInput => ({
  sourceId: web,
  channelId: null,
  origin: 'client',
  messageId: `m-${++n}-${Math.random()}`,
  timestamp: at(0),
  receivedAt: t.clock.now(),
  retentionMonths: 0,
  ...e,
});
const ingest = async (...rows: EventInput[]) => {
  await insertEvents(t.deps.db, rows);
  await processIdentityQueue(t.deps);
};
const ownerOf = async (col: 'anonymous_id' | 'user_id', v: string) =>
  (
    await t.deps.db.query<{ customer_id: string | null }>(
      `SELECT customer_id FROM events WHERE ${col} = $1`,
      [v],
    )
  ).rows;
const customerOfExternal = async (v: string) =>
  (
    await t.deps.db.query<{ customer_id: string }>(
      `SELECT customer_id FROM customer_identities WHERE kind = 'external' AND value = $1 AND unlinked_at IS NULL`,
      [v],
    )
  ).rows[0]?.customer_id;
const trait = async (customerId: string, key: string) =>
  (
    await t.deps.db.query<{ value: unknown }>(
      'SELECT value FROM customer_traits WHERE customer_id = $1 AND key = $2',
      [customerId, key],
    )
  ).rows[0]?.value;
const newCustomer = async (email: string) =>
  (await t.admin<{ id: string }>('POST', '/customers', { email, first_name: 'Test' })).body.id;

describe('identity processing', () => {
  it('joins anonymous history on identify, creates the profile, and keeps the newest trait', async () => {
    const anon = `dev-${newId('x').slice(-12)}`;
    const user = `u-${newId('x').slice(-10)}`;
    await ingest(ev({ type: 'track', event: 'Product Viewed', anonymousId: anon, timestamp: at(30) }));
    expect((await ownerOf('anonymous_id', anon))[0]?.customer_id).toBeNull();
    await ingest(
      ev({
        type: 'identify',
        userId: user,
        anonymousId: anon,
        traits: { plan: 'gold', name: 'Ada' },
        timestamp: at(10),
      }),
    );
    const cus = await customerOfExternal(user);
    expect(cus).toMatch(/^cus_/);
    expect((await ownerOf('anonymous_id', anon)).map((r) => r.customer_id)).toEqual([cus, cus]);
    expect(await trait(cus as string, 'plan')).toBe('gold');
    // a late, older message does not overwrite; a newer one does
    await ingest(
      ev({ type: 'identify', userId: user, traits: { plan: 'bronze', city: 'Lyon' }, timestamp: at(20) }),
    );
    expect(await trait(cus as string, 'plan')).toBe('gold');
    expect(await trait(cus as string, 'city')).toBe('Lyon');
    await ingest(ev({ type: 'identify', userId: user, traits: { plan: 'platinum' }, timestamp: at(1) }));
    expect(await trait(cus as string, 'plan')).toBe('platinum');
    const dirty = await t.deps.db.query('SELECT 1 FROM audience_dirty WHERE customer_id = $1', [cus]);
    expect(dirty.rows).toHaveLength(1);
    expect((await t.deps.db.query('SELECT 1 FROM event_identity_queue')).rows).toHaveLength(0);
  });

  it('never merges two identified people: a shared device stays with its first customer', async () => {
    const anon = `dev-${newId('x').slice(-12)}`;
    const [a, b] = [`ua-${newId('x').slice(-10)}`, `ub-${newId('x').slice(-10)}`];
    await ingest(ev({ type: 'identify', userId: a, anonymousId: anon }));
    await ingest(ev({ type: 'identify', userId: b, anonymousId: anon }));
    const [ca, cb] = [await customerOfExternal(a), await customerOfExternal(b)];
    expect(ca).toBeDefined();
    expect(cb).toBeDefined();
    expect(ca).not.toBe(cb);
    const dev = await t.deps.db.query<{ customer_id: string }>(
      `SELECT customer_id FROM customer_identities WHERE kind = 'anonymous' AND value = $1`,
      [anon],
    );
    expect(dev.rows.map((r) => r.customer_id)).toEqual([ca]);
    // alias between two known people does nothing either
    await ingest(ev({ type: 'alias', userId: b, previousId: a }));
    expect(await customerOfExternal(a)).toBe(ca);
  });

  it("a customer's own id is that customer; email traits link only from server sources; restricted: no traits", async () => {
    const email = `cd-${newId('x').slice(-8).toLowerCase()}@example.com`;
    const id = await newCustomer(`own-${email}`);
    const anon = `dev-${newId('x').slice(-12)}`;
    await ingest(ev({ type: 'identify', userId: id, anonymousId: anon, traits: { email, shoe: 42 } }));
    expect((await ownerOf('anonymous_id', anon))[0]?.customer_id).toBe(id);
    const emails = async () =>
      (
        await t.deps.db.query<{ customer_id: string }>(
          `SELECT customer_id FROM customer_identities WHERE kind = 'email' AND value = $1`,
          [email],
        )
      ).rows;
    expect(await emails()).toHaveLength(0);
    await ingest(ev({ type: 'identify', sourceId: server, userId: id, traits: { email } }));
    expect((await emails()).map((r) => r.customer_id)).toEqual([id]);
    expect(await trait(id, 'shoe')).toBe(42);
    await t.deps.db.query('UPDATE customers SET processing_restricted_at = now() WHERE id = $1', [id]);
    await ingest(ev({ type: 'identify', userId: id, traits: { shoe: 44 } }));
    expect(await trait(id, 'shoe')).toBe(42);
  });

  it('works end to end through /v1 and the worker job', async () => {
    const key = `wk_${newId('x').slice(-26)}abcdef`;
    await t.deps.db.query(
      `INSERT INTO event_write_keys (id, source_id, key, created_at) VALUES ($1, $2, $3, now())`,
      [newId('wk'), web, key],
    );
    const anon = `dev-${newId('x').slice(-12)}`;
    const user = `uv1-${newId('x').slice(-10)}`;
    const send = (path: string, body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: path,
        payload: JSON.stringify({ writeKey: key, ...body }),
        headers: { 'content-type': 'text/plain' },
      });
    expect((await send('/v1/track', { event: 'Product Viewed', anonymousId: anon })).statusCode).toBe(200);
    expect(
      (await send('/v1/identify', { userId: user, anonymousId: anon, traits: { plan: 'v1' } })).statusCode,
    ).toBe(200);
    const worker = t.worker();
    await worker.start();
    const deadline = Date.now() + 5000;
    while (!(await customerOfExternal(user)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await worker.stop();
    const cus = await customerOfExternal(user);
    expect(cus).toMatch(/^cus_/);
    expect((await ownerOf('anonymous_id', anon)).map((r) => r.customer_id)).toEqual([cus, cus]);
    expect(await trait(cus as string, 'plan')).toBe('v1');
    // the customer 360's timeline shows the tracked event among the rest
    const feed = await t.admin<{ data: { kind: string; data: Record<string, unknown> }[] }>(
      'GET',
      `/customers/${cus}/timeline`,
    );
    expect(feed.body.data.filter((e) => e.kind === 'tracked').map((e) => e.data.event)).toEqual([
      'Product Viewed',
    ]);
  });

  it('alias joins a previous anonymous id to the user', async () => {
    const anon = `dev-${newId('x').slice(-12)}`;
    const user = `ual-${newId('x').slice(-10)}`;
    await ingest(ev({ type: 'page', event: 'Home', anonymousId: anon }));
    await ingest(ev({ type: 'alias', userId: user, previousId: anon }));
    const cus = await customerOfExternal(user);
    expect(cus).toMatch(/^cus_/);
    expect((await ownerOf('anonymous_id', anon))[0]?.customer_id).toBe(cus);
  });
});

describe("Plaza's facts", () => {
  it('an order gives exactly one Order Completed with Segment properties, even when redelivered', async () => {
    const email = `facts-${newId('x').slice(-8).toLowerCase()}@example.com`;
    await t.call('POST', '/store/customers', {
      key: shop.web.key,
      body: { email, password: 'long password 1' },
    });
    const login = await t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
      key: shop.web.key,
      body: { email, password: 'long password 1' },
    });
    const cus = login.body.customer.id;
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 2 }], {
      customerToken: login.body.token,
      pay: 'test-card',
    });
    await drainOutbox(t);
    // a second dispatcher (a restart) and a forced redelivery of every fact
    await drainOutbox(t);
    const outbox = await t.deps.db.query<{
      id: string;
      seq: number;
      type: string;
      data: Record<string, unknown>;
      occurred_at: Date;
    }>(`SELECT id, seq, type, data, occurred_at FROM outbox_events WHERE aggregate_id = $1`, [order.id]);
    const sub = factsSubscriber(t.deps);
    for (const e of outbox.rows) {
      await t.deps.db.tx((tx) =>
        sub.handle(tx, {
          id: e.id,
          seq: e.seq,
          type: e.type,
          aggregateType: 'order',
          aggregateId: order.id,
          data: e.data,
          occurredAt: e.occurred_at,
        }),
      );
    }
    const rows = await t.deps.db.query<{
      event: string;
      properties: Record<string, unknown>;
      channel_id: string;
      user_id: string;
    }>(
      `SELECT event, properties, channel_id, user_id FROM events WHERE customer_id = $1 AND origin = 'plaza' ORDER BY id`,
      [cus],
    );
    const completed = rows.rows.filter((r) => r.event === 'Order Completed');
    expect(completed).toHaveLength(1);
    const p = completed[0]?.properties as Record<string, unknown>;
    expect(p.order_id).toBe(order.id);
    expect(p.currency).toBe('USD');
    expect(p.total_minor).toBe(order.total);
    expect(p.total).toBe(order.total / 100);
    expect(p.products).toEqual([expect.objectContaining({ sku: shop.skus.tee, quantity: 2, price: 25 })]);
    expect(completed[0]?.channel_id).toBe(shop.web.id);
    expect(rows.rows.filter((r) => r.event === 'Checkout Started')).toHaveLength(1);

    // the API: newest first, filters, cursor paging
    const all = await t.admin<{ data: { event: string; origin: string }[]; next_cursor: string | null }>(
      'GET',
      `/customers/${cus}/events?limit=1&origin=plaza`,
    );
    expect(all.status).toBe(200);
    expect(all.body.data[0]?.event).toBe('Order Completed');
    const next = await t.admin<{ data: { event: string }[] }>(
      'GET',
      `/customers/${cus}/events?limit=1&origin=plaza&cursor=${all.body.next_cursor}`,
    );
    expect(next.body.data[0]?.event).toBe('Checkout Started');
    const forged = Buffer.from(JSON.stringify(['not a date', 'x'])).toString('base64url');
    expect((await t.admin('GET', `/customers/${cus}/events?cursor=${forged}`)).status).toBe(200);
    const named = await t.admin<{ data: unknown[] }>(
      'GET',
      `/customers/${cus}/events?name=Checkout%20Started`,
    );
    expect(named.body.data).toHaveLength(1);
    const traits = await t.admin<{ traits: unknown[]; computed: unknown[] }>(
      'GET',
      `/customers/${cus}/traits`,
    );
    expect(traits.status).toBe(200);
    expect(traits.body.computed).toEqual([]);
    expect((await t.admin('GET', `/customers/cus_${'0'.repeat(26)}/events`)).status).toBe(404);

    // the other facts of the table, on the same order (names, and `:n` when one fact gives two)
    const fact = (type: string, data: Record<string, unknown>) => ({
      id: newId('evt'),
      seq: 0,
      type,
      aggregateType: 'order',
      aggregateId: order.id,
      data: { order_id: order.id, ...data },
      occurredAt: t.clock.now(),
    });
    const names = async (type: string, data: Record<string, unknown> = {}) =>
      (await factsOf(t.deps.db, fact(type, data))).map((f) => f.event);
    expect(await names('pickup.ready')).toEqual(['Pickup Ready']);
    expect(await names('order.picked_up')).toEqual(['Order Picked Up']);
    expect(await names('order.cancelled', { from: 'confirmed' })).toEqual(['Order Cancelled']);
    expect(await names('order.cancelled', { from: 'pending_payment' })).toEqual([]);
    expect(await names('refund.issued', { amount: 1250, currency: 'USD' })).toEqual(['Order Refunded']);
    expect(
      await names('return.received', { lines: [{ sku: shop.skus.tee, quantity: 1, amount: 2500 }] }),
    ).toEqual(['Return Received']);
    const sale = fact('pos.sale_completed', { sale_id: 'sal_x', customer_id: cus });
    expect(await t.deps.db.tx((tx) => recordFact(tx, t.deps, sale))).toBe(2);
    const ids = await t.deps.db.query<{ message_id: string; event: string }>(
      'SELECT message_id, event FROM events WHERE message_id LIKE $1 ORDER BY message_id',
      [`${sale.id}%`],
    );
    expect(ids.rows).toEqual([
      { message_id: `${sale.id}:0`, event: 'Order Completed' },
      { message_id: `${sale.id}:1`, event: 'In-Store Purchase' },
    ]);
  });
});

describe('merges', () => {
  it('carry events and traits to the survivor, and an undo gives them back', async () => {
    const [ua, ub] = [`um-${newId('x').slice(-10)}`, `un-${newId('x').slice(-10)}`];
    await ingest(ev({ type: 'identify', userId: ua, traits: { color: 'red' }, timestamp: at(5) }));
    await ingest(
      ev({ type: 'identify', userId: ub, traits: { color: 'blue', size: 'M' }, timestamp: at(3) }),
    );
    const [a, b] = [(await customerOfExternal(ua)) as string, (await customerOfExternal(ub)) as string];
    const merged = await t.admin<{ id: string }>('POST', '/customers/merge', {
      survivor_id: a,
      merged_id: b,
    });
    expect(merged.status).toBeLessThan(300);
    await drainOutbox(t);
    expect((await ownerOf('user_id', ub))[0]?.customer_id).toBe(a);
    expect(await trait(a, 'color')).toBe('blue');
    expect(await trait(a, 'size')).toBe('M');
    const undo = await t.admin('POST', `/customers/merges/${merged.body.id}/undo`, {});
    expect(undo.status).toBeLessThan(300);
    await drainOutbox(t);
    expect((await ownerOf('user_id', ub))[0]?.customer_id).toBe(b);
    expect((await ownerOf('user_id', ua))[0]?.customer_id).toBe(a);
    expect(await trait(a, 'color')).toBe('red');
    expect(await trait(a, 'size')).toBeUndefined();
    expect(await trait(b, 'color')).toBe('blue');
  });
});
