/**
 * Password hash upgrades: a hash stored at a lower scrypt cost than the current one is replaced, at
 * the next successful login, by a hash of the same password at the current cost (the only moment
 * the password is known). See PASSWORD_COST in platform/crypto.ts.
 */
import { hashPassword, needsRehash } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db.ts';

/** A new hash of a correct password when `stored` is below the current cost, else null (call outside a transaction: it takes the hash's time). */
export const upgradedHash = async (stored: string, password: string): Promise<string | null> =>
  needsRehash(stored) ? hashPassword(password) : null;

/** Stores the upgraded hash unless the password changed meanwhile (the row still holds `previous`). */
export const storeUpgradedHash = async (
  tx: Tx,
  customerId: string,
  previous: string,
  upgraded: string,
): Promise<void> => {
  await tx.query('UPDATE customers SET password_hash = $3 WHERE id = $1 AND password_hash = $2', [
    customerId,
    previous,
    upgraded,
  ]);
};
