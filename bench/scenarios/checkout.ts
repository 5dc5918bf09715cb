/** Issue 4: full checkouts by 32 concurrent shoppers (cart with items → shipping → pay with test card). */
import type { BenchEnv } from '../lib/env.ts';
import { json, type Result, runLoad, send } from '../lib/load.ts';
import { createBenchShop } from '../lib/shop.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 10) / 10;
};

export const checkouts = async (env: BenchEnv, seconds: number, clients: number): Promise<Result[]> => {
  const shop = await createBenchShop(env, {
    locations: 2,
    products: 40,
    variants: 1,
    units: 1_000_000,
    tag: 'chk',
  });
  const address = {
    name: 'Bench',
    line1: '1 Bench St',
    city: 'Portland',
    postal_code: '97205',
    country: 'US',
  };
  const checkoutLatency: number[] = [];
  let n = 0;
  const result = await runLoad({
    name: `full checkouts (create cart with 2 items, ship, pay), ${clients} clients`,
    clients,
    seconds,
    step: async (c, i) => {
      const base = env.urls[c % env.urls.length] as string;
      const key = { 'x-plaza-channel-key': shop.key };
      const items = [0, 1].map((k) => ({
        sku: shop.skus[(i * 3 + c + k * 17) % shop.skus.length] as string,
        quantity: 1,
      }));
      const created = await send(base, {
        method: 'POST',
        path: '/store/carts',
        headers: key,
        body: { items },
      });
      if (created.status !== 201) return created.status;
      const { cart, cart_token } = json<{ cart: { id: string }; cart_token: string }>(created);
      const headers = { ...key, 'x-plaza-cart-token': cart_token };
      const f = await send(base, {
        method: 'PUT',
        path: `/store/carts/${cart.id}/fulfillment`,
        headers,
        body: { type: 'shipping', address },
      });
      if (f.status !== 200) return f.status;
      const t0 = performance.now();
      const paid = await send(base, {
        method: 'POST',
        path: `/store/carts/${cart.id}/checkout`,
        headers: { ...headers, 'idempotency-key': `bench-${c}-${i}-${++n}` },
        body: {
          email: 'bench@example.com',
          payment: { provider: 'test-card', card_number: '4242424242424242' },
        },
      });
      checkoutLatency.push(performance.now() - t0);
      return paid.status;
    },
  });
  const only = checkoutLatency.slice(-result.ops);
  return [
    result,
    {
      ...result,
      name: `  of which the checkout request alone (POST …/checkout)`,
      p50: pct(only, 50),
      p95: pct(only, 95),
      p99: pct(only, 99),
      max: pct(only, 100),
    },
  ];
};
