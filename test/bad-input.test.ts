/**
 * "Bad input gets a clear error, never a 500": every operation in the OpenAPI document is called with
 * real and made-up ids, malformed JSON, wrong types and junk query strings. Every answer must be
 * below 500, and every error a problem document with a code that docs/errors.md lists.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { createShop, type Shop } from './support/shop.ts';

let t: TestApp;
let shop: Shop;
/** Real ids by prefix (ord, cart, loc, chn, …), harvested from a small shop with one order. */
const real = new Map<string, string>();

const harvest = (value: unknown): void => {
  if (typeof value === 'string') {
    const m = /^([a-z]+)_[0-9A-Z]{26}$/.exec(value);
    // never the admin token itself: revoking it would turn the rest of the walk into 401s
    if (m?.[1] && m[1] !== 'tok' && !real.has(m[1])) real.set(m[1], value);
  } else if (Array.isArray(value)) value.forEach(harvest);
  else if (value && typeof value === 'object') Object.values(value).forEach(harvest);
};

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  harvest(shop);
  const cart = await t.call('POST', '/store/carts', {
    key: shop.web.key,
    body: { items: [{ sku: shop.skus.tee, quantity: 1 }] },
  });
  harvest(cart.body);
  const token = { 'x-plaza-cart-token': String(cart.body.cart_token) };
  const cartId = String((cart.body.cart as { id: string }).id);
  await t.call('PUT', `/store/carts/${cartId}/fulfillment`, {
    key: shop.web.key,
    headers: token,
    body: { type: 'pickup', location_id: shop.storeA },
  });
  const order = await t.call('POST', `/store/carts/${cartId}/checkout`, {
    key: shop.web.key,
    headers: { ...token, 'idempotency-key': 'bad-input-1' },
    body: { email: 'junk@example.com', payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
  });
  expect(order.status).toBe(201);
  harvest(order.body);
  harvest((await t.admin('GET', `/orders/${(order.body.order as { id: string }).id}`)).body);
  harvest(
    (
      await t.call('POST', '/store/customers', {
        key: shop.web.key,
        body: { email: 'junk-owner@example.com', password: 'a long enough password' },
      })
    ).body,
  );
}, 60_000);
afterAll(() => t.close());

interface Operation {
  parameters?: { name: string; in: string; schema?: { pattern?: string } }[];
}

const JUNK_BODIES = [
  '{',
  '[]',
  'null',
  JSON.stringify({ quantity: 'many', sku: 5, email: 1, items: 'none', status: 'nope' }),
  JSON.stringify({ items: [{ sku: 'x'.repeat(5000), quantity: 1e15 }], amount: -1, currency: 'XXX' }),
];
const JUNK_QUERY = '?limit=abc&cursor=%FF%FE&status=zzz&from=yesterday&q=%27%22%5C';

describe('bad input on every route', () => {
  it('never answers 5xx, and every error is a documented problem document', async () => {
    const spec = JSON.parse((await t.app.inject('/openapi.json')).body) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const documented = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const failures: string[] = [];
    let calls = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      if (path.endsWith('/stream')) continue; // Server-Sent Events stay open
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const idFor = (name: string, madeUp: boolean) => {
          const pattern = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema?.pattern;
          const prefix = pattern ? /\^([a-z]+)_/.exec(pattern)?.[1] : undefined;
          if (madeUp) return prefix ? `${prefix}_01ZZZZZZZZZZZZZZZZZZZZZZZZ` : "'; drop table orders;--";
          return (prefix && real.get(prefix)) || 'x';
        };
        for (const madeUp of [false, true]) {
          const url = path.replace(/\{([^}]+)\}/g, (_, name: string) =>
            encodeURIComponent(idFor(name, madeUp)),
          );
          const headers: Record<string, string> = {
            'x-plaza-channel-key': shop.web.key,
            'idempotency-key': `junk-${calls}`,
          };
          if (path.startsWith('/admin')) headers.authorization = `Bearer ${t.adminToken}`;
          const bodies = method === 'get' || method === 'delete' ? [undefined] : JUNK_BODIES;
          for (const payload of bodies) {
            calls++;
            const res = await t.app.inject({
              method: method.toUpperCase() as 'GET',
              url: method === 'get' ? `${url}${JUNK_QUERY}` : url,
              headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
              ...(payload === undefined ? {} : { payload }),
            });
            const what = `${method.toUpperCase()} ${url} ${payload?.slice(0, 40) ?? ''} → ${res.statusCode}`;
            if (res.statusCode >= 500) failures.push(`${what} ${res.body.slice(0, 200)}`);
            else if (res.statusCode >= 400) {
              const type = String(res.headers['content-type'] ?? '');
              const code = (JSON.parse(res.body) as { code?: string }).code;
              if (
                !type.startsWith('application/problem+json') ||
                !code ||
                !documented.includes(`\`${code}\``)
              )
                failures.push(`${what} not a documented problem: ${type} ${res.body.slice(0, 200)}`);
            }
          }
        }
      }
    }
    console.log(`bad input: ${calls} calls, real ids for ${[...real.keys()].join(', ')}`);
    expect(calls).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 240_000);
});
