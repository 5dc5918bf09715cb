/**
 * Event sources and write keys (docs/event-sources.md). A source is where events come from: a
 * channel's web shop, app or POS, or a server integration; `src_plaza` is Plaza's own facts. Write keys
 * are public identifiers (they sit in browsers, like Segment's); revoking one refuses it at once in every
 * process (cache invalidation through NOTIFY), rotating one keeps the old key working for a grace period.
 */

import { announceInvalidation, registerCache, TtlCache } from '../../platform/cache.ts';
import { HOUR } from '../../platform/clock.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { getChannel } from '../channels/index.ts';
import * as repo from './sources-repo.ts';

export type { ActiveWriteKey, SourceKind, SourceRow, WriteKeyRow } from './sources-repo.ts';

export interface WriteKeySource {
  keyId: string;
  sourceId: string;
  sourceName: string;
  kind: 'web' | 'app' | 'pos' | 'server' | 'plaza';
  channelId: string | null;
  retentionMonths: number;
}

export const PLAZA_SOURCE_ID = 'src_plaza';
export const WRITE_KEY_PREFIX = 'wk_';
/** `wk_` + 32 url-safe characters (24 random bytes, base64url). */
export const WRITE_KEY_PATTERN = /^wk_[A-Za-z0-9_-]{32}$/;
/** Retention tiers a source may have, in months (0 = forever); the event partitions are split by them. */
export const RETENTION_TIERS = [0, 1, 3, 6, 12, 24, 36] as const;
export const CLIENT_SOURCE_KINDS = ['web', 'app', 'pos', 'server'] as const;
export type ClientSourceKind = (typeof CLIENT_SOURCE_KINDS)[number];
/** How long a rotated key keeps working by default. */
export const DEFAULT_GRACE_HOURS = 24;

export const newWriteKey = (): string => newSecret(WRITE_KEY_PREFIX, 24);

const CACHE = 'event_write_keys';
/**
 * Keys seen by this process (every /v1 request resolves one). A revoked key, a rotated key's new expiry,
 * or a change of its source (name, retention, archived) is forgotten here at once and in every other
 * process when the change commits (NOTIFY); the TTL bounds how long a missed notification could matter.
 * Unknown keys are never cached.
 */
const activeKeys = registerCache(CACHE, new TtlCache<repo.ActiveWriteKey>(5000, 50_000));
const UNKNOWN_KEY = Symbol('unknown write key');

/**
 * Resolves a write key to its source. null = unknown, revoked, expired (a rotated key past its grace
 * period), or an archived source.
 */
export const writeKeyResolver =
  (deps: Pick<Deps, 'db' | 'clock'>) =>
  async (key: string): Promise<WriteKeySource | null> => {
    if (!WRITE_KEY_PATTERN.test(key)) return null;
    const k = await activeKeys
      .get(key, async () => (await repo.findActiveKey(deps.db, key)) ?? Promise.reject(UNKNOWN_KEY))
      .catch((e: unknown) => {
        if (e === UNKNOWN_KEY) return undefined;
        throw e;
      });
    if (!k || (k.expires_at && k.expires_at.getTime() <= deps.clock.now().getTime())) return null;
    return {
      keyId: k.key_id,
      sourceId: k.source_id,
      sourceName: k.source_name,
      kind: k.kind,
      channelId: k.channel_id,
      retentionMonths: k.retention_months,
    };
  };

const forgetKeys = async (tx: Tx, keys: readonly { key: string }[]): Promise<void> => {
  for (const k of keys) await announceInvalidation(tx, CACHE, k.key);
};

export const getSourceOrThrow = async (q: Queryable, id: string): Promise<repo.SourceRow> => {
  const row = await repo.getSource(q, id);
  if (!row) throw notFound('Event source', id);
  return row;
};

/** A source that may be changed: client sources, not archived (the built-in Plaza source is fixed). */
const lockChangeable = async (tx: Tx, id: string, what: string): Promise<repo.SourceRow> => {
  const row = await repo.lockSource(tx, id);
  if (!row) throw notFound('Event source', id);
  if (row.kind === 'plaza') {
    throw new PlazaError('CONFLICT', `The built-in Plaza source cannot ${what}`, { id });
  }
  if (row.archived_at) {
    throw new PlazaError('INVALID_STATE_TRANSITION', `Event source ${id} is archived`, { id });
  }
  return row;
};

const checkRetention = (months: number | undefined): void => {
  if (months !== undefined && !(RETENTION_TIERS as readonly number[]).includes(months)) {
    throw validation(`Retention must be one of ${RETENTION_TIERS.join(', ')} months`, [
      { path: 'body.retention_months', message: `must be one of ${RETENTION_TIERS.join(', ')}` },
    ]);
  }
};

export interface CreateSourceInput {
  name: string;
  kind: ClientSourceKind;
  channelId?: string | null;
  retentionMonths?: number;
}

/** Creates a source (unique name among live sources; a channel that exists). */
export const createSource = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: CreateSourceInput,
): Promise<repo.SourceRow> => {
  checkRetention(input.retentionMonths);
  if (input.channelId && !(await getChannel(tx, input.channelId))) {
    throw validation(`Channel ${input.channelId} does not exist`, [
      { path: 'body.channel_id', message: 'is not an existing channel' },
    ]);
  }
  return repo.insertSource(tx, {
    id: newId('src'),
    name: input.name.trim(),
    kind: input.kind,
    channel_id: input.channelId ?? null,
    retention_months: input.retentionMonths ?? 0,
    created_at: deps.clock.now(),
    updated_at: deps.clock.now(),
  });
};

