/** Staff accounts: invitations, links, password policy, role rules, locations and revocation. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import { HOUR } from '../../platform/clock.ts';
import { sha256 } from '../../platform/crypto.ts';
import { createLogger } from '../../platform/log.ts';
import { requestReset } from './auth.ts';
import { as, type Browser, cookieOf, email, PASSWORD, staffUser, tokenOfUrl } from './test-support.ts';

let t: TestApp;
let storeA: string;
let storeB: string;
beforeAll(async () => {
  t = await createTestApp();
  storeA = await newLocation(t);
  storeB = await newLocation(t);
});
afterAll(() => t.close());

const invite = (body: Record<string, unknown>, by?: Browser) =>
  as<{ url: string; user: { id: string; status: string } }>(t, by, 'POST', '/admin/staff/invitations', body);
const acceptLink = (url: string, password = PASSWORD, extra: Record<string, unknown> = {}) =>
  t.call<{ csrf_token: string; user: { id: string; status: string; role: string } }>(
    'POST',
    '/admin/auth/accept',
    {
      body: { token: tokenOfUrl(url), password, ...extra },
    },
  );
const logIn = (address: string, password: string) =>
  t.call('POST', '/admin/auth/login', { body: { email: address, password }, ip: '10.9.0.1' });

describe('invitations and links', () => {
  it('invite → accept → log in; the link works once and only its hash is stored', async () => {
    const address = email('new');
    const inv = await invite({ email: address, name: 'New Person', role: 'staff', location_ids: [storeA] });
    expect(inv.status).toBe(201);
    expect(inv.body.user.status).toBe('invited');
    expect(inv.body.url).toMatch(/^http:\/\/localhost(:\d+)?\/console\/accept\?token=plz_sl_/);
    const token = tokenOfUrl(inv.body.url);
    const stored = await t.deps.db.query('SELECT token_hash FROM staff_links WHERE token_hash = $1', [
      sha256(token),
    ]);
    expect(stored.rowCount).toBe(1);
    expect((await logIn(address, PASSWORD)).status).toBe(401); // not yet activated
    const info = await t.call('POST', '/admin/auth/link', { body: { token } });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ kind: 'invite', email: address, name: 'New Person', role: 'staff' });
    const acc = await acceptLink(inv.body.url, PASSWORD, { name: 'Chosen Name' });
    expect(acc.status).toBe(200);
    expect(acc.body.user).toMatchObject({ id: inv.body.user.id, status: 'active', role: 'staff' });
    expect(cookieOf(acc)).toMatch(/^plz_ss_/);
    expect((await t.call('POST', '/admin/auth/link', { body: { token } })).body.code).toBe('LINK_INVALID');
    const again = await acceptLink(inv.body.url, 'another good password');
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('LINK_INVALID');
    const login = await logIn(address, PASSWORD);
    expect(login.status).toBe(200);
    expect((login.body.user as { name: string }).name).toBe('Chosen Name');
  });

  it('refuses a second account for an e-mail, and a link after 72 hours', async () => {
    const address = email('late');
    const inv = await invite({ email: address, name: 'Late', role: 'manager' });
    const dup = await invite({ email: address.toUpperCase(), name: 'Dup', role: 'manager' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('ALREADY_EXISTS');
    t.clock.advance(72 * HOUR + 1000);
    expect((await acceptLink(inv.body.url)).body.code).toBe('LINK_INVALID');
    // a new invitation link for the invited account
    const fresh = await as<{ url: string }>(
      t,
      undefined,
      'POST',
      `/admin/staff/${inv.body.user.id}/reset-link`,
    );
    expect(fresh.status).toBe(201);
    expect((await acceptLink(fresh.body.url)).status).toBe(200);
  });

  it('applies the password policy with the field named', async () => {
    const inv = await invite({ email: email('pw'), name: 'Pw', role: 'manager' });
    for (const bad of ['short', 'aaaaaaaaaaaaaaa']) {
      const r = await acceptLink(inv.body.url, bad);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.errors?.[0]?.path).toBe('body.password');
    }
    expect((await acceptLink(inv.body.url, 'ten chars!')).status).toBe(200); // the link was not spent
  });

  it('resets a password by link (1 hour): the old password and the old sessions stop working', async () => {
    const u = await staffUser(t, 'manager');
    const link = await as<{ url: string }>(t, undefined, 'POST', `/admin/staff/${u.userId}/reset-link`);
    expect(link.status).toBe(201);
    const expired = await as<{ url: string }>(t, undefined, 'POST', `/admin/staff/${u.userId}/reset-link`);
    t.clock.advance(HOUR + 1000);
    expect((await acceptLink(expired.body.url, 'a brand new password')).body.code).toBe('LINK_INVALID');
    const fresh = await as<{ url: string }>(t, undefined, 'POST', `/admin/staff/${u.userId}/reset-link`);
    expect((await acceptLink(fresh.body.url, 'a brand new password')).status).toBe(200);
    expect((await logIn(u.email, PASSWORD)).status).toBe(401);
    expect((await logIn(u.email, 'a brand new password')).status).toBe(200);
    expect((await as(t, u, 'GET', '/admin/auth/session')).status).toBe(401);
    expect((await acceptLink(link.body.url, 'yet another password')).body.code).toBe('LINK_INVALID');
  });

  it('answers a reset request with 202 for anyone, and logs a working link only for an account', async () => {
    const u = await staffUser(t, 'manager');
    for (const address of [u.email, email('ghost')]) {
      const r = await t.call('POST', '/admin/auth/password-reset', { body: { email: address } });
      expect(r.status).toBe(202);
      expect(r.body).toEqual({ status: 'accepted' });
    }
    const lines: string[] = [];
    const log = createLogger(
      'info',
      'test',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    await requestReset({ ...t.deps, log }, u.email, 'https://shop.example');
    await requestReset({ ...t.deps, log }, email('ghost'), 'https://shop.example');
    const entries = lines.map((l) => JSON.parse(l) as { level: number; email: string; url?: string });
    expect(entries.map((e) => e.level)).toEqual([30, 30]);
    expect(entries[1]?.url).toBeUndefined();
    const url = entries[0]?.url ?? '';
    expect(entries[0]?.email).toBe(u.email);
    expect(url).toMatch(/^https:\/\/shop\.example\/console\/accept\?token=/);
    expect((await acceptLink(url, 'reset by request')).status).toBe(200);
  });
});

describe('role rules', () => {
  let owner: Browser;
  let manager: Browser;
  let clerk: Browser;
  beforeAll(async () => {
    owner = await staffUser(t, 'owner');
    manager = await staffUser(t, 'manager', [], owner);
    clerk = await staffUser(t, 'staff', [storeA], manager);
  });

  it('managers invite and edit managers and staff, never owners', async () => {
    expect((await invite({ email: email('m'), name: 'M', role: 'manager' }, manager)).status).toBe(201);
    const o = await invite({ email: email('o'), name: 'O', role: 'owner' }, manager);
    expect(o.status).toBe(403);
    expect(o.body.code).toBe('FORBIDDEN');
    const ownerId = (await as<{ user: { id: string } }>(t, owner, 'GET', '/admin/auth/session')).body.user.id;
    expect((await as(t, manager, 'PATCH', `/admin/staff/${ownerId}`, { name: 'x' })).status).toBe(403);
    expect((await as(t, manager, 'POST', `/admin/staff/${ownerId}/reset-link`)).status).toBe(403);
    expect((await as(t, manager, 'PATCH', `/admin/staff/${clerk.userId}`, { role: 'owner' })).status).toBe(
      403,
    );
    expect((await as(t, owner, 'PATCH', `/admin/staff/${manager.userId}`, { name: 'Boss' })).status).toBe(
      200,
    );
  });

  it('staff cannot manage staff, nor use admin-only endpoints', async () => {
    expect((await as(t, clerk, 'GET', '/admin/staff')).status).toBe(403);
    expect(
      (await invite({ email: email('s'), name: 'S', role: 'staff', location_ids: [storeA] }, clerk)).status,
    ).toBe(403);
    expect((await as(t, clerk, 'GET', '/admin/channels')).body.code).toBe('FORBIDDEN');
  });

  it('keeps staff of store A out of store B’s pickup queue (cookie session)', async () => {
    const mine = await as(t, clerk, 'GET', `/admin/locations/${storeA}/pickups`);
    expect(mine.status).toBe(200);
    const other = await as(t, clerk, 'GET', `/admin/locations/${storeB}/pickups`);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('FORBIDDEN');
  });

  it('checks locations: staff need existing store locations, owners and managers none', async () => {
    const warehouse = await newLocation(t, { type: 'warehouse', pickup: false });
    const ghost = 'loc_01JAAAAAAAAAAAAAAAAAAAAAAA';
    const none = await invite({ email: email('l'), name: 'L', role: 'staff' });
    expect(none.body.errors?.[0]?.path).toBe('body.location_ids');
    const bad = await invite({
      email: email('l'),
      name: 'L',
      role: 'staff',
      location_ids: [storeA, warehouse, ghost],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['body.location_ids.1', 'body.location_ids.2']);
    const mgr = await invite({ email: email('l'), name: 'L', role: 'manager', location_ids: [storeA] });
    expect(mgr.status).toBe(400);
  });

  it('never leaves no active owner', async () => {
    const ownerId = (await as<{ user: { id: string } }>(t, owner, 'GET', '/admin/auth/session')).body.user.id;
    const others = await t.deps.db.query<{ id: string }>(
      "SELECT id FROM staff_users WHERE role = 'owner' AND status = 'active' AND id <> $1",
      [ownerId],
    );
    for (const o of others.rows)
      await as(t, undefined, 'PATCH', `/admin/staff/${o.id}`, { status: 'disabled' });
    const last = await as(t, owner, 'PATCH', `/admin/staff/${ownerId}`, { role: 'manager' });
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('CONFLICT');
  });

  it('lists with filters and pages', async () => {
    const all = await as<{ data: { role: string }[] }>(t, manager, 'GET', '/admin/staff?role=staff');
    expect(all.status).toBe(200);
    expect(all.body.data.length).toBeGreaterThan(0);
    expect(all.body.data.every((u) => u.role === 'staff')).toBe(true);
    const one = await as<{ data: { id: string }[]; next_cursor: string }>(
      t,
      manager,
      'GET',
      '/admin/staff?limit=1',
    );
    expect(one.body.data).toHaveLength(1);
    const next = await as<{ data: { id: string }[] }>(
      t,
      manager,
      'GET',
      `/admin/staff?limit=1&cursor=${one.body.next_cursor}`,
    );
    expect((next.body.data[0]?.id ?? '') > (one.body.data[0]?.id ?? '')).toBe(true);
    const q = await as<{ data: { id: string }[] }>(t, manager, 'GET', '/admin/staff?q=boss');
    expect(q.body.data.map((u) => u.id)).toEqual([manager.userId]);
    expect((await as(t, manager, 'GET', `/admin/staff/${clerk.userId}`)).status).toBe(200);
  });
});

describe('ending sessions on changes', () => {
  it('a disabled user’s session dies at once and the user cannot log in', async () => {
    const u = await staffUser(t, 'staff', [storeA]);
    expect((await as(t, u, 'GET', `/admin/locations/${storeA}/pickups`)).status).toBe(200);
    const off = await as<{ status: string }>(t, undefined, 'PATCH', `/admin/staff/${u.userId}`, {
      status: 'disabled',
    });
    expect(off.body.status).toBe('disabled');
    const after = await as(t, u, 'GET', `/admin/locations/${storeA}/pickups`);
    expect(after.status).toBe(401);
    expect((await logIn(u.email, PASSWORD)).body.code).toBe('INVALID_CREDENTIALS');
    const on = await as<{ status: string }>(t, undefined, 'PATCH', `/admin/staff/${u.userId}`, {
      status: 'active',
    });
    expect(on.body.status).toBe('active');
    expect((await logIn(u.email, PASSWORD)).status).toBe(200);
  });

  it('a change of role or locations ends the sessions; a change of name does not', async () => {
    const u = await staffUser(t, 'staff', [storeA]);
    await as(t, undefined, 'PATCH', `/admin/staff/${u.userId}`, { name: 'Still here' });
    expect((await as(t, u, 'GET', '/admin/auth/session')).status).toBe(200);
    await as(t, undefined, 'PATCH', `/admin/staff/${u.userId}`, { location_ids: [storeA, storeB] });
    expect((await as(t, u, 'GET', '/admin/auth/session')).status).toBe(401);
    const v = await staffUser(t, 'staff', [storeA]);
    const promoted = await as<{ role: string; location_ids: string[] }>(
      t,
      undefined,
      'PATCH',
      `/admin/staff/${v.userId}`,
      {
        role: 'manager',
      },
    );
    expect(promoted.body).toMatchObject({ role: 'manager', location_ids: [] });
    expect((await as(t, v, 'GET', '/admin/auth/session')).status).toBe(401);
  });
});
