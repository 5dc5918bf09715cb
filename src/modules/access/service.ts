import { sha256 } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import { ADMIN_TOKEN_PREFIX, type AdminPrincipal } from '../../platform/http/auth.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { getLocations } from '../locations/index.ts';
import * as repo from './repo.ts';
import type { CreateTokenBody } from './schema.ts';

export interface CreateTokenInput extends CreateTokenBody {
  /** Used instead of a random token (PLAZA_ADMIN_TOKEN). */
  token?: string;
  createdBy?: string | null;
}

/** A staff token for a location that does not exist would let nobody in anywhere: refused. */
const checkLocationsExist = async (tx: Tx, ids: readonly string[]): Promise<void> => {
  if (ids.length === 0) return;
  const found = new Set((await getLocations(tx, ids)).map((l) => l.id));
  const issues = ids.flatMap((id, i) =>
    found.has(id) ? [] : [{ path: `body.location_ids.${i}`, message: `location ${id} does not exist` }],
  );
  const first = issues[0];
  if (first) throw validation(`${first.path}: ${first.message}`, issues);
};

/**
 * Creates an admin or staff token. Returns the secret once; only its SHA-256 is stored.
 * Staff tokens must name at least one existing location; admin tokens name none.
 */
export const createToken = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: CreateTokenInput,
): Promise<{ token: string; row: repo.TokenRow }> => {
  const locations = [...new Set(input.location_ids ?? [])];
  if (input.scope === 'staff' && locations.length === 0) {
    throw validation('A staff token needs at least one location', [
      { path: 'body.location_ids', message: 'must name at least one location' },
    ]);
  }
  if (input.scope === 'admin' && locations.length > 0) {
    throw validation('An admin token covers every location; do not list any', [
      { path: 'body.location_ids', message: 'must be empty for scope admin' },
    ]);
  }
  await checkLocationsExist(tx, locations);
  const token = input.token ?? newSecret(ADMIN_TOKEN_PREFIX);
  const row = await repo.insertToken(tx, {
    id: newId('tok'),
    name: input.name,
    scope: input.scope,
    location_ids: locations,
    token_hash: sha256(token),
    token_hint: token.slice(-4),
    created_at: deps.clock.now(),
    created_by: input.createdBy ?? null,
  });
  await writeEvent(tx, deps.clock, {
    type: 'admin_token.created',
    aggregateType: 'admin_token',
    aggregateId: row.id,
    data: {
      id: row.id,
      name: row.name,
      scope: row.scope,
      location_ids: row.location_ids,
      created_by: row.created_by,
    },
  });
  return { token, row };
};

/** Revokes a token at once. Refuses to revoke the last active admin token (that would lock everyone out). */
export const revokeToken = async (tx: Tx, deps: Pick<Deps, 'clock'>, id: string, by: string) => {
  const existing = await repo.getToken(tx, id, true);
  if (!existing) throw new PlazaError('NOT_FOUND', `Admin token ${id} was not found`, { id });
  if (existing.revoked_at) return existing;
  if (existing.scope === 'admin' && (await repo.otherActiveAdmins(tx, id)) === 0) {
    throw new PlazaError(
      'CONFLICT',
      'This is the last active admin token; create another admin token before revoking it',
    );
  }
  const row = (await repo.revokeToken(tx, id, deps.clock.now())) as repo.TokenRow;
  await writeEvent(tx, deps.clock, {
    type: 'admin_token.revoked',
    aggregateType: 'admin_token',
    aggregateId: id,
    data: { id, revoked_by: by },
  });
  return row;
};

/**
 * Makes sure an admin can get in: with `configured` (PLAZA_ADMIN_TOKEN) that token exists;
 * otherwise, on a database with no token at all, creates one and returns it to be shown once.
 */
export const ensureBootstrapToken = async (
  db: Db,
  deps: Pick<Deps, 'clock'>,
  configured: string | undefined,
): Promise<string | undefined> =>
  db.tx(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7201002)');
    if (configured) {
      if (!(await repo.existsByHash(tx, sha256(configured)))) {
        await createToken(tx, deps, {
          name: 'PLAZA_ADMIN_TOKEN',
          scope: 'admin',
          token: configured,
          createdBy: 'env',
        });
      }
      return undefined;
    }
    if ((await repo.countTokens(tx)) > 0) return undefined;
    const { token } = await createToken(tx, deps, {
      name: 'bootstrap',
      scope: 'admin',
      createdBy: 'bootstrap',
    });
    return token;
  });

/** Checks admin tokens for the /admin hook. `last_used_at` is written at most once a minute per token. */
export const adminTokenResolver = (deps: Pick<Deps, 'db' | 'clock'>) => {
  const touched = new Map<string, number>();
  return async (token: string): Promise<AdminPrincipal | null> => {
    const row = await repo.findActiveByHash(deps.db, sha256(token));
    if (!row) return null;
    const now = deps.clock.now();
    if ((touched.get(row.id) ?? 0) < now.getTime() - 60_000) {
      touched.set(row.id, now.getTime());
      await repo.touchToken(deps.db, row.id, now);
    }
    return { tokenId: row.id, scope: row.scope, locationIds: row.location_ids };
  };
};
