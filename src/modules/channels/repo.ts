import type { Queryable } from '../../platform/db.ts';
import { pgCode } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Channel, ChannelKey, ChannelType } from './schema.ts';
import { type ChannelSettings, withDefaults } from './settings.ts';

export interface ChannelRow {
  id: string;
  type: ChannelType;
  name: string;
  currency: string;
  locale: string;
  settings: Partial<ChannelSettings>;
  created_at: Date;
  updated_at: Date;
}

export interface KeyRow {
  id: string;
  channel_id: string;
  key: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
}

const CHANNEL = 'id, type, name, currency, locale, settings, created_at, updated_at';
const KEY = 'id, channel_id, key, name, created_at, revoked_at';

export const channelToApi = (r: ChannelRow): Channel => ({
  ...r,
  settings: withDefaults(r.settings),
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const keyToApi = (r: KeyRow): ChannelKey => ({
  ...r,
  created_at: r.created_at.toISOString(),
  revoked_at: r.revoked_at?.toISOString() ?? null,
});

const nameTaken = (e: unknown, name: string): never => {
  if (pgCode(e) === '23505') {
    throw new PlazaError('ALREADY_EXISTS', `A channel named "${name}" already exists`, { name });
  }
  throw e;
};

export const insertChannel = async (q: Queryable, c: ChannelRow): Promise<ChannelRow> => {
  try {
    const { rows } = await q.query<ChannelRow>(
      `INSERT INTO channels (${CHANNEL}) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) RETURNING ${CHANNEL}`,
      [c.id, c.type, c.name, c.currency, c.locale, JSON.stringify(c.settings), c.created_at, c.updated_at],
    );
    return rows[0] as ChannelRow;
  } catch (e) {
    return nameTaken(e, c.name);
  }
};

export const updateChannel = async (
  q: Queryable,
  id: string,
  patch: Partial<Pick<ChannelRow, 'name' | 'currency' | 'locale' | 'settings'>>,
  at: Date,
): Promise<ChannelRow | undefined> => {
  try {
    const { rows } = await q.query<ChannelRow>(
      `UPDATE channels SET name = coalesce($2, name), currency = coalesce($3, currency),
         locale = coalesce($4, locale), settings = settings || coalesce($6::jsonb, '{}'), updated_at = $5
       WHERE id = $1 RETURNING ${CHANNEL}`,
      [
        id,
        patch.name ?? null,
        patch.currency ?? null,
        patch.locale ?? null,
        at,
        patch.settings ? JSON.stringify(patch.settings) : null,
      ],
    );
    return rows[0];
  } catch (e) {
    return nameTaken(e, patch.name ?? '');
  }
};

export const getChannel = async (q: Queryable, id: string): Promise<ChannelRow | undefined> =>
  (await q.query<ChannelRow>(`SELECT ${CHANNEL} FROM channels WHERE id = $1`, [id])).rows[0];

export const findChannelByName = async (q: Queryable, name: string): Promise<ChannelRow | undefined> =>
  (await q.query<ChannelRow>(`SELECT ${CHANNEL} FROM channels WHERE lower(name) = lower($1)`, [name]))
    .rows[0];

export const listChannels = async (
  q: Queryable,
  f: { type?: ChannelType; after?: string; limit: number },
): Promise<ChannelRow[]> =>
  (
    await q.query<ChannelRow>(
      `SELECT ${CHANNEL} FROM channels
       WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR id > $2)
       ORDER BY id LIMIT $3`,
      [f.type ?? null, f.after ?? null, f.limit],
    )
  ).rows;

export const insertKey = async (q: Queryable, k: Omit<KeyRow, 'revoked_at'>): Promise<KeyRow> =>
  (
    await q.query<KeyRow>(
      `INSERT INTO channel_keys (id, channel_id, key, name, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${KEY}`,
      [k.id, k.channel_id, k.key, k.name, k.created_at],
    )
  ).rows[0] as KeyRow;

export const listKeys = async (q: Queryable, channelId: string): Promise<KeyRow[]> =>
  (await q.query<KeyRow>(`SELECT ${KEY} FROM channel_keys WHERE channel_id = $1 ORDER BY id`, [channelId]))
    .rows;

export const getKey = async (q: Queryable, channelId: string, keyId: string): Promise<KeyRow | undefined> =>
  (
    await q.query<KeyRow>(`SELECT ${KEY} FROM channel_keys WHERE id = $1 AND channel_id = $2`, [
      keyId,
      channelId,
    ])
  ).rows[0];

export const revokeKey = async (q: Queryable, keyId: string, at: Date): Promise<KeyRow | undefined> =>
  (
    await q.query<KeyRow>(
      `UPDATE channel_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${KEY}`,
      [keyId, at],
    )
  ).rows[0];

export interface ActiveKey {
  key_id: string;
  channel_id: string;
  type: ChannelType;
  currency: string;
  locale: string;
  allowed_origins: string[] | null;
}

export const findActiveKey = async (q: Queryable, key: string): Promise<ActiveKey | undefined> =>
  (
    await q.query<ActiveKey>(
      `SELECT k.id AS key_id, c.id AS channel_id, c.type, c.currency, c.locale,
              c.settings->'allowed_origins' AS allowed_origins
       FROM channel_keys k JOIN channels c ON c.id = k.channel_id
       WHERE k.key = $1 AND k.revoked_at IS NULL`,
      [key],
    )
  ).rows[0];
