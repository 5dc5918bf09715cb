/** Which write key the bundled web shop (/shop) sends its analytics.js events with. */

import type { Deps } from '../../platform/module.ts';
import { channelKeyResolver, getChannel } from '../channels/index.ts';
import { ensureChannelWriteKey, writeKeyResolver } from './sources.ts';

const TTL_MS = 30_000;

/**
 * The active write key of the `web` source of the shop's channel (the channel of `shopChannelKey`,
 * src/flows/shop-channel.ts), creating that source and a key on first use, so a fresh `npm start`
 * collects the shop's events. Written into the shop page as `<meta name="plaza-write-key">`.
 * Remembered 30 s; a remembered key that was revoked, expired or archived is replaced at once.
 * Never fails the page: on an error there is no key (the shop then sends no events).
 */
export const shopWriteKeyResolver = (
  deps: Deps,
  shopChannelKey: () => Promise<string | undefined>,
): (() => Promise<string | undefined>) => {
  const resolveChannel = channelKeyResolver(deps);
  const resolveWriteKey = writeKeyResolver(deps);
  let cached: { key: string | undefined; at: number } | undefined;
  return async () => {
    const now = Date.now();
    if (cached && now - cached.at < TTL_MS && (!cached.key || (await resolveWriteKey(cached.key)))) {
      return cached.key;
    }
    try {
      const pk = await shopChannelKey();
      const channelId = pk ? (await resolveChannel(pk))?.channelId : undefined;
      const channel = channelId ? await getChannel(deps.db, channelId) : undefined;
      const key = channel
        ? (await deps.db.tx((tx) => ensureChannelWriteKey(tx, deps, channel, 'web'))).key
        : undefined;
      cached = { key, at: now };
      return key;
    } catch (err) {
      deps.log.warn({ err }, 'the shop page goes out without a write key');
      return undefined;
    }
  };
};
