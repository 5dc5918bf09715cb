/**
 * The catalog CSV format, shared by export and import (so an export imports back unchanged).
 * One row per variant; product columns repeat on each row of the product (on import the first
 * non-empty value in the product's rows counts). Lists are separated by `|`. See docs/catalog.md.
 */
import { checkOptionNames, HANDLE_PATTERN, normalizeBarcode, normalizeSku, slugify } from './rules.ts';
import { PRODUCT_STATUSES, type ProductStatus } from './schema.ts';

export const PRODUCT_COLUMNS = [
  'handle',
  'title',
  'description',
  'status',
  'categories',
  'collections',
  'channels',
  'image_urls',
  'attributes',
] as const;

export const VARIANT_COLUMNS = [
  'sku',
  'barcode',
  'variant_title',
  'position',
  'weight_grams',
  'option1_name',
  'option1_value',
  'option2_name',
  'option2_value',
  'option3_name',
  'option3_value',
] as const;

export type Column = (typeof PRODUCT_COLUMNS)[number] | (typeof VARIANT_COLUMNS)[number];
export const PRICE_PREFIX = 'price:';
export const COMPARE_AT_PREFIX = 'compare_at:';
export const LIST_SEPARATOR = '|';

export interface CsvChannel {
  id: string;
  name: string;
  currency: string;
}

/** The header of an export: product and variant columns, then price and compare-at per channel. */
export const exportHeader = (channels: readonly CsvChannel[]): string[] => [
  ...PRODUCT_COLUMNS,
  ...VARIANT_COLUMNS,
  ...channels.flatMap((c) => [`${PRICE_PREFIX}${c.name}`, `${COMPARE_AT_PREFIX}${c.name}`]),
];

export interface PriceColumn {
  index: number;
  kind: 'price' | 'compare_at';
  ref: string;
  channel: CsvChannel | undefined;
}

export interface Header {
  columns: Map<Column, number>;
  prices: PriceColumn[];
}

/** Resolves a channel by id or (case-insensitive) name. */
export const channelResolver = (channels: readonly CsvChannel[]) => {
  const byKey = new Map<string, CsvChannel>();
  for (const c of channels) {
    byKey.set(c.id, c);
    byKey.set(c.name.toLowerCase(), c);
  }
  return (ref: string): CsvChannel | undefined => byKey.get(ref) ?? byKey.get(ref.toLowerCase());
};

/** Reads the header row; unknown or repeated columns and a missing handle or sku are errors. */
export const parseHeader = (fields: readonly string[], channels: readonly CsvChannel[]): Header | string => {
  const known = new Set<string>([...PRODUCT_COLUMNS, ...VARIANT_COLUMNS]);
  const resolve = channelResolver(channels);
  const columns = new Map<Column, number>();
  const prices: PriceColumn[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of fields.entries()) {
    const name = raw.trim();
    const lower = name.toLowerCase();
    if (seen.has(lower)) return `column "${name}" appears twice`;
    seen.add(lower);
    for (const [prefix, kind] of [
      [PRICE_PREFIX, 'price'],
      [COMPARE_AT_PREFIX, 'compare_at'],
    ] as const) {
      if (lower.startsWith(prefix)) {
        const ref = name.slice(prefix.length).trim();
        prices.push({ index, kind, ref, channel: resolve(ref) });
      }
    }
    if (lower.startsWith(PRICE_PREFIX) || lower.startsWith(COMPARE_AT_PREFIX)) continue;
    if (!known.has(lower)) return `unknown column "${name}"`;
    columns.set(lower as Column, index);
  }
  if (!columns.has('handle') || !columns.has('sku')) return 'the header needs at least "handle" and "sku"';
  return { columns, prices };
};

/** A cell of a record: undefined when the column is absent from the file. */
export const cellOf = (h: Header, fields: readonly string[], c: Column): string | undefined => {
  const i = h.columns.get(c);
  return i === undefined ? undefined : (fields[i] ?? '').trim();
};

export const splitList = (cell: string): string[] =>
  cell
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Parses a non-negative integer cell ("" → undefined). */
export const parseInteger = (cell: string, what: string, max: number): number | undefined | string => {
  if (cell === '') return undefined;
  if (!/^[0-9]+$/.test(cell)) {
    return /^[0-9]*[.,][0-9]+$/.test(cell)
      ? `${what} "${cell}" must be an integer in minor units (e.g. 1999 for 19.99)`
      : `${what} "${cell}" is not a non-negative integer`;
  }
  const n = Number(cell);
  return Number.isSafeInteger(n) && n <= max ? n : `${what} "${cell}" is too large`;
};

