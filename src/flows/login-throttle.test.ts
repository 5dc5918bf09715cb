/**
 * The login throttle under parallel attempts: failures are counted atomically, so a burst of wrong
 * passwords sent at once cannot slip past the per-account or per-IP limit. On PostgreSQL the burst is
 * shared by two API instances, each with its own connection pool (like two processes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { THROTTLE } from '../modules/customers/service.ts';
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

/** One login attempt, on either API instance. */
const attempt = async (app: HttpApp, email: string, password: string, ip: string) => {
  const res = await app.inject({
    method: 'POST',
    url: '/store/auth/token',
    headers: { 'x-plaza-channel-key': key },
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
