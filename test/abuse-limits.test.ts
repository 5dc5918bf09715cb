/**
 * Abuse limits (src/platform/rate-limit.ts): each limit answers 429 RATE_LIMITED with Retry-After once
 * its threshold is passed, and lets requests through again when its window has ended (the test clock
 * moves). Two API instances on one database share the counts: on PostgreSQL the second has a pool of
 * its own, as a second process would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThrottleHash } from '../src/modules/customers/index.ts';
import { trackingTestApp } from '../src/modules/events/tracking/testing.ts';
import { type Db, openPostgres } from '../src/platform/db.ts';
import type { HttpApp } from '../src/platform/http/app.ts';
import { newId } from '../src/platform/ids.ts';
import { deleteExpiredCounters } from '../src/platform/rate-limit.ts';
import { buildApp, makeDeps } from '../src/server.ts';
import { type CallOptions, createTestApp, type Reply, type TestApp } from './support/app.ts';

const LIMITS = {
  PLAZA_RATE_LIMITS: 'on',
  PLAZA_LIMIT_LOGIN_PER_IP: '3/60',
  PLAZA_LIMIT_LOGIN_PER_ACCOUNT: '2/60',
  PLAZA_LIMIT_SIGNUP_PER_IP: '2/600',
  PLAZA_LIMIT_PASSWORD_RESET_PER_IP: '3/600',
  PLAZA_LIMIT_PASSWORD_RESET_PER_ACCOUNT: '2/600',
  PLAZA_LIMIT_PICKUP_PER_ORDER: '2/600',
  PLAZA_LIMIT_PICKUP_PER_IP: '4/600',
  PLAZA_LIMIT_SEARCH_PER_IP: '2/60',
  PLAZA_LIMIT_SEARCH_PER_CHANNEL: '5/60',
};

let t: TestApp;
let key: string;
let secondDb: Db | undefined;
let second: HttpApp;
let ipCount = 0;
/** A fresh client address per test, so that tests do not share per-IP counts. */
const freshIp = () => `198.51.100.${++ipCount}`;

beforeAll(async () => {
  t = await createTestApp({ env: LIMITS });
  key = (await t.channel('web')).key;
  secondDb = t.testDb.url ? await openPostgres(t.testDb.url, { poolSize: 4 }) : undefined;
  second = await buildApp(makeDeps({ ...t.deps, db: secondDb ?? t.deps.db }));
});
afterAll(async () => {
  await second?.close();
  await secondDb?.close();
  await t?.close();
});

const expectLimited = (r: Reply, limit: string) => {
  expect(r.status, r.text).toBe(429);
  expect(r.body.code).toBe('RATE_LIMITED');
  expect(r.body.limit).toBe(limit);
  const retry = Number(r.headers['retry-after']);
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(r.body.retry_after_seconds).toBe(retry);
  return retry;
};

/** Moves the clock past the Retry-After of a refused answer. */
const waitOut = (seconds: number) => t.clock.advance(seconds * 1000);

const login = (email: string, ip: string) =>
  t.call('POST', '/store/auth/token', { key, ip, body: { email, password: 'not the password' } });

describe('login', () => {
  it('per client IP: 3 attempts a minute, then 429 until the window ends', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await login(`ip${i}@example.com`, ip)).status).toBe(401);
    const retry = expectLimited(await login('ip9@example.com', ip), 'loginPerIp');
    expect(retry).toBeLessThanOrEqual(60);
    // another client is not affected; the staff login counts against the same limit
    expect((await login('ip9@example.com', freshIp())).status).toBe(401);
    const staff = await t.call('POST', '/admin/auth/login', {
      ip,
      body: { email: 'staff@example.com', password: 'not the password' },
    });
    expectLimited(staff, 'loginPerIp');
    waitOut(retry);
    expect((await login('ip9@example.com', ip)).status).toBe(401);
  });

  it('per account: 2 attempts a minute from any address; the counter is the throttle’s hash', async () => {
    const email = 'Account@Example.com';
    expect((await login(email, freshIp())).status).toBe(401);
    expect((await login(email.toLowerCase(), freshIp())).status).toBe(401);
    const retry = expectLimited(await login(email, freshIp()), 'loginPerAccount');
    const hash = loginThrottleHash(t.deps, 'account@example.com');
    const rows = await t.deps.db.query<{ hits: number }>(
      `SELECT hits FROM rate_limit_counters WHERE bucket = 'loginPerAccount' AND subject = $1`,
      [hash],
    );
    expect(rows.rows.map((r) => r.hits)).toEqual([3]);
    // no IP address or e-mail in clear
    const clear = await t.deps.db.query(
      `SELECT 1 FROM rate_limit_counters WHERE subject LIKE '%198.51.100%' OR subject LIKE '%example.com%'`,
    );
    expect(clear.rows).toEqual([]);
    waitOut(retry);
    expect((await login(email, freshIp())).status).toBe(401);
  });
});

