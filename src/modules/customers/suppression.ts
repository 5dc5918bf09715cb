/**
 * Erasure suppression: when a customer is erased, keyed hashes of their emails and phones are kept
 * so that a later registration, import or profile change cannot bring the person back. The hash is
 * HMAC-SHA-256 of `kind:normalised value` keyed with PLAZA_PRIVACY_KEY, kept outside the database
 * (src/platform/privacy-key.ts), so the list alone does not reveal who was erased.
 */
import { hmacSha256 } from '../../platform/crypto.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';

export type SuppressedKind = 'email' | 'phone';

const keyOf = (deps: Pick<Deps, 'config'>): string => {
  if (deps.config.privacyPepper) return deps.config.privacyPepper;
  throw new Error('PLAZA_PRIVACY_KEY is not configured (src/platform/privacy-key.ts resolves it at start)');
};

/**
 * The keyed hash under which the login throttle counts failures for an e-mail (`auth_failures`):
 * keyed like the suppression list, so the table alone does not tell whose logins failed.
 */
export const loginThrottleHash = (deps: Pick<Deps, 'config'>, normalisedEmail: string): string =>
  hmacSha256(keyOf(deps), `login:${normalisedEmail}`);

/** The keyed hash of a normalised email or E.164 phone. */
export const suppressionHash = (deps: Pick<Deps, 'config'>, kind: SuppressedKind, value: string): string =>
  hmacSha256(keyOf(deps), `${kind}:${value}`);

/** True when this (normalised) email or phone belonged to an erased customer. */
export const isSuppressed = async (
  q: Queryable,
  deps: Pick<Deps, 'config'>,
  kind: SuppressedKind,
  value: string,
): Promise<boolean> => {
  const hash = suppressionHash(deps, kind, value);
  return (await q.query('SELECT 1 FROM privacy_suppressions WHERE hash = $1', [hash])).rows.length > 0;
};

/** Adds an email or phone to the suppression list (idempotent). */
export const suppress = async (
  q: Queryable,
  deps: Pick<Deps, 'config' | 'clock'>,
  kind: SuppressedKind,
  value: string,
): Promise<void> => {
  const hash = suppressionHash(deps, kind, value);
  await q.query(
    `INSERT INTO privacy_suppressions (hash, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [hash, kind, deps.clock.now()],
  );
};
