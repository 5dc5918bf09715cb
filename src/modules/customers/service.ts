import { dummyPasswordHash, hashPassword, sha256, verifyPassword } from '../../platform/crypto.ts';
import { pgCode, type Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { CUSTOMER_TOKEN_PREFIX, type CustomerPrincipal } from '../../platform/http/auth.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { linkIdentity } from './identities.ts';
import { survivorOf } from './lookup.ts';
import { storeUpgradedHash, upgradedHash } from './password.ts';
import { createCustomer, updateProfile } from './profile.ts';
import * as repo from './repo.ts';
import type { RegisterBody } from './schema.ts';
import { isSuppressed, loginThrottleHash } from './suppression.ts';
import { forgetLoginFailures, reserveLoginAttempt } from './throttle.ts';

export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
export { THROTTLE } from './throttle.ts';

const alreadyRegistered = (email: string) =>
  new PlazaError('ALREADY_EXISTS', 'An account with this email already exists; log in instead', { email });

export interface RegisterContext {
  channelId?: string | null;
  anonymousId?: string | null;
}

/**
 * Registers a customer account. A guest known from an earlier checkout (or created at a POS) with the
 * same email becomes the account (their orders stay with them). The email and phone become the
 * primary identities; an email or phone of an erased customer is refused with IDENTITY_SUPPRESSED;
 * the request's anonymous id is linked to the new account.
 */
export const register = async (
  tx: Tx,
  deps: Pick<Deps, 'clock' | 'config'>,
  input: RegisterBody,
  ctx: RegisterContext = {},
) => {
  const email = repo.normalizeEmail(input.email);
  const now = deps.clock.now();
  if (await isSuppressed(tx, deps, 'email', email)) {
    throw new PlazaError(
      'IDENTITY_SUPPRESSED',
      'This email belonged to an erased customer and cannot be used',
      {
        kind: 'email',
      },
    );
  }
  const password_hash = await hashPassword(input.password);
  const existing = await repo.findByEmail(tx, email, true);
  let row: repo.CustomerRow | undefined;
  if (existing) {
    if (existing.password_hash || existing.status !== 'active') throw alreadyRegistered(email);
    row = await repo.claimGuest(tx, existing.id, {
      password_hash,
      first_name: input.first_name?.trim() ?? null,
      last_name: input.last_name?.trim() ?? null,
      phone: null,
      updated_at: now,
    });
  } else {
    const created = await createCustomer(tx, deps, {
      email,
      first_name: input.first_name,
      last_name: input.last_name,
      password_hash,
      channel_id: ctx.channelId ?? undefined,
    }).catch((e: unknown) => {
      // a registration of the same email committed between the check above and this insert
      if (pgCode(e) === '23505') throw alreadyRegistered(email);
      throw e;
    });
    if (!created.ok) {
      if (created.code === 'ALREADY_EXISTS') throw alreadyRegistered(email);
      throw new PlazaError(created.code, created.detail, created.details);
    }
    row = created.value;
  }
  // A phone already linked to someone else is left out rather than refusing the account.
  if (row && input.phone) {
    const r = await updateProfile(tx, deps, row.id, { phone: input.phone }, `customer:${row.id}`, {
      channelId: ctx.channelId,
    });
    if (!r.ok && r.code !== 'ALREADY_EXISTS') throw new PlazaError(r.code, r.detail, r.details);
    if (r.ok) row = r.value;
  }
  if (!row) throw alreadyRegistered(email);
  if (ctx.anonymousId) {
    await linkAnonymousId(tx, deps, {
      customerId: row.id,
      anonymousId: ctx.anonymousId,
      channelId: ctx.channelId ?? null,
      source: 'registration',
    });
  }
  await writeEvent(tx, deps.clock, {
    type: 'customer.registered',
    aggregateType: 'customer',
    aggregateId: row.id,
    data: { customer_id: row.id, email: row.email, was_guest: Boolean(existing) },
  });
  return row;
};

/**
 * Links a device's anonymous id to a customer who logged in, registered or identified. An id already
 * linked to another customer is never moved (a shared device: the first customer's history stays
 * theirs); the session, when given, records that it saw the device either way.
 */
export const linkAnonymousId = async (
  tx: Tx,
  deps: Pick<Deps, 'clock' | 'config'>,
  a: {
    customerId: string;
    anonymousId: string;
    channelId: string | null;
    source: string;
    sessionId?: string;
  },
): Promise<'linked' | 'seen' | 'linked_to_other'> => {
  if (a.sessionId) {
    await tx.query('UPDATE customer_sessions SET anonymous_id = $2 WHERE id = $1', [
      a.sessionId,
      a.anonymousId,
    ]);
  }
  const r = await linkIdentity(tx, deps, {
    customerId: a.customerId,
    kind: 'anonymous',
    value: a.anonymousId,
    source: a.source,
    channelId: a.channelId,
  });
  if (!r.ok) throw new PlazaError(r.code, r.detail, r.details);
  return r.value.status;
};

export const getCustomerOrThrow = async (q: Tx | Deps['db'], id: string) => {
  const row = await repo.getCustomer(q, id);
  if (!row) throw notFound('Customer', id);
  return row;
};

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  channelId: string | null;
  /** The device's x-plaza-anonymous-id, linked to the customer (never taken from another one). */
  anonymousId?: string | null;
}