/** Product-level cells of a product's rows, parsed. Returns an error message on the first problem. */
export interface ProductCells {
  title?: string;
  description?: string;
  status?: ProductStatus;
  option_names?: string[];
  attributes?: Record<string, string>;
  image_urls?: string[];
  category_handles?: string[];
  collection_handles?: string[];
  channel_refs?: string[];
}

const parseAttributes = (cell: string): Record<string, string> | string => {
  if (cell === '') return {};
  try {
    const v: unknown = JSON.parse(cell);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.every(([k, x]) => typeof x === 'string' && k.length <= 100 && x.length <= 1000)) {
        return Object.fromEntries(entries) as Record<string, string>;
      }
    }
  } catch {
    // fall through
  }
  return 'attributes must be a JSON object of strings, e.g. {"material":"merino"}';
};

const handles = (cell: string, what: string): string[] | string => {
  const out = splitList(cell).map((v) => (HANDLE_PATTERN.test(v) ? v : slugify(v)));
  return out.length > 50 ? `at most 50 ${what}` : [...new Set(out)];
};

/** Parses product-level cells (the first non-empty value of each column across the product's rows). */
export const parseProductCells = (get: (c: Column) => string | undefined): ProductCells | string => {
  const out: ProductCells = {};
  const title = get('title');
  if (title) {
    if (title.length > 200) return 'title is longer than 200 characters';
    out.title = title;
  }
  const description = get('description');
  if (description !== undefined) {
    if (description.length > 20_000) return 'description is longer than 20000 characters';
    out.description = description;
  }
  const status = get('status');
  if (status) {
    if (!(PRODUCT_STATUSES as readonly string[]).includes(status)) {
      return `status "${status}" must be one of ${PRODUCT_STATUSES.join(', ')}`;
    }
    out.status = status as ProductStatus;
  }
  const names = (['option1_name', 'option2_name', 'option3_name'] as const).map(get);
  if (names.some((n) => n !== undefined)) {
    const given = names.filter((n): n is string => !!n);
    const checked = checkOptionNames(given);
    if ('error' in checked) return checked.error;
    out.option_names = checked.names;
  }
  const attributes = get('attributes');
  if (attributes !== undefined) {
    const a = parseAttributes(attributes);
    if (typeof a === 'string') return a;
    out.attributes = a;
  }
  const images = get('image_urls');
  if (images !== undefined) {
    const urls = splitList(images);
    const bad = urls.find((u) => !/^https?:\/\/\S+$/.test(u) || u.length > 2000);
    if (bad) return `image URL "${bad.slice(0, 100)}" must be an http(s) URL`;
    if (urls.length > 20) return 'at most 20 image URLs';
    out.image_urls = urls;
  }
  for (const [col, key] of [
    ['categories', 'category_handles'],
    ['collections', 'collection_handles'],
  ] as const) {
    const cell = get(col);
    if (cell === undefined) continue;
    const list = handles(cell, col);
    if (typeof list === 'string') return list;
    out[key] = list;
  }
  const channels = get('channels');
  if (channels !== undefined) out.channel_refs = splitList(channels);
  return out;
};

export interface VariantCells {
  sku: string;
  barcode?: string | null;
  title?: string;
  position?: number;
  weight_grams?: number | null;
  options: Record<string, string>;
}

/** The variant's own cells, parsed; `slots` are the product's option1..3 names (values map by position). */
export const parseVariantCells = (
  get: (c: Column) => string | undefined,
  slots: readonly (string | undefined)[],
): VariantCells | string => {
  const sku = normalizeSku(get('sku') ?? '');
  if ('error' in sku) return `SKU ${sku.error}`;
  const out: VariantCells = { sku: sku.sku, options: {} };
  const barcode = get('barcode');
  if (barcode !== undefined) {
    const b = normalizeBarcode(barcode);
    if ('error' in b) return `barcode ${b.error}`;
    out.barcode = b.barcode;
  }
  const title = get('variant_title');
  if (title) out.title = title.slice(0, 200);
  const position = parseInteger(get('position') ?? '', 'position', 100_000);
  if (typeof position === 'string') return position;
  if (position !== undefined) out.position = position;
  const weight = get('weight_grams');
  if (weight !== undefined) {
    const w = parseInteger(weight, 'weight_grams', 10_000_000);
    if (typeof w === 'string') return w;
    out.weight_grams = w ?? null;
  }
  for (const [i, col] of (['option1_value', 'option2_value', 'option3_value'] as const).entries()) {
    const value = get(col);
    if (!value) continue;
    const name = slots[i];
    if (!name) return `${col} "${value}" has no option${i + 1}_name on the product`;
    if (value.length > 100) return `${col} is longer than 100 characters`;
    out.options[name] = value;
  }
  return out;
};
