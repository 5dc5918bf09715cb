/**
 * The tracking API against the real @segment/analytics-node client over HTTP (a listening Plaza), and
 * a fast-check fuzz of the /v1 routes: hostile bodies (wrong types, deep and huge properties, 1 MB
 * strings, NUL, lone surrogates, invalid UTF-8, gzip junk, far dates) never get a 5xx, only the
 * documented answers, and nothing refused is half-written.
 *
 * PLAZA_EVENTS_FUZZ_RUNS sets the number of fuzz cases (default 150).
 */
import { gzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TrackingTestApp, trackingTestApp } from '../src/modules/events/tracking/testing.ts';

const RUNS = Number(process.env.PLAZA_EVENTS_FUZZ_RUNS ?? 150);
const KEY = `wk_${'N'.repeat(32)}`;
let t: TrackingTestApp;
let channelId: string;
let base: string;

beforeAll(async () => {
  t = await trackingTestApp({ env: { PLAZA_EVENTS_FLUSH_MS: '1' } });
  channelId = await t.source('src_node', 0, [KEY]);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

describe('@segment/analytics-node', () => {
  it('delivers identify, track, page, screen, group and alias; all stored, tagged, skew-corrected', async () => {
    const errors: unknown[] = [];
    const analytics = new Analytics({
      writeKey: KEY,
      host: base,
      flushAt: 3,
      flushInterval: 20,
      maxRetries: 2,
    });
    analytics.on('error', (e) => errors.push(e));
    analytics.identify({ userId: 'node-user', traits: { email: 'node@example.com', plan: 'gold' } });
    analytics.track({
      userId: 'node-user',
      event: 'Order Completed',
      properties: { revenue: 42, currency: 'EUR' },
    });
    analytics.page({ anonymousId: 'node-anon-123', name: 'Home', properties: { path: '/' } });
    analytics.screen({ userId: 'node-user', name: 'Cart' });
    analytics.group({ userId: 'node-user', groupId: 'grp-1', traits: { name: 'ACME' } });
    analytics.alias({ userId: 'node-user', previousId: 'node-anon-123' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    const rows = await t.deps.db.query<{
      type: string;
      source_id: string;
      channel_id: string;
      library: string;
      skew_ms: number;
      original_ms: number;
    }>(
      `SELECT type, source_id, channel_id, context->'library'->>'name' AS library,
              abs(extract(epoch FROM ("timestamp" - received_at)) * 1000)::float8 AS skew_ms,
              abs(extract(epoch FROM (original_timestamp - now())) * 1000)::float8 AS original_ms
       FROM events WHERE source_id = 'src_node' ORDER BY type`,
    );
    expect(rows.rows.map((r) => r.type)).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);
    for (const r of rows.rows) {
      expect(r).toMatchObject({
        source_id: 'src_node',
        channel_id: channelId,
        library: '@segment/analytics-node',
      });
      // The server's clock (a TestClock, months away) is the truth: the device's time is corrected onto it.
      expect(r.skew_ms).toBeLessThan(10_000);
      expect(r.original_ms).toBeLessThan(120_000);
    }
    const queued = await t.deps.db.query(
      `SELECT type FROM event_identity_queue WHERE source_id = 'src_node' ORDER BY type`,
    );
    expect(queued.rows).toEqual([{ type: 'alias' }, { type: 'identify' }]);
  });

  it('hears a refused write key as a failed delivery, and stores nothing', async () => {
    const errors: unknown[] = [];
    const analytics = new Analytics({
      writeKey: `wk_${'X'.repeat(32)}`,
      host: base,
      flushAt: 1,
      maxRetries: 0,
    });
    analytics.on('error', (e) => errors.push(e));
    analytics.track({ userId: 'nobody', event: 'Lost' });
    await analytics.closeAndFlush({ timeout: 5000 });
    expect(errors.length).toBeGreaterThan(0);
    const n = await t.deps.db.query(`SELECT count(*)::int AS n FROM events WHERE user_id = 'nobody'`);
    expect(n.rows[0]).toEqual({ n: 0 });
  });
});

describe('fuzzing /v1', () => {
  const PATHS = [
    '/v1/track',
    '/v1/identify',
    '/v1/page',
    '/v1/screen',
    '/v1/group',
    '/v1/alias',
    '/v1/t',
    '/v1/batch',
    '/v1/b',
    '/v1/import',
  ];
  const CODES = new Set([
    'INVALID_JSON',
    'MESSAGE_TOO_LARGE',
    'BATCH_TOO_LARGE',
    'INVALID_MESSAGE',
    'INVALID_WRITE_KEY',
  ]);
  const MB = 'x'.repeat(1_048_576);
  const leaf = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'a\u0000b',
        '\uD800',
        '9'.repeat(400),
        '2099-01-01T00:00:00Z',
        '0001-01-01',
        '-271821-04-20T00:00:00Z',
        '\u202E',
        "'; DROP TABLE events; --",
      ),
    },
    { weight: 1, arbitrary: fc.constant(MB) },
  );
  const deep = fc.integer({ min: 30, max: 300 }).map((n) => {
    let v: unknown = 'bottom';
    for (let i = 0; i < n; i++) v = { d: v };
    return v;
  });
  const value = fc.oneof(
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
  );
  const message = fc.record(
    {
      type: fc.oneof(fc.constantFrom('identify', 'track', 'page', 'screen', 'group', 'alias'), value),
      userId: value,
      anonymousId: value,
      event: value,
      name: value,
      groupId: value,
      previousId: value,
      messageId: value,
      timestamp: value,
      sentAt: value,
      properties: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 5 }), value),
      traits: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 5 }), value),
      context: fc.oneof(fc.record({ ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()) }), value),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    { weight: 4, arbitrary: message.map((m) => JSON.stringify(m)) },
    { weight: 3, arbitrary: fc.array(message, { maxLength: 6 }).map((batch) => JSON.stringify({ batch })) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: value.map((v) => JSON.stringify({ batch: v })) },
  );
  const request = fc.record({
    path: fc.constantFrom(...PATHS),
    body,
    auth: fc.constantFrom('key', 'bodyKey', 'wrong', 'none'),
    gzip: fc.boolean(),
    type: fc.constantFrom('text/plain', 'application/json', 'application/x-www-form-urlencoded', ''),
  });

  it(`${RUNS} hostile requests: no 5xx, only documented Segment-style answers`, async () => {
    const started = Date.now();
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let payload: string | Buffer = r.body;
        if (r.auth === 'bodyKey' && typeof payload === 'string' && payload.startsWith('{'))
          payload = `{"writeKey":"${KEY}",${payload.slice(1)}`;
        const headers: Record<string, string> = {};
        if (r.type) headers['content-type'] = r.type;
        if (r.auth === 'key') headers.authorization = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
        if (r.auth === 'wrong') headers.authorization = 'Basic Ym9ndXM6';
        if (r.gzip) {
          payload = gzipSync(payload);
          headers['content-encoding'] = 'gzip';
        }
        const res = await t.app.inject({ method: 'POST', url: r.path, payload, headers });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        expect([200, 400, 401]).toContain(res.statusCode);
        expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
        const answer = res.json() as { success: boolean; code?: string };
        if (res.statusCode === 200) {
          expect(answer.success).toBe(true);
          ok++;
        } else expect(CODES.has(String(answer.code)), res.body.slice(0, 300)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    console.log(`fuzzing /v1: ${RUNS} requests in ${Date.now() - started} ms`);
    const after = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0]?.n ?? 0).toBeGreaterThanOrEqual(before.rows[0]?.n ?? 0);
    // Random cases rarely form a valid message (`ok` counts them); after the storm a valid one is still stored.
    console.log(`fuzzing /v1: ${ok} of ${RUNS} accepted`);
    const valid = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      payload: { writeKey: KEY, userId: 'after-fuzz', event: 'Fuzz Survived', messageId: 'after-fuzz-1' },
    });
    expect(valid.json()).toEqual({ success: true });
    const stored = await t.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE message_id = 'after-fuzz-1' AND event = 'Fuzz Survived'",
    );
    expect(stored.rows[0]?.n).toBe(1);
  }, 120_000);
});
