import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { stock } from '../../../test/support/stock.ts';
import { drainOutbox, placeOrder } from '../../../test/support/stores.ts';
import { HOUR } from '../../platform/clock.ts';
import { writeEvents } from '../../platform/outbox/events.ts';
import { runSender } from '../campaigns/sender.ts';
import { entriesOf, publishJourney, sendsOf, shopper, tick } from './journeys-fixture.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

const variantOf = async (sku: string): Promise<string> =>
  (await t.deps.db.query<{ id: string }>('SELECT id FROM variants WHERE sku = $1', [sku])).rows[0]
    ?.id as string;

describe('back in stock at your store', () => {
  it('fires once when stock arrives at the watched store, not at another', async () => {
    const id = await publishJourney(t, { template: 'back_in_stock' });
    const ada = await shopper(t, shop.web.key);
    const variant = await variantOf(shop.skus.cap);
    const auth = { key: shop.web.key, token: ada.token };
    expect(
      (
        await t.call('POST', '/store/stock-watches', {
          key: shop.web.key,
          body: { variant_id: variant, location_id: shop.storeA },
        })
      ).status,
    ).toBe(401);
    const w = await t.call<{ id: string; notified_at: null }>('POST', '/store/stock-watches', {
      ...auth,
      body: { variant_id: variant, location_id: shop.storeA },
    });
    expect(w.status, w.text).toBe(201);
    expect(
      (
        await t.call('POST', '/store/stock-watches', {
          ...auth,
          body: { variant_id: variant, location_id: shop.storeA },
        })
      ).status,
    ).toBe(200);

    // the cap is in stock at store B (1) and arrives there again: not the store Ada watches
    await tick(t);
    await stock(t, shop.skus.cap, shop.storeB, 3);
    await tick(t);
    expect(await entriesOf(t, id)).toHaveLength(0);

    await stock(t, shop.skus.cap, shop.storeA, 2);
    await tick(t);
    await tick(t);
    const entries = await entriesOf(t, id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      customer_id: ada.id,
      trigger_key: `${variant}:${shop.storeA}`,
      state: 'completed',
    });
    const sends = await sendsOf(t, id);
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ status: 'planned', marketing: true, step_key: 'tell' });
    expect(sends[0]?.payload.data).toMatchObject({
      sku: shop.skus.cap,
      location_id: shop.storeA,
      available: 2,
    });
    const mine = await t.call<{ data: { id: string; notified_at: string | null }[] }>(
      'GET',
      '/store/stock-watches',
      auth,
    );
    expect(mine.body.data[0]?.notified_at).not.toBeNull();

    // more stock later: nothing new (once per variant and store)
    await stock(t, shop.skus.cap, shop.storeA, 1);
    await tick(t);
    expect(await sendsOf(t, id)).toHaveLength(1);
  });
});

describe('pickup ready (transactional)', () => {
  it('sends once, even when pickup.ready is delivered again; the reminder waits for the deadline', async () => {
    const ready = await publishJourney(t, { template: 'pickup_ready' });
    const reminder = await publishJourney(t, { template: 'pickup_reminder', params: { hours_before: 6 } });
    const bob = await shopper(t, shop.web.key, 'Bob');
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
      customerToken: bob.token,
    });
    await drainOutbox(t);
    const r = await t.admin('POST', `/orders/${order.id}/pickup/ready`);
    expect(r.status, r.text).toBe(200);
    await tick(t);
    const sends = await sendsOf(t, ready);
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ source_kind: 'transactional', marketing: false, customer_id: bob.id });
    expect(sends[0]?.payload.data).toMatchObject({ order_id: order.id });
    const code = sends[0]?.payload.data.code as string;
    expect(typeof code).toBe('string');
    // the sender delivers it (no SMTP configured: the built-in mailbox), the template filled from the entry
    for (let i = 0; i < 10 && (await runSender(t.deps)) > 0; i++);
    const mail = await t.deps.db.query<{ subject: string; text_body: string }>(
      'SELECT subject, text_body FROM mailbox_messages WHERE customer_id = $1',
      [bob.id],
    );
    expect(mail.rows).toEqual([
      {
        subject: `Order ${order.number} is ready for pickup`,
        text_body: expect.stringContaining(`code ${code}`),
      },
    ]);

    // the dispatcher hands pickup.ready over again (as after a crash before it recorded it)
    const evt = (
      await t.deps.db.query<{ id: string }>(
        `SELECT id FROM outbox_events WHERE type = 'pickup.ready' AND aggregate_id = $1`,
        [order.id],
      )
    ).rows[0]?.id;
    await t.deps.db.query(`DELETE FROM consumed_events WHERE event_id = $1 AND consumer LIKE 'journeys.%'`, [
      evt,
    ]);
    await t.deps.db.query(`UPDATE outbox_events SET status = 'pending', available_at = $2 WHERE id = $1`, [
      evt,
      t.clock.now(),
    ]);
    await tick(t);
    expect(await entriesOf(t, ready)).toHaveLength(1);
    expect(await sendsOf(t, ready)).toHaveLength(1);

    const [wait] = await entriesOf(t, reminder);
    const deadline = (
      await t.deps.db.query<{ deadline_at: Date }>('SELECT deadline_at FROM pickups WHERE order_id = $1', [
        order.id,
      ])
    ).rows[0]?.deadline_at as Date;
    expect(wait?.state).toBe('active');
    expect(wait?.wake_at?.getTime()).toBe(deadline.getTime() - 6 * HOUR);
    t.clock.set(new Date(deadline.getTime() - 6 * HOUR + 1000));
    await tick(t);
    const reminded = await sendsOf(t, reminder);
    expect(reminded.map((s) => [s.step_key, s.source_kind])).toEqual([['remind', 'transactional']]);
  });

  it('the reminder is not sent once the order was picked up', async () => {
    const reminder = (
      await t.deps.db.query<{ id: string }>(`SELECT id FROM journeys WHERE template = 'pickup_reminder'`)
    ).rows[0]?.id as string;
    const cy = await shopper(t, shop.web.key, 'Cy');
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
      customerToken: cy.token,
    });
    await drainOutbox(t);
    expect((await t.admin('POST', `/orders/${order.id}/pickup/ready`)).status).toBe(200);
    await tick(t);
    const code = (
      await t.deps.db.query<{ code: string }>('SELECT code FROM pickups WHERE order_id = $1', [order.id])
    ).rows[0]?.code;
    const h = await t.admin('POST', `/orders/${order.id}/pickup/handover`, { code });
    expect(h.status, h.text).toBe(200);
    await drainOutbox(t);
    const entry = (await entriesOf(t, reminder)).find((e) => e.customer_id === cy.id);
    expect(entry).toMatchObject({ state: 'converted', exit_reason: 'converted: Order Picked Up' });
    t.clock.advance(30 * 24 * HOUR);
    await tick(t);
    expect((await sendsOf(t, reminder)).filter((s) => s.customer_id === cy.id)).toHaveLength(0);
  });
});

