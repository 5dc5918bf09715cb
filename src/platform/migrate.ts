import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db, Session } from './db.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Advisory lock key for migrations: two processes starting at once never both migrate. */
const MIGRATION_LOCK = 7_201_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Reads `NNNN_name.sql` files in version order. */
export const readMigrations = (dir: string = MIGRATIONS_DIR): Migration[] =>
  readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });

export class MigrationError extends Error {}

const ensureTable = (q: Session) =>
  q.query(`CREATE TABLE IF NOT EXISTS plaza_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock.
 * Refuses to run when an applied migration's file has changed (migrations are forward-only).
 * Returns the names of the migrations it applied.
 */
export const migrate = async (
  db: Db,
  opts: { dir?: string; onApply?: (name: string) => void } = {},
): Promise<string[]> => {
  const migrations = readMigrations(opts.dir);
  return db.withAdvisoryLock(MIGRATION_LOCK, async (session) => {
    await ensureTable(session);
    const { rows } = await session.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM plaza_migrations ORDER BY version',
    );
    const applied = new Map(rows.map((r) => [r.version, r]));
    for (const m of migrations) {
      const prev = applied.get(m.version);
      if (prev && prev.checksum !== m.checksum) {
        throw new MigrationError(
          `migration ${m.name} was changed after it was applied; add a new migration instead`,
        );
      }
    }
    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await session.query('BEGIN');
      try {
        await session.exec(m.sql);
        await session.query('INSERT INTO plaza_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await session.query('COMMIT');
      } catch (e) {
        await session.query('ROLLBACK');
        throw new MigrationError(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      opts.onApply?.(m.name);
      done.push(m.name);
    }
    return done;
  });
};
