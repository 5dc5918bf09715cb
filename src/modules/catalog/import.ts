/**
 * CSV import of products (`plaza import products FILE.csv`): one row per variant, grouped into
 * products by handle, upserted by handle and SKU (a re-import updates, never duplicates). Rows with
 * a problem are reported with their line number and skipped; the valid rows are imported, in
 * batches of whole products (one transaction and a few multi-row statements per batch).
 */
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { Progress } from '../../platform/progress.ts';
import { listChannels } from '../channels/index.ts';
import { type BulkPrice, type BulkProduct, type BulkResult, bulkUpsert, type RowError } from './bulk.ts';
import { CsvError, type CsvRecord, decodeUtf8, parseCsv } from './csv.ts';
import {
  type Column,
  type CsvChannel,
  cellOf,
  channelResolver,
  type Header,
  parseHeader,
  parseInteger,
  parseProductCells,
  parseVariantCells,
} from './csv-format.ts';
import { HANDLE_PATTERN } from './rules.ts';

export interface ImportReport extends Omit<BulkResult, 'errors'> {
  /** Data rows in the file (the header not counted). */
  rows: number;
  /** Rows refused, by line number. */
  errors: RowError[];
  ms: number;
}

export interface ImportOptions {
  /** Rows per transaction (whole products are never split); default 500. */
  batchRows?: number;
  progress?: (label: string, total: number) => Progress;
}

/** Every channel (for resolving `price:<channel>` and `channels` cells). */
export const allChannels = async (q: Queryable): Promise<CsvChannel[]> => {
  const out: CsvChannel[] = [];
  for (let after: string | undefined; ; ) {
    const page = await listChannels(q, { after, limit: 200 });
    out.push(...page.map((c) => ({ id: c.id, name: c.name, currency: c.currency })));
    if (page.length < 200) return out;
    after = page.at(-1)?.id;
  }
};

interface Group {
  handle: string;
  records: CsvRecord[];
}

const rowError = (r: CsvRecord, h: Header, message: string): RowError => ({
  line: r.line,
  handle: cellOf(h, r.fields, 'handle') ?? '',
  ...(cellOf(h, r.fields, 'sku') ? { sku: cellOf(h, r.fields, 'sku') } : {}),
  message,
});

const pricesOf = (h: Header, fields: readonly string[]): BulkPrice[] | string => {
  const byChannel = new Map<string, BulkPrice>();
  const compareAt = new Map<string, number>();
  for (const col of h.prices) {
    const cell = (fields[col.index] ?? '').trim();
    if (cell === '') continue;
    const label = `${col.kind === 'price' ? 'price' : 'compare_at'}:${col.ref}`;
    if (!col.channel) return `unknown channel "${col.ref}" (column ${label})`;
    const n = parseInteger(cell, label, Number.MAX_SAFE_INTEGER);
    if (typeof n === 'string') return n;
    if (n === undefined) continue;
    if (col.kind === 'compare_at') compareAt.set(col.channel.id, n);
    else {
      byChannel.set(col.channel.id, {
        channel_id: col.channel.id,
        currency: col.channel.currency,
        amount: n,
        compare_at_amount: null,
      });
    }
  }
  for (const [channelId, amount] of compareAt) {
    const p = byChannel.get(channelId);
    if (!p) return `a compare_at price needs a price on the same channel (${channelId})`;
    if (amount <= p.amount) return `compare_at ${amount} must be greater than the price ${p.amount}`;
    p.compare_at_amount = amount;
  }
  return [...byChannel.values()];
};

/** Turns one product's rows into a BulkProduct; rows with problems go to `errors`. */
const toBulk = (
  g: Group,
  h: Header,
  resolve: (ref: string) => CsvChannel | undefined,
  errors: RowError[],
): BulkProduct | undefined => {
  const first = (c: Column): string | undefined => {
    if (!h.columns.has(c)) return undefined;
    for (const r of g.records) {
      const v = cellOf(h, r.fields, c);
      if (v) return v;
    }
    return '';
  };
  const failAll = (message: string) => {
    for (const r of g.records) errors.push(rowError(r, h, message));
    return undefined;
  };
  const cells = parseProductCells(first);
  if (typeof cells === 'string') return failAll(cells);
  const channels = (cells.channel_refs ?? []).map((ref) => ({ ref, channel: resolve(ref) }));
  const unknown = channels.find((c) => !c.channel);
  if (unknown) return failAll(`unknown channel "${unknown.ref}" in channels`);
  const slots = (['option1_name', 'option2_name', 'option3_name'] as const).map((c) => first(c) || undefined);
  const { channel_refs, ...product } = cells;
  const out: BulkProduct = {
    ...product,
    handle: g.handle,
    ...(channel_refs ? { channel_ids: [...new Set(channels.map((c) => c.channel?.id as string))] } : {}),
    variants: [],
  };
  for (const r of g.records) {
    const v = parseVariantCells((c) => cellOf(h, r.fields, c), slots);
    if (typeof v === 'string') {
      errors.push(rowError(r, h, v));
      continue;
    }
    const prices = pricesOf(h, r.fields);
    if (typeof prices === 'string') {
      errors.push(rowError(r, h, prices));
      continue;
    }
    out.variants.push({ ...v, line: r.line, prices });
  }
  return out.variants.length ? out : undefined;
};

