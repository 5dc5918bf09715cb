/** Variants: SKU, barcode and option rules, and adding, changing and removing them. */
import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { type Fail, fail, ok, type Result } from '../../platform/result.ts';
import { emit, priceChanged, productUpdated } from './events.ts';
import { getProduct, type ProductRow, refreshSearch, saveProduct } from './repo-products.ts';
import {
  deleteVariant,
  getVariant,
  gtinKey,
  insertVariants,
  nextPosition,
  saveVariant,
  type VariantRow,
  variantsByBarcode,
  variantsBySku,
  variantsOf,
  violatedUnique,
} from './repo-variants.ts';
import {
  checkOptions,
  defaultVariantTitle,
  type FieldError,
  normalizeBarcode,
  normalizeSku,
  optionsKey,
} from './rules.ts';
import type { VariantInput, VariantPatch } from './schema.ts';
import {
  applyPriceList,
  groupVariantPrices,
  invalid,
  type PriceEntry,
  preparePriceLists,
} from './service-prices.ts';
import { productView } from './views.ts';

/** A variant's fields after trimming and checking, before it touches the database. */
export interface PreparedVariant {
  sku: string;
  barcode: string | null;
  title: string | undefined;
  options: Record<string, string>;
  position: number | undefined;
  weight_grams: number | null;
  prices: PriceEntry[];
  path: string;
}

/** Checks one variant's own fields against the product's option names. */
export const prepareVariant = (
  input: VariantInput | (VariantPatch & { sku: string }),
  optionNames: readonly string[],
  path: string,
): { variant: PreparedVariant } | { errors: FieldError[] } => {
  const errors: FieldError[] = [];
  const sku = normalizeSku(input.sku);
  if ('error' in sku) errors.push({ path: `${path}.sku`, message: sku.error });
  const barcode = normalizeBarcode(input.barcode);
  if ('error' in barcode) errors.push({ path: `${path}.barcode`, message: barcode.error });
  const options = checkOptions(optionNames, input.options ?? {});
  if ('error' in options) errors.push({ path: `${path}.options`, message: options.error });
  if (errors.length || 'error' in sku || 'error' in barcode || 'error' in options) return { errors };
  const prices = 'prices' in input && input.prices ? groupVariantPrices(input.prices, `${path}.prices`) : [];
  return {
    variant: {
      sku: sku.sku,
      barcode: barcode.barcode,
      title: input.title?.trim(),
      options: options.options,
      position: input.position,
      weight_grams: input.weight_grams ?? null,
      prices,
      path,
    },
  };
};

const taken = (what: string, value: string, details: Record<string, unknown>): Fail =>
  fail('ALREADY_EXISTS', `${what} ${value} is already used by another variant`, details);

/**
 * Refuses SKUs, barcodes and option combinations that repeat within `variants` (VALIDATION_FAILED)
 * or are held by another variant (ALREADY_EXISTS). `selfId` is the variant being changed.
 */