/**
 * Renames a source or changes its retention. A new retention applies to events received from then on:
 * every event carries the retention tier it was stored with (its partition).
 */
export const updateSource = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  patch: { name?: string; retentionMonths?: number },
): Promise<repo.SourceRow> => {
  checkRetention(patch.retentionMonths);
  await lockChangeable(tx, id, 'be changed');
  const row = await repo.updateSource(
    tx,
    id,
    { name: patch.name?.trim(), retention_months: patch.retentionMonths },
    deps.clock.now(),
  );
  await forgetKeys(tx, await repo.listKeys(tx, id));
  return row as repo.SourceRow;
};

/** Archives a source: its keys are refused from then on; its events stay until their retention ends. */
export const archiveSource = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
): Promise<repo.SourceRow> => {
  const existing = await repo.lockSource(tx, id);
  if (!existing) throw notFound('Event source', id);
  if (existing.kind === 'plaza') {
    throw new PlazaError('CONFLICT', 'The built-in Plaza source cannot be archived', { id });
  }
  if (existing.archived_at) return existing;
  const row = (await repo.archiveSource(tx, id, deps.clock.now())) as repo.SourceRow;
  await forgetKeys(tx, await repo.listKeys(tx, id));
  return row;
};

/** Issues a new write key for a source. */
export const createWriteKey = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  sourceId: string,
): Promise<repo.WriteKeyRow> => {
  await lockChangeable(tx, sourceId, 'have write keys');
  return repo.insertKey(tx, {
    id: newId('wkey'),
    source_id: sourceId,
    key: newWriteKey(),
    created_at: deps.clock.now(),
    expires_at: null,
  });
};

const liveKeyOrThrow = async (tx: Tx, sourceId: string, keyId: string): Promise<repo.WriteKeyRow> => {
  const key = await repo.getKey(tx, sourceId, keyId);
  if (!key) throw notFound('Write key', keyId);
  return key;
};

/**
 * Rotates a key: a new key is issued, and the old one keeps working for `graceHours` (0: refused at once)
 * so that clients can be redeployed. Rotating a revoked or expired key is refused.
 */
export const rotateWriteKey = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  sourceId: string,
  keyId: string,
  graceHours = DEFAULT_GRACE_HOURS,
): Promise<{ key: repo.WriteKeyRow; previous: repo.WriteKeyRow }> => {
  await lockChangeable(tx, sourceId, 'have write keys');
  const old = await liveKeyOrThrow(tx, sourceId, keyId);
  const now = deps.clock.now();
  if (old.revoked_at || (old.expires_at && old.expires_at <= now)) {
    throw new PlazaError('INVALID_STATE_TRANSITION', `Write key ${keyId} is revoked or expired`, {
      id: keyId,
    });
  }
  const key = await repo.insertKey(tx, {
    id: newId('wkey'),
    source_id: sourceId,
    key: newWriteKey(),
    created_at: now,
    expires_at: null,
  });
  const previous = await repo.endKey(tx, keyId, { expiresAt: new Date(now.getTime() + graceHours * HOUR) });
  await announceInvalidation(tx, CACHE, old.key);
  return { key, previous };
};

/** Revokes a key: the next /v1 request with it is refused, in every process. */
export const revokeWriteKey = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  sourceId: string,
  keyId: string,
): Promise<repo.WriteKeyRow> => {
  await getSourceOrThrow(tx, sourceId);
  const existing = await liveKeyOrThrow(tx, sourceId, keyId);
  if (existing.revoked_at) return existing;
  const row = await repo.endKey(tx, keyId, { revokedAt: deps.clock.now() });
  await announceInvalidation(tx, CACHE, row.key);
  return row;
};

/**
 * The write key of a channel's source of `kind` (web for the shop, pos for the tills), creating the
 * source and a key when the channel has none yet. Used by the demo seed and the shop page.
 */
export const ensureChannelWriteKey = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  channel: { id: string; name: string },
  kind: ClientSourceKind,
): Promise<repo.WriteKeyRow> => {
  const found = await repo.newestChannelKey(tx, channel.id, kind, deps.clock.now());
  if (found) return found;
  // one creator at a time per channel (two processes serving their first shop page)
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event_source:${channel.id}:${kind}`]);
  const again = await repo.newestChannelKey(tx, channel.id, kind, deps.clock.now());
  if (again) return again;
  let source = (await repo.listSources(tx, { kind, channelId: channel.id, archived: false, limit: 1 }))[0];
  if (!source) {
    const base = `${channel.name} (${kind})`;
    const taken =
      (
        await tx.query(`SELECT 1 FROM event_sources WHERE lower(name) = lower($1) AND archived_at IS NULL`, [
          base,
        ])
      ).rows.length > 0;
    source = await createSource(tx, deps, {
      name: taken ? `${base} ${channel.id.slice(-6)}` : base,
      kind,
      channelId: channel.id,
    });
  }
  return createWriteKey(tx, deps, source.id);
};
