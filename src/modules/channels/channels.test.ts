import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface ChannelBody {
  id: string;
  type: string;
  name: string;
  currency: string;
  locale: string;
}

describe('channels', () => {
  it('creates, gets, lists and updates channels', async () => {
    const created = await t.admin<ChannelBody>('POST', '/channels', {
      type: 'app',
      name: 'Mobile App',
      currency: 'EUR',
      locale: 'fr-fr',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'app', name: 'Mobile App', currency: 'EUR', locale: 'fr-FR' });
    expect(created.body.id).toMatch(/^chn_[0-9A-Z]{26}$/);

    const got = await t.admin<ChannelBody>('GET', `/channels/${created.body.id}`);
    expect(got.body).toEqual(created.body);

    const patched = await t.admin<ChannelBody & { updated_at: string }>(
      'PATCH',
      `/channels/${created.body.id}`,
      {
        name: 'Mobile App FR',
        locale: 'fr-FR',
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Mobile App FR');
    expect(patched.body.type).toBe('app');
  });

  it('accepts every channel type and refuses unknown ones', async () => {
    for (const type of ['web', 'pos', 'kiosk', 'marketplace', 'social', 'call_center']) {
      const r = await t.admin('POST', '/channels', {
        type,
        name: `Type ${type}`,
        currency: 'USD',
        locale: 'en-US',
      });
      expect(r.status, type).toBe(201);
    }
    const bad = await t.admin('POST', '/channels', {
      type: 'fax',
      name: 'Fax',
      currency: 'USD',
      locale: 'en',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('validates currency (ISO 4217) and locale (BCP 47)', async () => {
    const xyz = await t.admin('POST', '/channels', {
      type: 'web',
      name: 'X1',
      currency: 'XYZ',
      locale: 'en',
    });
    expect(xyz.status).toBe(400);
    expect(xyz.body.detail).toMatch(/ISO 4217/);
    const lower = await t.admin('POST', '/channels', {
      type: 'web',
      name: 'X2',
      currency: 'usd',
      locale: 'en',
    });
    expect(lower.status).toBe(400);
    const locale = await t.admin('POST', '/channels', {
      type: 'web',
      name: 'X3',
      currency: 'USD',
      locale: 'en-!!',
    });
    expect(locale.status).toBe(400);
    expect(locale.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses unknown properties, including changing the type', async () => {
    const extra = await t.admin<{ errors: { path: string }[] }>('POST', '/channels', {
      type: 'web',
      name: 'Extra',
      currency: 'USD',
      locale: 'en',
      color: 'red',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0]?.path).toBe('body.color');
    const { id } = await t.channel('web');
    const typeChange = await t.admin('PATCH', `/channels/${id}`, { type: 'pos' });
    expect(typeChange.status).toBe(400);
    const empty = await t.admin('PATCH', `/channels/${id}`, {});
    expect(empty.status).toBe(400);
  });

  it('refuses a duplicate name with ALREADY_EXISTS', async () => {
    await t.admin('POST', '/channels', { type: 'web', name: 'Unique Shop', currency: 'USD', locale: 'en' });
    const dup = await t.admin('POST', '/channels', {
      type: 'app',
      name: 'unique shop',
      currency: 'USD',
      locale: 'en',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('ALREADY_EXISTS');
  });

  it('answers NOT_FOUND for unknown channels', async () => {
    const r = await t.admin('GET', '/channels/chn_01JAAAAAAAAAAAAAAAAAAAAAAA');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('NOT_FOUND');
  });

  it('pages through channels with a cursor and filters by type', async () => {
    for (let i = 0; i < 5; i++) await t.channel('marketplace', `Market ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page: { body: { data: ChannelBody[]; next_cursor: string | null } } = await t.admin(
        'GET',
        `/channels?type=marketplace&limit=2${q}`,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      for (const c of page.body.data) {
        expect(c.type).toBe('marketplace');
        seen.push(c.id);
      }
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });

  it('writes channel events to the outbox in the same transaction', async () => {
    const c = await t.admin<ChannelBody>('POST', '/channels', {
      type: 'kiosk',
      name: 'Lobby Kiosk',
      currency: 'USD',
      locale: 'en',
    });
    const { rows } = await t.deps.db.query<{ type: string }>(
      'SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY seq',
      [c.body.id],
    );
    expect(rows.map((r) => r.type)).toEqual(['channel.created']);
  });
});

describe('publishable keys', () => {
  it('selects the channel on /store and is refused at once when revoked', async () => {
    const c = await t.admin<ChannelBody>('POST', '/channels', {
      type: 'web',
      name: 'Key Shop',
      currency: 'GBP',
      locale: 'en-GB',
    });
    const k1 = await t.admin<{ id: string; key: string }>('POST', `/channels/${c.body.id}/keys`, {
      name: 'site',
    });
    const k2 = await t.admin<{ id: string; key: string }>('POST', `/channels/${c.body.id}/keys`, {});
    expect(k1.status).toBe(201);
    expect(k1.body.key).toMatch(/^pk_/);

    const me = await t.call<{ id: string; currency: string }>('GET', '/store/channel', { key: k1.body.key });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: c.body.id, currency: 'GBP' });

    const list = await t.admin<{ data: { id: string }[] }>('GET', `/channels/${c.body.id}/keys`);
    expect(list.body.data.map((k) => k.id).sort()).toEqual([k1.body.id, k2.body.id].sort());

    const revoked = await t.admin<{ revoked_at: string | null }>(
      'DELETE',
      `/channels/${c.body.id}/keys/${k1.body.id}`,
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const refused = await t.call('GET', '/store/channel', { key: k1.body.key });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('CHANNEL_KEY_REQUIRED');
    expect((await t.call('GET', '/store/channel', { key: k2.body.key })).status).toBe(200);
  });

  it('requires a key on every /store route, and refuses unknown keys and admin tokens in its place', async () => {
    for (const url of ['/store/channel', '/store/customers/me']) {
      const none = await t.call('GET', url);
      expect(none.status, url).toBe(401);
      expect(none.body.code).toBe('CHANNEL_KEY_REQUIRED');
    }
    expect((await t.call('GET', '/store/channel', { key: 'pk_doesnotexist' })).status).toBe(401);
    const adminAsKey = await t.call('GET', '/store/channel', { key: t.adminToken });
    expect(adminAsKey.body.code).toBe('CHANNEL_KEY_REQUIRED');
  });

  it('does not revoke a key through another channel', async () => {
    const a = await t.channel('web');
    const b = await t.channel('web');
    const keys = await t.admin<{ data: { id: string }[] }>('GET', `/channels/${a.id}/keys`);
    const keyId = keys.body.data[0]?.id;
    const r = await t.admin('DELETE', `/channels/${b.id}/keys/${keyId}`);
    expect(r.status).toBe(404);
    expect((await t.call('GET', '/store/channel', { key: a.key })).status).toBe(200);
  });
});
