/** Issue 3: availability of one product with 50 variants across 100 locations (product page). */
import type { BenchEnv } from '../lib/env.ts';
import { type Result, runLoad, send } from '../lib/load.ts';
import { createBenchShop } from '../lib/shop.ts';

export const availability = async (env: BenchEnv, seconds: number): Promise<Result[]> => {
  const shop = await createBenchShop(env, {
    locations: 100,
    products: 1,
    variants: 50,
    units: 7,
    tag: 'avail',
  });
  const path = `/store/products/${shop.productIds[0]}`;
  const headers = { 'x-plaza-channel-key': shop.key };
  const check = await send(env.urls[0] as string, { method: 'GET', path, headers });
  const body = JSON.parse(check.body) as { variants: { available: number; pickup_units: number[] }[] };
  if (
    body.variants.length !== 50 ||
    body.variants[0]?.available !== 700 ||
    body.variants[0]?.pickup_units.filter((n) => n === 7).length !== 99
  ) {
    throw new Error(`unexpected product page: ${check.body.slice(0, 300)}`);
  }
  const results: Result[] = [];
  for (const clients of [1, 8]) {
    results.push(
      await runLoad({
        name: `product page, 50 variants × 100 locations, ${clients} client(s)`,
        clients,
        seconds,
        step: async (c) =>
          (await send(env.urls[c % env.urls.length] as string, { method: 'GET', path, headers })).status,
      }),
    );
  }
  return results;
};
