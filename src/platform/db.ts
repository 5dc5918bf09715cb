import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

/** An open transaction. Repository functions take it as their first argument. */
export interface Tx extends Queryable {
  readonly inTransaction: true;
}

export interface TxOptions {
  /** Retry the whole transaction on serialization failure or deadlock (PostgreSQL codes 40001, 40P01). */
  retries?: number;
}

export type DbKind = 'pglite' | 'postgres';

/** One connection held for a while (migrations): runs single statements and multi-statement scripts. */
export interface Session extends Queryable {
  exec(sql: string): Promise<void>;
}

/** The database: PGlite (embedded) or a PostgreSQL server, same SQL on both. */
export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  tx<T>(fn: (tx: Tx) => Promise<T>, options?: TxOptions): Promise<T>;
  /** Runs a callback for every NOTIFY on `channel` (from any process on PostgreSQL). Returns an unsubscribe. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Runs `fn` holding a session-level advisory lock (PostgreSQL); PGlite has one connection, so it just runs. */
  withAdvisoryLock<T>(key: number, fn: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when code uses the root database while a transaction is open in the same async flow. */
export class NestedQueryError extends Error {
  constructor() {
    super(
      'db.query() was called inside db.tx(): use the transaction passed to the callback ' +
        '(a second connection while holding locks can deadlock the pool, and PGlite has only one connection)',
    );
  }
}

const txScope = new AsyncLocalStorage<{ open: boolean }>();
const assertNotInTx = (): void => {
  if (txScope.getStore()?.open) throw new NestedQueryError();
};

const RETRYABLE = new Set(['40001', '40P01']);
const pgCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

const runWithRetries = async <T>(attempt: () => Promise<T>, retries: number): Promise<T> => {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      const code = pgCode(e);
      if (i >= retries || !code || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (i + 1)));
    }
  }
};

const inScope = async <T>(fn: () => Promise<T>): Promise<T> => {
  const scope = { open: true };
  try {
    return await txScope.run(scope, fn);
  } finally {
    scope.open = false;
  }
};

// int8 as JS number (amounts and counts stay far below 2^53), numeric as number, date as 'YYYY-MM-DD'.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const toNumber = (v: string): number => Number(v);
const identity = (v: string): string => v;

/** Opens the embedded database persisted in `dataDir` (or in memory when undefined). */
export const openPglite = async (dataDir: string | undefined): Promise<Db> => {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir, {
    extensions: { pg_trgm, unaccent },
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber, [DATE]: identity },
  });
  const wrap = (r: { rows: unknown[]; affectedRows?: number }) => ({
    rows: r.rows,
    rowCount: Math.max(r.affectedRows ?? 0, r.rows.length),
  });
  const db: Db = {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      assertNotInTx();
      return wrap(await lite.query<T>(sql, params as unknown[])) as QueryResult<T>;
    },
    tx<T>(fn: (tx: Tx) => Promise<T>, options?: TxOptions) {
      assertNotInTx();
      return runWithRetries(
        () =>
          lite.transaction((t) =>
            inScope(() =>
              fn({
                inTransaction: true,
                query: async <R>(sql: string, params?: readonly unknown[]) =>
                  wrap(await t.query<R>(sql, params as unknown[])) as QueryResult<R>,
              }),
            ),
          ),
        options?.retries ?? 0,
      );
    },
    async listen(channel, onPayload) {
      const unsub = await lite.listen(channel, onPayload);
      return async () => unsub();
    },
    async withAdvisoryLock(_key, fn) {
      assertNotInTx();
      return fn({
        query: db.query,
        exec: async (sql) => {
          await lite.exec(sql);
        },
      });
    },
    async close() {
      if (!lite.closed) await lite.close();
    },
  };
  return db;
};

/**
 * Every query runs as a named prepared statement (the name derived from its text), so each
 * connection parses and plans it once instead of on every execution: most of PostgreSQL's work for
 * the short queries of a commerce API is planning them.
 */
const statementNames = new Map<string, string>();
const prepared = (text: string, values: readonly unknown[] | undefined): pg.QueryConfig => {
  let name = statementNames.get(text);
  if (!name) {
    name = `plz_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    if (statementNames.size < 5000) statementNames.set(text, name);
  }
  return { name, text, values: values as unknown[] };
};

/** Connects a pg pool to a PostgreSQL server. */
export const openPostgres = async (
  url: string,
  opts: { poolSize?: number; onError?: (e: Error) => void } = {},
): Promise<Db> => {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8 || oid === NUMERIC) return toNumber;
      if (oid === DATE) return identity;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types: types as pg.CustomTypesConfig,
    // A lock wait is bounded: under contention a request gets a clean CONFLICT, never hangs.
    options: '-c lock_timeout=5000 -c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000',
    application_name: 'plaza',
  });
  pool.on('error', (e) => opts.onError?.(e));
  // Fail fast with a clear error when the server is unreachable.
  const probe = await pool.connect();
  probe.release();

  const listeners: pg.Client[] = [];
  const db: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params?: readonly unknown[]) {
      assertNotInTx();
      const r = await pool.query(prepared(sql, params));
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    tx<T>(fn: (tx: Tx) => Promise<T>, options?: TxOptions) {
      assertNotInTx();
      return runWithRetries(async () => {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query('BEGIN');
          // Queries issued concurrently on the transaction (Promise.all) run one after the other: a
          // connection runs one statement at a time, and pg 9 drops its implicit queue.
          let queue: Promise<unknown> = Promise.resolve();
          const result = await inScope(() =>
            fn({
              inTransaction: true,
              query: <R>(sql: string, params?: readonly unknown[]) => {
                const run = queue.then(async () => {
                  const r = await client.query(prepared(sql, params));
                  return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
                });
                queue = run.catch(() => undefined);
                return run;
              },
            }),
          );
          await client.query('COMMIT');
          return result;
        } catch (e) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          throw e;
        } finally {
          client.release(broken);
        }
      }, options?.retries ?? 0);
    },
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url, application_name: 'plaza-listen' });
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
      });
      client.on('error', (e) => opts.onError?.(e));
      await client.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      listeners.push(client);
      return async () => {
        const i = listeners.indexOf(client);
        if (i >= 0) listeners.splice(i, 1);
        await client.end().catch(() => undefined);
      };
    },
    async withAdvisoryLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await fn({
            query: async <R>(sql: string, params?: readonly unknown[]) => {
              const r = await client.query(sql, params as unknown[]);
              return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
            },
            exec: async (sql: string) => {
              await client.query(sql);
            },
          });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await Promise.all(listeners.splice(0).map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
  return db;
};

/** Opens PostgreSQL when a URL is given, else PGlite in `dataDir`. */
export const openDb = (opts: {
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  poolSize?: number;
  onError?: (e: Error) => void;
}): Promise<Db> =>
  opts.databaseUrl
    ? openPostgres(opts.databaseUrl, { poolSize: opts.poolSize, onError: opts.onError })
    : openPglite(opts.dataDir);

export { pgCode };
