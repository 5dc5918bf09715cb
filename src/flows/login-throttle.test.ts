/**
 * The login throttle under parallel attempts: failures are counted atomically, so a burst of wrong
 * passwords sent at once cannot slip past the per-account or per-IP limit. On PostgreSQL the burst is
 * shared by two API instances, each with its own connection pool (like two processes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { THROTTLE } from '../modules/customers/index.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { type Db, openPostgres } from '../platform/db.ts';
import type { HttpApp } from '../platform/http/app.ts';
import { buildApp, makeDeps } from '../server.ts';

let t: TestApp;
let key: string;
let secondDb: Db | undefined;
let second: HttpApp;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.channel('web')).key;
  secondDb = t.testDb.url ? await openPostgres(t.testDb.url, { poolSize: 10 }) : undefined;
  second = await buildApp(makeDeps({ ...t.deps, db: secondDb ?? t.deps.db }));
});
afterAll(async () => {
  await second.close();
  await secondDb?.close();
  await t.close();
});

/** One login attempt, on either API instance (`forwardedFor`: the X-Forwarded-For a proxy sent). */
const attempt = async (app: HttpApp, email: string, password: string, ip: string, forwardedFor?: string) => {
  const res = await app.inject({
    method: 'POST',
    url: '/store/auth/token',
    headers: { 'x-plaza-channel-key': key, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    payload: { email, password },
    remoteAddress: ip,
  });
  return { status: res.statusCode, code: (res.json() as { code?: string }).code };
};

const tally = (rs: { status: number }[]) => {
  const out: Record<number, number> = {};
  for (const r of rs) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
};

describe('login throttle under parallel attempts', () => {
  it('50 wrong passwords at once for one account: only the first few are checked, the rest are refused', async () => {
    const reg = await t.call('POST', '/store/customers', {
      key,
      body: { email: 'burst@example.com', password: 'the right password' },
    });
    expect(reg.status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        attempt(i % 2 ? second : t.app, 'burst@example.com', `guess ${i}`, `10.20.${i}.1`),
      ),
    );
    expect(tally(results)).toEqual({ 401: THROTTLE.perAccount, 429: 50 - THROTTLE.perAccount });
    expect(results.filter((r) => r.status === 429).every((r) => r.code === 'RATE_LIMITED')).toBe(true);
    // the account stays locked, even for its right password
    expect((await attempt(t.app, 'burst@example.com', 'the right password', '10.21.0.1')).status).toBe(429);
  });

  it('50 wrong logins at once from one IP: only the first few are checked, the rest are refused', async () => {
    const ip = '10.30.0.1';
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        attempt(i % 2 ? second : t.app, `nobody${i}@example.com`, 'some password', ip),
      ),
    );
    expect(tally(results)).toEqual({ 401: THROTTLE.perIp, 429: 50 - THROTTLE.perIp });
    // another IP is not affected
    expect((await attempt(second, 'nobody0@example.com', 'some password', '10.30.0.2')).status).toBe(401);
  });
});

describe('PLAZA_TRUST_PROXY: the client IP of the throttle', () => {
  it('parses off, on, and proxy addresses; refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PLAZA_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ PLAZA_TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(loadConfig({ PLAZA_TRUST_PROXY: ' 10.0.0.0/8, loopback,::1 ' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
    ]);
    for (const bad of ['2', 'proxy.example.com', '10.0.0.0/33', '10.0.0.1,']) {
      expect(() => loadConfig({ PLAZA_TRUST_PROXY: bad })).toThrow(ConfigError);
    }
  });

  it('honours X-Forwarded-For only when set, and only from a trusted proxy', async () => {
    // the client 203.0.113.7 has used up its failures
    const client = '203.0.113.7';
    for (let i = 0; i < THROTTLE.perIp; i++) {
      await t.deps.db.query('INSERT INTO auth_failures (email_hash, ip, created_at) VALUES ($1, $2, $3)', [
        `h${i}`,
        client,
        t.clock.now(),
      ]);
    }
    const trustProxy = loadConfig({ PLAZA_TRUST_PROXY: '10.0.0.0/8' }).trustProxy;
    const listed = await buildApp(makeDeps({ ...t.deps, config: { ...t.deps.config, trustProxy } }));
    try {
      const from = (app: HttpApp, peer: string, xff?: string) =>
        attempt(app, 'proxied@example.com', 'wrong password', peer, xff).then((r) => r.status);
      // not set: the header is ignored, the peer address is the client
      expect(await from(t.app, '10.0.0.1', client)).toBe(401);
      // set: the forwarded client is throttled
      expect(await from(listed, '10.0.0.1', client)).toBe(429);
      // a client prepending a forged address behind a listed proxy: the proxy's entry counts
      expect(await from(listed, '10.0.0.1', `${client}, 198.51.100.9`)).toBe(401);
      // a peer that is not a listed proxy cannot claim to forward anyone
      expect(await from(listed, '192.0.2.1', client)).toBe(401);
    } finally {
      await listed.close();
    }
  });
});
