/**
 * Connection loss on PostgreSQL, on the shared test server: this file's own connections are ended
 * with pg_terminate_backend (the server itself is never stopped; test/faults/ restarts a private one).
 */
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, type Db, openPostgres } from './db.ts';
import { createTestDb, type TestDb, testBackend } from './testing.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const until = async (ms: number, probe: () => boolean | Promise<boolean>) => {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > ms) return false;
    await sleep(20);
  }
  return true;
};

describe.runIf(testBackend() === 'postgres')('PostgreSQL connection loss', () => {
  let t: TestDb;
  let admin: pg.Client;
  const opened: Db[] = [];
  const open = async (opts: Parameters<typeof openPostgres>[1] = {}) => {
    const db = await openPostgres(t.url as string, opts);
    opened.push(db);
    return db;
  };
  /** Ends this test database's backends of one application name (or one pid). */
  const terminate = async (which: { app?: string; pid?: number }) => {
    const r = await admin.query(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND ($1::text IS NULL OR application_name = $1) AND ($2::int IS NULL OR pid = $2)`,
      [which.app ?? null, which.pid ?? null],
    );
    return Number(r.rows[0]?.n);
  };

  beforeAll(async () => {
    t = await createTestDb({ migrate: false });
    admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await admin?.end();
    await t?.drop();
  });

  it('a connection lost inside a transaction fails it as unavailable; the pool serves again', async () => {
    const db = await open({ poolSize: 2 });
    const failed = await db
      .tx(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await terminate({ pid: rows[0]?.pid });
        // The FATAL arrives while the client is checked out and idle: an 'error' event nobody but
        // Plaza handles (unhandled, it ends the process).
        await sleep(200);
        await tx.query('SELECT 1');
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DatabaseUnavailableError);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });

  it('the advisory-lock client survives losing its connection', async () => {
    const db = await open({ poolSize: 2 });
    await db.withAdvisoryLock(4242, async (session) => {
      const { rows } = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate({ pid: rows[0]?.pid });
      await sleep(200);
    });
    // The lock went with the session; it can be taken again.
    expect(await db.withAdvisoryLock(4242, async () => 'again')).toBe('again');
  });

  it('LISTEN comes back after its connection is lost, and says so', async () => {
    const db = await open({ poolSize: 2 });
    const heard: string[] = [];
    let reconnects = 0;
    const stop = await db.listen(
      'plaza_conn_test',
      (p) => heard.push(p),
      () => reconnects++,
    );
    expect(await terminate({ app: 'plaza-listen' })).toBe(1);
    expect(await until(3000, () => reconnects === 1)).toBe(true);
    await db.query("SELECT pg_notify('plaza_conn_test', 'after')");
    expect(await until(2000, () => heard.includes('after'))).toBe(true);
    await stop();
  });

  it('logs a lost idle connection by code and message, without the client and its SQL', async () => {
    const errors: Error[] = [];
    const db = await open({ poolSize: 1, onError: (e) => errors.push(e) });
    await db.query('SELECT $1::text AS secret_statement_text', ['x']);
    await db.query('SELECT $1::text AS secret_statement_text', ['x']);
    expect(await terminate({ app: 'plaza' })).toBeGreaterThanOrEqual(1);
    expect(await until(2000, () => errors.length > 0)).toBe(true);
    const logged = pino.stdSerializers.err(errors[0] as Error);
    expect(logged).toMatchObject({ code: '57P01' });
    expect(logged.message).toMatch(/terminating connection/);
    expect(logged).not.toHaveProperty('client');
    expect(JSON.stringify(logged)).not.toContain('secret_statement_text');
  });

  it('keeps named prepared statements per connection bounded', async () => {
    const db = await open({ poolSize: 1, maxPreparedStatements: 20 });
    // 60 texts, each run twice (a text is named the second time it is seen), and per-call savepoints.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 60; i++) await db.query(`SELECT ${i} AS n WHERE $1::int = 1`, [1]);
    }
    await db.tx(async (tx) => {
      for (let i = 0; i < 30; i++) {
        await tx.query(`SAVEPOINT sp_${i}`);
        await tx.query(`RELEASE SAVEPOINT sp_${i}`);
      }
    });
    // pool size 1: this runs on the connection that ran everything above.
    const r = await db.query<{ n: number; savepoints: number }>(
      "SELECT count(*) AS n, count(*) FILTER (WHERE statement ILIKE '%SAVEPOINT%') AS savepoints FROM pg_prepared_statements",
    );
    expect(r.rows[0]?.savepoints).toBe(0);
    expect(r.rows[0]?.n).toBeGreaterThan(0);
    expect(r.rows[0]?.n).toBeLessThanOrEqual(20);
  });
});
