import { announceInvalidation, registerCache, TtlCache } from '../../platform/cache.ts';
import { isCountry } from '../../platform/country.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound, validation } from '../../platform/errors.ts';
import { type ChannelPrincipal, PUBLISHABLE_KEY_PREFIX } from '../../platform/http/auth.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { isCurrency } from '../../platform/money.ts';
import { normalizeOrigin } from '../../platform/origins.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import * as repo from './repo.ts';
import type { CreateChannelBody, UpdateChannelBody } from './schema.ts';
import { type ChannelSettingsPatch, invalidateSettings } from './settings.ts';

const checkCurrency = (currency: string | undefined) => {
  if (currency !== undefined && !isCurrency(currency)) {
    throw validation(`${currency} is not an ISO 4217 currency code`, [
      { path: 'body.currency', message: 'is not an ISO 4217 currency code' },
    ]);
  }
};

const canonicalLocale = (locale: string | undefined): string | undefined => {
  if (locale === undefined) return undefined;
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    throw validation(`${locale} is not a valid BCP 47 locale`, [
      { path: 'body.locale', message: 'is not a valid BCP 47 locale' },
    ]);
  }
};

/** Settings as stored: allowed origins validated and spelled as browsers send them, without repeats. */
const checkSettings = (settings: ChannelSettingsPatch | undefined): ChannelSettingsPatch | undefined => {
  if (settings?.default_country && !isCountry(settings.default_country)) {
    throw validation(`${settings.default_country} is not an ISO 3166-1 alpha-2 country code`, [
      { path: 'body.settings.default_country', message: 'is not an ISO 3166-1 alpha-2 country code' },
    ]);
  }
  if (!settings?.allowed_origins) return settings;
  const origins = settings.allowed_origins.map((o, i) => {
    const origin = normalizeOrigin(o);
    if (origin) return origin;
    throw validation(`${o} is not a web origin such as https://shop.example.com`, [
      { path: `body.settings.allowed_origins.${i}`, message: 'is not an http(s) origin' },
    ]);
  });
  return { ...settings, allowed_origins: [...new Set(origins)] };
};

/** Creates a channel (unique name, ISO 4217 currency, canonical BCP 47 locale). */
export const createChannel = async (tx: Tx, deps: Pick<Deps, 'clock'>, input: CreateChannelBody) => {
  checkCurrency(input.currency);
  const now = deps.clock.now();
  const row = await repo.insertChannel(tx, {
    id: newId('chn'),
    type: input.type,
    name: input.name.trim(),
    currency: input.currency,
    locale: canonicalLocale(input.locale) as string,
    settings: checkSettings(input.settings) ?? {},
    created_at: now,
    updated_at: now,
  });
  await writeEvent(tx, deps.clock, {
    type: 'channel.created',
    aggregateType: 'channel',
    aggregateId: row.id,
    data: repo.channelToApi(row),
  });
  return row;
};

export const updateChannel = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  patch: UpdateChannelBody,
) => {
  checkCurrency(patch.currency);
  const row = await repo.updateChannel(
    tx,
    id,
    {
      name: patch.name?.trim(),
      currency: patch.currency,
      locale: canonicalLocale(patch.locale),
      settings: checkSettings(patch.settings),
    },
    deps.clock.now(),
  );
  if (!row) throw notFound('Channel', id);
  await invalidateSettings(tx, id);
  for (const k of await repo.listKeys(tx, id)) await announceInvalidation(tx, 'channel_keys', k.key);
  await writeEvent(tx, deps.clock, {
    type: 'channel.updated',
    aggregateType: 'channel',
    aggregateId: id,
    data: { ...repo.channelToApi(row), changed: Object.keys(patch) },
  });
  return row;
};

export const getChannelOrThrow = async (tx: Tx | Deps['db'], id: string) => {
  const row = await repo.getChannel(tx, id);
  if (!row) throw notFound('Channel', id);
  return row;
};

/** Issues a publishable key (`pk_…`) for a channel. Publishable keys are public by design (shipped in apps). */
export const createKey = async (tx: Tx, deps: Pick<Deps, 'clock'>, channelId: string, name?: string) => {
  await getChannelOrThrow(tx, channelId);
  const row = await repo.insertKey(tx, {
    id: newId('key'),
    channel_id: channelId,
    key: newSecret(PUBLISHABLE_KEY_PREFIX, 24),
    name: name?.trim() || 'default',
    created_at: deps.clock.now(),
  });
  await writeEvent(tx, deps.clock, {
    type: 'channel.key_created',
    aggregateType: 'channel',
    aggregateId: channelId,
    data: { channel_id: channelId, key_id: row.id, name: row.name },
  });
  return row;
};

/** Revokes a key: the next /store request with it is refused. */
export const revokeKey = async (tx: Tx, deps: Pick<Deps, 'clock'>, channelId: string, keyId: string) => {
  const existing = await repo.getKey(tx, channelId, keyId);
  if (!existing) throw notFound('Channel key', keyId);
  if (existing.revoked_at) return existing;
  const row = (await repo.revokeKey(tx, keyId, deps.clock.now())) as repo.KeyRow;
  await announceInvalidation(tx, 'channel_keys', row.key);
  await writeEvent(tx, deps.clock, {
    type: 'channel.key_revoked',
    aggregateType: 'channel',
    aggregateId: channelId,
    data: { channel_id: channelId, key_id: keyId },
  });
  return row;
};

/**
 * Active keys seen by this process (every /store request resolves one). Revoking a key, or changing
 * its channel, forgets it here at once and in every other process when the change commits (NOTIFY);
 * the TTL bounds how long a missed notification could matter. Unknown keys are never cached.
 */
const activeKeys = registerCache('channel_keys', new TtlCache<repo.ActiveKey>(5000));
const UNKNOWN_KEY = Symbol('unknown key');

/** Resolves a publishable key to its channel for the /store hook (null when unknown or revoked). */
export const channelKeyResolver =
  (deps: Pick<Deps, 'db'>) =>
  async (key: string): Promise<ChannelPrincipal | null> => {
    if (!key.startsWith(PUBLISHABLE_KEY_PREFIX)) return null;
    // A load that an invalidation overtakes is not kept (TtlCache.get); unknown keys reject, uncached.
    const k = await activeKeys
      .get(key, async () => (await repo.findActiveKey(deps.db, key)) ?? Promise.reject(UNKNOWN_KEY))
      .catch((e: unknown) => {
        if (e === UNKNOWN_KEY) return undefined;
        throw e;
      });
    return k
      ? {
          channelId: k.channel_id,
          keyId: k.key_id,
          type: k.type,
          currency: k.currency,
          locale: k.locale,
          allowedOrigins: k.allowed_origins ?? [],
        }
      : null;
  };
