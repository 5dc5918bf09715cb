import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { placeOrder } from '../../../test/support/stores.ts';
import { insertEvents, PLAZA_SOURCE_ID } from '../../modules/events/index.ts';
import { bumpStats } from '../campaigns/stats.ts';
import { catchUp, login, register } from './fixture.ts';

let t: TestApp;
let shop: Shop;
let source: string;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 100 });
  const s = await t.admin<{ id: string }>('POST', '/event-sources', { name: 'Web site', kind: 'web' });
  expect(s.status, s.text).toBe(201);
  source = s.body.id;
});
afterAll(() => t.close());

interface Credit {
  conversions: number;
  revenue: number;
}
interface AttributionBody {
  rows: { key: string; name: string | null; currency: string; credits: Record<string, Credit> }[];
  direct: { currency: string; conversions: number; revenue: number }[];
  journeys: { converted: number; not_converted: number };
}

let n = 0;
/** A touch as it reaches the event store: Plaza's own (an e-mail click) or a client's page from an ad (UTM). */
const touch = async (customerId: string, at: string, kind: 'email' | 'cpc') => {
  t.clock.set(at);
  n++;
  await insertEvents(t.deps.db, [
    kind === 'email'
      ? {
          sourceId: PLAZA_SOURCE_ID,
          channelId: null,
          origin: 'plaza',
          messageId: `touch-${n}`,
          type: 'track',
          event: 'Email Link Clicked',
          customerId,
          userId: customerId,
          properties: { campaign_id: 'cmp_spring_mail', medium: 'email', holdout: false },
          timestamp: new Date(at),
          receivedAt: new Date(at),
          retentionMonths: 0,
        }
      : {
          sourceId: source,
          channelId: shop.web.id,
          origin: 'client',
          messageId: `page-${n}`,
          type: 'page',
          event: 'Home',
          customerId,
          userId: customerId,
          context: { campaign: { source: 'search', medium: 'cpc', name: 'spring' } },
          timestamp: new Date(at),
          receivedAt: new Date(at),
          retentionMonths: 0,
        },
  ]);
};

const attribution = (q = '') =>
  t.admin<AttributionBody>('GET', `/analytics/attribution?from=2026-04-01&to=2026-04-10${q}`);

