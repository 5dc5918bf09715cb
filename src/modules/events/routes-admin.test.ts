/** /admin/event-sources: sources, write keys (create, rotate, revoke), roles, the POS's key, the debugger. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { writeKeyResolver } from './sources.ts';
import type { EventSource, EventWriteKey } from './sources-schema.ts';

let t: TestApp;
let staffToken: string;
let web: { id: string; key: string };
let pos: { id: string; key: string };
beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web', 'Sources web');
  pos = await t.channel('pos', 'Sources POS');
  const loc = await t.admin<{ id: string }>('POST', '/locations', {
    name: 'Sources store',
    type: 'store',
    address: { line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
    timezone: 'America/Los_Angeles',
  });
  expect(loc.status).toBe(201);
  staffToken = await t.staff([loc.body.id]);
});
afterAll(() => t.close());

const createSource = async (body: Record<string, unknown>) => {
  const r = await t.admin<EventSource>('POST', '/event-sources', body);
  expect(r.status, r.text).toBe(201);
  return r.body;
};

describe('event sources', () => {
  it('creates, lists, gets, renames and archives a source; the built-in one is listed but fixed', async () => {
    const s = await createSource({ name: 'Web shop', kind: 'web', channel_id: web.id, retention_months: 12 });
    expect(s).toMatchObject({ kind: 'web', channel_id: web.id, retention_months: 12, write_keys: [] });
    expect(s.id).toMatch(/^src_[0-9A-Z]{26}$/);

    const list = await t.admin<{ data: EventSource[] }>('GET', '/event-sources?limit=200');
    expect(list.body.data.map((x) => x.id)).toEqual(expect.arrayContaining(['src_plaza', s.id]));
    const byChannel = await t.admin<{ data: EventSource[] }>('GET', `/event-sources?channel_id=${web.id}`);
    expect(byChannel.body.data.map((x) => x.id)).toEqual([s.id]);

    const renamed = await t.admin<EventSource>('PATCH', `/event-sources/${s.id}`, {
      name: 'Web shop EU',
      retention_months: 24,
    });
    expect(renamed.body).toMatchObject({ name: 'Web shop EU', retention_months: 24 });
    expect((await t.admin<EventSource>('GET', `/event-sources/${s.id}`)).body.name).toBe('Web shop EU');

    const plaza = await t.admin<EventSource>('GET', '/event-sources/src_plaza');
    expect(plaza.body).toMatchObject({ kind: 'plaza', name: 'Plaza' });
    expect((await t.admin('POST', '/event-sources/src_plaza/write-keys')).body.code).toBe('CONFLICT');
    expect((await t.admin('POST', '/event-sources/src_plaza/archive')).body.code).toBe('CONFLICT');

    const archived = await t.admin<EventSource>('POST', `/event-sources/${s.id}/archive`);
    expect(archived.body.archived_at).not.toBeNull();
    const after = await t.admin<{ data: EventSource[] }>('GET', `/event-sources?channel_id=${web.id}`);
    expect(after.body.data).toEqual([]);
    const withArchived = await t.admin<{ data: EventSource[] }>(
      'GET',
      `/event-sources?channel_id=${web.id}&include_archived=true`,
    );
    expect(withArchived.body.data.map((x) => x.id)).toEqual([s.id]);
    const late = await t.admin('POST', `/event-sources/${s.id}/write-keys`);
    expect(late.body.code).toBe('INVALID_STATE_TRANSITION');
    // the name is free again once archived
    await createSource({ name: 'Web shop EU', kind: 'web' });
  });

  it('refuses bad input with problem codes', async () => {
    const bad = async (body: unknown, path: string) => {
      const r = await t.admin('POST', '/event-sources', body);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(r.body.errors)).toContain(path);
    };
    await bad({ name: 'x', kind: 'web', retention_months: 5 }, 'retention_months');
    await bad({ name: 'x', kind: 'plaza' }, 'kind');
    await bad({ name: '', kind: 'web' }, 'name');
    await bad({ name: 'x', kind: 'web', channel_id: 'chn_01ARZ3NDEKTSV4RRFFQ69G5FAV' }, 'channel_id');
    await createSource({ name: 'Twice', kind: 'server' });
    expect((await t.admin('POST', '/event-sources', { name: 'twice', kind: 'app' })).body.code).toBe(
      'ALREADY_EXISTS',
    );
    expect((await t.admin('GET', '/event-sources/src_nope')).body.code).toBe('VALIDATION_FAILED');
    expect((await t.admin('GET', '/event-sources/src_01ARZ3NDEKTSV4RRFFQ69G5FAV')).body.code).toBe(
      'NOT_FOUND',
    );
  });

  it('issues, rotates and revokes write keys', async () => {
    const s = await createSource({ name: 'Server integration', kind: 'server' });
    const created = await t.admin<EventWriteKey>('POST', `/event-sources/${s.id}/write-keys`);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', expires_at: null, revoked_at: null });
    expect(created.body.key).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);

    const rotated = await t.admin<{ key: EventWriteKey; previous: EventWriteKey }>(
      'POST',
      `/event-sources/${s.id}/write-keys/${created.body.id}/rotate`,
      { grace_hours: 1 },
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous).toMatchObject({ id: created.body.id, status: 'expiring' });
    expect(Date.parse(rotated.body.previous.expires_at as string) - t.clock.now().getTime()).toBe(3_600_000);
    expect(rotated.body.key.status).toBe('active');
    // default grace: 24 h
    const again = await t.admin<{ previous: EventWriteKey }>(
      'POST',
      `/event-sources/${s.id}/write-keys/${rotated.body.key.id}/rotate`,
    );
    expect(Date.parse(again.body.previous.expires_at as string) - t.clock.now().getTime()).toBe(86_400_000);

    const resolve = writeKeyResolver(t.deps);
    expect(await resolve(created.body.key)).not.toBeNull();
    const revoked = await t.admin<EventWriteKey>(
      'DELETE',
      `/event-sources/${s.id}/write-keys/${created.body.id}`,
    );
    expect(revoked.body.status).toBe('revoked');
    expect(await resolve(created.body.key)).toBeNull();
    const rotateRevoked = await t.admin(
      'POST',
      `/event-sources/${s.id}/write-keys/${created.body.id}/rotate`,
    );
    expect(rotateRevoked.body.code).toBe('INVALID_STATE_TRANSITION');

    const got = await t.admin<EventSource>('GET', `/event-sources/${s.id}`);
    expect(got.body.write_keys.map((k) => k.status).sort()).toEqual(['active', 'expiring', 'revoked']);
  });

  it('lets staff read their till’s key but not manage sources', async () => {
    const s = await createSource({ name: 'Till', kind: 'pos', channel_id: pos.id });
    const none = await t.admin('GET', `/event-sources/write-key?channel_id=${pos.id}`, undefined, staffToken);
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('NOT_FOUND');
    const k = await t.admin<EventWriteKey>('POST', `/event-sources/${s.id}/write-keys`);
    const mine = await t.admin<{ key: string; source_id: string }>(
      'GET',
      `/event-sources/write-key?channel_id=${pos.id}`,
      undefined,
      staffToken,
    );
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ key: k.body.key, source_id: s.id });

    for (const [method, url] of [
      ['GET', '/event-sources'],
      ['POST', `/event-sources/${s.id}/write-keys`],
      ['GET', `/event-sources/${s.id}/debugger`],
    ] as const) {
      const r = await t.admin(method, url, undefined, staffToken);
      expect(r.status, url).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
    expect((await t.call('GET', '/admin/event-sources')).body.code).toBe('UNAUTHORIZED');
  });
});

describe('the debugger', () => {
  it('shows the newest events and refusals, then only what came since the cursor', async () => {
    const s = await createSource({ name: 'Debugged', kind: 'web' });
    const insert = async (n: number, at: Date) => {
      for (let i = 0; i < n; i++) {
        await t.deps.db.query(
          `INSERT INTO events (source_id, message_id, type, event, anonymous_id, properties, "timestamp", received_at)
           VALUES ($1, $2, 'track', 'Product Viewed', 'anon-1', $3::jsonb, $4, $4)`,
          [s.id, `m-${at.getTime()}-${i}`, JSON.stringify({ sku: `SKU-${i}`, big: 'x'.repeat(800) }), at],
        );
      }
    };
    const refuse = (reason: string) =>
      t.deps.db.query(
        `INSERT INTO event_refusals (source_id, received_at, code, reason, message_type, excerpt)
         VALUES ($1, $2, 'INVALID_MESSAGE', $3, 'track', '{"type":"track"}')`,
        [s.id, t.clock.now(), reason],
      );
    interface Page {
      events: { id: string; event: string; properties_excerpt: string; anonymous_id: string }[];
      refusals: { reason: string; code: string }[];
      cursor: string;
      truncated: boolean;
    }
    const poll = (after?: string, limit = 50) =>
      t.admin<Page>('GET', `/event-sources/${s.id}/debugger?limit=${limit}${after ? `&after=${after}` : ''}`);

    const empty = await poll();
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ events: [], refusals: [], truncated: false });

    await insert(3, t.clock.now());
    await refuse('userId or anonymousId is required');
    const first = await poll(empty.body.cursor);
    expect(first.body.events).toHaveLength(3);
    expect(first.body.events[0]).toMatchObject({ event: 'Product Viewed', anonymous_id: 'anon-1' });
    expect(first.body.events[0]?.properties_excerpt.length).toBe(500);
    expect(first.body.refusals).toMatchObject([
      { code: 'INVALID_MESSAGE', reason: 'userId or anonymousId is required' },
    ]);

    const nothing = await poll(first.body.cursor);
    expect(nothing.body).toMatchObject({ events: [], refusals: [] });

    t.clock.advance(1000);
    await insert(4, t.clock.now());
    const next = await poll(nothing.body.cursor, 2);
    expect(next.body.events).toHaveLength(2);
    expect(next.body.truncated).toBe(true);
    expect(Number(next.body.events[0]?.id)).toBeGreaterThan(Number(next.body.events[1]?.id));
    expect((await poll(next.body.cursor)).body.events).toEqual([]);
    // a cursor that is not ours counts as none, also a forged one out of bigint's or Date's range
    expect((await poll('garbage', 200)).body.events).toHaveLength(7);
    for (const forged of [
      ['99999999999999999999', 0, '0'],
      ['9223372036854775808', 0, '0'],
      ['0', 1e300, '0'],
      ['0', 0, '-1'],
    ]) {
      const r = await poll(Buffer.from(JSON.stringify(forged)).toString('base64url'), 200);
      expect(r.status).toBe(200);
      expect(r.body.events).toHaveLength(7);
    }
  });
});
