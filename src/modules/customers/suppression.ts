/**
 * Erasure suppression: when a customer is erased, keyed hashes of their emails and phones are kept
 * so that a later registration, import or profile change cannot bring the person back. The hash is
 * HMAC-SHA-256 of `kind:normalised value` with a server-side pepper (PLAZA_PRIVACY_KEY, or a random
 * key created once in the settings table), so the list alone does not reveal who was erased.
 */
import { randomBytes } from 'node:crypto';
import { hmacSha256 } from '../../platform/crypto.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { getSetting } from '../../platform/settings.ts';

const PEPPER_SETTING = 'privacy.suppression_pepper';

export type SuppressedKind = 'email' | 'phone';

const pepperOf = async (q: Queryable, deps: Pick<Deps, 'config'>): Promise<string> => {
  if (deps.config.privacyPepper) return deps.config.privacyPepper;
  const existing = await getSetting<string>(q, PEPPER_SETTING);
  if (existing) return existing;
  // Concurrent first uses race on the primary key; everyone then reads the winner's key.
  await q.query(
    `INSERT INTO plaza_settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`,
    [PEPPER_SETTING, JSON.stringify(randomBytes(32).toString('base64url'))],
  );
  return (await getSetting<string>(q, PEPPER_SETTING)) as string;
};

/** The keyed hash of a normalised email or E.164 phone. */
export const suppressionHash = async (
  q: Queryable,
  deps: Pick<Deps, 'config'>,
  kind: SuppressedKind,
  value: string,
): Promise<string> => hmacSha256(await pepperOf(q, deps), `${kind}:${value}`);

/** True when this (normalised) email or phone belonged to an erased customer. */
export const isSuppressed = async (
  q: Queryable,
  deps: Pick<Deps, 'config'>,
  kind: SuppressedKind,
  value: string,
): Promise<boolean> => {
  const hash = await suppressionHash(q, deps, kind, value);
  return (await q.query('SELECT 1 FROM privacy_suppressions WHERE hash = $1', [hash])).rows.length > 0;
};

/** Adds an email or phone to the suppression list (idempotent). */
export const suppress = async (
  q: Queryable,
  deps: Pick<Deps, 'config' | 'clock'>,
  kind: SuppressedKind,
  value: string,
): Promise<void> => {
  const hash = await suppressionHash(q, deps, kind, value);
  await q.query(
    `INSERT INTO privacy_suppressions (hash, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [hash, kind, deps.clock.now()],
  );
};
