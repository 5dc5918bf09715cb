/**
 * Tracking (issue 12, H6): tracked links and the open pixel in a rendered message, the open pixel
 * counted once per send, the signed click redirect (never an open redirect), the one-click
 * unsubscribe, and conversions by a completed order (holdout apart), each touch an event of src_plaza.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConsent } from '../../modules/consent/index.ts';
import { enqueueSends } from '../../modules/messaging/index.ts';
import { newId } from '../../platform/ids.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { clickToken, instrument, openToken, publicBaseUrl, readClickToken, unsubscribeUrl } from './links.ts';
import { PIXEL_GIF } from './routes-tracking.ts';
import { createTrackingApp, type TrackingApp } from './tracking-testing.ts';

let t: TrackingApp;
let channelId: string;
const ann = newId('cus');
const bob = newId('cus');
const campaign = newId('cmp');
let sendId: string;
let holdoutId: string;
let oldId: string;

const DAY = 86_400_000;

const stats = async (metric: string) =>
  Number(
    (
      await t.deps.db.query<{ n: string }>(
        `SELECT coalesce(sum(n), 0)::text AS n FROM campaign_stats WHERE campaign_id = $1 AND metric = $2`,
        [campaign, metric],
      )
    ).rows[0]?.n ?? 0,
  );
const call = async (method: 'GET' | 'POST', url: string) => {
  const r = await t.app.inject({ method, url });
  return { status: r.statusCode, headers: r.headers, text: r.body };
};
const events = async (name: string) =>
  (
    await t.deps.db.query<{ customer_id: string | null; properties: Record<string, unknown> }>(
      `SELECT customer_id, properties FROM events WHERE source_id = 'src_plaza' AND event = $1 ORDER BY received_at`,
      [name],
    )
  ).rows;
const send = async (id: string) =>
  (
    await t.deps.db.query<Record<string, unknown>>(
      'SELECT status, opened_at, clicked_at, converted_at, converted_order_id, unsubscribed_at FROM message_sends WHERE id = $1',
      [id],
    )
  ).rows[0] ?? {};

beforeAll(async () => {
  t = await createTrackingApp();
  channelId = (await t.channel()).id;
  const now = t.clock.now();
  for (const [id, email] of [
    [ann, 'ann@example.com'],
    [bob, 'bob@example.com'],
  ])
    await t.deps.db.query(
      'INSERT INTO customers (id, email, first_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
      [id, email, 'Test', now],
    );
  await t.deps.db.query(
    `INSERT INTO campaigns (id, name, status, media, variants, created_at, updated_at)
     VALUES ($1, 'Spring', 'sending', '{email}', '[{"key":"a","split":100,"content":{}}]', $2, $2)`,
    [campaign, now],
  );
  // ann: sent now (tracked); ann: an older campaign send outside the attribution window; bob: holdout
  const base = { sourceKind: 'campaign' as const, campaignId: campaign, marketing: true, dueAt: now };
  const made = await enqueueSends(t.deps.db, t.deps, [
    { ...base, sourceKey: campaign, customerId: ann, medium: 'email', variant: 'a' },
    { ...base, sourceKey: `${campaign}:old`, customerId: ann, medium: 'sms', variant: 'a' },
    {
      ...base,
      sourceKey: campaign,
      customerId: bob,
      medium: 'email',
      status: 'holdout',
      skipReason: 'holdout',
    },
  ]);
  [sendId, oldId, holdoutId] = made.ids as [string, string, string];
  expect(made.created).toBe(3);
  await t.deps.db.query(`UPDATE message_sends SET status = 'sent', sent_at = $2 WHERE id = $1`, [
    sendId,
    now,
  ]);
  await t.deps.db.query(`UPDATE message_sends SET status = 'sent', sent_at = $2 WHERE id = $1`, [
    oldId,
    new Date(now.getTime() - 10 * DAY),
  ]);
});
afterAll(() => t?.close());

describe('instrument', () => {
  it('rewrites http(s) links to signed redirects and adds the pixel, but not mailto, tel or unsubscribe', async () => {
    const base = publicBaseUrl(t.deps);
    const unsub = await unsubscribeUrl(t.deps.db, t.deps, ann, 'email', sendId);
    expect(unsub).toMatch(new RegExp(`^${base}/t/u/u1\\.[^?]+\\?s=`));
    const out = instrument(
      t.deps,
      {
        subject: 'Hi',
        html:
          '<html><body><a href="https://shop.example/p?a=1&amp;b=2">Shop</a> <a href="mailto:help@example.com">Mail</a>' +
          ` <a href='tel:+15035550100'>Call</a> <a href="${unsub}">Unsubscribe</a></body></html>`,
        text: `Shop: https://shop.example/p?a=1&b=2. Unsubscribe: ${unsub}`,
      },
      { id: sendId, medium: 'email' },
    );
    const hrefs = [...(out.html ?? '').matchAll(/href=["']([^"']+)["']/g)].map((m) => m[1] as string);
    expect(hrefs).toHaveLength(4);
    expect(hrefs[0]).toMatch(new RegExp(`^${base}/t/c/`));
    expect(readClickToken(t.deps, (hrefs[0] as string).slice(`${base}/t/c/`.length))).toEqual({
      sendId,
      url: 'https://shop.example/p?a=1&b=2',
    });
    expect(hrefs.slice(1)).toEqual(['mailto:help@example.com', 'tel:+15035550100', unsub]);
    expect(out.html).toMatch(new RegExp(`<img src="${base}/t/o/[^"]+\\.gif"[^>]*/></body></html>$`));
    // the text part: the link rewritten, the sentence's full stop kept outside, the unsubscribe link as it was
    expect(out.text).toMatch(new RegExp(`^Shop: ${base}/t/c/[A-Za-z0-9_-]+\\.[0-9a-f]{32}\\. Unsubscribe: `));
    expect(out.text.endsWith(unsub as string)).toBe(true);
  });
});

describe('GET /t/o (open pixel)', () => {
  it('answers a GIF whatever the token, and counts a send opened once (totals per minute)', async () => {
    const token = openToken(t.deps, sendId);
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({ method: 'GET', url: `/t/o/${token}.gif` });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('image/gif');
      expect(r.headers['cache-control']).toContain('no-store');
      expect(r.rawPayload.equals(PIXEL_GIF)).toBe(true);
    }
    expect(await stats('opened')).toBe(1);
    expect(await stats('opened_total')).toBe(1);
    t.clock.advance(2 * 60_000);
    await t.app.inject({ method: 'GET', url: `/t/o/${token}.gif` });
    expect(await stats('opened')).toBe(1);
    expect(await stats('opened_total')).toBe(2);
    expect((await send(sendId)).opened_at).toBeInstanceOf(Date);
    const opened = await events('Email Opened');
    expect(opened).toHaveLength(2);
    expect(opened[0]?.customer_id).toBe(ann);
    expect(opened[0]?.properties).toMatchObject({
      campaign_id: campaign,
      journey_id: null,
      send_id: sendId,
      medium: 'email',
      variant: 'a',
      holdout: false,
    });
    // the console's mailbox showing the message (its page as referrer): the same GIF, no open
    t.clock.advance(2 * 60_000);
    const staff = await t.app.inject({
      method: 'GET',
      url: `/t/o/${token}.gif`,
      headers: { host: 'shop.test', referer: 'http://shop.test/console/mailbox/mbx_1' },
    });
    expect(staff.rawPayload.equals(PIXEL_GIF)).toBe(true);
    expect(await stats('opened_total')).toBe(2);
    expect(await events('Email Opened')).toHaveLength(2);
    // a forged token: the same GIF, nothing recorded
    const bad = await t.app.inject({ method: 'GET', url: `/t/o/${token.slice(0, -4)}beef.gif` });
    expect(bad.statusCode).toBe(200);
    expect(bad.rawPayload.equals(PIXEL_GIF)).toBe(true);
    expect(await stats('opened_total')).toBe(2);
  });
});

describe('GET /t/c (click redirect)', () => {
  it('redirects a signed link, records the click once, and adds the campaign UTM only when set', async () => {
    const url = 'https://shop.example/sale?x=1';
    const r = await call('GET', `/t/c/${clickToken(t.deps, sendId, url)}`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(url);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(await stats('clicked')).toBe(1);
    expect((await events('Email Link Clicked'))[0]?.properties).toMatchObject({ send_id: sendId, url });
    await t.deps.db.query(`UPDATE campaigns SET utm = '{"source":"newsletter"}' WHERE id = $1`, [campaign]);
    const again = await call('GET', `/t/c/${clickToken(t.deps, sendId, `${url}&utm_medium=keep`)}`);
    const loc = new URL(String(again.headers.location));
    expect(Object.fromEntries(loc.searchParams)).toEqual({
      x: '1',
      utm_medium: 'keep',
      utm_source: 'newsletter',
      utm_campaign: campaign,
    });
    expect(await stats('clicked')).toBe(1);
    expect(await stats('clicked_total')).toBe(2);
    await t.deps.db.query('UPDATE campaigns SET utm = NULL WHERE id = $1', [campaign]);
    // a first click on a send never opened (images blocked) counts as its open too
    const other = (
      await enqueueSends(t.deps.db, t.deps, [
        {
          sourceKind: 'campaign',
          sourceKey: `${campaign}:second`,
          campaignId: campaign,
          customerId: ann,
          medium: 'email',
          marketing: true,
          variant: 'a',
          dueAt: t.clock.now(),
        },
      ])
    ).ids[0] as string;
    await t.deps.db.query(`UPDATE message_sends SET status = 'sent', sent_at = $2 WHERE id = $1`, [
      other,
      t.clock.now(),
    ]);
    await call('GET', `/t/c/${clickToken(t.deps, other, url)}`);
    expect(await stats('opened')).toBe(2);
    expect(await stats('clicked')).toBe(2);
    await call('GET', `/t/o/${openToken(t.deps, other)}.gif`);
    expect(await stats('opened')).toBe(2);
    // a link with characters a header cannot carry is redirected percent-encoded
    const cafe = await call('GET', `/t/c/${clickToken(t.deps, sendId, 'https://shop.example/café')}`);
    expect(cafe.status).toBe(302);
    expect(cafe.headers.location).toBe('https://shop.example/caf%C3%A9');
  });

  it('never redirects a forged or altered token (no open redirect)', async () => {
    const token = clickToken(t.deps, sendId, 'https://shop.example/');
    const sig = token.slice(token.lastIndexOf('.') + 1);
    const swapped = `${Buffer.from(`${sendId}\nhttps://evil.example/`).toString('base64url')}.${sig}`;
    const openAsClick = openToken(t.deps, sendId);
    const bareEvil = `${Buffer.from(`${sendId}\nhttps://evil.example/`).toString('base64url')}`;
    for (const bad of [swapped, openAsClick, bareEvil, `${token}x`, 'https%3A%2F%2Fevil.example']) {
      const r = await call('GET', `/t/c/${bad}`);
      expect(r.status, bad).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.headers.location).toBeUndefined();
    }
    // a javascript: URL is refused even when signed
    const js = await call('GET', `/t/c/${clickToken(t.deps, sendId, 'javascript:alert(1)')}`);
    expect(js.status).toBe(404);
  });
});

describe('/t/u (one-click unsubscribe)', () => {
  it('shows a confirmation page on GET and withdraws the consent on the RFC 8058 POST', async () => {
    await t.deps.db.tx((tx) =>
      recordConsent(tx, t.deps, {
        customerId: ann,
        purpose: 'marketing',
        channel: 'email',
        status: 'granted',
        legalBasis: 'legitimate_interest',
        source: 'import',
        recordedBy: 'test',
      }),
    );
    const url = new URL((await unsubscribeUrl(t.deps.db, t.deps, ann, 'email', sendId)) as string);
    const page = await call('GET', `${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    const status = async () =>
      (
        await t.deps.db.query<{ status: string }>(
          `SELECT status FROM consent_records WHERE customer_id = $1 AND channel = 'email' ORDER BY recorded_at DESC, id DESC LIMIT 1`,
          [ann],
        )
      ).rows[0]?.status;
    expect(await status()).toBe('granted');
    const post = await t.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    expect(post.json()).toEqual({ unsubscribed: true, purpose: 'marketing', channel: 'email' });
    expect(await status()).toBe('withdrawn');
    expect((await send(sendId)).unsubscribed_at).toBeInstanceOf(Date);
    expect(await stats('unsubscribed')).toBe(1);
    expect(await events('Unsubscribed')).toHaveLength(1);
    const forged = await call(
      'POST',
      `/t/u/u1.${Buffer.from(`${bob}:marketing:email`).toString('base64url')}.00`,
    );
    expect(forged.status).toBe(404);
  });
});

