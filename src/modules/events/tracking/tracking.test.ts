/**
 * The tracking API's rules, request by request (app.inject): write keys, body forms, limits,
 * refusals inside a batch, messageId de-duplication, the clock-skew correction and clamping, the IP
 * kept, the settings document and CORS. The real SDKs run in test/events-tracking.test.ts.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../platform/log.ts';
import type { EventInput } from '../store.ts';
import { EventWriter } from '../writer.ts';
import { type TrackingTestApp, trackingTestApp } from './testing.ts';

let t: TrackingTestApp;
let channelId: string;
const KEY = `wk_${'A'.repeat(32)}`;
const REVOKED = `wk_${'R'.repeat(32)}`;
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

beforeAll(async () => {
  t = await trackingTestApp({ env: { PLAZA_EVENTS_MAX_PENDING: '100', PLAZA_EVENTS_FLUSH_MS: '1' } });
  channelId = await t.source('src_test_web', 12, [KEY], [REVOKED]);
});
afterAll(() => t?.close());

interface Sent {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
}
const post = async (
  url: string,
  payload: string | Buffer,
  headers: Record<string, string> = {},
  ip = '203.0.113.77',
): Promise<Sent> => {
  const r = await t.app.inject({
    method: 'POST',
    url,
    payload,
    remoteAddress: ip,
    headers: { 'content-type': 'text/plain', ...headers },
  });
  return { status: r.statusCode, body: r.json(), headers: r.headers };
};
const json = (v: unknown) => JSON.stringify(v);
const ms = (d: unknown) => (d instanceof Date ? d.getTime() : Number.NaN);
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d));
const eventsOf = async (messageId: string) =>
  (
    await t.deps.db.query<Record<string, unknown> & { flags: string[]; context: Record<string, unknown> }>(
      'SELECT * FROM events WHERE message_id = $1',
      [messageId],
    )
  ).rows;

describe('POST /v1/track and the other single calls', () => {
  it('stores a text/plain track sent with HTTP Basic, tagged with the source and channel, skew corrected', async () => {
    const now = t.clock.now().getTime();
    // the device clock is 1 hour ahead; the event happened 10 s before it was sent
    const original = new Date(now + 3600_000 - 10_000).toISOString();
    const sentAt = new Date(now + 3600_000).toISOString();
    const r = await post(
      '/v1/track',
      json({
        anonymousId: 'anon-1234567',
        event: 'Product Viewed',
        messageId: 'm-track-1',
        timestamp: original,
        sentAt,
        properties: { sku: 'A' },
        context: { library: { name: 'analytics.js', version: '1' }, userAgent: 'UA' },
      }),
      { authorization: basic(KEY) },
    );
    expect(r).toMatchObject({ status: 200, body: { success: true } });
    const [e] = await eventsOf('m-track-1');
    expect(e).toMatchObject({
      source_id: 'src_test_web',
      channel_id: channelId,
      type: 'track',
      event: 'Product Viewed',
      retention_months: 12,
      origin: 'client',
    });
    expect(ms(e?.timestamp)).toBe(now - 10_000);
    expect(ms(e?.received_at)).toBe(now);
    expect(e?.context).toMatchObject({
      ip: '203.0.113.0',
      userAgent: 'UA',
      library: { name: 'analytics.js' },
    });
  });

  it('takes the write key from the body, accepts the short paths, and queues identify for identity resolution', async () => {
    const r = await post(
      '/v1/i',
      json({ writeKey: KEY, userId: 'u-1', traits: { email: 'a@example.com' }, messageId: 'm-id-1' }),
      {
        'content-type': 'application/json',
      },
    );
    expect(r.status).toBe(200);
    const q = await t.deps.db.query('SELECT user_id, traits FROM event_identity_queue WHERE user_id = $1', [
      'u-1',
    ]);
    expect(q.rows).toEqual([{ user_id: 'u-1', traits: { email: 'a@example.com' } }]);
    const p = await post(
      '/v1/p',
      json({
        writeKey: KEY,
        anonymousId: 'anon-1234567',
        name: 'Home',
        category: 'Docs',
        messageId: 'm-page-1',
      }),
    );
    expect(p.status).toBe(200);
    expect((await eventsOf('m-page-1'))[0]).toMatchObject({
      type: 'page',
      event: 'Home',
      properties: { category: 'Docs' },
    });
  });

  it('answers 401 for a missing, unknown or revoked key', async () => {
    const body = json({ userId: 'u', event: 'E' });
    const auths: Record<string, string>[] = [
      {},
      { authorization: basic(`wk_${'Z'.repeat(32)}`) },
      { authorization: basic(REVOKED) },
    ];
    for (const h of auths) {
      const r = await post('/v1/track', body, h);
      expect(r).toMatchObject({ status: 401, body: { success: false, code: 'INVALID_WRITE_KEY' } });
    }
  });

  it('answers 400 for malformed JSON, invalid UTF-8, an empty body, and a message over 32 KB', async () => {
    const h = { authorization: basic(KEY) };
    expect((await post('/v1/track', '{"userId":', h)).body.code).toBe('INVALID_JSON');
    const bad = Buffer.concat([
      Buffer.from('{"userId":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","event":"E"}'),
    ]);
    expect(await post('/v1/track', bad, h)).toMatchObject({ status: 400, body: { code: 'INVALID_JSON' } });
    expect((await post('/v1/track', '', h)).body.code).toBe('INVALID_JSON');
    // not JSON, with control characters V8 quotes in its message (NUL cannot be stored in PostgreSQL
    // text): a 400 whose message shows them escaped, recorded in the debugger (found by the fuzzer)
    const nul = await post('/v1/track', Buffer.from([0xc2, 0x80, 0x00]), h);
    expect(nul).toMatchObject({ status: 400, body: { code: 'INVALID_JSON' } });
    expect(String((nul.body as { message?: string }).message)).toContain('\\u0000');
    const big = json({ userId: 'u', event: 'E', properties: { s: 'x'.repeat(40_000) } });
    expect(await post('/v1/track', big, h)).toMatchObject({
      status: 400,
      body: { code: 'MESSAGE_TOO_LARGE' },
    });
    const huge = json({ userId: 'u', event: 'E', properties: { s: 'x'.repeat(1_100_000) } });
    expect(await post('/v1/track', huge, h)).toMatchObject({
      status: 400,
      body: { code: 'MESSAGE_TOO_LARGE' },
    });
    const invalid = await post('/v1/track', json({ event: 'E' }), h);
    expect(invalid).toMatchObject({
      status: 400,
      body: { code: 'INVALID_MESSAGE', reason: 'no_user_anon_id' },
    });
  });
});

describe('POST /v1/batch', () => {
  it('stores the valid messages and refuses the others one by one, for the debugger too', async () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 40; i++) cur = cur.d = {} as Record<string, unknown>;
    const batch = [
      { type: 'track', userId: 'u-2', event: 'Ok 1', messageId: 'b-ok-1' },
      { type: 'track', event: 'No ids', messageId: 'b-bad-1' },
      { type: 'purchase', userId: 'u-2', messageId: 'b-bad-2' },
      { type: 'track', userId: 'u-2', messageId: 'b-bad-3' },
      { type: 'track', userId: 'u-2', event: 'Nul', properties: { s: 'a\u0000b' }, messageId: 'b-bad-4' },
      { type: 'track', userId: 'u-2', event: 'Deep', properties: deep, messageId: 'b-bad-5' },
      {
        type: 'track',
        userId: 'u-2',
        event: 'Big',
        properties: { s: 'x'.repeat(33_000) },
        messageId: 'b-bad-6',
      },
      'not an object',
      { type: 'screen', anonymousId: 'anon-1234567', name: 'Cart', messageId: 'b-ok-2' },
    ];
    const r = await post('/v1/batch', json({ batch, writeKey: KEY, context: { locale: 'fr-FR' } }));
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(2);
    const refused = r.body.refused as { index: number; code: string; reason: string }[];
    expect(refused.map((x) => [x.index, x.code, x.reason])).toEqual([
      [1, 'INVALID_MESSAGE', 'no_user_anon_id'],
      [2, 'INVALID_MESSAGE', 'invalid_type'],
      [3, 'INVALID_MESSAGE', 'missing_event'],
      [4, 'INVALID_MESSAGE', 'invalid_text'],
      [5, 'INVALID_MESSAGE', 'invalid_text'],
      [6, 'MESSAGE_TOO_LARGE', 'message_too_large'],
      [7, 'INVALID_MESSAGE', 'not_an_object'],
    ]);
    expect((await eventsOf('b-ok-2'))[0]?.context).toMatchObject({ locale: 'fr-FR' });
    const stored = await t.deps.db.query(`SELECT count(*)::int AS n FROM events WHERE message_id LIKE 'b-%'`);
    expect(stored.rows[0]).toEqual({ n: 2 });
    const logged = await t.deps.db.query<{ message_id: string; code: string; excerpt: string }>(
      `SELECT message_id, code, excerpt FROM event_refusals WHERE source_id = 'src_test_web' AND message_id LIKE 'b-bad-%' ORDER BY message_id`,
    );
    expect(logged.rows.map((x) => x.message_id)).toEqual([
      'b-bad-1',
      'b-bad-2',
      'b-bad-3',
      'b-bad-4',
      'b-bad-5',
      'b-bad-6',
    ]);
    expect(logged.rows.every((x) => x.excerpt.length <= 1001)).toBe(true);
  });

  it('acknowledges a replay and stores it once (also twice within one batch); generates missing messageIds', async () => {
    const m = { type: 'track', userId: 'u-3', event: 'Replay', messageId: 'dup-1' };
    const h = { authorization: basic(KEY) };
    expect((await post('/v1/batch', json({ batch: [m, m] }), h)).body).toEqual({ success: true });
    expect((await post('/v1/b', json({ batch: [m] }), h)).body).toEqual({ success: true });
    expect(await eventsOf('dup-1')).toHaveLength(1);
    await post('/v1/batch', json({ batch: [{ type: 'track', userId: 'u-gen', event: 'NoId' }] }), h);
    const gen = await t.deps.db.query<{ message_id: string }>(
      `SELECT message_id FROM events WHERE user_id = 'u-gen'`,
    );
    expect(gen.rows[0]?.message_id).toMatch(/^plz-[0-9a-f-]{36}$/);
  });

  it('keeps far-future and far-past events, flagged and clamped to receivedAt', async () => {
    const now = t.clock.now();
    const batch = [
      {
        type: 'track',
        userId: 'u-4',
        event: 'Future',
        messageId: 'ts-future',
        timestamp: '2099-01-01T00:00:00Z',
      },
      {
        type: 'track',
        userId: 'u-4',
        event: 'Past',
        messageId: 'ts-past',
        timestamp: '1971-01-01T00:00:00Z',
      },
      { type: 'track', userId: 'u-4', event: 'Bogus', messageId: 'ts-bogus', timestamp: 'yesterday-ish' },
      {
        type: 'track',
        userId: 'u-4',
        event: 'Import',
        messageId: 'ts-import',
        timestamp: '2021-05-01T00:00:00Z',
      },
    ];
    expect((await post('/v1/import', json({ batch, writeKey: KEY }))).status).toBe(200);
    const f = (await eventsOf('ts-future'))[0];
    expect(f?.flags).toEqual(['no_sent_at', 'future', 'clamped']);
    expect(ms(f?.timestamp)).toBe(now.getTime());
    expect(iso(f?.original_timestamp)).toBe('2099-01-01T00:00:00.000Z');
    expect((await eventsOf('ts-past'))[0]?.flags).toEqual(['no_sent_at', 'past', 'clamped']);
    expect((await eventsOf('ts-bogus'))[0]?.flags).toEqual(['invalid_timestamp']);
    expect(iso((await eventsOf('ts-import'))[0]?.timestamp)).toBe('2021-05-01T00:00:00.000Z');
  });

  it('reads gzip bodies and refuses a batch over 500 KB whole', async () => {
    const h = { authorization: basic(KEY), 'content-type': 'application/json' };
    const gz = gzipSync(
      json({ batch: [{ type: 'track', userId: 'u-5', event: 'Zipped', messageId: 'gz-1' }] }),
    );
    expect((await post('/v1/batch', gz, { ...h, 'content-encoding': 'gzip' })).status).toBe(200);
    expect(await eventsOf('gz-1')).toHaveLength(1);
    const many = Array.from({ length: 40 }, (_, i) => ({
      type: 'track',
      userId: 'u',
      event: 'E',
      messageId: `big-${i}`,
      properties: { s: 'x'.repeat(14_000) },
    }));
    expect(await post('/v1/batch', json({ batch: many }), h)).toMatchObject({
      status: 400,
      body: { code: 'BATCH_TOO_LARGE' },
    });
    const bomb = gzipSync(Buffer.alloc(2_000_000, 32));
    expect((await post('/v1/batch', bomb, { ...h, 'content-encoding': 'gzip' })).body.code).toBe(
      'BATCH_TOO_LARGE',
    );
    expect(await eventsOf('big-0')).toHaveLength(0);
  });
});

describe('the browser', () => {
  it('serves the settings document analytics.js loads, pointing it at this host', async () => {
    const r = await t.app.inject({
      url: `/v1/projects/${KEY}/settings`,
      headers: { host: 'shop.example:8080' },
    });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.integrations['Segment.io']).toMatchObject({
      apiKey: KEY,
      apiHost: 'shop.example:8080/v1',
      protocol: 'http',
    });
    expect(doc.remotePlugins).toEqual([]);
    expect((await t.app.inject({ url: `/v1/projects/${REVOKED}/settings` })).statusCode).toBe(401);
  });

  it('answers CORS preflights from any origin, without credentials', async () => {
    const r = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization,x-retry-count',
      },
    });
    expect(r.statusCode).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(String(r.headers['access-control-allow-headers'])).toContain('x-retry-count');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('backpressure', () => {
  it('answers 503 EVENTS_BACKPRESSURE with Retry-After when more messages wait than PLAZA_EVENTS_MAX_PENDING', async () => {
    // this app runs with PLAZA_EVENTS_MAX_PENDING=100 (beforeAll)
    const batch = Array.from({ length: 101 }, (_, i) => ({
      type: 'track',
      userId: 'u-bp',
      event: 'E',
      messageId: `bp-${i}`,
    }));
    const r = await post('/v1/batch', json({ batch, writeKey: KEY }));
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.body).toMatchObject({ success: false, code: 'EVENTS_BACKPRESSURE' });
    expect(await eventsOf('bp-0')).toHaveLength(0);
  });
});

describe('EventWriter', () => {
  it('commits concurrent writes together, and refuses with EVENTS_BACKPRESSURE past maxPending', async () => {
    const w = new EventWriter(t.deps.db, silentLogger(), { flushMs: 20, maxPending: 3 });
    const row = (id: string): EventInput => ({
      sourceId: 'src_test_web',
      channelId,
      origin: 'client',
      messageId: id,
      type: 'track',
      event: 'W',
      userId: 'u-w',
      timestamp: t.clock.now(),
      receivedAt: t.clock.now(),
      retentionMonths: 12,
    });
    const first = w.write([row('w-1'), row('w-2')]);
    await expect(w.write([row('w-3'), row('w-4')])).rejects.toMatchObject({ code: 'EVENTS_BACKPRESSURE' });
    const second = w.write([row('w-5')]);
    expect(w.waiting).toBe(3);
    await Promise.all([first, second]);
    expect(w.waiting).toBe(0);
    const n = await t.deps.db.query(`SELECT count(*)::int AS n FROM events WHERE message_id LIKE 'w-%'`);
    expect(n.rows[0]).toEqual({ n: 3 });
    await w.close();
    await expect(w.write([row('w-6')])).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
