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
  const key = createHash('sha256')
    .update(pgliteVersion())
    .update(
      readMigrations()
        .map((m) => `${m.name}:${m.checksum}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
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
  const created = await createPostgresDatabase();
  const db = await openPostgres(created.url, { poolSize: opts.poolSize ?? 10 });
  if (opts.migrate !== false) await migrate(db);
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