/** Groups data rows by handle, in order of first appearance; rows without a valid handle are errors. */
const groupRows = (records: readonly CsvRecord[], h: Header, errors: RowError[]): Group[] => {
  const groups = new Map<string, Group>();
  for (const r of records) {
    const handle = cellOf(h, r.fields, 'handle') ?? '';
    if (!HANDLE_PATTERN.test(handle) || handle.length > 100) {
      errors.push(
        rowError(
          r,
          h,
          handle ? `handle "${handle}" must be lower case letters, digits and dashes` : 'handle is empty',
        ),
      );
      continue;
    }
    const g = groups.get(handle) ?? { handle, records: [] };
    g.records.push(r);
    groups.set(handle, g);
  }
  return [...groups.values()];
};

const NOT_UTF8 =
  'the line is not valid UTF-8 (the file looks like Windows-1252 or Latin-1: in Excel, save as "CSV UTF-8")';

const breaks = (s: string): number => s.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * Records with bytes that are not UTF-8 are refused, each with its line; an unreadable header
 * refuses the file.
 */
const dropBadBytes = (records: CsvRecord[], badLines: readonly number[], errors: RowError[]): CsvRecord[] => {
  if (badLines.length === 0) return records;
  const bad = new Set(badLines);
  const kept: CsvRecord[] = [];
  for (const [i, r] of records.entries()) {
    const last = r.line + r.fields.reduce((n, f) => n + breaks(f), 0);
    let badAt: number | undefined;
    for (let l = r.line; l <= last && badAt === undefined; l++) if (bad.has(l)) badAt = l;
    if (badAt === undefined) kept.push(r);
    else {
      errors.push({ line: badAt, handle: '', message: NOT_UTF8 });
      if (i === 0) return [];
    }
  }
  return kept;
};

/**
 * Imports a catalog CSV (see docs/catalog.md): text, or the file's bytes (UTF-8; lines with other
 * bytes are refused one by one). The delimiter (comma, semicolon or tab) is read from the header.
 * Never throws for bad rows: they are in `errors`.
 */
export const importProductsCsv = async (
  deps: Pick<Deps, 'db' | 'clock'>,
  input: string | Uint8Array,
  opts: ImportOptions = {},
): Promise<ImportReport> => {
  const { text, badLines } = typeof input === 'string' ? { text: input, badLines: [] } : decodeUtf8(input);
  const started = Date.now();
  const report: ImportReport = {
    rows: 0,
    errors: [],
    ms: 0,
    products_created: 0,
    products_updated: 0,
    variants_created: 0,
    variants_updated: 0,
    prices_changed: 0,
  };
  let parsed: CsvRecord[];
  try {
    parsed = parseCsv(text);
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    report.errors.push({ line: e.line, handle: '', message: e.message });
    return { ...report, ms: Date.now() - started };
  }
  report.rows = Math.max(0, parsed.length - 1);
  const records = dropBadBytes(parsed, badLines, report.errors);
  if (records.length === 0 && report.errors.length > 0) return { ...report, ms: Date.now() - started };
  const [headerRecord, ...data] = records;
  const channels = await allChannels(deps.db);
  const header = headerRecord ? parseHeader(headerRecord.fields, channels) : 'the file is empty';
  if (typeof header === 'string') {
    report.errors.push({ line: headerRecord?.line ?? 1, handle: '', message: header });
    return { ...report, ms: Date.now() - started };
  }
  const resolve = channelResolver(channels);
  const groups = groupRows(data, header, report.errors);
  const bar = opts.progress?.('import', data.length);
  const batchRows = opts.batchRows ?? 500;
  for (let i = 0; i < groups.length; ) {
    const batch: Group[] = [];
    let size = 0;
    while (i < groups.length && (size === 0 || size + (groups[i]?.records.length ?? 0) <= batchRows)) {
      const g = groups[i++] as Group;
      batch.push(g);
      size += g.records.length;
    }
    const products = batch.flatMap((g) => toBulk(g, header, resolve, report.errors) ?? []);
    try {
      const r = await deps.db.tx((tx) => bulkUpsert(tx, deps, products));
      report.errors.push(...r.errors);
      report.products_created += r.products_created;
      report.products_updated += r.products_updated;
      report.variants_created += r.variants_created;
      report.variants_updated += r.variants_updated;
      report.prices_changed += r.prices_changed;
    } catch (e) {
      const message = `batch not imported: ${(e as Error).message}`;
      for (const g of batch) for (const r of g.records) report.errors.push(rowError(r, header, message));
    }
    bar?.tick(size);
  }
  bar?.done();
  report.errors.sort((a, b) => a.line - b.line);
  return { ...report, ms: Date.now() - started };
};

/** The error report as text lines ("line 12 (SKU TEE-M): barcode check digit of … is wrong"). */
export const formatImportErrors = (errors: readonly RowError[]): string[] =>
  errors.map(
    (e) => `line ${e.line}${e.sku ? ` (SKU ${e.sku})` : e.handle ? ` (${e.handle})` : ''}: ${e.message}`,
  );
