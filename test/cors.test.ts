/** CORS: /store open to every origin unless its channel restricts them, /admin closed unless configured. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/modules/access/index.ts';
import { createChannel, createKey } from '../src/modules/channels/index.ts';
import { TestClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { HttpApp } from '../src/platform/http/app.ts';
import { silentLogger } from '../src/platform/log.ts';
import type { Deps } from '../src/platform/module.ts';
import { createTestDb, type TestDb } from '../src/platform/testing.ts';
import { buildApp, makeDeps } from '../src/server.ts';

const CONSOLE = 'https://console.example.com';
const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example';

let testDb: TestDb;
let deps: Deps;
/** Built with PLAZA_ADMIN_ORIGINS=CONSOLE. */
let app: HttpApp;
/** Built without PLAZA_ADMIN_ORIGINS. */
let closed: HttpApp;
let token: string;
let channel: { id: string; key: string };

const depsWith = (env: Record<string, string>) =>
  makeDeps({ db: testDb.db, config: loadConfig(env), log: silentLogger(), clock: new TestClock() });

beforeAll(async () => {
  testDb = await createTestDb();
  deps = depsWith({ PLAZA_ADMIN_ORIGINS: `${CONSOLE}, http://localhost:5173` });
  app = await buildApp(deps);
  closed = await buildApp(depsWith({}));
  token = (await deps.db.tx((tx) => createToken(tx, deps, { name: 'cors', scope: 'admin' }))).token;
  channel = await deps.db.tx(async (tx) => {
    const c = await createChannel(tx, deps, { type: 'web', name: 'Web', currency: 'USD', locale: 'en-US' });
    return { id: c.id, key: (await createKey(tx, deps, c.id)).key };
  });
});
afterAll(async () => {
  await closed.close();
  await app.close();
  await testDb.drop();
});

const preflight = (a: HttpApp, url: string, origin: string, method = 'GET') =>
  a.inject({
    method: 'OPTIONS',
    url,
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers':
        'x-plaza-channel-key, x-plaza-cart-token, idempotency-key, content-type',
    },
  });

const storeGet = (origin?: string) =>
  app.inject({
    method: 'GET',
    url: '/store/products',
    headers: { 'x-plaza-channel-key': channel.key, ...(origin ? { origin } : {}) },
  });

const list = (h: unknown) =>
  String(h ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase());

describe('CORS on /store', () => {
  it('answers a preflight from any origin with 204 and the headers the API reads', async () => {
    const r = await preflight(app, '/store/products', EVIL);
    expect(r.statusCode).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(list(r.headers['access-control-allow-headers'])).toEqual(
      expect.arrayContaining([
        'x-plaza-channel-key',
        'authorization',
        'idempotency-key',
        'x-plaza-cart-token',
        'x-plaza-anonymous-id',
        'x-plaza-order-token',
        'content-type',
        'x-request-id',
      ]),
    );
    expect(list(r.headers['access-control-allow-methods'])).toEqual(
      expect.arrayContaining(['get', 'post', 'patch', 'delete']),
    );
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    expect(Number(r.headers['access-control-max-age'])).toBeGreaterThan(0);
    const checkout = await preflight(
      app,
      '/store/carts/cart_01JAAAAAAAAAAAAAAAAAAAAAAA/checkout',
      EVIL,
      'POST',
    );
    expect(checkout.statusCode).toBe(204);
  });

  it('answers the actual request with CORS headers and exposes the response headers clients read', async () => {
    const r = await storeGet(EVIL);
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(list(r.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining(['x-request-id', 'retry-after']),
    );
    // Errors carry them too, so a browser page can read the problem document.
    const bad = await app.inject({ method: 'GET', url: '/store/products', headers: { origin: EVIL } });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['access-control-allow-origin']).toBe('*');
  });

  it('lets a channel restrict its origins: another origin is refused, its own and non-browsers pass', async () => {
    const patched = await app.inject({
      method: 'PATCH',
      url: `/admin/channels/${channel.id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { settings: { allowed_origins: ['https://SHOP.example.com:443/', SHOP] } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().settings.allowed_origins).toEqual([SHOP]);

    const refused = await storeGet(EVIL);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN', origin: EVIL });
    expect((await storeGet(SHOP)).statusCode).toBe(200);
    expect((await storeGet()).statusCode).toBe(200); // servers and apps send no Origin
    // Preflights carry no channel key: they are answered, and the request that follows is refused.
    expect((await preflight(app, '/store/products', EVIL)).statusCode).toBe(204);

    const reopened = await app.inject({
      method: 'PATCH',
      url: `/admin/channels/${channel.id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { settings: { allowed_origins: [] } },
    });
    expect(reopened.json().settings.allowed_origins).toEqual([]);
    expect((await storeGet(EVIL)).statusCode).toBe(200);
  });

  it('refuses allowed origins that are not origins', async () => {
    const good = await app.inject({
      method: 'PATCH',
      url: `/admin/channels/${channel.id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { settings: { allowed_origins: ['http://localhost:5173'] } },
    });
    expect(good.statusCode).toBe(200);
    for (const bad of ['https://shop.example.com/path', 'ftp://shop.example.com', 'shop.example.com']) {
      const r = await app.inject({
        method: 'PATCH',
        url: `/admin/channels/${channel.id}`,
        headers: { authorization: `Bearer ${token}` },
        payload: { settings: { allowed_origins: [bad] } },
      });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('CORS on /admin', () => {
  it('gives a foreign origin no CORS headers when no admin origins are configured', async () => {
    // The same server answers the same origin on /store…
    expect((await preflight(closed, '/store/products', CONSOLE)).statusCode).toBe(204);
    // …and not on /admin.
    const pre = await preflight(closed, '/admin/channels', CONSOLE);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.statusCode).not.toBe(204);
    const get = await closed.inject({
      method: 'GET',
      url: '/admin/channels',
      headers: { origin: CONSOLE, authorization: `Bearer ${token}` },
    });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the origins of PLAZA_ADMIN_ORIGINS, and only those', async () => {
    const pre = await preflight(app, '/admin/channels', CONSOLE, 'POST');
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(CONSOLE);
    expect(String(pre.headers.vary).toLowerCase()).toContain('origin');
    expect((await preflight(app, '/admin/channels', 'http://localhost:5173')).statusCode).toBe(204);
    const foreign = await preflight(app, '/admin/channels', EVIL);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const get = await app.inject({
      method: 'GET',
      url: '/admin/channels',
      headers: { origin: CONSOLE, authorization: `Bearer ${token}` },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe(CONSOLE);
  });

  it('refuses a malformed PLAZA_ADMIN_ORIGINS at start', () => {
    expect(() => loadConfig({ PLAZA_ADMIN_ORIGINS: 'https://console.example.com/app' })).toThrow(
      /PLAZA_ADMIN_ORIGINS must list origins/,
    );
    expect(loadConfig({ PLAZA_ADMIN_ORIGINS: ' HTTP://Localhost:80 ,' }).adminOrigins).toEqual([
      'http://localhost',
    ]);
  });
});

describe('GET /', () => {
  it('answers a small HTML page linking to the docs, and is not in the OpenAPI document', async () => {
    const r = await app.inject('/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('href="/docs"');
    expect(r.body).toContain('href="/openapi.json"');
    const doc = (await app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/');
  });
});
