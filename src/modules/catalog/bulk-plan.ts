/**
 * Planning a bulk upsert: checks each product and variant row against the stored state (and the
 * rows before it) and works out what to insert or update. Pure: no database access.
 */
import { newId } from '../../platform/ids.ts';
import type { ProductRow } from './repo-products.ts';
import { gtinKey, type VariantRow } from './repo-variants.ts';
import { checkOptions, defaultVariantTitle, optionsKey } from './rules.ts';
import type { ProductStatus } from './schema.ts';
import { STATUS_TRANSITIONS } from './service-products.ts';

export interface BulkPrice {
  channel_id: string;
  currency: string;
  amount: number;
  compare_at_amount: number | null;
}

/** A variant row; undefined fields keep the stored value (or take the default for a new variant). */
export interface BulkVariant {
  line: number;
  sku: string;
  barcode?: string | null;
  title?: string;
  position?: number;
  weight_grams?: number | null;
  options: Record<string, string>;
  /** Base prices to set (scheduled prices are kept). */
  prices: BulkPrice[];
}

/** A product; undefined fields are left as they are (lists given replace the current ones). */
export interface BulkProduct {
  handle: string;
  title?: string;
  description?: string;
  status?: ProductStatus;
  option_names?: string[];
  attributes?: Record<string, string>;
  image_urls?: string[];
  category_handles?: string[];
  collection_handles?: string[];
  channel_ids?: string[];
  variants: BulkVariant[];
}

export interface RowError {
  line: number;
  handle: string;
  sku?: string;
  message: string;
}

export interface BulkResult {
  errors: RowError[];
  products_created: number;
  products_updated: number;
  variants_created: number;
  variants_updated: number;
  prices_changed: number;
}

/** JSON with object keys sorted, for comparing jsonb values read back from the database. */
export const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

const PRODUCT_FIELDS = [
  'title',
  'description',
  'status',
  'attributes',
  'image_urls',
  'option_names',
] as const;
const VARIANT_FIELDS = ['barcode', 'title', 'options', 'position', 'weight_grams'] as const;

export interface Plan {
  row: ProductRow;
  isNew: boolean;
  changed: string[];
  input: BulkProduct;
  variants: { input: BulkVariant; row: VariantRow; isNew: boolean; changed: boolean }[];
}

/** What the planner knows: the stored product and variants, and what earlier rows used. */
export interface PlanContext {
  existing: ProductRow | undefined;
  stored: VariantRow[];
  bySku: Map<string, VariantRow & { handle: string }>;
  byGtin: Map<string, VariantRow>;
  seenSku: Map<string, number>;
  seenGtin: Map<string, number>;
  now: Date;
}

type PlannedVariant = Plan['variants'][number];

