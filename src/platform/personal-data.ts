/**
 * The registry of where personal data lives. Every module declares, for each of its tables, which
 * text and JSON columns hold personal data and how erasure treats them, and which it reviewed as not
 * personal. Erasure and export are driven by these declarations (src/flows/privacy), and a test
 * fails when a migration adds a text or JSON column that no declaration mentions.
 *
 * Rows are tied to a person through `owner`, an SQL condition over three arrays computed once per
 * request: `$1` the person's customer ids (with merged profiles), `$2` their order ids (guest orders
 * with a verified e-mail or phone included), `$3` their cart ids (guest carts included) and `$4` the
 * keyed hashes of their e-mails (as the login throttle stores them).
 */
import type { Queryable } from './db.ts';

/** How erasure treats one personal column. */
export type Erasure =
  /** Set to NULL. */
  | 'null'
  /** Replaced by the fixed marker `[erased]` (for NOT NULL text). */
  | 'redact'
  /** Replaced by an empty JSON object (for NOT NULL JSON snapshots). */
  | 'empty'
  /** Top-level keys removed from a JSON object. */
  | { removeKeys: readonly string[] }
  /** Kept under another legal basis (accounting, fraud prevention); `reason` is documented. */
  | { keep: string };

export interface PersonalTable {
  table: string;
  /** Rows of the person: an SQL condition using $1 (customer ids), $2 (order ids), $3 (cart ids), $4 (e-mail hashes). */
  owner: string;
  /** `delete`: the person's rows are deleted on erasure; `scrub`: their personal columns are erased. */
  onErase: 'delete' | 'scrub';
  /** Personal columns and how erasure treats each (ignored for `delete` tables, but still listed). */
  personal: Readonly<Record<string, Erasure>>;
  /** Text or JSON columns reviewed and found not to hold personal data (ids, states, codes). */
  notPersonal: readonly string[];
  /** Columns never exported, even to their owner (secrets such as token hashes). */
  secret?: readonly string[];
  /** Section of the export document that holds these rows (default: the table's name). */
  section?: string;
}

/** A table whose text and JSON columns were all reviewed and hold nothing personal. */
export interface ImpersonalTable {
  table: string;
  notPersonal: readonly string[];
  /** Why nothing here is personal (for the docs and reviewers). */
  why: string;
}

export type PersonalDataDeclaration = readonly (PersonalTable | ImpersonalTable)[];

export const isPersonal = (t: PersonalTable | ImpersonalTable): t is PersonalTable => 'owner' in t;

/** The person whose data is erased or exported. */
export interface PersonScope {
  customerIds: readonly string[];
  orderIds: readonly string[];
  cartIds: readonly string[];
  emailHashes: readonly string[];
}

export const ERASED_MARKER = '[erased]';

const params = (s: PersonScope) => [s.customerIds, s.orderIds, s.cartIds, s.emailHashes];
// Every statement mentions all four arrays so that PostgreSQL can type them whichever the condition uses.
const where = (owner: string) =>
  `(${owner}) AND cardinality($1::text[]) >= 0 AND cardinality($2::text[]) >= 0 ` +
  'AND cardinality($3::text[]) >= 0 AND cardinality($4::text[]) >= 0';

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
};

const setClause = (column: string, e: Erasure): string | undefined => {
  const c = ident(column);
  if (e === 'null') return `${c} = NULL`;
  if (e === 'empty') return `${c} = '{}'::jsonb`;
  if (e === 'redact') return `${c} = CASE WHEN ${c} IS NULL THEN NULL ELSE '${ERASED_MARKER}' END`;
  if ('removeKeys' in e) {
    const keys = e.removeKeys.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
    return `${c} = CASE WHEN jsonb_typeof(${c}) = 'object' THEN ${c} - ARRAY[${keys}]::text[] ELSE ${c} END`;
  }
  return undefined;
};

/** Erases the person's rows of one table as declared; returns the number of rows touched. */
export const eraseTable = async (q: Queryable, t: PersonalTable, s: PersonScope): Promise<number> => {
  if (t.onErase === 'delete') {
    return (await q.query(`DELETE FROM ${ident(t.table)} WHERE ${where(t.owner)}`, params(s))).rowCount;
  }
  const sets = Object.entries(t.personal)
    .map(([column, e]) => setClause(column, e))
    .filter((x): x is string => x !== undefined);
  if (!sets.length) return 0;
  return (await q.query(`UPDATE ${ident(t.table)} SET ${sets.join(', ')} WHERE ${where(t.owner)}`, params(s)))
    .rowCount;
};

/** The person's rows of one table, every column but the secret ones. */
export const exportTable = async (
  q: Queryable,
  t: PersonalTable,
  s: PersonScope,
): Promise<Record<string, unknown>[]> => {
  const rows = (await q.query(`SELECT * FROM ${ident(t.table)} WHERE ${where(t.owner)}`, params(s))).rows;
  const secret = new Set(t.secret ?? []);
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r)
        .filter(([k]) => !secret.has(k))
        .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
    ),
  );
};
