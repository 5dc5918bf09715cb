/** Staff log-in: the session cookie, CSRF, logout, throttling and expiry (on PGlite and PostgreSQL). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import { MINUTE } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { sha256 } from '../../platform/crypto.ts';
import { buildApp, makeDeps } from '../../server.ts';
import { THROTTLE } from '../customers/index.ts';
import { ENDED_KEPT_MS, SESSION_IDLE_MS, SESSION_MAX_MS, sweepJob } from './sessions.ts';
import { as, type Browser, cookieOf, email, PASSWORD, staffUser } from './test-support.ts';

let t: TestApp;
let store: string;
beforeAll(async () => {
  t = await createTestApp();
  store = await newLocation(t);
});
afterAll(() => t.close());

const logIn = (address: string, password: string, ip = '10.1.0.1', headers: Record<string, string> = {}) =>
  t.call<{ csrf_token: string; user: Record<string, unknown> }>('POST', '/admin/auth/login', {
    body: { email: address, password },
    ip,
    headers,
  });

const setCookie = (r: { headers: Record<string, unknown> }) => String(r.headers['set-cookie']);

describe('logging in', () => {
  it('answers the user and a CSRF token, and sets an HttpOnly SameSite=Lax cookie on /admin', async () => {
    const u = await staffUser(t, 'manager');
    const r = await logIn(u.email.toUpperCase(), PASSWORD);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ id: u.userId, email: u.email, role: 'manager', status: 'active' });
    expect(Object.keys(r.body.user).sort()).toEqual(
      ['created_at', 'email', 'id', 'last_login_at', 'location_ids', 'name', 'role', 'status'].sort(),
    );
    expect(r.body.user.last_login_at).toBe(t.clock.now().toISOString());
    expect(r.body.csrf_token).toMatch(/^[0-9a-f]{64}$/);
    const cookie = setCookie(r);
    expect(cookie).toMatch(/^plaza_session=plz_ss_[A-Za-z0-9_-]+; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).not.toContain('Secure'); // plain http
    // only the hash of the token is stored
    const token = cookieOf(r) ?? '';
    const { rows } = await t.deps.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM staff_sessions WHERE token_hash = $1',
      [sha256(token)],
    );
    expect(rows).toHaveLength(1);
    const all = await t.deps.db.query('SELECT * FROM staff_sessions');
    expect(JSON.stringify(all.rows)).not.toContain(token);
  });

  it('marks the cookie Secure over https, trusting X-Forwarded-Proto only from a trusted proxy', async () => {
    const u = await staffUser(t, 'manager');
    const https = { 'x-forwarded-proto': 'https' };
    expect(setCookie(await logIn(u.email, PASSWORD, '10.0.0.9', https))).not.toContain('Secure');
    const trustProxy = loadConfig({ PLAZA_TRUST_PROXY: '10.0.0.0/8' }).trustProxy;
    const proxied = await buildApp(makeDeps({ ...t.deps, config: { ...t.deps.config, trustProxy } }));
    try {
      const r = await proxied.inject({
        method: 'POST',
        url: '/admin/auth/login',
        payload: { email: u.email, password: PASSWORD },
        headers: https,
        remoteAddress: '10.0.0.9',
      });
      expect(r.statusCode).toBe(200);
      expect(String(r.headers['set-cookie'])).toContain('; Secure');
    } finally {
      await proxied.close();
    }
  });

  it('fails an unknown e-mail and a wrong password the same way', async () => {
    const u = await staffUser(t, 'staff', [store]);
    const wrong = await logIn(u.email, 'not the password', '10.1.1.1');
    const unknown = await logIn(email('nobody'), PASSWORD, '10.1.1.2');
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('INVALID_CREDENTIALS');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('throttles per e-mail (even the right password) and per IP, with Retry-After', async () => {
    const u = await staffUser(t, 'manager');
    for (let i = 0; i < THROTTLE.perAccount; i++) {
      expect((await logIn(u.email, `guess ${i}`, `10.2.${i}.1`)).status).toBe(401);
    }
    const locked = await logIn(u.email, PASSWORD, '10.2.99.1');
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const ip = '10.3.0.1';
    for (let i = 0; i < THROTTLE.perIp; i++)
      expect((await logIn(email('x'), 'whatever pw', ip)).status).toBe(401);
    const byIp = await logIn(email('x'), 'whatever pw', ip);
    expect(byIp.status).toBe(429);
    expect(byIp.headers['retry-after']).toBeDefined();
    // the window passes
    t.clock.advance(THROTTLE.windowMs + MINUTE);
    expect((await logIn(u.email, PASSWORD, '10.2.99.1')).status).toBe(200);
  });
});

describe('the session', () => {
  let u: Browser & { email: string };
  beforeAll(async () => {
    u = await staffUser(t, 'manager');
  });

  it('GET /admin/auth/session answers the user and the same CSRF token; 401 without a session', async () => {
    const s = await as<{ user: { id: string }; csrf_token: string }>(t, u, 'GET', '/admin/auth/session');
    expect(s.status).toBe(200);
    expect(s.body.user.id).toBe(u.userId);
    expect(s.body.csrf_token).toBe(u.csrf);
    expect((await t.call('GET', '/admin/auth/session')).status).toBe(401);
    const junk = await t.call('GET', '/admin/auth/session', {
      headers: { cookie: 'plaza_session=plz_ss_nope' },
    });
    expect(junk.status).toBe(401);
    expect(junk.body.code).toBe('UNAUTHORIZED');
  });

  it('authenticates /admin by cookie: reads need no CSRF token, writes need the right one', async () => {
    expect((await as(t, u, 'GET', '/admin/staff', undefined, { csrf: null })).status).toBe(200);
    const target = await staffUser(t, 'staff', [store]);
    const url = `/admin/staff/${target.userId}`;
    const missing = await as(t, u, 'PATCH', url, { name: 'Renamed' }, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('CSRF_FAILED');
    const wrong = await as(t, u, 'PATCH', url, { name: 'Renamed' }, { csrf: 'f'.repeat(64) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('CSRF_FAILED');
    // another session's token is not this session's
    const other = await staffUser(t, 'manager');
    expect((await as(t, u, 'PATCH', url, { name: 'Renamed' }, { csrf: other.csrf })).status).toBe(403);
    const ok = await as<{ name: string }>(t, u, 'PATCH', url, { name: 'Renamed' });
    expect(ok.status).toBe(200);
    expect(ok.body.name).toBe('Renamed');
  });

  it('lets a bearer token win over the cookie (no CSRF check for tokens)', async () => {
    const r = await t.call('POST', '/admin/staff/invitations', {
      token: t.adminToken,
      headers: { cookie: 'plaza_session=plz_ss_expired_or_junk' },
      body: { email: email('bearer'), name: 'B', role: 'manager' },
    });
    expect(r.status).toBe(201);
  });

  it('logs out: needs the CSRF token, ends the session server-side and clears the cookie', async () => {
    const me = await staffUser(t, 'manager');
    const refused = await as(t, me, 'POST', '/admin/auth/logout', undefined, { csrf: null });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CSRF_FAILED');
    const out = await as(t, me, 'POST', '/admin/auth/logout');
    expect(out.status).toBe(204);
    expect(setCookie(out)).toMatch(/^plaza_session=; .*Max-Age=0/);
    expect((await as(t, me, 'GET', '/admin/auth/session')).status).toBe(401);
    const after = await as(t, me, 'GET', '/admin/staff');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHORIZED');
    // logging out without a session is harmless
    expect((await t.call('POST', '/admin/auth/logout')).status).toBe(204);
  });
});

describe('expiry', () => {
  it('ends a session after 12 idle hours; last_seen_at is written at most once a minute', async () => {
    const u = await staffUser(t, 'manager');
    const seen = async () =>
      (
        await t.deps.db.query<{ last_seen_at: Date }>(
          'SELECT last_seen_at FROM staff_sessions WHERE token_hash = $1',
          [sha256(u.cookie)],
        )
      ).rows[0]?.last_seen_at.getTime();
    const first = await seen();
    t.clock.advance(30_000);
    expect((await as(t, u, 'GET', '/admin/auth/session')).status).toBe(200);
    expect(await seen()).toBe(first);
    t.clock.advance(31_000);
    expect((await as(t, u, 'GET', '/admin/auth/session')).status).toBe(200);
    expect(await seen()).toBe(t.clock.now().getTime());
    t.clock.advance(SESSION_IDLE_MS - MINUTE);
    expect((await as(t, u, 'GET', '/admin/staff')).status).toBe(200);
    t.clock.advance(SESSION_IDLE_MS + 1000);
    expect((await as(t, u, 'GET', '/admin/staff')).status).toBe(401);
  });

  it('ends a session 7 days after login however busy it is', async () => {
    const u = await staffUser(t, 'manager');
    const start = t.clock.now().getTime();
    while (t.clock.now().getTime() + 11 * 3_600_000 < start + SESSION_MAX_MS) {
      t.clock.advance(11 * 3_600_000);
      expect((await as(t, u, 'GET', '/admin/auth/session')).status).toBe(200);
    }
    t.clock.set(new Date(start + SESSION_MAX_MS + 1000));
    expect((await as(t, u, 'GET', '/admin/auth/session')).status).toBe(401);
  });

  it('deletes sessions and links 30 days after they ended, never a live one', async () => {
    const old = await staffUser(t, 'manager');
    t.clock.advance(ENDED_KEPT_MS + SESSION_MAX_MS);
    const live = await staffUser(t, 'manager');
    const count = async () =>
      (
        await t.deps.db.query('SELECT 1 FROM staff_sessions WHERE token_hash = ANY($1)', [
          [sha256(old.cookie)],
        ])
      ).rowCount;
    expect(await count()).toBe(1);
    expect(await sweepJob(t.deps).runOnce()).toBeGreaterThan(0);
    expect(await count()).toBe(0);
    expect((await as(t, live, 'GET', '/admin/auth/session')).status).toBe(200);
    const links = async (userId: string) =>
      (await t.deps.db.query('SELECT 1 FROM staff_links WHERE user_id = $1', [userId])).rowCount;
    expect(await links(old.userId)).toBe(0);
    expect(await links(live.userId)).toBe(1); // used, but kept for 30 days after it expires
  });
});
