/**
 * Logging staff in: e-mail and password, one-time links (invitation, password reset, first owner),
 * and the password reset request. Failed logins are counted by the customers' login throttle (same
 * table, same limits: per account and per IP), under a key of their own so that a staff member who is
 * also a customer has two counters.
 */

import { MINUTE } from '../../platform/clock.ts';
import {
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  sha256,
  verifyPassword,
} from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db.ts';
import { validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { forgetLoginFailures, loginThrottleHash, reserveLoginAttempt } from '../customers/index.ts';
import * as repo from './repo.ts';
import type { AcceptBody } from './schema.ts';
import { acceptUrl, linkForUser } from './service.ts';
import { type NewSession, openSession } from './sessions.ts';

export interface Login {
  user: repo.UserRow;
  session: NewSession;
}

/** A staff e-mail as accounts, the login throttle and the rate limits key it. */
export const normalStaffEmail = (email: string): string => email.trim().toLowerCase();

/**
 * Checks e-mail and password. An unknown e-mail, a wrong password, an account not yet activated and
 * a disabled one all fail the same way (INVALID_CREDENTIALS) after the same scrypt work.
 */
export const login = async (
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { email: string; password: string; ip: string },
): Promise<Result<Login, 'INVALID_CREDENTIALS' | 'RATE_LIMITED'>> => {
  const email = normalStaffEmail(input.email);
  const emailHash = loginThrottleHash(deps, `staff:${email}`);
  const attempt = await reserveLoginAttempt(deps.db, { emailHash, ip: input.ip, now: deps.clock.now() });
  if (!attempt.allowed) {
    return fail('RATE_LIMITED', 'Too many failed logins; try again later', {
      retry_after_seconds: attempt.retryAfterSeconds,
    });
  }
  const user = await repo.userByEmail(deps.db, email);
  const stored = user?.password_hash ?? (await dummyPasswordHash());
  const valid = await verifyPassword(input.password, stored);
  if (!user?.password_hash || !valid || user.status !== 'active') {
    return fail('INVALID_CREDENTIALS', 'Email or password is wrong');
  }
  const rehashed = needsRehash(stored) ? await hashPassword(input.password) : undefined;
  const session = await deps.db.tx(async (tx) => {
    if (rehashed) await repo.updateUser(tx, user.id, { password_hash: rehashed }, deps.clock.now());
    await forgetLoginFailures(tx, emailHash, attempt.id);
    return openSession(tx, deps, user.id);
  });
  return ok({ user: { ...user, last_login_at: deps.clock.now() }, session });
};

/** The password policy: at least 10 characters, not all the same one. */
export const checkPassword = (password: string): void => {
  const chars = [...password];
  const message =
    chars.length < 10
      ? 'must be at least 10 characters long'
      : new Set(chars).size === 1
        ? 'must not be one character repeated'
        : undefined;
  if (message) throw validation(`body.password ${message}`, [{ path: 'body.password', message }]);
};

/**
 * Uses a one-time link: sets the password, activates the account (the first owner's link creates it,
 * with the e-mail given), ends the user's other sessions and links, and logs in. A link that is
 * unknown, expired or used (also by a concurrent accept) is LINK_INVALID.
 */
export const accept = async (
  deps: Pick<Deps, 'db' | 'clock'>,
  body: AcceptBody,
): Promise<Result<Login, 'LINK_INVALID'>> => {
  checkPassword(body.password);
  const invalid = fail('LINK_INVALID', 'This link is not valid, has expired or was already used');
  const hash = sha256(body.token);
  const link = await repo.liveLink(deps.db, hash, deps.clock.now());
  if (!link) return invalid;
  if (link.kind === 'owner' && !body.email) {
    throw validation('body.email is required to create the first owner', [
      { path: 'body.email', message: 'is required for the first owner’s link' },
    ]);
  }
  const passwordHash = await hashPassword(body.password); // outside the transaction: it takes time
  const done = await deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    if (link.kind === 'owner') await tx.query('SELECT pg_advisory_xact_lock(7201701)');
    if (!(await repo.spendLink(tx, link.id, now))) return undefined;
    const user = link.user_id
      ? await repo.getUser(tx, link.user_id, true)
      : await createOwner(tx, now, body.email ?? '', body.name);
    if (!user || user.status === 'disabled') return undefined;
    const row = await repo.updateUser(
      tx,
      user.id,
      { password_hash: passwordHash, status: 'active', ...(body.name ? { name: body.name } : {}) },
      now,
    );
    await repo.revokeSessionsOf(tx, user.id, now);
    await repo.spendLinksOf(tx, user.id, now);
    return { user: { ...row, last_login_at: now }, session: await openSession(tx, deps, user.id) };
  });
  return done ? ok(done) : invalid;
};

/** The first owner, from the set-up link; undefined when an owner exists meanwhile (the link is dead). */
const createOwner = async (tx: Tx, now: Date, email: string, name?: string) => {
  if (await repo.ownerExists(tx)) return undefined;
  const address = normalStaffEmail(email);
  const taken = await repo.userByEmail(tx, address);
  if (taken) {
    // an invited or disabled account of that e-mail becomes the owner
    return repo.updateUser(tx, taken.id, { role: 'owner', location_ids: [], status: 'invited' }, now);
  }
  return repo.insertUser(tx, {
    id: newId('usr'),
    email: address,
    name: name ?? address.split('@')[0] ?? address,
    role: 'owner',
    location_ids: [],
    status: 'invited',
    password_hash: null,
    created_at: now,
    created_by: 'owner-link',
  });
};

/** What a live link is for, to show before the password is chosen (LINK_INVALID when it is not live). */
export const inspectLink = async (deps: Pick<Deps, 'db' | 'clock'>, token: string) => {
  const link = await repo.liveLink(deps.db, sha256(token), deps.clock.now());
  const user = link?.user_id ? await repo.getUser(deps.db, link.user_id) : undefined;
  const dead =
    !link || (link.kind === 'owner' ? await repo.ownerExists(deps.db) : !user || user.status === 'disabled');
  if (dead) {
    return fail('LINK_INVALID', 'This link is not valid, has expired or was already used');
  }
  return ok({
    kind: link.kind,
    email: user?.email ?? null,
    name: user?.name ?? null,
    role: user?.role ?? ('owner' as const),
    expires_at: link.expires_at.toISOString(),
  });
};

/** Password reset links per account in 15 minutes; more requests are answered the same but make none. */
const RESETS_PER_WINDOW = 3;

/**
 * POST /admin/auth/password-reset: makes a link for an invited or active account and logs it for the
 * operator (there is no e-mail sending yet). The caller learns nothing: the answer is always the same.
 */
export const requestReset = async (deps: Deps, email: string, base: string): Promise<void> => {
  const address = normalStaffEmail(email);
  const link = await deps.db.tx(async (tx) => {
    const user = await repo.userByEmail(tx, address);
    if (!user || user.status === 'disabled') return undefined;
    const recent = await repo.recentLinks(tx, user.id, new Date(deps.clock.now().getTime() - 15 * MINUTE));
    if (recent >= RESETS_PER_WINDOW) return undefined;
    return linkForUser(tx, deps, user, 'password-reset');
  });
  if (link) {
    deps.log.info(
      { email: address, url: acceptUrl(base, link.token), expires_at: link.expiresAt.toISOString() },
      'staff password reset link (send it to the person; e-mail sending is not built yet)',
    );
  } else {
    deps.log.info(
      { email: address },
      'staff password reset requested: no link made (unknown, disabled or too many)',
    );
  }
};