export interface LoginSession {
  token: string;
  expiresAt: Date;
  customer: repo.CustomerRow;
  /** What became of the request's anonymous id (null without one). */
  device: 'linked' | 'seen' | 'linked_to_other' | null;
}

/**
 * Checks email and password. A wrong email and a wrong password fail the same way (same code,
 * same work). Failures are counted per account and per IP; past the limit, logins are refused
 * with RATE_LIMITED before the password is even checked.
 */
export const login = async (
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: LoginInput,
): Promise<Result<LoginSession, 'INVALID_CREDENTIALS' | 'RATE_LIMITED'>> => {
  const email = repo.normalizeEmail(input.email);
  const emailHash = loginThrottleHash(deps, email);
  const now = deps.clock.now();
  // counted as a failure from here on, atomically, until the password proves right
  const attempt = await reserveLoginAttempt(deps.db, { emailHash, ip: input.ip, now });
  if (!attempt.allowed) {
    return fail('RATE_LIMITED', 'Too many failed logins; try again later', {
      retry_after_seconds: attempt.retryAfterSeconds,
    });
  }
  const customer = await repo.findByEmail(deps.db, email);
  const valid = await verifyPassword(input.password, customer?.password_hash ?? (await dummyPasswordHash()));
  if (!customer?.password_hash || !valid) {
    return fail('INVALID_CREDENTIALS', 'Email or password is wrong');
  }
  const token = newSecret(CUSTOMER_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // A profile merged into another logs in as the surviving profile (same person, one history).
  const survivor = await survivorOf(deps.db, customer);
  if (survivor.status !== 'active') return fail('INVALID_CREDENTIALS', 'Email or password is wrong');
  const rehashed = await upgradedHash(customer.password_hash, input.password);
  const sessionId = newId('ses');
  const device = await deps.db.tx(async (tx) => {
    if (rehashed) await storeUpgradedHash(tx, customer.id, customer.password_hash as string, rehashed);
    await forgetLoginFailures(tx, emailHash, attempt.id);
    await repo.insertSession(tx, {
      id: sessionId,
      customer_id: survivor.id,
      token_hash: sha256(token),
      channel_id: input.channelId,
      anonymous_id: input.anonymousId ?? null,
      created_at: now,
      expires_at: expiresAt,
    });
    const linked = input.anonymousId
      ? await linkAnonymousId(tx, deps, {
          customerId: survivor.id,
          anonymousId: input.anonymousId,
          channelId: input.channelId,
          source: 'login',
        })
      : null;
    await writeEvent(tx, deps.clock, {
      type: 'customer.logged_in',
      aggregateType: 'customer',
      aggregateId: survivor.id,
      data: { customer_id: survivor.id, channel_id: input.channelId, device: linked },
    });
    return linked;
  });
  return ok({ token, expiresAt, customer: survivor, device });
};

/** Revokes the session server-side: the token is refused from the next request on. */
export const logout = (deps: Pick<Deps, 'db' | 'clock'>, sessionId: string) =>
  repo.revokeSession(deps.db, sessionId, deps.clock.now());

/** Resolves a customer token for the /store hook (null when unknown, expired or revoked). */
export const customerTokenResolver =
  (deps: Pick<Deps, 'db' | 'clock'>) =>
  async (token: string): Promise<CustomerPrincipal | null> => {
    if (!token.startsWith(CUSTOMER_TOKEN_PREFIX)) return null;
    const s = await repo.findLiveSession(deps.db, sha256(token), deps.clock.now());
    return s ? { customerId: s.customer_id, sessionId: s.id } : null;
  };
