/**
 * Staff users: invitations, changes, one-time links. Who may manage whom: owners everyone, managers
 * managers and staff, staff nobody (an admin token counts as an owner: it is the automation's key).
 */
import { HOUR } from '../../platform/clock.ts';
import { sha256 } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db.ts';
import { conflict, forbidden, notFound, PlazaError, validation } from '../../platform/errors.ts';
import { type AdminPrincipal, actorOf } from '../../platform/http/auth.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { getLocations } from '../locations/index.ts';
import * as repo from './repo.ts';
import type { InviteBody, PatchBody, Role } from './schema.ts';

export const LINK_TOKEN_PREFIX = 'plz_sl_';
export const LINK_TTL_MS: Record<repo.LinkKind, number> = {
  invite: 72 * HOUR,
  reset: HOUR,
  owner: 72 * HOUR,
};

/** The role an /admin caller acts with: its own, or owner for an admin token (staff for a staff token). */
export const actingRole = (admin: AdminPrincipal): Role =>
  admin.role ?? (admin.scope === 'admin' ? 'owner' : 'staff');

const MANAGES: Record<Role, readonly Role[]> = {
  owner: ['owner', 'manager', 'staff'],
  manager: ['manager', 'staff'],
  staff: [],
};

/** Refuses with FORBIDDEN unless the caller may manage users of `role`. */
export const assertManages = (admin: AdminPrincipal, role: Role): void => {
  const mine = actingRole(admin);
  if (!MANAGES[mine].includes(role)) {
    throw forbidden(
      mine === 'staff' ? 'Staff cannot manage staff accounts' : `A ${mine} cannot manage ${role}s`,
    );
  }
};

/** Staff users work at one or more existing store locations; owners and managers name none. */
const checkLocations = async (tx: Tx, role: Role, ids: readonly string[]): Promise<void> => {
  if (role !== 'staff') {
    if (ids.length > 0) {
      throw validation(`A ${role} covers every location; do not list any`, [
        { path: 'body.location_ids', message: `must be empty for role ${role}` },
      ]);
    }
    return;
  }
  if (ids.length === 0) {
    throw validation('A staff user needs at least one store location', [
      { path: 'body.location_ids', message: 'must name at least one store location' },
    ]);
  }
  const found = new Map((await getLocations(tx, ids)).map((l) => [l.id, l.type]));
  const issues = ids.flatMap((id, i) => {
    const type = found.get(id);
    if (type === 'store') return [];
    const message = type ? `location ${id} is a ${type}, not a store` : `location ${id} does not exist`;
    return [{ path: `body.location_ids.${i}`, message }];
  });
  const first = issues[0];
  if (first) throw validation(`${first.path}: ${first.message}`, issues);
};

export interface IssuedLink {
  token: string;
  expiresAt: Date;
}

/** Makes a one-time link; only the token's hash is stored. */
export const issueLink = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  kind: repo.LinkKind,
  userId: string | null,
  createdBy: string | null,
): Promise<IssuedLink> => {
  const now = deps.clock.now();
  const token = newSecret(LINK_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS[kind]);
  await repo.insertLink(tx, {
    id: newId('sln'),
    kind,
    user_id: userId,
    token_hash: sha256(token),
    created_at: now,
    expires_at: expiresAt,
    created_by: createdBy,
  });
  return { token, expiresAt };
};

/** The accept page of a link. */
export const acceptUrl = (base: string, token: string): string =>
  `${base.replace(/\/+$/, '')}/console/accept?token=${encodeURIComponent(token)}`;

