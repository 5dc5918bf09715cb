import type { ChannelType } from '../../modules/channels/index.ts';
import { createChannel, createKey, findChannelByName, listKeys } from '../../modules/channels/index.ts';
import { ensureChannelWriteKey } from '../../modules/events/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';

export interface DemoChannel {
  name: string;
  type: ChannelType;
  id: string;
  key: string;
  /** The write key of the channel's event source (analytics.js / the SDKs), docs/event-sources.md. */
  writeKey: string;
}

const SOURCE_KIND = { web: 'web', app: 'app', pos: 'pos' } as const;

export const DEMO_CHANNELS: { name: string; type: ChannelType; locale: string }[] = [
  { name: 'Plaza Outfitters Web', type: 'web', locale: 'en-US' },
  { name: 'Plaza Outfitters App', type: 'app', locale: 'en-US' },
  { name: 'Downtown Store POS', type: 'pos', locale: 'en-US' },
  { name: 'Riverside Store POS', type: 'pos', locale: 'en-US' },
];

export const DEMO_CURRENCY = 'USD';

/**
 * Creates the demo channels that do not exist yet, each with an active publishable key and an event
 * source (web, app or pos) with an active write key.
 */
export const seedChannels = async (tx: Tx, deps: Pick<Deps, 'clock'>): Promise<DemoChannel[]> => {
  const out: DemoChannel[] = [];
  for (const c of DEMO_CHANNELS) {
    const channel =
      (await findChannelByName(tx, c.name)) ??
      (await createChannel(tx, deps, {
        name: c.name,
        type: c.type,
        currency: DEMO_CURRENCY,
        locale: c.locale,
      }));
    const active = (await listKeys(tx, channel.id)).find((k) => !k.revoked_at);
    const key = active ?? (await createKey(tx, deps, channel.id, 'demo'));
    const kind = SOURCE_KIND[channel.type as keyof typeof SOURCE_KIND] ?? 'server';
    const writeKey = await ensureChannelWriteKey(tx, deps, channel, kind);
    out.push({
      name: channel.name,
      type: channel.type,
      id: channel.id,
      key: key.key,
      writeKey: writeKey.key,
    });
  }
  return out;
};
