/** Benchmark environments: a fresh database (PGlite folder or PostgreSQL database) and N API processes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '../../src/platform/testing.ts';
import { type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from '../../test/support/processes.ts';
import { json, send } from './load.ts';

export type Backend = 'pglite' | 'postgres';

export interface BenchEnv {
  backend: Backend;
  urls: string[];
  token: string;
  /** The PostgreSQL database the processes use (undefined on PGlite, which only its process opens). */
  databaseUrl?: string;
  /** Calls the admin API of the first process; throws on an error status. */
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export const PG_SERVER = process.env.PLAZA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Starts `procs` API processes on a fresh database. PGlite allows one process (it is embedded).
 * Logs are off and workers run in the first process only.
 */
export const startEnv = async (
  backend: Backend,
  procs: number,
  extraEnv: Record<string, string> = {},
): Promise<BenchEnv> => {
  if (backend === 'pglite' && procs !== 1) throw new Error('PGlite is embedded: one process only');
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  const dir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'plaza-bench-')) : undefined;
  const db = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const env = {
    ...(dir ? { PLAZA_DATA_DIR: dir } : { DATABASE_URL: db?.url }),
    LOG_LEVEL: 'error',
    PLAZA_DB_POOL_SIZE: '16',
    PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
    ...extraEnv,
  };
  const started: PlazaProcess[] = [];
  try {
    started.push(await startPlaza(env));
    for (let i = 1; i < procs; i++) started.push(await startPlaza({ ...env, PLAZA_WORKERS: '0' }));
  } catch (e) {
    await Promise.all(started.map((p) => p.stop()));
    throw e;
  }
  const urls = started.map((p) => p.url);
  return {
    backend,
    urls,
    token: TEST_ADMIN_TOKEN,
    ...(db ? { databaseUrl: db.url } : {}),
    async admin<T>(method: string, path: string, body?: unknown) {
      const r = await send(urls[0] as string, {
        method,
        path: `/admin${path}`,
        body,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
      return (r.body ? json<T>(r) : undefined) as T;
    },
    async close() {
      await Promise.all(started.map((p) => p.stop()));
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
};
