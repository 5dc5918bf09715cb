/** Which publishable key the bundled web shop (/shop) uses. */
import { listChannels, listKeys } from '../modules/channels/index.ts';
import type { Deps } from '../platform/module.ts';

const TTL_MS = 30_000;

/**
 * `PLAZA_SHOP_CHANNEL_KEY` when set, else the first active key of the first `web` channel (the demo
 * shop's). Remembered 30 s, so a new or revoked key shows in the shop within that time.
 */
export const shopChannelKeyResolver = (deps: Deps): (() => Promise<string | undefined>) => {
  const fixed = deps.config.shopChannelKey;
  let cached: { key: string | undefined; at: number } | undefined;
  return async () => {
    if (fixed) return fixed;
    const now = Date.now();
    if (cached && now - cached.at < TTL_MS) return cached.key;
    let key: string | undefined;
    for (const c of await listChannels(deps.db, { type: 'web', limit: 20 })) {
      key = (await listKeys(deps.db, c.id)).find((k) => !k.revoked_at)?.key;
      if (key) break;
    }
    cached = { key, at: now };
    return key;
  };
};
