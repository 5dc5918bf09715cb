/**
 * The database's share of a cart change: the same two statements the API runs for one (read the cart
 * with its lines and live stock; write the line with an optimistic version check), sent from this
 * process through a pg pool, with no HTTP and no API process in the way. On a small machine that runs
 * everything, this is the ceiling the HTTP cart benchmark can approach. PostgreSQL only.
 */

import { cartWithLines, writeLineIfVersion } from '../../src/modules/carts/repo.ts';
import { openPostgres } from '../../src/platform/db.ts';
import { newId } from '../../src/platform/ids.ts';
import type { BenchEnv } from '../lib/env.ts';
import { json, type Result, runLoad, send } from '../lib/load.ts';
import { createBenchShop } from '../lib/shop.ts';

export const cartStatements = async (env: BenchEnv, seconds: number, clients: number): Promise<Result[]> => {
  if (!env.databaseUrl) return [];
  const shop = await createBenchShop(env, {
    locations: 2,
    products: 40,
    variants: 1,
    units: 1_000_000,
    tag: 'sql',
  });
  const carts = await Promise.all(
    Array.from({ length: clients }, async () => {
      const r = await send(env.urls[0] as string, {
        method: 'POST',
        path: '/store/carts',
        headers: { 'x-plaza-channel-key': shop.key },
        body: {},
      });
      return json<{ cart: { id: string } }>(r).cart.id;
    }),
  );
  const db = await openPostgres(env.databaseUrl, { poolSize: 16 });
  try {
    const result = await runLoad({
      name: `cart change statements without HTTP (2 per change), ${clients} clients`,
      clients,
      seconds,
      ok: [409],
      step: async (c, i) => {
        const cartId = carts[c] as string;
        const sku = shop.skus[(i * 13 + c) % shop.skus.length] as string;
        const state = await cartWithLines(db, cartId, false, {
          locationIds: shop.locationIds,
          extraSkus: [sku],
        });
        if (!state) return 404;
        const existing = state.lines.find((l) => l.sku === sku);
        const written = await writeLineIfVersion(
          db,
          cartId,
          state.cart.version,
          existing && state.lines.length >= 8
            ? { kind: 'remove', id: existing.id }
            : {
                kind: 'set',
                id: existing?.id ?? newId('cli'),
                sku,
                quantity: 1 + (i % 5),
                channelId: shop.channelId,
              },
          new Date(),
        );
        return written ? 200 : 409;
      },
    });
    return [result];
  } finally {
    await db.close();
  }
};