describe('sign-up and password reset', () => {
  it('sign-up per client IP: 2 in ten minutes', async () => {
    const ip = freshIp();
    const register = (n: number) =>
      t.call('POST', '/store/customers', {
        key,
        ip,
        body: { email: `new${n}@example.com`, password: 'a long password' },
      });
    expect((await register(1)).status).toBe(201);
    expect((await register(2)).status).toBe(201);
    const retry = expectLimited(await register(3), 'signupPerIp');
    expect(retry).toBeGreaterThan(60);
    waitOut(retry);
    expect((await register(3)).status).toBe(201);
  });

  it('staff password reset per account and per client IP', async () => {
    const reset = (email: string, ip: string) =>
      t.call('POST', '/admin/auth/password-reset', { ip, body: { email } });
    expect((await reset('boss@example.com', freshIp())).status).toBe(202);
    expect((await reset('BOSS@example.com', freshIp())).status).toBe(202);
    expectLimited(await reset('boss@example.com', freshIp()), 'passwordResetPerAccount');
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await reset(`other${i}@example.com`, ip)).status).toBe(202);
    const retry = expectLimited(await reset('other9@example.com', ip), 'passwordResetPerIp');
    waitOut(retry);
    expect((await reset('other9@example.com', ip)).status).toBe(202);
    expect((await reset('boss@example.com', freshIp())).status).toBe(202);
  });
});

describe('pickup code attempts', () => {
  const handover = (order: string, ip: string) =>
    t.call('POST', `/admin/orders/${order}/pickup/handover`, {
      token: t.adminToken,
      ip,
      body: { code: '000000' },
    });

  it('per order (2 in ten minutes) and per client IP (4)', async () => {
    const order = newId('ord');
    const ip = freshIp();
    expect((await handover(order, ip)).status).not.toBe(429);
    expect((await handover(order, freshIp())).status).not.toBe(429);
    expectLimited(await handover(order, freshIp()), 'pickupPerOrder');
    // one address trying many orders
    for (let i = 0; i < 3; i++) expect((await handover(newId('ord'), ip)).status).not.toBe(429);
    const retry = expectLimited(await handover(newId('ord'), ip), 'pickupPerIp');
    waitOut(retry);
    expect((await handover(order, ip)).status).not.toBe(429);
  });
});

describe('search', () => {
  const search = (ip: string, q = 'shirt', opts: CallOptions = {}) =>
    t.call('GET', `/store/products?q=${q}`, { key, ip, ...opts });

  it('per client IP: 2 searches a minute; listings without a query are not counted', async () => {
    const ip = freshIp();
    expect((await search(ip)).status).toBe(200);
    expect((await search(ip, 'boots')).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await t.call('GET', '/store/products', { key, ip })).status).toBe(200);
    const retry = expectLimited(await search(ip), 'searchPerIp');
    waitOut(retry);
    expect((await search(ip)).status).toBe(200);
  });

  it('per channel key: 5 searches a minute from every address together', async () => {
    waitOut(60); // a new window
    const other = await t.channel('web', 'Second shop');
    for (let i = 0; i < 5; i++) expect((await search(freshIp())).status).toBe(200);
    const retry = expectLimited(await search(freshIp()), 'searchPerChannel');
    // another channel key has its own count
    expect((await search(freshIp(), 'shirt', { key: other.key })).status).toBe(200);
    waitOut(retry);
    expect((await search(freshIp())).status).toBe(200);
  });
});

describe('shared by every process', () => {
  it('two API instances on one database share one count', async () => {
    waitOut(60);
    const ip = freshIp();
    const on = (app: HttpApp, n: number) =>
      app.inject({
        method: 'POST',
        url: '/store/auth/token',
        headers: { 'x-plaza-channel-key': key },
        payload: { email: `shared${n}@example.com`, password: 'not the password' },
        remoteAddress: ip,
      });
    const answers = await Promise.all([
      on(t.app, 1),
      on(second, 2),
      on(t.app, 3),
      on(second, 4),
      on(t.app, 5),
    ]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('ended windows are purged', async () => {
    const before = (
      await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rate_limit_counters')
    ).rows[0];
    expect(before?.n).toBeGreaterThan(0);
    waitOut(3600);
    expect(await deleteExpiredCounters(t.deps.db, t.clock.now())).toBe(before?.n);
  });
});

describe('Segment ingestion', () => {
  it('per write key (2 a minute here; 120,000 by default), answered the Segment way with Retry-After', async () => {
    const tr = await trackingTestApp({
      env: { PLAZA_LIMIT_INGEST_PER_WRITE_KEY: '2/60', PLAZA_EVENTS_FLUSH_MS: '1' },
    });
    try {
      const wk = `wk_${'L'.repeat(32)}`;
      await tr.source('src_limited', 0, [wk]);
      const track = (n: number) =>
        tr.app.inject({
          method: 'POST',
          url: '/v1/track',
          payload: { writeKey: wk, userId: 'u1', event: 'Limited', messageId: `lim-${n}` },
        });
      expect((await track(1)).statusCode).toBe(200);
      expect((await track(2)).statusCode).toBe(200);
      const refused = await track(3);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ success: false, code: 'RATE_LIMITED' });
      const retry = Number(refused.headers['retry-after']);
      expect(retry).toBeGreaterThanOrEqual(1);
      tr.clock.advance(retry * 1000);
      expect((await track(4)).statusCode).toBe(200);
    } finally {
      await tr.close();
    }
  });
});
