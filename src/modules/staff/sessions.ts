/**
 * Console sessions of staff users. The browser holds an opaque random token in an HttpOnly cookie;
 * only its SHA-256 is stored. A session ends after 12 hours without a request (idle) or 7 days after
 * login (absolute), at logout, and when its user is disabled or changes role, locations or password.
 * The CSRF token is an HMAC of the session token: it can be handed out again (a reloaded page) without
 * storing it, and knowing it reveals nothing of the session token.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HOUR } from '../../platform/clock.ts';
import { hmacSha256, sha256 } from '../../platform/crypto.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { type AdminPrincipal, SESSION_COOKIE } from '../../platform/http/auth.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import * as repo from './repo.ts';

export const SESSION_TOKEN_PREFIX = 'plz_ss_';
export const SESSION_IDLE_MS = 12 * HOUR;
export const SESSION_MAX_MS = 7 * 24 * HOUR;
/** `last_seen_at` is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

/** The CSRF token of a session, derived from its secret token. */
export const csrfTokenOf = (sessionToken: string): string => hmacSha256(sessionToken, 'plaza-csrf-v1');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Opens a session for a user (in the caller's transaction). */
export const openSession = async (tx: Tx, deps: Pick<Deps, 'clock'>, userId: string): Promise<NewSession> => {
  const now = deps.clock.now();
  const token = newSecret(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS);
  await repo.insertSession(tx, {
    id: newId('sss'),
    user_id: userId,
    token_hash: sha256(token),
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
  });
  await repo.setLoggedIn(tx, userId, now);
  return { token, csrfToken: csrfTokenOf(token), expiresAt };
};

/** How a staff user's role maps onto the /admin principal: owners and managers are admins, staff are staff. */
export const principalOf = (user: repo.UserRow, sessionId: string): AdminPrincipal => ({
  tokenId: user.id,
  scope: user.role === 'staff' ? 'staff' : 'admin',
  locationIds: user.role === 'staff' ? user.location_ids : [],
  userId: user.id,
  role: user.role,
  sessionId,
  name: user.name,
});

export interface LiveSession {
  sessionId: string;
  principal: AdminPrincipal;
  csrfToken: string;
  user: repo.UserRow;
  /** When the session ends at the latest (absolute expiry). */
  expiresAt: Date;
}

/** The live session of a cookie value (null when unknown, expired, revoked or its user is not active). */
export const resolveSession = async (
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string,
): Promise<LiveSession | null> => {
  if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
  const now = deps.clock.now();
  const found = await repo.liveSession(
    deps.db,
    sha256(token),
    now,
    new Date(now.getTime() - SESSION_IDLE_MS),
  );
  if (!found) return null;
  const { session, user } = found;
  if (now.getTime() - session.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    await repo.touchSession(deps.db, session.id, now);
  }
  return {
    sessionId: session.id,
    principal: principalOf(user, session.id),
    csrfToken: csrfTokenOf(token),
    user,
    expiresAt: session.expires_at,
  };
};

/** Ended sessions and links are kept this long (who logged in when), then deleted. */
export const ENDED_KEPT_MS = 30 * 24 * HOUR;

/** The hourly job that deletes sessions and links that ended more than 30 days ago. */
export const sweepJob = (deps: Pick<Deps, 'db' | 'clock'>): Job => ({
  name: 'staff-sessions-sweep',
  intervalMs: HOUR,
  runOnce: () => repo.sweepEnded(deps.db, new Date(deps.clock.now().getTime() - ENDED_KEPT_MS)),
});

/** Ends one session. */
export const endSession = (q: Queryable, deps: Pick<Deps, 'clock'>, sessionId: string) =>
  repo.revokeSession(q, sessionId, deps.clock.now());

const cookieAttributes = (req: FastifyRequest, maxAgeSeconds: number): string =>
  `HttpOnly; SameSite=Lax; Path=/admin; Max-Age=${maxAgeSeconds}${req.protocol === 'https' ? '; Secure' : ''}`;

/**
 * Sets the session cookie: HttpOnly, SameSite=Lax, Path=/admin, Secure when the request came over
 * https (X-Forwarded-Proto counts only when PLAZA_TRUST_PROXY trusts the proxy).
 */
export const setSessionCookie = (
  req: FastifyRequest,
  reply: FastifyReply,
  s: NewSession,
  now: Date,
): void => {
  const maxAge = Math.max(0, Math.floor((s.expiresAt.getTime() - now.getTime()) / 1000));
  reply.header('set-cookie', `${SESSION_COOKIE}=${s.token}; ${cookieAttributes(req, maxAge)}`);
  reply.header('cache-control', 'no-store');
};

export const clearSessionCookie = (req: FastifyRequest, reply: FastifyReply): void => {
  reply.header('set-cookie', `${SESSION_COOKIE}=; ${cookieAttributes(req, 0)}`);
  reply.header('cache-control', 'no-store');
};
