/**
 * Unique-constraint races answer 409 or the existing resource, never 500: requests sent at the same
 * moment (truly concurrent on PostgreSQL, where the pool runs them on several connections; interleaved
 * on PGlite) register one e-mail, add default addresses for one customer, and create a logged-in
 * customer's cart from several devices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Reply, type TestApp } from './support/app.ts';
import { createShop, type Shop } from './support/shop.ts';

let t: TestApp;
let shop: Shop;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
}, 120_000);
afterAll(() => t.close());

const PASSWORD = 'a long enough password';

const newCustomer = async (): Promise<string> => {
  const email = `race-${++n}-${Date.now()}@example.com`;
  const reg = await t.call('POST', '/store/customers', {
    key: shop.web.key,
    body: { email, password: PASSWORD },
  });
  expect(reg.status).toBe(201);
  const login = await t.call('POST', '/store/auth/token', {
    key: shop.web.key,
    body: { email, password: PASSWORD },
  });
  expect(login.status).toBe(200);
  return String(login.body.token);
};

const statusesOf = (replies: Reply[]) => replies.map((r) => r.status).sort();

describe('unique-constraint races', () => {
  it('two to four registrations of one e-mail at once: one account, the others 409 ALREADY_EXISTS', async () => {
    const problems: string[] = [];
    for (let round = 0; round < 8; round++) {
      const email = `twin-${round}-${Date.now()}@example.com`;
      const replies = await Promise.all(
        Array.from({ length: 2 + (round % 3) }, () =>
          t.call('POST', '/store/customers', { key: shop.web.key, body: { email, password: PASSWORD } }),
        ),
      );
      const created = replies.filter((r) => r.status === 201).length;
      const refused = replies.filter((r) => r.status === 409 && r.body.code === 'ALREADY_EXISTS').length;
      if (created !== 1 || created + refused !== replies.length) {
        problems.push(`${email}: ${replies.map((r) => `${r.status} ${r.body.code ?? ''}`).join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('default addresses added at once: all added, exactly one default', async () => {
    const problems: string[] = [];
    for (let round = 0; round < 6; round++) {
      const token = await newCustomer();
      const add = (i: number) =>
        t.call('POST', '/store/customers/me/addresses', {
          key: shop.web.key,
          token,
          // odd rounds: every address asks to be the default; even rounds: the first one becomes it
          body: {
            line1: `${i} Main St`,
            city: 'Portland',
            country: 'US',
            ...(round % 2 ? { is_default_shipping: true } : {}),
          },
        });
      const replies = await Promise.all([add(1), add(2), add(3), add(4)]);
      const me = await t.call<{ addresses: { is_default_shipping: boolean }[] }>(
        'GET',
        '/store/customers/me',
        {
          key: shop.web.key,
          token,
        },
      );
      const defaults = me.body.addresses.filter((a) => a.is_default_shipping).length;
      if (statusesOf(replies).some((s) => s !== 201) || me.body.addresses.length !== 4 || defaults !== 1) {
        problems.push(
          `round ${round}: ${statusesOf(replies).join(',')}; ${me.body.addresses.length} addresses, ${defaults} default`,
        );
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("several devices creating a logged-in customer's cart at once: one cart, every device gets it", async () => {
    const problems: string[] = [];
    for (let round = 0; round < 6; round++) {
      const token = await newCustomer();
      const replies = await Promise.all(
        [shop.skus.tee, shop.skus.hoodie, shop.skus.tee].map((sku) =>
          t.call<{ cart: { id: string; item_count: number } }>('POST', '/store/carts', {
            key: shop.web.key,
            token,
            body: { items: [{ sku, quantity: 1 }] },
          }),
        ),
      );
      const ids = new Set(replies.map((r) => r.body.cart?.id));
      const current = await t.call<{ id: string; item_count: number }>('GET', '/store/carts/current', {
        key: shop.web.key,
        token,
      });
      if (statusesOf(replies).some((s) => s !== 201) || ids.size !== 1 || current.body.item_count !== 3) {
        problems.push(
          `round ${round}: ${replies.map((r) => `${r.status} ${r.body.code ?? r.body.cart?.id}`).join(', ')}; current has ${current.body.item_count} items`,
        );
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
