import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { drainOutbox } from '../../../test/support/stores.ts';
import { insertEvents, PLAZA_SOURCE_ID } from '../../modules/events/index.ts';
import { MINUTE } from '../../platform/clock.ts';
import { advanceJourneys } from './jobs.ts';
import { entriesOf, publishJourney, sendsOf, shopper, tick } from './journeys-fixture.ts';
import { scanEventTriggers } from './triggers.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

const email = (subject: string) => ({ subject, text: `${subject} {{ customer.first_name }}` });

describe('journey definitions', () => {
  it('refuses a broken graph and a template that does not compile, keeps drafts apart from versions', async () => {
    const missing = await t.admin('POST', '/journeys', {
      definition: {
        trigger: { type: 'event', event: 'Product Viewed' },
        // biome-ignore lint/suspicious/noThenProperty: a branch step's target
        steps: [{ key: 'b', type: 'branch', condition: { trait: { key: 'vip' } }, then: 'x', else: 'b2' }],
        exit_on: null,
      },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    const dup = await t.admin('POST', '/journeys', {
      definition: {
        trigger: { type: 'event', event: 'Product Viewed' },
        steps: [
          { key: 'a', type: 'exit' },
          { key: 'a', type: 'exit' },
        ],
        exit_on: null,
      },
    });
    expect(dup.status).toBe(400);
    const bad = await t.admin<{ errors: { field: string }[] }>('POST', '/journeys', {
      definition: {
        trigger: { type: 'event', event: 'Product Viewed' },
        steps: [
          {
            key: 'mail',
            type: 'send',
            medium: 'email',
            content: { subject: 'Hi {{ customer.nmae }}', text: 'x' },
          },
        ],
        exit_on: null,
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('TEMPLATE_INVALID');
    expect(bad.body.errors[0]?.field).toBe('mail.subject');
    const winBack = await t.admin('POST', '/journeys', { template: 'win_back' });
    expect(winBack.status).toBe(400);

    const j = await t.admin<{
      id: string;
      status: string;
      template: string;
      kind: string;
      current_version: null;
    }>('POST', '/journeys', { template: 'pickup_reminder', params: { hours_before: 6 } });
    expect(j.status).toBe(201);
    expect(j.body).toMatchObject({
      status: 'draft',
      template: 'pickup_reminder',
      kind: 'transactional',
      current_version: null,
    });
    const paused = await t.admin('POST', `/journeys/${j.body.id}/pause`);
    expect(paused.status).toBe(409);
    const v1 = await t.admin<{ current_version: number; versions: { version: number }[] }>(
      'POST',
      `/journeys/${j.body.id}/publish`,
    );
    expect(v1.body.current_version).toBe(1);
    expect((await t.admin<{ status: string }>('POST', `/journeys/${j.body.id}/pause`)).body.status).toBe(
      'paused',
    );
    expect((await t.admin<{ status: string }>('POST', `/journeys/${j.body.id}/resume`)).body.status).toBe(
      'active',
    );
    const archived = await t.admin<{ status: string }>('POST', `/journeys/${j.body.id}/archive`);
    expect(archived.body.status).toBe('archived');
    expect((await t.admin('POST', `/journeys/${j.body.id}/publish`)).status).toBe(409);
    const list = await t.admin<{ data: { id: string }[] }>('GET', '/journeys?status=archived');
    expect(list.body.data.map((x) => x.id)).toContain(j.body.id);
  });
});

describe('abandoned cart', () => {
  it('enters once per cart, sends while the items are available, exits when they are not', async () => {
    const id = await publishJourney(t, { template: 'abandoned_cart', params: { idle_minutes: 60 } });
    const ada = await shopper(t, shop.web.key);
    const cart = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
      key: shop.web.key,
      token: ada.token,
      body: { items: [{ sku: shop.skus.cap, quantity: 1 }] },
    });
    expect(cart.status).toBe(201);
    await tick(t);
    expect(await entriesOf(t, id)).toHaveLength(0); // not idle yet
    t.clock.advance(61 * MINUTE);
    await tick(t);
    await tick(t);
    const [entry, ...more] = await entriesOf(t, id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({
      customer_id: ada.id,
      trigger_key: cart.body.cart.id,
      state: 'active',
      step_index: 2,
    });
    const sends = await sendsOf(t, id);
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({
      source_kind: 'journey',
      source_key: `${entry?.id}:remind`,
      marketing: true,
      journey_version: 1,
    });
    expect(sends[0]?.payload.data.cart_id).toBe(cart.body.cart.id);

    // the only cap (at store B) is sold elsewhere: the last call is not sent
    const gone = await t.admin('POST', '/inventory/adjustments', {
      sku: shop.skus.cap,
      location_id: shop.storeB,
      kind: 'write_off',
      delta: -1,
      reason: 'broken',
    });
    expect(gone.status, gone.text).toBe(201);
    t.clock.advance(24 * 60 * MINUTE + MINUTE);
    await tick(t);
    expect((await entriesOf(t, id))[0]).toMatchObject({ state: 'exited', exit_reason: 'out_of_stock' });
    const after = await sendsOf(t, id);
    expect(after.map((s) => [s.step_key, s.status, s.skip_reason])).toEqual([
      ['remind', 'planned', null],
      ['last-call', 'skipped', 'out_of_stock'],
    ]);
  });

  it('exits when the customer orders', async () => {
    const id = await publishJourney(t, { template: 'abandoned_cart', params: { idle_minutes: 30 } });
    const bob = await shopper(t, shop.web.key, 'Bob');
    const cart = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
      key: shop.web.key,
      token: bob.token,
      body: { items: [{ sku: shop.skus.tee, quantity: 1 }] },
    });
    t.clock.advance(31 * MINUTE);
    await tick(t);
    expect((await sendsOf(t, id)).filter((s) => s.customer_id === bob.id)).toHaveLength(1);
    const cartId = cart.body.cart.id;
    const auth = { key: shop.web.key, token: bob.token };
    const f = await t.call('PUT', `/store/carts/${cartId}/fulfillment`, {
      ...auth,
      body: { type: 'pickup', location_id: shop.storeA },
    });
    expect(f.status, f.text).toBe(200);
    const order = await t.call('POST', `/store/carts/${cartId}/checkout`, {
      ...auth,
      headers: { 'idempotency-key': `jrn-order-${process.pid}` },
      body: { payment: { provider: 'pay-in-store' } },
    });
    expect(order.status, order.text).toBe(201);
    await drainOutbox(t);
    const entry = (await entriesOf(t, id)).find((e) => e.customer_id === bob.id);
    expect(entry).toMatchObject({ state: 'converted', exit_reason: 'converted: Order Completed' });
    t.clock.advance(25 * 60 * MINUTE);
    await tick(t);
    expect((await sendsOf(t, id)).filter((s) => s.customer_id === bob.id)).toHaveLength(1);
  });
});

describe('steps and versions', () => {
  const viewed = async (customerId: string) => {
    const now = t.clock.now();
    await t.deps.db.tx((tx) =>
      insertEvents(tx, [
        {
          sourceId: PLAZA_SOURCE_ID,
          channelId: null,
          origin: 'plaza',
          messageId: `view-${customerId}-${now.getTime()}`,
          type: 'track',
          event: 'Product Viewed',
          customerId,
          properties: { product_id: 'prod_x' },
          timestamp: now,
          receivedAt: now,
          retentionMonths: 0,
        },
      ]),
    );
  };

  it('takes every event of a burst larger than a batch within the overlap (the cursor never stands still)', async () => {
    const id = await publishJourney(t, {
      name: 'Burst',
      definition: {
        trigger: { type: 'event', event: 'Brochure Scanned' },
        steps: [{ key: 'wait', type: 'wait', duration_minutes: 60 }],
        exit_on: null,
      },
    });
    const people: string[] = [];
    for (let k = 0; k < 7; k++) people.push((await shopper(t, shop.web.key, `Burst${k}`)).id);
    const now = t.clock.now();
    await t.deps.db.tx((tx) =>
      insertEvents(
        tx,
        Array.from({ length: 7 }, (_, k) => ({
          sourceId: PLAZA_SOURCE_ID,
          channelId: null,
          origin: 'plaza' as const,
          messageId: `scan-${people[k]}`,
          type: 'track' as const,
          event: 'Brochure Scanned',
          customerId: people[k] as string,
          properties: { k },
          timestamp: now,
          receivedAt: now, // all in the same instant: within any overlap
          retentionMonths: 0,
        })),
      ),
    );
    let passes = 0;
    while ((await scanEventTriggers(t.deps, 3)) > 0) passes++;
    expect(passes).toBe(3); // 3 + 3 + 1
    expect((await entriesOf(t, id)).map((e) => e.customer_id).sort()).toEqual([...people].sort());
    expect(await scanEventTriggers(t.deps, 3)).toBe(0); // caught up: the overlap reads nothing new
  });

  it('waits, branches on a trait, updates a trait; runs in flight keep their version when v2 is published', async () => {
    const definition = (subject: string) => ({
      trigger: { type: 'event', event: 'Product Viewed' },
      steps: [
        { key: 'wait', type: 'wait', duration_minutes: 30 },
        {
          key: 'vip',
          type: 'branch',
          condition: { trait: { key: 'vip', equals: true } },
          // biome-ignore lint/suspicious/noThenProperty: a branch step's target
          then: 'vip-mail',
          else: 'plain',
        },
        { key: 'vip-mail', type: 'send', medium: 'email', content: email(`${subject} VIP`) },
        { key: 'end', type: 'exit', reason: 'vip_done' },
        { key: 'plain', type: 'send', medium: 'email', content: email(subject) },
        { key: 'mark', type: 'update_trait', trait: 'browsed_journey', value: subject },
      ],
      exit_on: null,
    });
    const id = await publishJourney(t, { name: 'Browse', definition: definition('v1') });
    const vip = await shopper(t, shop.web.key, 'Vera');
    const plain = await shopper(t, shop.web.key, 'Paul');
    await t.deps.db.query(
      `INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at) VALUES ($1, 'vip', 'true', $2, $2)`,
      [vip.id, t.clock.now()],
    );
    await viewed(vip.id);
    await viewed(plain.id);
    await tick(t);
    expect((await entriesOf(t, id)).map((e) => [e.state, e.step_index, e.version])).toEqual([
      ['active', 1, 1],
      ['active', 1, 1],
    ]);
    expect(await sendsOf(t, id)).toHaveLength(0);

    // v2 while both wait: a newcomer gets v2, the runs in flight finish on v1
    expect((await t.admin('PATCH', `/journeys/${id}`, { definition: definition('v2') })).status).toBe(200);
    const v2 = await t.admin<{ current_version: number; versions: unknown[] }>(
      'POST',
      `/journeys/${id}/publish`,
    );
    expect(v2.body.current_version).toBe(2);
    expect(v2.body.versions).toHaveLength(2);
    const late = await shopper(t, shop.web.key, 'Lea');
    t.clock.advance(MINUTE);
    await viewed(late.id);
    await tick(t);
    t.clock.advance(30 * MINUTE);
    await tick(t);
    const sends = await sendsOf(t, id);
    const by = (c: string) =>
      sends
        .filter((s) => s.customer_id === c)
        .map((s) => [s.step_key, s.journey_version, s.payload.content.email?.subject]);
    expect(by(vip.id)).toEqual([['vip-mail', 1, 'v1 VIP']]);
    expect(by(plain.id)).toEqual([['plain', 1, 'v1']]);
    expect(by(late.id)).toEqual([['plain', 2, 'v2']]);
    const entries = await entriesOf(t, id);
    expect(entries.find((e) => e.customer_id === vip.id)).toMatchObject({
      state: 'exited',
      exit_reason: 'vip_done',
    });
    expect(entries.find((e) => e.customer_id === plain.id)).toMatchObject({ state: 'completed' });
    const trait = await t.deps.db.query<{ value: unknown }>(
      `SELECT value FROM customer_traits WHERE customer_id = $1 AND key = 'browsed_journey'`,
      [plain.id],
    );
    expect(trait.rows[0]?.value).toBe('v1');

    const detail = await t.admin<{ enrollments: Record<string, number> }>('GET', `/journeys/${id}`);
    expect(detail.body.enrollments).toEqual({ exited: 1, completed: 2 });
    const page = await t.admin<{ data: { state: string }[]; next_cursor: string | null }>(
      'GET',
      `/journeys/${id}/enrollments?limit=2`,
    );
    expect(page.body.data).toHaveLength(2);
    expect(page.body.next_cursor).not.toBeNull();
    const rest = await t.admin<{ data: unknown[] }>(
      'GET',
      `/journeys/${id}/enrollments?limit=2&cursor=${page.body.next_cursor}`,
    );
    expect(rest.body.data).toHaveLength(1);
  });

  it('a paused journey neither takes nor advances anyone until resumed', async () => {
    const id = await publishJourney(t, {
      definition: {
        trigger: { type: 'event', event: 'Product Viewed' },
        steps: [
          { key: 'w', type: 'wait', duration_minutes: 5 },
          { key: 'm', type: 'send', medium: 'email', content: email('later') },
        ],
        exit_on: null,
      },
    });
    const c = await shopper(t, shop.web.key);
    await viewed(c.id);
    await tick(t);
    expect(await entriesOf(t, id)).toHaveLength(1);
    await t.admin('POST', `/journeys/${id}/pause`);
    t.clock.advance(10 * MINUTE);
    const during = await shopper(t, shop.web.key);
    await viewed(during.id);
    await tick(t);
    expect(await sendsOf(t, id)).toHaveLength(0);
    t.clock.advance(MINUTE);
    await t.admin('POST', `/journeys/${id}/resume`);
    await tick(t);
    expect((await sendsOf(t, id)).map((s) => s.customer_id)).toEqual([c.id]);
    expect((await entriesOf(t, id)).map((e) => e.customer_id)).toEqual([c.id]);
  });

  it('two workers advancing the same due runs at once send each step once', async () => {
    const id = await publishJourney(t, {
      definition: {
        trigger: { type: 'event', event: 'Product Viewed' },
        steps: [
          { key: 'w', type: 'wait', duration_minutes: 1 },
          { key: 'm', type: 'send', medium: 'email', content: email('once') },
        ],
        exit_on: null,
      },
    });
    const people = [
      await shopper(t, shop.web.key),
      await shopper(t, shop.web.key),
      await shopper(t, shop.web.key),
    ];
    for (const p of people) await viewed(p.id);
    await tick(t);
    t.clock.advance(2 * MINUTE);
    await Promise.all([advanceJourneys(t.deps), advanceJourneys(t.deps), advanceJourneys(t.deps)]);
    const sends = await sendsOf(t, id);
    expect(sends.map((s) => s.customer_id).sort()).toEqual(people.map((p) => p.id).sort());
    expect((await entriesOf(t, id)).map((e) => e.state)).toEqual(['completed', 'completed', 'completed']);
  });
});
