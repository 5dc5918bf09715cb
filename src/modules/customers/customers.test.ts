import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { THROTTLE } from './service.ts';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.channel('web')).key;
});
afterAll(() => t.close());

const register = (email: string, password = 'long enough pw', extra: Record<string, unknown> = {}) =>
  t.call<{ id: string; email: string }>('POST', '/store/customers', {
    key,
    body: { email, password, ...extra },
  });

const login = (email: string, password: string, ip?: string) =>
  t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
    key,
    body: { email, password },
    ip,
  });

describe('customer accounts', () => {
  it('registers, logs in, reads me, logs out (token revoked server-side)', async () => {
    const reg = await register('Ada@Example.com', 'analytical engine', { first_name: 'Ada' });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ email: 'ada@example.com', first_name: 'Ada', has_account: true });
    expect(JSON.stringify(reg.body)).not.toMatch(/password|scrypt/);

    const s = await login('ada@example.com', 'analytical engine');
    expect(s.status).toBe(200);
    expect(s.body.token).toMatch(/^plz_ct_/);

    const me = await t.call<{ id: string }>('GET', '/store/customers/me', { key, token: s.body.token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(reg.body.id);

    const out = await t.call('DELETE', '/store/auth/token', { key, token: s.body.token });
    expect(out.status).toBe(204);
    const after = await t.call('GET', '/store/customers/me', { key, token: s.body.token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHORIZED');
  });

  it('stores passwords hashed with scrypt', async () => {
    await register('hash@example.com', 'super secret 1');
    const { rows } = await t.deps.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM customers WHERE email = 'hash@example.com'",
    );
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.password_hash).not.toContain('super secret 1');
  });

  it('refuses a second account with the same email', async () => {
    await register('dup@example.com');
    const again = await register('DUP@example.com');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_EXISTS');
  });

  it('validates registration input', async () => {
    const short = await register('short@example.com', 'short');
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('VALIDATION_FAILED');
    const badEmail = await register('not-an-email');
    expect(badEmail.status).toBe(400);
    const extra = await register('extra@example.com', 'long enough pw', { is_admin: true });
    expect(extra.status).toBe(400);
    const long = await register(`${'a'.repeat(260)}@example.com`);
    expect(long.status).toBe(400);
  });

  it('answers a wrong email exactly like a wrong password', async () => {
    await register('same@example.com', 'right password');
    const wrongPassword = await login('same@example.com', 'wrong password', '10.0.0.1');
    const wrongEmail = await login('nobody@example.com', 'right password', '10.0.0.1');
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, request_id: undefined });
    expect(strip(wrongEmail.body)).toEqual(strip(wrongPassword.body));
    expect(wrongEmail.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses customer tokens of other kinds and garbage', async () => {
    const r = await t.call('GET', '/store/customers/me', { key, token: t.adminToken });
    expect(r.status).toBe(401);
    const g = await t.call('GET', '/store/customers/me', { key, token: 'plz_ct_garbage' });
    expect(g.status).toBe(401);
    const anon = await t.call('GET', '/store/customers/me', { key });
    expect(anon.status).toBe(401);
  });

  it('never shows one customer the data of another', async () => {
    await register('alice@example.com', 'alice password');
    await register('bob@example.com', 'bob password');
    const a = await login('alice@example.com', 'alice password');
    const b = await login('bob@example.com', 'bob password');
    const meA = await t.call<{ email: string }>('GET', '/store/customers/me', { key, token: a.body.token });
    const meB = await t.call<{ email: string }>('GET', '/store/customers/me', { key, token: b.body.token });
    expect(meA.body.email).toBe('alice@example.com');
    expect(meB.body.email).toBe('bob@example.com');
    // Logging Bob out does not touch Alice's session.
    await t.call('DELETE', '/store/auth/token', { key, token: b.body.token });
    expect((await t.call('GET', '/store/customers/me', { key, token: a.body.token })).status).toBe(200);
  });

  it('expires sessions', async () => {
    await register('expire@example.com', 'expire password');
    const s = await login('expire@example.com', 'expire password');
    t.clock.advance(31 * 24 * 3_600_000);
    const r = await t.call('GET', '/store/customers/me', { key, token: s.body.token });
    expect(r.status).toBe(401);
  });
});

describe('login throttling', () => {
  it('locks an account after repeated failures, even for the right password, then lets it in again', async () => {
    await register('target@example.com', 'correct password');
    for (let i = 0; i < THROTTLE.perAccount; i++) {
      const r = await login('target@example.com', `guess ${i}`, `10.1.0.${i}`);
      expect(r.status).toBe(401);
    }
    const blocked = await login('target@example.com', 'correct password', '10.1.1.1');
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(THROTTLE.windowMs + 1000);
    const ok = await login('target@example.com', 'correct password', '10.1.1.1');
    expect(ok.status).toBe(200);
  });

  it('limits failures per IP across accounts', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < THROTTLE.perIp; i++) await login(`ip${i}@example.com`, 'whatever pw', ip);
    const blocked = await login('someone-else@example.com', 'whatever pw', ip);
    expect(blocked.status).toBe(429);
    const otherIp = await login('someone-else@example.com', 'whatever pw', '10.9.9.10');
    expect(otherIp.status).toBe(401);
  });
});