export const checkVariantUniqueness = async (
  tx: Tx,
  productId: string | undefined,
  variants: readonly PreparedVariant[],
  selfId?: string,
): Promise<Result<true>> => {
  const errors: FieldError[] = [];
  const seen = {
    sku: new Map<string, string>(),
    gtin: new Map<string, string>(),
    opt: new Map<string, string>(),
  };
  for (const v of variants) {
    const checks: [Map<string, string>, string | null, string, string][] = [
      [seen.sku, v.sku, 'sku', 'SKU'],
      [seen.gtin, v.barcode ? gtinKey(v.barcode) : null, 'barcode', 'barcode'],
      [seen.opt, optionsKey(v.options), 'options', 'option combination'],
    ];
    for (const [map, key, field, label] of checks) {
      if (key === null) continue;
      const first = map.get(key);
      if (first) errors.push({ path: `${v.path}.${field}`, message: `same ${label} as ${first}` });
      else map.set(key, v.path);
    }
  }
  if (errors.length) return invalid(errors);
  const bySku = (
    await variantsBySku(
      tx,
      variants.map((v) => v.sku),
    )
  ).filter((r) => r.id !== selfId);
  if (bySku[0]) return taken('SKU', bySku[0].sku, { sku: bySku[0].sku, variant_id: bySku[0].id });
  const byCode = (
    await variantsByBarcode(
      tx,
      variants.flatMap((v) => (v.barcode ? [v.barcode] : [])),
    )
  ).filter((r) => r.id !== selfId);
  if (byCode[0]?.barcode) {
    return taken('Barcode', byCode[0].barcode, { barcode: byCode[0].barcode, variant_id: byCode[0].id });
  }
  if (productId) {
    const existing = (await variantsOf(tx, [productId])).filter((r) => r.id !== selfId);
    const keys = new Map(existing.map((r) => [optionsKey(r.options), r]));
    for (const v of variants) {
      const other = keys.get(optionsKey(v.options));
      if (other) {
        return fail(
          'ALREADY_EXISTS',
          `Variant ${other.sku} already has options ${JSON.stringify(v.options)}`,
          {
            options: v.options,
            variant_id: other.id,
          },
        );
      }
    }
  }
  return ok(true);
};

/** Maps a unique violation of a variant write (a concurrent writer won) to ALREADY_EXISTS. */
export const uniqueFailure = (e: unknown): Fail => {
  const c = violatedUnique(e);
  if (!c) throw e;
  const what = c.includes('sku') ? 'SKU' : c.includes('gtin') ? 'Barcode' : 'Option combination';
  return fail('ALREADY_EXISTS', `${what} is already used by another variant`, { constraint: c });
};

/** Inserts prepared variants of a product with their prices; returns rows and price.changed facts. */
export const insertPreparedVariants = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  product: ProductRow,
  variants: readonly PreparedVariant[],
) => {
  const lists = await preparePriceLists(
    tx,
    variants.flatMap((v) => v.prices),
  );
  if (!lists.ok) return lists;
  const now = deps.clock.now();
  let position = await nextPosition(tx, product.id);
  const rows: VariantRow[] = variants.map((v) => ({
    id: newId('var'),
    product_id: product.id,
    sku: v.sku,
    barcode: v.barcode,
    title: v.title || defaultVariantTitle(product.option_names, v.options),
    options: v.options,
    position: v.position ?? position++,
    weight_grams: v.weight_grams,
    created_at: now,
    updated_at: now,
  }));
  try {
    await insertVariants(tx, rows);
  } catch (e) {
    return uniqueFailure(e);
  }
  const owners = variants.flatMap((_, i) => variants[i]?.prices.map(() => rows[i] as VariantRow) ?? []);
  const changes = [];
  for (const [k, list] of lists.value.entries()) {
    const change = await applyPriceList(tx, deps, owners[k] as VariantRow, list);
    if (change) changes.push(change);
  }
  return ok({ rows, changes });
};

const touchProduct = async (tx: Tx, deps: Pick<Deps, 'clock'>, product: ProductRow) => {
  const saved = await saveProduct(tx, { ...product, updated_at: deps.clock.now() });
  await refreshSearch(tx, [product.id]);
  return saved;
};

const productOf = async (tx: Tx, productId: string): Promise<Result<ProductRow>> => {
  const product = await getProduct(tx, productId, { lock: true });
  return product ? ok(product) : fail('NOT_FOUND', `Product ${productId} was not found`, { id: productId });
};

