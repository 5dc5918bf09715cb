/**
 * The environment of the events and segments benchmarks: a fresh database (PostgreSQL database or
 * PGlite folder) migrated in this process, a web channel with an event source and a write key written
 * straight into event_sources / event_write_keys (migrations/0020_events.sql), then `procs` real
 * `plaza start` processes on it (workers in the first only, as bench/lib/env.ts does).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChannel } from '../../src/modules/channels/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { type Db, openPglite, openPostgres } from '../../src/platform/db.ts';
import { createPostgresDatabase } from '../../src/platform/testing.ts';
import { openRuntime } from '../../src/runtime.ts';
import { type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from '../../test/support/processes.ts';
import { type Backend, PG_SERVER } from '../lib/env.ts';

export type Runtime = Awaited<ReturnType<typeof openRuntime>>;

export interface EventsDb {
  backend: Backend;
  /** Environment for `plaza start` (DATABASE_URL or PLAZA_DATA_DIR …). */
  env: Record<string, string>;
  databaseUrl?: string;
  channelId: string;
  sourceId: string;
  writeKey: string;
  /** Opens the database from this process (PostgreSQL: a pool beside the API; PGlite: only while no API runs). */
  open(): Promise<Db>;
  drop(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`;

/** Inserts a source of kind `web` on `channelId` and a write key for it; returns both. */
export const insertWriteKey = async (
  db: { query(sql: string, params?: readonly unknown[]): Promise<unknown> },
  channelId: string | null,
  name: string,
): Promise<{ sourceId: string; writeKey: string }> => {
  const sourceId = id('src');
  const writeKey = `wk_${randomBytes(24).toString('base64url').slice(0, 32)}`;
  await db.query(
    `INSERT INTO event_sources (id, name, kind, channel_id, retention_months, created_at, updated_at)
     VALUES ($1, $2, 'web', $3, 0, now(), now())`,
    [sourceId, name, channelId],
  );
  await db.query(`INSERT INTO event_write_keys (id, source_id, key, created_at) VALUES ($1, $2, $3, now())`, [
    id('wkey'),
    sourceId,
    writeKey,
  ]);
  return { sourceId, writeKey };
};

/**
 * A fresh migrated database with a web channel, its event source and write key. `reuse` (PostgreSQL)
 * names an existing database to open instead (its first web source's key is used).
 */
export const createEventsDb = async (
  backend: Backend,
  opts: {
    seed?: (rt: Runtime, made: { channelId: string; sourceId: string }) => Promise<void>;
    reuse?: string;
  } = {},
): Promise<EventsDb> => {
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  const dir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'plaza-bench-events-')) : undefined;
  const reuseUrl = opts.reuse ? databaseUrl(opts.reuse) : undefined;
  const pg = backend === 'postgres' && !reuseUrl ? await createPostgresDatabase() : undefined;
  const url = reuseUrl ?? pg?.url;
  const env: Record<string, string> = {
    ...(dir ? { PLAZA_DATA_DIR: dir } : { DATABASE_URL: url as string }),
    LOG_LEVEL: 'error',
    PLAZA_DB_POOL_SIZE: '16',
    PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
  };
  const rt = await openRuntime({ config: loadConfig(env) });
  let made: { channelId: string; sourceId: string; writeKey: string };
  try {
    if (reuseUrl) {
      const { rows } = await rt.deps.db.query<{ channel_id: string; source_id: string; key: string }>(
        `SELECT s.channel_id, s.id AS source_id, k.key FROM event_sources s
         JOIN event_write_keys k ON k.source_id = s.id AND k.revoked_at IS NULL
         WHERE s.kind = 'web' ORDER BY s.created_at LIMIT 1`,
      );
      const r = rows[0];
      if (!r) throw new Error(`database ${opts.reuse} has no web source to reuse`);
      made = { channelId: r.channel_id, sourceId: r.source_id, writeKey: r.key };
    } else {
      const { deps } = rt;
      const channelId = await deps.db.tx(
        async (tx) =>
          (await createChannel(tx, deps, { type: 'web', name: 'Web', currency: 'USD', locale: 'en-US' })).id,
      );
      const key = await insertWriteKey(deps.db, channelId, 'Bench web shop');
      made = { channelId, ...key };
      await opts.seed?.(rt, made);
    }
  } finally {
    await rt.close();
  }
  return {
    backend,
    env,
    ...(url ? { databaseUrl: url } : {}),
    ...made,
    open: () => (url ? openPostgres(url, { poolSize: 4 }) : openPglite(dir as string)),
    async drop() {
      await pg?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The URL of database `name` on the benchmark's PostgreSQL server. */
export const databaseUrl = (name: string): string => {
  const u = new URL(PG_SERVER);
  u.pathname = `/${name}`;
  return u.toString();
};

export interface Apis {
  /** The processes that take the load. */
  urls: string[];
  pids: number[];
  /** The process that runs the workers, when it takes no load (`separateWorker`). */
  workerPid?: number;
  /** What the processes printed (errors: LOG_LEVEL=error). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `procs` API processes on the database: the first runs the workers and the others
 * PLAZA_WORKERS=0 (as bench/lib/env.ts does), or with `separateWorker` every one of them has
 * PLAZA_WORKERS=0 and one more process runs the workers without taking load (PostgreSQL only).
 */
export const startApis = async (
  db: EventsDb,
  procs: number,
  extra: Record<string, string> = {},
  separateWorker = false,
): Promise<Apis> => {
  const started: PlazaProcess[] = [];
  let worker: PlazaProcess | undefined;
  try {
    if (separateWorker) worker = await startPlaza({ ...db.env, ...extra }, 180_000);
    else started.push(await startPlaza({ ...db.env, ...extra }, 180_000));
    while (started.length < procs)
      started.push(await startPlaza({ ...db.env, ...extra, PLAZA_WORKERS: '0' }, 180_000));
  } catch (e) {
    await Promise.all([...started, ...(worker ? [worker] : [])].map((p) => p.stop()));
    throw e;
  }
  return {
    urls: started.map((p) => p.url),
    pids: started.map((p) => p.proc.pid ?? 0),
    ...(worker ? { workerPid: worker.proc.pid ?? 0 } : {}),
    output: () => [...(worker ? [worker] : []), ...started].map((p) => p.output()).join('\n'),
    async stop() {
      await Promise.all([...started, ...(worker ? [worker] : [])].map((p) => p.stop()));
    },
  };
};

export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
