/**
 * Nothing personal or secret in logs: the real app, logging at `trace` into memory, is called on every
 * route that takes a token or a lookup value in its path or query string, plus a route that fails with
 * an error carrying personal data. Then the whole log is read: none of the values appears, and the
 * request lines still say which route was called with which harmless parameters.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../src/modules.ts';
import type { HttpApp } from '../src/platform/http/app.ts';
import { createLogger } from '../src/platform/log.ts';
import type { PlazaModule } from '../src/platform/module.ts';
import { buildApp, makeDeps } from '../src/server.ts';
import { createTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
let app: HttpApp;
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

const email = 'ada.lovelace@example.com';
const phone = '+15035550100';
const card = 'K7M4P9Q2R8T';
const search = 'lovelace';
const lat = '45.523064';
const lng = '-122.676483';
const optInToken = `plz_cf_${randomBytes(24).toString('base64url')}`;
const unsubscribeToken = `u1.${Buffer.from('cus_x:marketing:email').toString('base64url')}.${'ab12'.repeat(8)}`;
const orderToken = `plz_ot_${randomBytes(32).toString('base64url')}`;
let channelKey = '';
let customerToken = '';
let cartToken = '';

/** A route that fails the way a database error with a row's values would. */
const boom: PlazaModule = {
  name: 'boom',
  adminRoutes(a) {
    a.get('/__boom', async () => {
      const e = new Error(`insert failed for ${email} (token ${orderToken})`) as Error &
        Record<string, unknown>;
      e.code = '23514';
      e.detail = `Failing row contains (${email}, ${phone}).`;
      e.constraint = 'customers_email_check';
      e.cause = new Error(`lookup of ${phone}`);
      throw e;
    });
  },
};

beforeAll(async () => {
  t = await createTestApp();
  channelKey = (await t.channel('web')).key;
  const reg = await t.call('POST', '/store/customers', {
    key: channelKey,
    body: { email, password: 'a long password', phone },
  });
  expect(reg.status).toBe(201);
  customerToken = (
    await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: channelKey,
      body: { email, password: 'a long password' },
    })
  ).body.token;
  cartToken = (await t.call<{ cart_token: string }>('POST', '/store/carts', { key: channelKey, body: {} }))
    .body.cart_token;
  expect(customerToken).toMatch(/^plz_ct_/);
  expect(cartToken).toMatch(/^plz_cart_/);
  app = await buildApp(makeDeps({ ...t.deps, log: createLogger('trace', 'plaza', sink) }), [
    ...MODULES,
    boom,
  ]);
}, 60_000);
afterAll(async () => {
  await app.close();
  await t.close();
});

const call = (method: string, url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: method as 'GET', url, headers });

describe('request and error logs', () => {
  it('hold no token, key, lookup value or personal data, but still name the route and harmless parameters', async () => {
    const q = (v: string) => encodeURIComponent(v);
    const adminHeaders = { authorization: `Bearer ${t.adminToken}` };
    const calls: [string, string, Record<string, string>?][] = [
      [
        'GET',
        `/store/carts/car_unknown/stream?channel_key=${channelKey}&cart_token=${cartToken}&access_token=${customerToken}`,
      ],
      ['POST', `/store/consents/confirm/${optInToken}?channel_key=${channelKey}`],
      ['POST', `/store/unsubscribe/${unsubscribeToken}?channel_key=${channelKey}`],
      ['GET', `/admin/pos/customers?phone=${q(phone)}&email=${q(email)}&card=${card}`, adminHeaders],
      ['GET', `/admin/pos/customers?phone=${phone}`, adminHeaders], // `+` unencoded
      ['GET', `/admin/customers?identity=${q(email)}&limit=5`, adminHeaders],
      ['GET', `/admin/customers?identity=${q(phone)}`, adminHeaders],
      ['GET', `/admin/products?q=${search}&limit=5&status=active`, adminHeaders],
      ['GET', `/store/products?q=${search}&limit=5`, { 'x-plaza-channel-key': channelKey }],
      ['GET', `/store/locations?lat=${lat}&lng=${lng}`, { 'x-plaza-channel-key': channelKey }],
      // unknown parameters and unmatched routes: nothing says which part is a secret but its shape
      [
        'GET',
        `/store/orders/ord_x?order_token=${orderToken}&email=${email}`,
        { 'x-plaza-channel-key': channelKey },
      ],
      ['GET', `/store/consent/confirm/${optInToken}`],
      ['GET', `/store/customers/${q(email)}`],
      ['GET', '/admin/__boom', adminHeaders],
    ];
    for (const [method, url, headers] of calls) await call(method, url, headers);

    const log = lines.join('\n');
    const secrets = [
      email,
      phone,
      card,
      search,
      lat,
      lng,
      optInToken,
      unsubscribeToken,
      orderToken,
      channelKey,
    ];
    for (const s of [...secrets, customerToken, cartToken, t.adminToken, 'Failing row']) {
      expect(log).not.toContain(s);
      expect(log).not.toContain(encodeURIComponent(s));
    }
    expect(log).not.toContain('15035550100');

    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /store/carts/car_unknown/stream?channel_key=[redacted]&cart_token=[redacted]&access_token=[redacted]',
      'POST /store/consents/confirm/[redacted]?channel_key=[redacted]',
      'POST /store/unsubscribe/[redacted]?channel_key=[redacted]',
      'GET /admin/pos/customers?phone=[redacted]&email=[redacted]&card=[redacted]',
      'GET /admin/pos/customers?phone=[redacted]',
      'GET /admin/customers?identity=[redacted]&limit=5',
      'GET /admin/customers?identity=[redacted]',
      'GET /admin/products?q=[redacted]&limit=5&status=active',
      'GET /store/products?q=[redacted]&limit=5',
      'GET /store/locations?lat=[redacted]&lng=[redacted]',
      'GET /store/orders/ord_x?order_token=[redacted]&email=[redacted]',
      'GET /store/consent/confirm/[redacted]',
      'GET /store/customers/[redacted]',
      'GET /admin/__boom',
    ]);
    expect(requests.every((r) => typeof r.status === 'number' && r.reqId)).toBe(true);

    // the error line says what failed, where, and which constraint, without the row's values
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error');
    expect(failure.req).toEqual({ method: 'GET', url: '/admin/__boom' });
    expect(failure.err).toMatchObject({
      type: 'Error',
      code: '23514',
      constraint: 'customers_email_check',
      message: 'insert failed for [redacted] (token [redacted])',
      cause: { message: 'lookup of [redacted]' },
    });
    expect(failure.err.detail).toBeUndefined();
  });

  it('Fastify and module code logging a request object get the same redaction', async () => {
    lines.length = 0;
    app.log.info({ req: { method: 'GET', url: `/store/x?cart_token=${cartToken}&limit=2` } }, 'raw');
    const line = JSON.parse(lines[0] as string);
    expect(line.req).toEqual({ method: 'GET', url: '/store/x?cart_token=[redacted]&limit=2' });
  });
});
