/**
 * Test support: a fresh, migrated database per test file — in-memory PGlite by default,
 * a new PostgreSQL database when PLAZA_TEST_BACKEND=postgres (server from PLAZA_TEST_DATABASE_URL).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, openPglite, openPostgres } from './db.ts';
import { migrate } from './migrate.ts';

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

/** A fresh migrated database for one test file. Call `drop()` in afterAll. */
export const createTestDb = async (opts: { migrate?: boolean; poolSize?: number } = {}): Promise<TestDb> => {
  const backend = testBackend();
  if (backend === 'pglite') {
    const db = await openPglite(undefined);
    if (opts.migrate !== false) await migrate(db);
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
