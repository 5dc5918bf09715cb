/**
 * Advertising audiences and UTM links (issue 12, H6): the hashed customer list of a segment (only
 * members who consented to ads; Google's and Meta's normalisation), a campaign's export marking its
 * planned ads sends, the UTM link builder, and a click on such a link landing in the event stream
 * with its campaign.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConsent } from '../../modules/consent/index.ts';
import { enqueueSends } from '../../modules/messaging/index.ts';
import { newId } from '../../platform/ids.ts';
import { normaliseAdEmail, normaliseAdPhone } from './ads.ts';
import { createTrackingApp, type TrackingApp } from './tracking-testing.ts';

let t: TrackingApp;
const segment = newId('seg');
const campaign = newId('cmp');
// ann: ads granted (a Gmail address with dots); bob: no consent; cat: withdrawn;
// dan: granted but restricted; eve: granted, phone only; fay: granted, in the campaign's holdout
const [ann, bob, cat, dan, eve, fay] = [
  newId('cus'),
  newId('cus'),
  newId('cus'),
  newId('cus'),
  newId('cus'),
  newId('cus'),
] as const;
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

const admin = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
  const r = await t.app.inject({
    method,
    url: `/admin${url}`,
    headers: { authorization: `Bearer ${t.adminToken}` },
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
  return { status: r.statusCode, headers: r.headers, text: r.body, json: () => r.json() };
};

beforeAll(async () => {
  t = await createTrackingApp();
  const now = t.clock.now();
  const people: [string, string | null, string | null][] = [
    [ann, 'a.nn.lee@gmail.com', '+15035550100'],
    [bob, 'bob@example.com', null],
    [cat, 'cat@example.com', null],
    [dan, 'dan@example.com', null],
    [eve, null, '+442079460958'],
    [fay, 'fay@example.com', null],
  ];
  for (const [id, email, phone] of people)
    await t.deps.db.query(
      'INSERT INTO customers (id, email, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
      [id, email, phone, now],
    );
  await t.deps.db.query(
    `INSERT INTO segments (id, name, rules, created_at, updated_at) VALUES ($1, 'Ads test', '{"all":[]}', $2, $2)`,
    [segment, now],
  );
  for (const id of [ann, bob, cat, dan, eve, fay])
    await t.deps.db.query(
      'INSERT INTO segment_members (segment_id, customer_id, entered_at) VALUES ($1, $2, $3)',
      [segment, id, now],
    );
  await t.deps.db.tx(async (tx) => {
    const consent = (customerId: string, status: 'granted' | 'withdrawn') =>
      recordConsent(tx, t.deps, {
        customerId,
        purpose: 'marketing',
        channel: 'ads',
        status,
        source: 'import',
        recordedBy: 'test',
      });
    for (const id of [ann, cat, dan, eve, fay]) await consent(id, 'granted');
    await consent(cat, 'withdrawn');
  });
  await t.deps.db.query('UPDATE customers SET processing_restricted_at = $2 WHERE id = $1', [dan, now]);
  await t.deps.db.query(
    `INSERT INTO campaigns (id, name, status, media, variants, created_at, updated_at)
     VALUES ($1, 'Ads', 'sending', '{ads}', '[{"key":"a","split":100,"content":{}}]', $2, $2)`,
    [campaign, now],
  );
  const base = {
    sourceKind: 'campaign' as const,
    sourceKey: campaign,
    campaignId: campaign,
    medium: 'ads' as const,
  };
  await enqueueSends(t.deps.db, t.deps, [
    { ...base, customerId: ann, marketing: true, variant: 'a', dueAt: now },
    { ...base, customerId: fay, marketing: true, status: 'holdout', skipReason: 'holdout', dueAt: now },
  ]);
});
afterAll(() => t?.close());

const csv = (text: string) => text.trim().split('\r\n');

describe('GET /admin/segments/:id/ad-audience', () => {
  it('normalises as the platforms ask', () => {
    expect(normaliseAdEmail('google', ' Jo.Hn+Ads@GoogleMail.com')).toBe('john+ads@googlemail.com');
    expect(normaliseAdEmail('google', 'Jo.Hn@example.com')).toBe('jo.hn@example.com');
    expect(normaliseAdEmail('meta', ' Jo.Hn@Gmail.com ')).toBe('jo.hn@gmail.com');
    expect(normaliseAdEmail('meta', 'not-an-address')).toBeNull();
    expect(normaliseAdPhone('google', '(503) 555-0100', 'US')).toBe('+15035550100');
    expect(normaliseAdPhone('meta', '(503) 555-0100', 'US')).toBe('15035550100');
    expect(normaliseAdPhone('meta', '12', 'US')).toBeNull();
  });

  it('Google: SHA-256 of normalised e-mail and E.164 phone, only members who consented to ads', async () => {
    const r = await admin('GET', `/segments/${segment}/ad-audience?format=google`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toContain('attachment');
    const lines = csv(r.text);
    expect(lines[0]).toBe('Email,Phone');
    // computed independently: Google removes the dots of a gmail.com local part
    const annLine = `${hex('annlee@gmail.com')},${hex('+15035550100')}`;
    expect(lines.slice(1).sort()).toEqual(
      [annLine, `${hex('fay@example.com')},`, `,${hex('+442079460958')}`].sort(),
    );
    for (const who of ['bob@example.com', 'cat@example.com', 'dan@example.com'])
      expect(r.text).not.toContain(hex(who));
    expect(r.text).not.toContain('@');
  });

  it('Meta: lowercase headers, dots kept, phone digits with the country code', async () => {
    const r = await admin('GET', `/segments/${segment}/ad-audience?format=meta`);
    const lines = csv(r.text);
    expect(lines[0]).toBe('email,phone');
    expect(lines).toContain(`${hex('a.nn.lee@gmail.com')},${hex('15035550100')}`);
    expect(lines).toHaveLength(4);
  });

  it('with a campaign: only its planned ads sends (holdout out), which become sent', async () => {
    const r = await admin('GET', `/segments/${segment}/ad-audience?format=google&campaign_id=${campaign}`);
    expect(csv(r.text).slice(1)).toEqual([`${hex('annlee@gmail.com')},${hex('+15035550100')}`]);
    const sends = await t.deps.db.query<{ customer_id: string; status: string }>(
      'SELECT customer_id, status FROM message_sends WHERE campaign_id = $1 ORDER BY customer_id',
      [campaign],
    );
    expect(Object.fromEntries(sends.rows.map((s) => [s.customer_id, s.status]))).toEqual({
      [ann]: 'sent',
      [fay]: 'holdout',
    });
    const sent = await t.deps.db.query<{ n: string }>(
      `SELECT n::text FROM campaign_stats WHERE campaign_id = $1 AND medium = 'ads' AND metric = 'sent'`,
      [campaign],
    );
    expect(sent.rows[0]?.n).toBe('1');
    const ev = await t.deps.db.query<{ customer_id: string }>(
      `SELECT customer_id FROM events WHERE source_id = 'src_plaza' AND event = 'Message Sent' AND properties->>'medium' = 'ads'`,
    );
    expect(ev.rows.map((e) => e.customer_id)).toEqual([ann]);
    // a second export: still in the audience, not counted again
    const again = await admin(
      'GET',
      `/segments/${segment}/ad-audience?format=google&campaign_id=${campaign}`,
    );
    expect(csv(again.text)).toHaveLength(2);
    const sent2 = await t.deps.db.query<{ n: string }>(
      `SELECT n::text FROM campaign_stats WHERE campaign_id = $1 AND medium = 'ads' AND metric = 'sent'`,
      [campaign],
    );
    expect(sent2.rows[0]?.n).toBe('1');
  });

  it('refuses an unknown segment or format', async () => {
    expect((await admin('GET', `/segments/${newId('seg')}/ad-audience`)).status).toBe(404);
    expect((await admin('GET', `/segments/${segment}/ad-audience?format=tiktok`)).status).toBe(400);
  });
});

describe('POST /admin/campaigns/:id/links (UTM)', () => {
  it('builds a link with the campaign id and lands in the event stream as context.campaign', async () => {
    const r = await admin('POST', `/campaigns/${campaign}/links`, {
      url: 'https://shop.example/sale?color=red&utm_source=old',
      source: 'google',
      medium: 'cpc',
      content: 'banner-a',
    });
    expect(r.status).toBe(200);
    const url = new URL((r.json() as { url: string }).url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      color: 'red',
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: campaign,
      utm_content: 'banner-a',
    });
    // what analytics.js sends for a page view of that URL: utm_* copied to context.campaign (utm_campaign → name)
    const campaignContext = Object.fromEntries(
      [...url.searchParams]
        .filter(([k]) => k.startsWith('utm_'))
        .map(([k, v]) => [k === 'utm_campaign' ? 'name' : k.slice(4), v]),
    );
    const channel = await t.channel();
    const key = `wk_${'U'.repeat(32)}`;
    await t.deps.db.query(
      `INSERT INTO event_sources (id, name, kind, channel_id, retention_months, created_at, updated_at)
       VALUES ('src_utm_test', 'UTM test', 'web', $1, 12, now(), now())`,
      [channel.id],
    );
    await t.deps.db.query(
      `INSERT INTO event_write_keys (id, source_id, key, created_at) VALUES ('wk_utm_test', 'src_utm_test', $1, now())`,
      [key],
    );
    const page = await t.app.inject({
      method: 'POST',
      url: '/v1/page',
      headers: {
        authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      payload: {
        anonymousId: 'anon-utm-1',
        name: 'Sale',
        messageId: 'utm-page-1',
        context: { page: { url: url.toString(), search: url.search }, campaign: campaignContext },
      },
    });
    expect(page.statusCode).toBe(200);
    const stored = await t.deps.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE type = 'page' AND context->'campaign'->>'name' = $1
         AND context->'campaign'->>'source' = 'google' AND context->'campaign'->>'medium' = 'cpc'`,
      [campaign],
    );
    expect(stored.rows[0]?.n).toBe('1');
  });

  it('refuses a URL that is not http(s) and an unknown campaign', async () => {
    const body = { url: 'javascript:alert(1)', source: 'google', medium: 'cpc' };
    const bad = await admin('POST', `/campaigns/${campaign}/links`, body);
    expect(bad.status).toBe(400);
    expect((bad.json() as { code: string }).code).toBe('VALIDATION_FAILED');
    const unknown = await admin('POST', `/campaigns/${newId('cmp')}/links`, {
      ...body,
      url: 'https://x.example/',
    });
    expect(unknown.status).toBe(404);
  });
});
