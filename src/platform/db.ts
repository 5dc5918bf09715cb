import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';
import { isDatabaseUnavailable, loggableDbError, unavailableOr } from './db-errors.ts';
import { PgListener } from './db-listen.ts';
import { StatementNames } from './db-statements.ts';

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
  /**
   * Runs a callback for every NOTIFY on `channel` (from any process on PostgreSQL). Returns an
   * unsubscribe. On PostgreSQL a lost LISTEN connection comes back by itself; `onReconnect` then runs
   * once it listens again: notifications sent meanwhile were missed, so forget or re-read what
   * depends on them (caches, live streams). PGlite never loses it.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
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
export const openPglite = async (
  dataDir: string | undefined,
  /** loadDataDir: start from a dumped data folder (PGlite's dumpDataDir), e.g. a migrated test template. */
  opts: { loadDataDir?: Blob } = {},
): Promise<Db> => {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir, {
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
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

export interface PostgresOptions {
  poolSize?: number;
  /** Connection problems that no caller sees (an idle pooled connection or the LISTEN connection lost). */
  onError?: (e: Error) => void;
  /** How long a request waits for a connection (to connect, or for a free one) before it gives up. */
  connectTimeoutMs?: number;
  /** Most named prepared statements per connection (see StatementNames). */
  maxPreparedStatements?: number;
}

/**
 * Connects a pg pool to a PostgreSQL server. Connection loss is routine, never fatal: every client
 * handles 'error' (pooled clients, also while checked out in a transaction; the LISTEN connection),
 * a request fails fast with DatabaseUnavailableError while the server is away (mapped to 503), and
 * the pool and the LISTEN connection come back by themselves when it returns.
 */
export const openPostgres = async (url: string, opts: PostgresOptions = {}): Promise<Db> => {
  const onError = (e: unknown) => opts.onError?.(loggableDbError(e));
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
    // Waiting for a connection is bounded too: while the server is away a request fails fast (503).
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    // A peer that vanished without closing the connection (network cut) is noticed within a minute.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // The pool handles errors of idle clients only; a client checked out (in a transaction, holding the
  // advisory lock) that loses its connection emits 'error' too, which would end the process unhandled.
  // Its current or next query fails instead, and the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', onError);
  // Fail fast with a clear error when the server is unreachable.
  const probe = await pool.connect();
  probe.release();

  const names = new StatementNames(opts.maxPreparedStatements ?? 500);
  const prepared = (text: string, values: readonly unknown[] | undefined): pg.QueryConfig => ({
    name: names.nameOf(text),
    text,
    values: values as unknown[],
  });
  const listener = new PgListener({ connectionString: url }, onError);
  const db: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params?: readonly unknown[]) {
      assertNotInTx();
      try {
        const r = await pool.query(prepared(sql, params));
        return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
      } catch (e) {
        throw unavailableOr(e);
      }
    },
    tx<T>(fn: (tx: Tx) => Promise<T>, options?: TxOptions) {
      assertNotInTx();
      return runWithRetries(async () => {
        let client: pg.PoolClient;
        try {
          client = await pool.connect();
        } catch (e) {
          throw unavailableOr(e);
        }
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
                  try {
                    const r = await client.query(prepared(sql, params));
                    return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
                  } catch (e) {
                    throw unavailableOr(e);
                  }
                });
                queue = run.catch(() => undefined);
                return run;
              },
            }),
          );
          await client.query('COMMIT');
          return result;
        } catch (e) {
          if (isDatabaseUnavailable(e)) broken = true;
          else {
            try {
              await client.query('ROLLBACK');
            } catch {
              broken = true;
            }
          }
          throw unavailableOr(e);
        } finally {
          client.release(broken);
        }
      }, options?.retries ?? 0);
    },
    listen: (channel, onPayload, onReconnect) => listener.listen(channel, onPayload, onReconnect),
    async withAdvisoryLock(key, fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw unavailableOr(e);
      }
      let broken = false;
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
          // A lost connection released the lock with the session; an unlock error must not hide fn's.
          await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {
            broken = true;
          });
        }
      } catch (e) {
        throw unavailableOr(e);
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await listener.close();
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

export { DatabaseUnavailableError, isDatabaseUnavailable, loggableDbError } from './db-errors.ts';
export { pgCode };