/** Checks one variant row; returns its planned row or why it is refused. */
const planVariant = (
  v: BulkVariant,
  product: ProductRow,
  ctx: PlanContext,
  combos: Map<string, string>,
  nextPosition: () => number,
): PlannedVariant | string => {
  const firstLine = ctx.seenSku.get(v.sku);
  if (firstLine !== undefined) return `SKU ${v.sku} appears more than once (first on line ${firstLine})`;
  ctx.seenSku.set(v.sku, v.line);
  const owner = ctx.bySku.get(v.sku);
  if (owner && owner.handle !== product.handle) return `SKU ${v.sku} belongs to product ${owner.handle}`;
  const badPrice = v.prices.find(
    (pr) =>
      !Number.isSafeInteger(pr.amount) ||
      pr.amount < 0 ||
      (pr.compare_at_amount !== null && !(pr.compare_at_amount > pr.amount)),
  );
  if (badPrice) {
    return `price on channel ${badPrice.channel_id}: amount must be a non-negative integer and compare-at above it`;
  }
  const opts = checkOptions(product.option_names, v.options);
  if ('error' in opts) return opts.error;
  const barcode = v.barcode === undefined ? (owner?.barcode ?? null) : v.barcode;
  if (barcode) {
    const g = gtinKey(barcode);
    const holder = ctx.byGtin.get(g);
    if (holder && holder.sku !== v.sku) return `barcode ${barcode} is already used by SKU ${holder.sku}`;
    const seen = ctx.seenGtin.get(g);
    if (seen !== undefined) return `barcode ${barcode} appears more than once (first on line ${seen})`;
    ctx.seenGtin.set(g, v.line);
  }
  const key = optionsKey(opts.options);
  const twin = combos.get(key);
  if (twin !== undefined) {
    return `duplicate option combination ${JSON.stringify(opts.options)} (same as SKU ${twin})`;
  }
  combos.set(key, v.sku);
  const row: VariantRow = {
    id: owner?.id ?? newId('var'),
    product_id: product.id,
    sku: v.sku,
    barcode,
    title: v.title || defaultVariantTitle(product.option_names, opts.options),
    options: opts.options,
    position: v.position ?? owner?.position ?? nextPosition(),
    weight_grams: v.weight_grams === undefined ? (owner?.weight_grams ?? null) : v.weight_grams,
    created_at: owner?.created_at ?? ctx.now,
    updated_at: ctx.now,
  };
  const changed = !owner || VARIANT_FIELDS.some((k) => canon(row[k]) !== canon(owner[k]));
  return { input: v, row, isNew: !owner, changed };
};

/** Checks one product and its rows against the stored state; returns its plan or row errors. */
export const planProduct = (p: BulkProduct, ctx: PlanContext, errors: RowError[]): Plan | undefined => {
  const ex = ctx.existing;
  const fail = (message: string) => {
    for (const v of p.variants) errors.push({ line: v.line, handle: p.handle, sku: v.sku, message });
    return undefined;
  };
  if (!ex && !p.title) return fail('title is required for a new product');
  const status = p.status ?? ex?.status ?? 'draft';
  if (ex && status !== ex.status && !STATUS_TRANSITIONS[ex.status].includes(status)) {
    return fail(`status cannot change from ${ex.status} to ${status}`);
  }
  if (p.channel_ids?.length && status !== 'published') {
    return fail(`channels are listed but status is ${status}: only published products can be on channels`);
  }
  const optionNames = p.option_names ?? ex?.option_names ?? [];
  const inFile = new Set(p.variants.map((v) => v.sku));
  const kept = ctx.stored.filter((v) => !inFile.has(v.sku));
  const orphan = kept.find((v) => Object.keys(v.options).some((k) => !optionNames.includes(k)));
  if (orphan) return fail(`variant ${orphan.sku} (not in the file) uses an option not in option names`);

  const row: ProductRow = ex
    ? { ...ex }
    : {
        id: newId('prd'),
        handle: p.handle,
        title: '',
        description: '',
        status,
        attributes: {},
        image_urls: [],
        option_names: [],
        first_published_at: null,
        created_at: ctx.now,
        updated_at: ctx.now,
      };
  Object.assign(row, {
    title: p.title ?? row.title,
    description: p.description ?? row.description,
    status,
    attributes: p.attributes ?? row.attributes,
    image_urls: p.image_urls ?? row.image_urls,
    option_names: optionNames,
  });
  const changed = ex ? PRODUCT_FIELDS.filter((k) => canon(row[k]) !== canon(ex[k])) : [];
  if (changed.length) row.updated_at = ctx.now;

  const combos = new Map(kept.map((v) => [optionsKey(v.options), v.sku]));
  let nextPosition = Math.max(-1, ...ctx.stored.map((v) => v.position)) + 1;
  const variants: Plan['variants'] = [];
  for (const v of p.variants) {
    const planned = planVariant(v, row, ctx, combos, () => nextPosition++);
    if (typeof planned === 'string')
      errors.push({ line: v.line, handle: p.handle, sku: v.sku, message: planned });
    else variants.push(planned);
  }
  if (!ex && variants.length === 0) return undefined; // nothing valid to create
  return { row, isNew: !ex, changed, input: p, variants };
};
