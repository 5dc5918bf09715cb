/** What the CLI can do against a database, directly or through a running server (control.ts). */
import { createToken } from '../modules/access/index.ts';
import { listChannels, listKeys } from '../modules/channels/index.ts';
import type { Deps } from '../platform/module.ts';

export interface TokenRequest {
  scope: 'admin' | 'staff';
  name: string;
  location_ids: string[];
}

export interface CreatedToken {
  token: string;
  id: string;
  scope: string;
}

export interface ChannelKeyLine {
  channel_id: string;
  channel: string;
  type: string;
  key: string;
  key_name: string;
}

/** Creates an admin or staff token (shown once; only its hash is stored). */
export const createTokenOp = async (deps: Deps, req: TokenRequest): Promise<CreatedToken> => {
  const { token, row } = await deps.db.tx((tx) =>
    createToken(tx, deps, {
      name: req.name,
      scope: req.scope,
      location_ids: req.location_ids,
      createdBy: 'cli',
    }),
  );
  return { token, id: row.id, scope: row.scope };
};

/** The active publishable keys of every channel (they are public: shipped in shops and apps). */
export const listKeysOp = async (deps: Deps): Promise<ChannelKeyLine[]> => {
  const lines: ChannelKeyLine[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listChannels(deps.db, { after, limit: 100 });
    for (const c of page) {
      for (const k of await listKeys(deps.db, c.id)) {
        if (k.revoked_at) continue;
        lines.push({ channel_id: c.id, channel: c.name, type: c.type, key: k.key, key_name: k.name });
      }
    }
    if (page.length < 100) return lines;
    after = page.at(-1)?.id;
  }
};
