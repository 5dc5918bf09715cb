import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NestedQueryError } from './db.ts';
import { migrate, readMigrations } from './migrate.ts';
import { createTestDb, type TestDb } from './testing.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

describe('database', () => {
  it('records every migration once and is idempotent', async () => {
    const files = readMigrations();
    const { rows } = await t.db.query<{ name: string }>('SELECT name FROM plaza_migrations ORDER BY version');
    expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
    expect(await migrate(t.db)).toEqual([]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await t.db.query("UPDATE plaza_migrations SET checksum = 'edited' WHERE version = 1");
    await expect(migrate(t.db)).rejects.toThrow(/was changed after it was applied/);
    const first = readMigrations()[0];
    await t.db.query('UPDATE plaza_migrations SET checksum = $1 WHERE version = 1', [first?.checksum]);
  });

  it('commits and rolls back transactions', async () => {
    await t.db.tx((tx) => tx.query("INSERT INTO plaza_settings (key, value) VALUES ('committed', '1')"));
    await expect(
      t.db.tx(async (tx) => {
        await tx.query("INSERT INTO plaza_settings (key, value) VALUES ('rolled_back', '1')");
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const { rows } = await t.db.query<{ key: string }>(
      "SELECT key FROM plaza_settings WHERE key IN ('committed', 'rolled_back')",
    );
    expect(rows.map((r) => r.key)).toEqual(['committed']);
  });

  it('refuses the root database inside a transaction instead of deadlocking', async () => {
    await expect(t.db.tx(async () => t.db.query('SELECT 1'))).rejects.toThrow(NestedQueryError);
    // and works again afterwards
    expect((await t.db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });

  it('returns int8 and counts as numbers and row counts for selects and updates', async () => {
    const r = await t.db.query<{ n: number; big: number }>(
      'SELECT count(*) AS n, 9007199254740991::int8 AS big',
    );
    expect(r.rows[0]).toEqual({ n: 1, big: 9007199254740991 });
    expect(r.rowCount).toBe(1);
    const u = await t.db.query("UPDATE plaza_settings SET value = '2' WHERE key = 'committed'");
    expect(u.rowCount).toBe(1);
  });

  it('delivers NOTIFY to listeners after commit only', async () => {
    const got: string[] = [];
    const stop = await t.db.listen('plaza_test', (p) => got.push(p));
    await expect(
      t.db.tx(async (tx) => {
        await tx.query("SELECT pg_notify('plaza_test', 'rolled back')");
        throw new Error('abort');
      }),
    ).rejects.toThrow();
    await t.db.tx((tx) => tx.query("SELECT pg_notify('plaza_test', 'committed')"));
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['committed']);
    await stop();
  });
});