/** Adds a variant (with optional prices) to a product. */
export const addVariant = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  productId: string,
  input: VariantInput,
) => {
  const product = await productOf(tx, productId);
  if (!product.ok) return product;
  const prepared = prepareVariant(input, product.value.option_names, 'body');
  if ('errors' in prepared) return invalid(prepared.errors);
  const unique = await checkVariantUniqueness(tx, productId, [prepared.variant]);
  if (!unique.ok) return unique;
  const inserted = await insertPreparedVariants(tx, deps, product.value, [prepared.variant]);
  if (!inserted.ok) return inserted;
  const saved = await touchProduct(tx, deps, product.value);
  const variant = inserted.value.rows[0] as VariantRow;
  await emit(tx, deps.clock, [
    productUpdated(saved, ['variants'], { variant_ids: [variant.id] }),
    ...inserted.value.changes.map(priceChanged),
  ]);
  return ok({ variant, product: await productView(tx, productId, deps.clock.now()) });
};

const variantOf = async (tx: Tx, productId: string, variantId: string): Promise<Result<VariantRow>> => {
  const v = await getVariant(tx, variantId, { lock: true });
  return v && v.product_id === productId
    ? ok(v)
    : fail('NOT_FOUND', `Variant ${variantId} of product ${productId} was not found`, { id: variantId });
};

/** Changes a variant's SKU, barcode, title, options, position or weight. */
export const updateVariant = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  productId: string,
  variantId: string,
  patch: VariantPatch,
) => {
  const product = await productOf(tx, productId);
  if (!product.ok) return product;
  const current = await variantOf(tx, productId, variantId);
  if (!current.ok) return current;
  const v = current.value;
  // A title derived from the options follows them; a title set by hand stays.
  const derived = v.title === defaultVariantTitle(product.value.option_names, v.options);
  const merged = {
    sku: patch.sku ?? v.sku,
    barcode: patch.barcode === undefined ? v.barcode : patch.barcode,
    title:
      patch.title ??
      (derived && patch.options ? defaultVariantTitle(product.value.option_names, patch.options) : v.title),
    options: patch.options ?? v.options,
    position: patch.position ?? v.position,
    weight_grams: patch.weight_grams === undefined ? v.weight_grams : patch.weight_grams,
  };
  const prepared = prepareVariant(merged, product.value.option_names, 'body');
  if ('errors' in prepared) return invalid(prepared.errors);
  const unique = await checkVariantUniqueness(tx, productId, [prepared.variant], v.id);
  if (!unique.ok) return unique;
  const p = prepared.variant;
  const next: VariantRow = {
    ...v,
    sku: p.sku,
    barcode: p.barcode,
    title: p.title ?? v.title,
    options: p.options,
    position: p.position ?? v.position,
    weight_grams: p.weight_grams,
    updated_at: deps.clock.now(),
  };
  const changed = (['sku', 'barcode', 'title', 'options', 'position', 'weight_grams'] as const).filter(
    (k) => JSON.stringify(next[k]) !== JSON.stringify(v[k]),
  );
  if (changed.length === 0)
    return ok({ variant: v, product: await productView(tx, productId, deps.clock.now()) });
  let saved: VariantRow;
  try {
    saved = await saveVariant(tx, next);
  } catch (e) {
    return uniqueFailure(e);
  }
  const prod = await touchProduct(tx, deps, product.value);
  await emit(tx, deps.clock, [
    productUpdated(prod, ['variants'], { variant_ids: [v.id], variant_fields: changed }),
  ]);
  return ok({ variant: saved, product: await productView(tx, productId, deps.clock.now()) });
};

/** Removes a variant and its prices (its SKU and barcode become free). */
export const removeVariant = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  productId: string,
  variantId: string,
) => {
  const product = await productOf(tx, productId);
  if (!product.ok) return product;
  const current = await variantOf(tx, productId, variantId);
  if (!current.ok) return current;
  await deleteVariant(tx, variantId);
  const prod = await touchProduct(tx, deps, product.value);
  await emit(tx, deps.clock, [
    productUpdated(prod, ['variants'], { variant_ids: [variantId], removed_skus: [current.value.sku] }),
  ]);
  return ok({ product: await productView(tx, productId, deps.clock.now()) });
};
