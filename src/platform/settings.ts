import type { Queryable } from './db.ts';

/** Small key/value settings of the installation (first start done, demo loaded …). */
export const getSetting = async <T>(q: Queryable, key: string): Promise<T | undefined> =>
  (await q.query<{ value: T }>('SELECT value FROM plaza_settings WHERE key = $1', [key])).rows[0]?.value;

export const setSetting = (q: Queryable, key: string, value: unknown) =>
  q.query(
    `INSERT INTO plaza_settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
