/**
 * The key of every hash of personal data (the erasure suppression list, the login throttle): kept
 * outside the database, so that a stolen copy of the database alone cannot be used to test guesses.
 *
 * - `PLAZA_PRIVACY_KEY` (≥ 32 characters) wins everywhere.
 * - On a PostgreSQL server it is required: Plaza refuses to start without it.
 * - On the embedded database (the two-command start) a random key is created once in the data folder
 *   (`privacy.key`, readable by its owner only), next to the data it protects but not inside it.
 *
 * Earlier versions kept a random pepper in `plaza_settings`. It is moved out: into the key file on the
 * embedded database; on PostgreSQL the operator is told to set PLAZA_PRIVACY_KEY to it, after which it
 * is deleted from the database.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, ConfigError } from './config.ts';
import type { Db } from './db.ts';
import { getSetting } from './settings.ts';

export const LEGACY_PEPPER_SETTING = 'privacy.suppression_pepper';
export const KEY_FILE = 'privacy.key';

const HOW =
  "Create one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\" " +
  'and keep it in your secret store (it must stay the same for the life of the database).';

/** Fails fast, before connecting, when a PostgreSQL server is configured without a key. */
export const requirePrivacyKey = (config: Config): void => {
  if (config.databaseUrl && !config.privacyPepper) {
    throw new ConfigError(
      `PLAZA_PRIVACY_KEY is required with DATABASE_URL: it keys the hashes of personal data and must live outside the database. ${HOW}`,
    );
  }
};

const readOrCreateKeyFile = (dataDir: string, legacy: string | undefined): string => {
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = legacy ?? randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
};

/**
 * Returns the config with its privacy key set (after the database is open, to move a legacy pepper
 * out of it). Throws ConfigError on PostgreSQL without a key.
 */
export const resolvePrivacyKey = async (config: Config, db: Db): Promise<Config> => {
  requirePrivacyKey(config);
  const legacy = await getSetting<string>(db, LEGACY_PEPPER_SETTING);
  let key = config.privacyPepper;
  if (!key) key = readOrCreateKeyFile(config.dataDir, legacy);
  if (legacy !== undefined) {
    if (legacy !== key) {
      throw new ConfigError(
        `This database keeps a privacy key from an earlier version (plaza_settings '${LEGACY_PEPPER_SETTING}') ` +
          'that differs from PLAZA_PRIVACY_KEY: set PLAZA_PRIVACY_KEY to that value, or the erasure suppression ' +
          'list stops working. Plaza then deletes it from the database.',
      );
    }
    await db.query('DELETE FROM plaza_settings WHERE key = $1', [LEGACY_PEPPER_SETTING]);
  }
  return { ...config, privacyPepper: key };
};