describe('conversions', () => {
  it('a completed order converts recent sends once, with revenue, and holdout rows apart', async () => {
    const orderId = newId('ord');
    const now = t.clock.now();
    for (const [id, customer, total] of [
      [orderId, ann, 4599],
      [newId('ord'), bob, 1000],
    ] as const) {
      await t.deps.db.query(
        `INSERT INTO orders (id, channel_id, customer_id, status, payment_status, fulfillment_type, currency,
           subtotal, total, placed_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'confirmed', 'captured', 'shipping', 'USD', $4, $4, $5, $5, $5)`,
        [id, channelId, customer, total, now],
      );
      await t.deps.db.tx((tx) =>
        writeEvent(tx, t.clock, {
          type: 'order.confirmed',
          aggregateType: 'order',
          aggregateId: id,
          data: { order_id: id, customer_id: customer },
        }),
      );
    }
    await t.drain();
    expect(await send(sendId)).toMatchObject({ converted_order_id: orderId });
    expect((await send(sendId)).converted_at).toBeInstanceOf(Date);
    expect((await send(oldId)).converted_at).toBeNull();
    // ann's two recent e-mails of the campaign (the click test sent a second one) convert; the old SMS does not
    expect(await stats('converted')).toBe(2);
    expect(await stats('revenue_minor')).toBe(2 * 4599);
    expect(await stats('holdout_converted')).toBe(1);
    expect(await stats('holdout_revenue_minor')).toBe(1000);
    expect((await send(holdoutId)).converted_at).toBeInstanceOf(Date);
    const converted = await events('Campaign Converted');
    expect(converted.map((e) => e.properties.holdout).sort()).toEqual([false, false, true]);
    expect(converted.find((e) => e.properties.send_id === sendId)?.properties).toMatchObject({
      order_id: orderId,
      revenue_minor: 4599,
      currency: 'USD',
    });
    // another order of ann's: the send is converted already
    await t.deps.db.tx((tx) =>
      writeEvent(tx, t.clock, { type: 'order.confirmed', data: { order_id: orderId, customer_id: ann } }),
    );
    await t.drain();
    expect(await stats('converted')).toBe(2);
    expect(await stats('revenue_minor')).toBe(2 * 4599);
  });
});

describe('delivery statuses', () => {
  it('a message.delivery fact becomes an Email Delivered touch, counted when the ledger changed', async () => {
    for (const first of [true, false])
      await t.deps.db.tx((tx) =>
        writeEvent(tx, t.clock, {
          type: 'message.delivery',
          aggregateType: 'message_send',
          aggregateId: sendId,
          data: { send_id: sendId, status: 'delivered', first, at: t.clock.now().toISOString() },
        }),
      );
    await t.drain();
    const delivered = await events('Email Delivered');
    expect(delivered).toHaveLength(2);
    expect(delivered[0]?.properties).toMatchObject({
      send_id: sendId,
      campaign_id: campaign,
      medium: 'email',
    });
    expect(await stats('delivered')).toBe(1);
  });
});