describe('other triggers', () => {
  it('welcome series on registration: sends, waits, branches (no order yet), ends at its exit step', async () => {
    const id = await publishJourney(t, { template: 'welcome' });
    const wes = await shopper(t, shop.web.key, 'Wes');
    await tick(t);
    const [entry] = (await entriesOf(t, id)).filter((e) => e.customer_id === wes.id);
    expect(entry).toMatchObject({ trigger_key: `customer:${wes.id}`, state: 'active', step_index: 2 });
    t.clock.advance(3 * 24 * HOUR + 1000);
    await tick(t);
    const sends = (await sendsOf(t, id)).filter((s) => s.customer_id === wes.id);
    expect(sends.map((s) => s.step_key)).toEqual(['hello', 'stores']);
    expect((await entriesOf(t, id)).find((e) => e.customer_id === wes.id)).toMatchObject({
      state: 'exited',
      exit_reason: 'series_done',
    });
  });

  it('birthday: enters once a year on the day; segment entered: enters on the outbox event', async () => {
    const bday = await publishJourney(t, {
      definition: {
        trigger: { type: 'date_trait', trait: 'birthday', offset_days: 0 },
        steps: [
          { key: 'cake', type: 'send', medium: 'email', content: { subject: 'Happy birthday', text: 'x' } },
        ],
        exit_on: null,
      },
    });
    const dee = await shopper(t, shop.web.key, 'Dee');
    const today = t.clock.now().toISOString().slice(5, 10);
    await t.deps.db.query(`UPDATE customers SET birthday = $2::date WHERE id = $1`, [
      dee.id,
      `1990-${today}`,
    ]);
    await tick(t);
    await tick(t);
    const entries = await entriesOf(t, bday);
    expect(entries.map((e) => [e.customer_id, e.trigger_key, e.state])).toEqual([
      [dee.id, t.clock.now().toISOString().slice(0, 4), 'completed'],
    ]);
    expect(await sendsOf(t, bday)).toHaveLength(1);

    const seg = await t.admin<{ id: string }>('POST', '/segments', {
      name: `Lapsed ${process.pid}`,
      rules: { channelMix: { online: true, inStore: true } },
    });
    expect(seg.status, seg.text).toBe(201);
    const win = await publishJourney(t, { template: 'win_back', params: { segment_id: seg.body.id } });
    const at = t.clock.now().toISOString();
    await t.deps.db.tx((tx) =>
      writeEvents(tx, t.deps.clock, [
        {
          type: 'segment.entered',
          aggregateType: 'segment',
          aggregateId: seg.body.id,
          data: { segment_id: seg.body.id, customer_id: dee.id, at },
        },
      ]),
    );
    await tick(t);
    expect((await entriesOf(t, win)).map((e) => [e.trigger_key, e.state])).toEqual([
      [`${seg.body.id}:${at}`, 'active'],
    ]);
    expect((await sendsOf(t, win)).map((s) => s.step_key)).toEqual(['miss-you']);
  });
});