/** Invites a person: an `invited` user and a 72-hour link to set a password. */
export const invite = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  admin: AdminPrincipal,
  body: InviteBody,
): Promise<{ user: repo.UserRow; link: IssuedLink }> => {
  assertManages(admin, body.role);
  const locations = [...new Set(body.location_ids ?? [])];
  await checkLocations(tx, body.role, locations);
  const email = body.email.trim().toLowerCase();
  if (await repo.userByEmail(tx, email)) {
    throw new PlazaError('ALREADY_EXISTS', `A staff account with the e-mail ${email} exists`);
  }
  const by = actorOf(admin);
  const user = await repo.insertUser(tx, {
    id: newId('usr'),
    email,
    name: body.name,
    role: body.role,
    location_ids: locations,
    status: 'invited',
    password_hash: null,
    created_at: deps.clock.now(),
    created_by: by,
  });
  await writeEvent(tx, deps.clock, {
    type: 'staff_user.invited',
    aggregateType: 'staff_user',
    aggregateId: user.id,
    data: { id: user.id, role: user.role, location_ids: user.location_ids, by },
  });
  return { user, link: await issueLink(tx, deps, 'invite', user.id, by) };
};

const getOrThrow = async (tx: Tx, id: string): Promise<repo.UserRow> => {
  const user = await repo.getUser(tx, id, true);
  if (!user) throw notFound('Staff user', id);
  return user;
};

/** Refuses to leave no active owner (nobody could manage owners any more). */
const keepAnOwner = async (
  tx: Tx,
  user: repo.UserRow,
  next: { role: Role; status: string },
): Promise<void> => {
  const losing =
    user.role === 'owner' && user.status === 'active' && (next.role !== 'owner' || next.status !== 'active');
  if (losing && (await repo.otherActiveOwners(tx, user.id)) === 0) {
    throw conflict('This is the last active owner; make another owner first');
  }
};

/**
 * Changes a user. Disabling, or changing the role or the locations, ends the user's sessions at once.
 * `active` on a user who never set a password keeps it `invited`.
 */
export const updateStaff = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  admin: AdminPrincipal,
  id: string,
  patch: PatchBody,
): Promise<repo.UserRow> => {
  const user = await getOrThrow(tx, id);
  assertManages(admin, user.role);
  const role = patch.role ?? user.role;
  assertManages(admin, role);
  const roleChanged = role !== user.role;
  const locations =
    patch.location_ids !== undefined
      ? [...new Set(patch.location_ids)]
      : roleChanged && role !== 'staff'
        ? []
        : user.location_ids;
  if (patch.location_ids !== undefined || roleChanged) await checkLocations(tx, role, locations);
  const status =
    patch.status === 'disabled'
      ? 'disabled'
      : patch.status === 'active'
        ? user.password_hash
          ? 'active'
          : 'invited'
        : user.status;
  await keepAnOwner(tx, user, { role, status });
  const now = deps.clock.now();
  const placesChanged = locations.join() !== user.location_ids.join();
  const row = await repo.updateUser(tx, id, { name: patch.name, role, location_ids: locations, status }, now);
  if (status === 'disabled' || roleChanged || placesChanged) await repo.revokeSessionsOf(tx, id, now);
  await writeEvent(tx, deps.clock, {
    type: 'staff_user.updated',
    aggregateType: 'staff_user',
    aggregateId: id,
    data: { id, role, location_ids: locations, status, by: actorOf(admin) },
  });
  return row;
};

/** A new link for a user: an invitation (72 h) while invited, a password reset (1 h) once active. */
export const linkForUser = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  user: repo.UserRow,
  createdBy: string,
): Promise<IssuedLink> => {
  if (user.status === 'disabled') {
    throw conflict('This staff account is disabled; enable it first', { status: user.status });
  }
  return issueLink(tx, deps, user.status === 'invited' ? 'invite' : 'reset', user.id, createdBy);
};

/** POST /admin/staff/{id}/reset-link: checked against the caller's role. */
export const resetLink = async (tx: Tx, deps: Pick<Deps, 'clock'>, admin: AdminPrincipal, id: string) => {
  const user = await getOrThrow(tx, id);
  assertManages(admin, user.role);
  return linkForUser(tx, deps, user, actorOf(admin));
};

/** The first owner's set-up link, while no owner exists (undefined once one does). */
export const ownerLink = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  createdBy: string,
): Promise<IssuedLink | undefined> =>
  (await repo.ownerExists(tx)) ? undefined : issueLink(tx, deps, 'owner', null, createdBy);
