/**
 * The registry of personal data covers the schema: every text, JSON, array or date column that the
 * migrations create is declared personal or not personal by its module, and nothing is declared that
 * does not exist. A migration that adds such a column without a declaration fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL_DATA } from './personal-data.ts';
import { isPersonal } from './platform/personal-data.ts';
import { createTestDb, type TestDb } from './platform/testing.ts';

const KINDS = ['text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'inet', 'bytea', 'date'];

let t: TestDb;
let schema: Map<string, Set<string>>;
beforeAll(async () => {
  t = await createTestDb();
  const { rows } = await t.db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type = ANY($1)
       -- partitions share their parent's declaration (events_202612_r0 is a part of events)
       AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = c.table_name AND p.relispartition)`,
    [KINDS],
  );
  schema = new Map();
  for (const r of rows) {
    const cols = schema.get(r.table_name) ?? new Set<string>();
    cols.add(r.column_name);
    schema.set(r.table_name, cols);
  }
});
afterAll(() => t.drop());

const declared = new Map<string, Set<string>>();
for (const d of PERSONAL_DATA) {
  const cols = declared.get(d.table) ?? new Set<string>();
  for (const c of d.notPersonal) cols.add(c);
  if (isPersonal(d)) for (const c of [...Object.keys(d.personal), ...(d.secret ?? [])]) cols.add(c);
  declared.set(d.table, cols);
}

describe('registry of personal data', () => {
  it('declares every text, JSON, array and date column of the schema', () => {
    const missing: string[] = [];
    for (const [table, cols] of schema)
      for (const c of cols) if (!declared.get(table)?.has(c)) missing.push(`${table}.${c}`);
    expect(missing, 'declare these in the owning module’s personal-data.ts').toEqual([]);
  });

  it('declares nothing that the schema does not have', async () => {
    const { rows } = await t.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const all = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const stale = [...declared].flatMap(([table, cols]) =>
      [...cols].filter((c) => !all.has(`${table}.${c}`)).map((c) => `${table}.${c}`),
    );
    expect(stale).toEqual([]);
  });

  it('declares each table once, and never a column both personal and not personal', () => {
    const tables = PERSONAL_DATA.map((d) => d.table);
    expect(tables.filter((x, i) => tables.indexOf(x) !== i)).toEqual([]);
    const both = PERSONAL_DATA.filter(isPersonal).flatMap((d) =>
      d.notPersonal.filter((c) => c in d.personal).map((c) => `${d.table}.${c}`),
    );
    expect(both).toEqual([]);
  });

  it('sets to NULL only columns that may be NULL', async () => {
    const { rows } = await t.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND is_nullable = 'NO'`,
    );
    const notNull = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const wrong = PERSONAL_DATA.filter(isPersonal)
      .filter((d) => d.onErase === 'scrub')
      .flatMap((d) =>
        Object.entries(d.personal)
          .filter(([c, e]) => e === 'null' && notNull.has(`${d.table}.${c}`))
          .map(([c]) => `${d.table}.${c}`),
      );
    expect(wrong, "NOT NULL columns need 'redact' or 'empty'").toEqual([]);
  });

  it('owner conditions run on the real schema', async () => {
    const scope = { customerIds: ['cus_x'], orderIds: ['ord_x'], cartIds: ['cart_x'], emailHashes: ['h'] };
    const { exportTable } = await import('./platform/personal-data.ts');
    for (const d of PERSONAL_DATA.filter(isPersonal)) {
      expect(await exportTable(t.db, d, scope), d.table).toEqual([]);
    }
  });
});
