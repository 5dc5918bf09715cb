/**
 * Test support: a fresh, migrated database per test file — in-memory PGlite by default,
 * a new PostgreSQL database when PLAZA_TEST_BACKEND=postgres (server from PLAZA_TEST_DATABASE_URL).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';
import { type Db, openPglite, openPostgres } from './db.ts';
import { migrate, readMigrations } from './migrate.ts';

export type TestBackend = 'pglite' | 'postgres';

/** The privacy key of test runs (PLAZA_PRIVACY_KEY): set for every test process by vitest.config.ts. */
export const TEST_PRIVACY_KEY = 'plaza-test-privacy-key-not-for-production-0123456789';

export const testBackend = (): TestBackend =>
  process.env.PLAZA_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';

export const testServerUrl = (): string | undefined => process.env.PLAZA_TEST_DATABASE_URL || undefined;

export interface TestDb {
  db: Db;
  backend: TestBackend;
  /** Connection URL of the test database (PostgreSQL only), for spawning server processes. */
  url: string | undefined;
  drop(): Promise<void>;
}

const withDatabase = (serverUrl: string, name: string): string => {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
};

const adminQuery = async (serverUrl: string, sql: string) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** Creates an empty PostgreSQL database on the test server and returns its URL (no migrations). */
export const createPostgresDatabase = async (): Promise<{ url: string; drop(): Promise<void> }> => {
  const server = testServerUrl();
  if (!server) throw new Error('PLAZA_TEST_BACKEND=postgres needs PLAZA_TEST_DATABASE_URL');
  const name = `plaza_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(server, name),
    drop: () => adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
};

const pgliteVersion = (): string => {
  try {
    const pkg = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/**
 * A migrated PGlite data folder, dumped once per set of migrations (and PGlite version) into the temp
 * directory, that every PGlite test file loads: it skips initdb and the migrations (1–3 s a file on a
 * busy 2-core machine). The migrations themselves still run from scratch: once here when they change,
 * and in every `plaza migrate`/`plaza start` on a fresh folder (test/cli.test.ts, privacy-key.test.ts).
 */
const migratedPgliteTemplate = async (): Promise<Blob> => {
  const key = migrationsKey(pgliteVersion());
  const file = join(tmpdir(), `plaza-test-pglite-${key}.tar`);
  if (!existsSync(file)) {
    const dir = mkdtempSync(join(tmpdir(), 'plaza-test-template-'));
    try {
      const db = await openPglite(dir);
      await migrate(db);
      await db.close();
      const lite = await PGlite.create(dir, { extensions: { pg_trgm, unaccent } });
      const dump = await lite.dumpDataDir('none');
      await lite.close();
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, file); // atomic: a concurrent test file reads a whole template or none
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return new Blob([readFileSync(file)]);
};

/** Hash of the migrations (names and checksums): names the templates of migrated test databases. */
const migrationsKey = (extra = ''): string =>
  createHash('sha256')
    .update(extra)
    .update(
      readMigrations()
        .map((m) => `${m.name}:${m.checksum}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);

const serverQuery = async <T extends pg.QueryResultRow>(
  serverUrl: string,
  sql: string,
  params: unknown[] = [],
) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
};

/**
 * A migrated PostgreSQL database on the test server, made once per set of migrations, that each test
 * file's database is copied from (`CREATE DATABASE … TEMPLATE`): it skips running every migration per
 * file. Built under a name of its own and renamed when complete, so a concurrent test file copies a
 * whole template or builds none; an advisory lock makes one file build it.
 */
const postgresTemplate = async (server: string): Promise<string> => {
  const name = `plaza_tpl_${migrationsKey()}`;
  const exists = async () =>
    (await serverQuery(server, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length > 0;
  if (await exists()) return name;
  const lock = new pg.Client({ connectionString: server });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    if (await exists()) return name;
    const building = `${name}_${randomBytes(3).toString('hex')}`;
    await adminQuery(server, `CREATE DATABASE ${building}`);
    const db = await openPostgres(withDatabase(server, building), { poolSize: 1 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    await adminQuery(server, `ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await lock.end(); // releases the advisory lock
  }
};

/** A copy of the migrated template (retried while another file is copying it at the same instant). */
const createMigratedPostgresDatabase = async (): Promise<{ url: string; drop(): Promise<void> }> => {
  const server = testServerUrl();
  if (!server) throw new Error('PLAZA_TEST_BACKEND=postgres needs PLAZA_TEST_DATABASE_URL');
  const template = await postgresTemplate(server);
  const name = `plaza_t_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(server, `CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (e) {
      // 55006: the template is being accessed by other users (another file copying it right now)
      if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  return {
    url: withDatabase(server, name),
    drop: () => adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
};

/** A fresh migrated database for one test file. Call `drop()` in afterAll. */
export const createTestDb = async (opts: { migrate?: boolean; poolSize?: number } = {}): Promise<TestDb> => {
  const backend = testBackend();
  if (backend === 'pglite') {
    const db =
      opts.migrate === false
        ? await openPglite(undefined)
        : await openPglite(undefined, { loadDataDir: await migratedPgliteTemplate() });
    if (opts.migrate !== false) await migrate(db); // a no-op on the template; proves it is current
    return { db, backend, url: undefined, drop: () => db.close() };
  }
  const created =
    opts.migrate === false ? await createPostgresDatabase() : await createMigratedPostgresDatabase();
  const db = await openPostgres(created.url, { poolSize: opts.poolSize ?? 10 });
  if (opts.migrate !== false) await migrate(db); // a no-op on the template's copy; proves it is current
  return {
    db,
    backend,
    url: created.url,
    async drop() {
      await db.close();
      await created.drop();
    },
  };
};
