import { type Config, loadConfig } from './platform/config.ts';
import { type Db, openDb } from './platform/db.ts';
import { lockDataDir } from './platform/lockfile.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { migrate } from './platform/migrate.ts';
import type { Deps } from './platform/module.ts';
import { requirePrivacyKey, resolvePrivacyKey } from './platform/privacy-key.ts';
import { makeDeps } from './server.ts';

export interface Runtime {
  deps: Deps;
  /** Migrations applied by this open (empty when the schema was current). */
  applied: string[];
  close(): Promise<void>;
}

/** Human-readable name of the database in use. */
export const describeDb = (config: Config): string =>
  config.databaseUrl
    ? `PostgreSQL at ${config.databaseUrl.replace(/\/\/([^:@/]+)(:[^@]*)?@/, '//$1:***@')}`
    : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;

/** Opens the database (locking an embedded data folder), runs migrations, and returns the deps. */
export const openRuntime = async (
  opts: { config?: Config; log?: Logger; migrate?: boolean } = {},
): Promise<Runtime> => {
  const given = opts.config ?? loadConfig();
  requirePrivacyKey(given); // before connecting: PostgreSQL needs PLAZA_PRIVACY_KEY
  const log = opts.log ?? createLogger(given.logLevel);
  const release = given.databaseUrl ? () => undefined : lockDataDir(given.dataDir);
  let db: Db;
  try {
    db = await openDb({
      databaseUrl: given.databaseUrl,
      dataDir: given.dataDir,
      poolSize: given.poolSize,
      onError: (e) => log.error({ err: e }, 'database connection error'),
    });
  } catch (e) {
    release();
    throw e;
  }
  let applied: string[];
  let config: Config;
  try {
    applied =
      opts.migrate === false
        ? []
        : await migrate(db, { onApply: (name) => log.info({ migration: name }, 'migrated') });
    config = await resolvePrivacyKey(given, db);
  } catch (e) {
    await db.close();
    release();
    throw e;
  }
  return {
    deps: makeDeps({ db, config, log }),
    applied,
    async close() {
      await db.close();
      release();
    },
  };
};
