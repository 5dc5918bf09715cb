/** What the CLI can do against a database, directly or through a running server (control.ts). */
import { createToken } from '../modules/access/index.ts';
import { listChannels, listKeys } from '../modules/channels/index.ts';
import { acceptUrl, linkForUser, ownerLink, userByEmail } from '../modules/staff/index.ts';
import type { Config } from '../platform/config.ts';
import { notFound } from '../platform/errors.ts';
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

/** What `plaza staff owner-link` and `plaza staff reset-link EMAIL` ask for. */
export type StaffLinkRequest = { kind: 'owner' } | { kind: 'reset'; email: string };

export interface StaffLink {
  /** Undefined for an owner link once an owner exists. */
  url?: string;
  expires_at?: string;
}

/** The base of links made outside a request: PLAZA_PUBLIC_URL, else the address the API listens on. */
export const configBase = (config: Config): string =>
  config.publicUrl ??
  `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;

/**
 * A one-time console link: the first owner's set-up link (only while no owner exists), or a password
 * reset (an invitation again while the account is invited) for the account of an e-mail.
 */
export const staffLinkOp = async (deps: Deps, req: StaffLinkRequest, base: string): Promise<StaffLink> => {
  const link = await deps.db.tx(async (tx) => {
    if (req.kind === 'owner') return ownerLink(tx, deps, 'cli');
    const user = await userByEmail(tx, req.email);
    if (!user) throw notFound('Staff account', req.email);
    return linkForUser(tx, deps, user, 'cli');
  });
  return link ? { url: acceptUrl(base, link.token), expires_at: link.expiresAt.toISOString() } : {};
};
