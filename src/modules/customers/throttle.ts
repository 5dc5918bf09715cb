/**
 * The login throttle: failed logins are counted per account (email hash) and per client IP over a
 * sliding window, in `auth_failures`. The count is atomic: an attempt takes its place in the count
 * (a row) before the password is checked, under advisory locks on its account and its IP, so that
 * 50 wrong passwords sent at the same moment, to one process or to several, still let only the
 * first `perAccount` (or `perIp`) through to the password check. An attempt whose password is right
 * forgets the account's failures up to and including its own row.
 */
import type { Db, Tx } from '../../platform/db.ts';

/** Failed logins allowed per account and per IP in the window before logins are refused. */
export const THROTTLE = { windowMs: 15 * 60_000, perAccount: 5, perIp: 30 } as const;

/** Advisory lock classes (two-int form) of the throttle's account and IP counters. */
const LOCK_ACCOUNT = 7201101;
const LOCK_IP = 7201102;

export type LoginAttempt =
  /** The attempt counts as a failure (row `id`) until a right password forgets it. */
  | { allowed: true; id: number }
  /** Refused before the password is checked: over the limit since `retryAfterSeconds`. */
  | { allowed: false; retryAfterSeconds: number };

interface Recent {
  by_account: number;
  by_ip: number;
  oldest_account: Date | null;
  oldest_ip: Date | null;
  id: number | null;
}

/**
 * Takes a place in the failure count for `emailHash` and `ip`, unless either is at its limit.
 * The locks serialise attempts on one account (or IP) for two short statements; they are always
 * taken account first, then IP, so two attempts never wait on each other in a cycle.
 */
export const reserveLoginAttempt = (
  db: Db,
  a: { emailHash: string; ip: string; now: Date },
): Promise<LoginAttempt> =>
  db.tx(async (tx) => {
    await tx.query(
      'SELECT pg_advisory_xact_lock($1, hashtext($2)), pg_advisory_xact_lock($3, hashtext($4))',
      [LOCK_ACCOUNT, a.emailHash, LOCK_IP, a.ip],
    );
    // A new statement: its snapshot sees every attempt committed by the lock's previous holders.
    const r = (
      await tx.query<Recent>(
        `WITH recent AS (
           SELECT
             (SELECT count(*)::int FROM auth_failures WHERE email_hash = $1 AND created_at > $3) AS by_account,
             (SELECT min(created_at) FROM auth_failures WHERE email_hash = $1 AND created_at > $3) AS oldest_account,
             (SELECT count(*)::int FROM auth_failures WHERE ip = $2 AND created_at > $3) AS by_ip,
             (SELECT min(created_at) FROM auth_failures WHERE ip = $2 AND created_at > $3) AS oldest_ip
         ), taken AS (
           INSERT INTO auth_failures (email_hash, ip, created_at)
           SELECT $1, $2, $4 FROM recent WHERE by_account < $5 AND by_ip < $6
           RETURNING id
         )
         SELECT recent.*, (SELECT id FROM taken) AS id FROM recent`,
        [
          a.emailHash,
          a.ip,
          new Date(a.now.getTime() - THROTTLE.windowMs),
          a.now,
          THROTTLE.perAccount,
          THROTTLE.perIp,
        ],
      )
    ).rows[0] as Recent;
    if (r.id !== null) return { allowed: true, id: Number(r.id) };
    const since = r.by_account >= THROTTLE.perAccount ? r.oldest_account : r.oldest_ip;
    const until = (since?.getTime() ?? a.now.getTime()) + THROTTLE.windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - a.now.getTime()) / 1000)) };
  });

/** After a right password: forgets the account's failures up to this attempt (later ones still count). */
export const forgetLoginFailures = (tx: Tx, emailHash: string, attemptId: number) =>
  tx.query('DELETE FROM auth_failures WHERE email_hash = $1 AND id <= $2', [emailHash, attemptId]);