describe('attribution, campaign performance, costs and lift', () => {
  let a: { email: string; id: string };
  let orderA: { id: string; total: number; fulfillments: { id: string }[] } | undefined;
  let totalA = 0;
  let totalB = 0;
  let totalGuest = 0;

  beforeAll(async () => {
    t.clock.set('2026-04-01T08:00:00Z');
    const [ca, cb, cc] = await Promise.all(
      ['attr-a@example.com', 'attr-b@example.com', 'attr-c@example.com'].map((e) =>
        register(t, shop.web.key, e),
      ),
    );
    if (!ca || !cb || !cc) throw new Error('customers');
    a = ca;
    // A: an e-mail click, then an ad, then buys. B: an ad, then buys. C: an e-mail click, buys nothing.
    await touch(ca.id, '2026-04-01T10:00:00Z', 'email');
    await touch(ca.id, '2026-04-02T10:00:00Z', 'cpc');
    await touch(cb.id, '2026-04-02T11:00:00Z', 'cpc');
    await touch(cc.id, '2026-04-02T09:00:00Z', 'email');
    await catchUp(t);
    t.clock.set('2026-04-03T12:00:00Z');
    const key = shop.web.key;
    const item = [{ sku: shop.skus.tee, quantity: 1 }];
    orderA = (
      await placeOrder(t, key, item, { pay: 'test-card', customerToken: await login(t, key, ca.email) })
    ).order;
    totalA = orderA.total;
    totalB = (
      await placeOrder(t, key, [{ sku: shop.skus.tee, quantity: 2 }], {
        pay: 'test-card',
        customerToken: await login(t, key, cb.email),
      })
    ).order.total;
    totalGuest = (await placeOrder(t, key, item, { pay: 'test-card' })).order.total;
    await catchUp(t);
  }, 60_000);

  it('credits each medium by six models, hand-computed', async () => {
    const r = await attribution();
    expect(r.status, r.text).toBe(200);
    const credit = (key: string, model: string) => r.body.rows.find((x) => x.key === key)?.credits[model];
    expect(credit('email', 'first_touch')).toEqual({ conversions: 1, revenue: totalA });
    expect(credit('cpc', 'first_touch')).toEqual({ conversions: 1, revenue: totalB });
    expect(credit('cpc', 'last_touch')).toEqual({ conversions: 2, revenue: totalA + totalB });
    expect(credit('email', 'last_touch')?.conversions ?? 0).toBe(0);
    expect(credit('email', 'linear')).toEqual({ conversions: 0.5, revenue: Math.ceil(totalA / 2) });
    expect(credit('cpc', 'linear')).toEqual({ conversions: 1.5, revenue: Math.floor(totalA / 2) + totalB });
    expect(credit('email', 'position_based')).toEqual(credit('email', 'linear'));
    // time decay, half-life 7 days: the e-mail 50 h before the sale, the ad 26 h: weights 2^(-50/168), 2^(-26/168)
    const we = 2 ** (-50 / 168);
    const wc = 2 ** (-26 / 168);
    expect(credit('email', 'time_decay')?.conversions).toBeCloseTo(we / (we + wc), 3);
    // Markov over [email, cpc] → sale, [cpc] → sale, [email] → none: P(conversion) 2/3; without the
    // e-mail 1/3 (effect 0.5), without the ad 0 (effect 1): shares 1/3 and 2/3 of 2 sales
    expect(credit('email', 'data_driven')?.conversions).toBeCloseTo(2 / 3, 3);
    expect(credit('cpc', 'data_driven')?.conversions).toBeCloseTo(4 / 3, 3);
    expect(
      (credit('email', 'data_driven')?.revenue ?? 0) + (credit('cpc', 'data_driven')?.revenue ?? 0),
    ).toBe(totalA + totalB);
    expect(r.body.direct).toEqual([{ currency: 'USD', conversions: 1, revenue: totalGuest }]);
    expect(r.body.journeys).toEqual({ converted: 2, not_converted: 1 });
  });

  it('credits campaigns, names ad campaigns by their UTM name', async () => {
    const r = await attribution('&by=campaign');
    expect(r.status).toBe(200);
    const spring = r.body.rows.find((x) => x.key === 'utm:spring');
    expect(spring).toMatchObject({ name: 'spring', currency: 'USD' });
    expect(spring?.credits.last_touch).toEqual({ conversions: 2, revenue: totalA + totalB });
    expect(r.body.rows.find((x) => x.key === 'cmp_spring_mail')?.credits.first_touch?.revenue).toBe(totalA);
  });

  it('gives cost per order, ROAS and ROI from the costs entered', async () => {
    const cost = await t.admin('POST', '/analytics/costs', {
      campaign_id: 'utm:spring',
      medium: 'cpc',
      kind: 'ad_spend',
      amount: 2000,
      currency: 'USD',
      incurred_on: '2026-04-02',
    });
    expect(cost.status, cost.text).toBe(201);
    expect((await t.admin('POST', '/analytics/costs', { ...cost.body, id: undefined })).status).toBe(400);
    const unknown = await t.admin('POST', '/analytics/costs', {
      campaign_id: 'cmp_nope',
      medium: 'email',
      kind: 'messages',
      amount: 1,
      currency: 'USD',
      incurred_on: '2026-04-02',
    });
    expect(unknown.status).toBe(404);
    const badDay = await t.admin('POST', '/analytics/costs', {
      campaign_id: 'utm:spring',
      medium: 'cpc',
      kind: 'ad_spend',
      amount: 1,
      currency: 'USD',
      incurred_on: '2026-02-30',
    });
    expect(badDay.status).toBe(400);
    const noName = await t.admin('POST', '/analytics/costs', {
      campaign_id: 'utm:',
      medium: 'cpc',
      kind: 'ad_spend',
      amount: 1,
      currency: 'USD',
      incurred_on: '2026-04-02',
    });
    expect(noName.status).toBe(400);
    const r = await t.admin<{ rows: Record<string, unknown>[] }>(
      'GET',
      '/analytics/campaigns?from=2026-04-01&to=2026-04-10&model=last_touch',
    );
    expect(r.status, r.text).toBe(200);
    const row = r.body.rows.find((x) => x.campaign_id === 'utm:spring');
    const revenue = totalA + totalB;
    expect(row).toMatchObject({
      name: 'spring',
      medium: 'cpc',
      currency: 'USD',
      attributed: { conversions: 2, revenue },
      cost: 2000,
      cost_per_order: 1000,
      roas: Math.round((revenue / 2000) * 10_000) / 10_000,
      roi: Math.round(((revenue - 2000) / 2000) * 10_000) / 10_000,
      lift: null,
    });
    const list = await t.admin<{ data: { id: string }[] }>('GET', '/analytics/costs?campaign_id=utm:spring');
    expect(list.body.data).toHaveLength(1);
    expect((await t.admin('DELETE', `/analytics/costs/${list.body.data[0]?.id}`)).status).toBe(204);
    expect((await t.admin('DELETE', `/analytics/costs/${list.body.data[0]?.id}`)).status).toBe(404);
  });

  it('converts net into a report currency with daily rates, and says which are missing', async () => {
    const put = await t.admin('PUT', '/analytics/rates', {
      rates: [{ day: '2026-04-01', currency: 'USD', report_currency: 'EUR', rate: 0.9 }],
    });
    expect(put.body).toEqual({ saved: 1 });
    const bad = await t.call('POST', '/admin/analytics/rates/import', {
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/csv' },
      body: 'day,currency,report_currency,rate\n2026-04-01,USD,EUR,-1\n',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('body.line[2].rate');
    const q = '/analytics/channels?from=2026-04-01&to=2026-04-10';
    const eur = await t.admin<{
      rows: { channel_id: string; net: number; net_report: number | null }[];
      missing_rates: string[];
    }>('GET', `${q}&report_currency=EUR`);
    const web = eur.body.rows.find((r) => r.channel_id === shop.web.id);
    expect(web?.net).toBe(totalA + totalB + totalGuest);
    expect(web?.net_report).toBe(Math.round((totalA + totalB + totalGuest) * 0.9));
    expect(eur.body.missing_rates).toEqual([]);
    // sessions: A's and B's page views from the ad (visitor-days on the web channel), 3 web orders
    const all = await t.admin<{
      rows: { channel_id: string; sessions: number | null; conversion_rate: number | null }[];
    }>('GET', q);
    expect(all.body.rows.find((r) => r.channel_id === shop.web.id)).toMatchObject({
      sessions: 2,
      conversion_rate: 1.5,
    });
    const gbp = await t.admin<{ rows: { net_report: number | null }[]; missing_rates: string[] }>(
      'GET',
      `${q}&report_currency=GBP`,
    );
    expect(gbp.body.missing_rates).toEqual(['USD']);
    expect(gbp.body.rows.every((r) => r.net_report === null)).toBe(true);
  });

  it('suppresses rows of fewer people than the minimum cell size in CSV exports', async () => {
    const csv = async () =>
      (
        await t.call('GET', '/admin/analytics/channels?from=2026-04-01&to=2026-04-10&format=csv', {
          headers: { authorization: `Bearer ${t.adminToken}` },
        })
      ).text
        .trim()
        .split('\r\n')
        .map((l) => l.split(','));
    // the web channel's row: 2 customers and a guest order, under the default of 5
    let [header, row] = await csv();
    expect(header?.slice(0, 5)).toEqual(['channel_id', 'location_id', 'currency', 'suppressed', 'orders']);
    expect(row?.slice(0, 5)).toEqual([shop.web.id, '', 'USD', 'true', '']);
    expect((await t.admin('PATCH', '/analytics/settings', { min_cell_size: 3 })).status).toBe(200);
    [header, row] = await csv();
    expect(row?.slice(0, 5)).toEqual([shop.web.id, '', 'USD', 'false', '3']);
    await t.admin('PATCH', '/analytics/settings', { min_cell_size: 5 });
  });

  it('measures lift against the holdout with a confidence interval and a verdict', async () => {
    const id = 'cmp_lift_test';
    await t.deps.db.query(
      `INSERT INTO campaigns (id, name, status, kind, media, variants, created_at, updated_at)
       VALUES ($1, 'Lift test', 'completed', 'marketing', '{email}', '[]', now(), now())`,
      [id],
    );
    const m = (metric: string, by: number, variant: string | null = null) => ({
      campaignId: id,
      variant,
      medium: 'email',
      metric,
      by,
    });
    // two variants of 500 recipients each (70 and 50 conversions), the holdout without a variant
    await bumpStats(t.deps.db, [
      m('sent', 500, 'A'),
      m('converted', 70, 'A'),
      m('sent', 500, 'B'),
      m('converted', 50, 'B'),
      m('holdout', 1000),
      m('holdout_converted', 80),
    ]);
    const r = await t.admin<{
      rows: { campaign_id: string; name: string; lift: Record<string, unknown> | null }[];
    }>('GET', `/analytics/campaigns?from=2026-04-01&to=2026-04-10&campaign_id=${id}`);
    expect(r.status, r.text).toBe(200);
    const row = r.body.rows[0];
    expect(row?.name).toBe('Lift test');
    expect((row as { variants?: unknown } | undefined)?.variants).toEqual([
      expect.objectContaining({ variant: 'A', sent: 500, converted: 70 }),
      expect.objectContaining({ variant: 'B', sent: 500, converted: 50 }),
    ]);
    const se = Math.sqrt((0.12 * 0.88) / 1000 + (0.08 * 0.92) / 1000);
    expect(row?.lift).toMatchObject({
      treated: { customers: 1000, converted: 120 },
      holdout: { customers: 1000, converted: 80 },
      verdict: { code: 'significant_positive' },
    });
    const lift = row?.lift?.rate_lift as { estimate: number; low: number; high: number } | undefined;
    expect(lift?.estimate).toBeCloseTo(0.04, 9);
    expect(lift?.low).toBeCloseTo(0.04 - 1.959963984540054 * se, 9);
  });

  it("keeps an erased customer's sale in the totals, as direct", async () => {
    const before = await attribution();
    // an open order holds an erasure back: A's is delivered first
    const ful = orderA?.fulfillments[0]?.id;
    const shipped = await t.admin('POST', `/orders/${orderA?.id}/fulfillments/${ful}/ship`);
    expect(shipped.status, shipped.text).toBe(200);
    const delivered = await t.admin('POST', `/orders/${orderA?.id}/fulfillments/${ful}/deliver`);
    expect(delivered.status, delivered.text).toBe(200);
    const request = await t.admin<{ id: string }>('POST', '/privacy/requests', {
      customer_id: a.id,
      kind: 'erase',
    });
    expect(request.status, request.text).toBe(201);
    const done = await t.admin<{ status: string }>('POST', `/privacy/requests/${request.body.id}/process`, {
      balances: 'forfeit',
    });
    expect(done.body.status).toBe('completed');
    await catchUp(t);
    const after = await attribution();
    const total = (b: AttributionBody, model: string) =>
      b.rows.reduce((s, r) => s + (r.credits[model]?.revenue ?? 0), 0) +
      b.direct.reduce((s, d) => s + d.revenue, 0);
    expect(total(after.body, 'linear')).toBe(total(before.body, 'linear'));
    expect(after.body.direct).toEqual([{ currency: 'USD', conversions: 2, revenue: totalGuest + totalA }]);
    const left = await t.deps.db.query('SELECT 1 FROM analytics_touches WHERE customer_id = $1', [a.id]);
    expect(left.rows).toHaveLength(0);
  });
});
