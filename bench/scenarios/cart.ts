/** Issue 4: cart operations (add, change quantity, remove) by 32 concurrent shoppers, each on a cart. */
import type { BenchEnv } from '../lib/env.ts';
import { json, type Result, runLoad, send } from '../lib/load.ts';
import { createBenchShop } from '../lib/shop.ts';

interface Cart {
  id: string;
  lines: { id: string; sku: string; quantity: number }[];
}

export const cartOps = async (env: BenchEnv, seconds: number, clients: number): Promise<Result[]> => {
  const shop = await createBenchShop(env, {
    locations: 2,
    products: 40,
    variants: 1,
    units: 1_000_000,
    tag: 'cart',
  });
  const carts = await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const r = await send(env.urls[c % env.urls.length] as string, {
        method: 'POST',
        path: '/store/carts',
        headers: { 'x-plaza-channel-key': shop.key },
        body: {},
      });
      const b = json<{ cart: Cart; cart_token: string }>(r);
      return { id: b.cart.id, token: b.cart_token, lines: [] as Cart['lines'] };
    }),
  );
  const result = await runLoad({
    name: `cart operations (add 50% / change 30% / remove 20%), ${clients} clients`,
    clients,
    seconds,
    step: async (c, i) => {
      const cart = carts[c] as (typeof carts)[number];
      const base = env.urls[c % env.urls.length] as string;
      const headers = { 'x-plaza-channel-key': shop.key, 'x-plaza-cart-token': cart.token };
      const roll = (i * 7 + c) % 10;
      const line = cart.lines[i % Math.max(1, cart.lines.length)];
      let r: Awaited<ReturnType<typeof send>>;
      if (line && cart.lines.length >= 8 && roll < 2) {
        r = await send(base, { method: 'DELETE', path: `/store/carts/${cart.id}/items/${line.id}`, headers });
      } else if (line && roll < 5) {
        r = await send(base, {
          method: 'PATCH',
          path: `/store/carts/${cart.id}/items/${line.id}`,
          headers,
          body: { quantity: 1 + (i % 5) },
        });
      } else {
        const sku = shop.skus[(i * 13 + c) % shop.skus.length] as string;
        r = await send(base, {
          method: 'POST',
          path: `/store/carts/${cart.id}/items`,
          headers,
          body: { sku, quantity: 1 },
        });
      }
      if (r.status === 200) cart.lines = json<Cart>(r).lines;
      return r.status;
    },
  });
  return [result];
};
