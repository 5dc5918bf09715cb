/**
 * Bulk upsert of products and variants, keyed by product handle and variant SKU: what the CSV
 * import and the demo seed use. Idempotent (a second run with the same input changes nothing and
 * writes no event) and set-based (a few statements per batch, whatever its size). Rows that break
 * a rule are reported with their line and skipped; the others are written.
 */
import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import type { NewEvent } from '../../platform/outbox/events.ts';
import { type BulkProduct, type BulkResult, type Plan, planProduct, type RowError } from './bulk-plan.ts';
import {
  ensureTaxa,
  insertProducts,
  lockProductsByHandle,
  syncLinks,
  syncPublications,
  touchProducts,
  updateProducts,
  upsertVariants,
  variantsWithHandle,
} from './bulk-sql.ts';
import {
  emit,
  priceChanged,
  productCreated,
  productPublished,
  productUnpublished,
  productUpdated,
  taxonomyEvent,
} from './events.ts';
import { currentPrices, type PriceRow, upsertBasePrices } from './repo-prices.ts';
import { refreshSearch } from './repo-products.ts';
import { gtinKey, type VariantRow, variantsByBarcode, variantsOf } from './repo-variants.ts';

export type { BulkPrice, BulkProduct, BulkResult, BulkVariant, RowError } from './bulk-plan.ts';

/** Sets base prices; returns price.changed facts (amounts in force before and after, at `now`). */
const applyBasePrices = async (tx: Tx, plans: Plan[], now: Date) => {
  const rows: PriceRow[] = plans.flatMap((pl) =>
    pl.variants.flatMap((v) =>
      v.input.prices.map((pr) => ({
        id: newId('prc'),
        variant_id: v.row.id,
        ...pr,
        starts_at: null,
        ends_at: null,
        created_at: now,
      })),
    ),
  );
  if (rows.length === 0) return [];
  const channels = [...new Set(rows.map((r) => r.channel_id))];
  const idsOn = (c: string, list: { variant_id: string; channel_id: string }[]) =>
    list.filter((r) => r.channel_id === c).map((r) => r.variant_id);
  const before = new Map<string, Map<string, { amount: number }>>();
  for (const c of channels) before.set(c, await currentPrices(tx, c, idsOn(c, rows), now));
  const changed = await upsertBasePrices(tx, rows);
  const variantsById = new Map(plans.flatMap((pl) => pl.variants.map((v) => [v.row.id, v.row] as const)));
  const out = [];
  for (const c of channels) {
    const ids = idsOn(c, changed);
    if (ids.length === 0) continue;
    const after = await currentPrices(tx, c, ids, now);
    for (const id of ids) {
      const v = variantsById.get(id) as VariantRow;
      const currency = rows.find((r) => r.variant_id === id && r.channel_id === c)?.currency ?? '';
      out.push({
        product_id: v.product_id,
        variant_id: id,
        sku: v.sku,
        channel_id: c,
        currency,
        old_amount: before.get(c)?.get(id)?.amount ?? null,
        new_amount: after.get(id)?.amount ?? null,
      });
    }
  }
  return out;
};

/** Links (categories, collections) for the products that list them; returns products changed. */
const applyLinks = async (
  tx: Tx,
  plans: Plan[],
  kind: 'categories' | 'collections',
  now: Date,
  events: NewEvent[],
) => {
  const field = kind === 'categories' ? 'category_handles' : 'collection_handles';
  const listed = plans.filter((pl) => pl.input[field] !== undefined);
  if (listed.length === 0) return new Set<string>();
  const taxa = await ensureTaxa(
    tx,
    kind,
    listed.flatMap((pl) => pl.input[field] ?? []),
    now,
  );
  const one = kind === 'categories' ? 'category' : 'collection';
  for (const c of taxa.created) {
    events.push(taxonomyEvent(`${one}.created`, one, c.id, { handle: c.handle, name: c.name }));
  }
  const pairs = listed.flatMap((pl) =>
    (pl.input[field] ?? []).map((h) => ({ product_id: pl.row.id, ref: taxa.ids.get(h) as string })),
  );
  return syncLinks(
    tx,
    kind,
    listed.map((pl) => pl.row.id),
    pairs,
  );
};

/** Plans every product of the batch against what is stored (locking the existing products). */
const planBatch = async (tx: Tx, products: readonly BulkProduct[], now: Date, errors: RowError[]) => {
  const handles = products.map((p) => p.handle);
  const existing = new Map((await lockProductsByHandle(tx, handles)).map((p) => [p.handle, p]));
  const skus = products.flatMap((p) => p.variants.map((v) => v.sku));
  const bySku = new Map((await variantsWithHandle(tx, skus)).map((v) => [v.sku, v]));
  const barcodes = products.flatMap((p) => p.variants.flatMap((v) => (v.barcode ? [v.barcode] : [])));
  const holders = await variantsByBarcode(tx, barcodes);
  const byGtin = new Map(holders.map((v) => [gtinKey(v.barcode as string), v] as const));
  const stored = new Map<string, VariantRow[]>();
  for (const v of await variantsOf(
    tx,
    [...existing.values()].map((p) => p.id),
  )) {
    stored.set(v.product_id, [...(stored.get(v.product_id) ?? []), v]);
  }
  const seen = { seenSku: new Map<string, number>(), seenGtin: new Map<string, number>() };
  return products.flatMap((p) => {
    const ex = existing.get(p.handle);
    const ctx = { bySku, byGtin, ...seen, now, existing: ex, stored: ex ? (stored.get(ex.id) ?? []) : [] };
    const plan = planProduct(p, ctx, errors);
    return plan ? [plan] : [];
  });
};

/** Writes products and variants; drops (and reports) variants whose SKU another product took meanwhile. */
const writeRows = async (tx: Tx, plans: Plan[], errors: RowError[]): Promise<void> => {
  await insertProducts(
    tx,
    plans.filter((pl) => pl.isNew).map((pl) => pl.row),
  );
  await updateProducts(
    tx,
    plans.filter((pl) => pl.changed.length).map((pl) => pl.row),
  );
  const changed = plans.flatMap((pl) => pl.variants.filter((v) => v.changed).map((v) => v.row));
  const written = new Set(await upsertVariants(tx, changed));
  for (const pl of plans) {
    for (const v of pl.variants.filter((x) => x.changed && !written.has(x.row.sku))) {
      const message = `SKU ${v.row.sku} was taken by another product meanwhile`;
      errors.push({ line: v.input.line, handle: pl.row.handle, sku: v.row.sku, message });
    }
    pl.variants = pl.variants.filter((x) => !x.changed || written.has(x.row.sku));
  }
};

/** Publications: products listing channels get exactly those; products not `published` get none. */
const applyPublications = (tx: Tx, plans: Plan[], now: Date) => {
  const syncing = plans.filter((pl) => pl.input.channel_ids !== undefined || pl.row.status !== 'published');
  const pairs = syncing.flatMap((pl) =>
    (pl.row.status === 'published' ? (pl.input.channel_ids ?? []) : []).map((c) => ({
      product_id: pl.row.id,
      ref: c,
    })),
  );
  return syncPublications(
    tx,
    syncing.map((pl) => pl.row.id),
    pairs,
    now,
  );
};

/** product.created / product.updated per product, with what changed; returns the products touched. */
const productEvents = (plans: Plan[], links: Set<string>[], now: Date, events: NewEvent[]): Plan[] => {
  const touched: Plan[] = [];
  for (const pl of plans) {
    if (pl.isNew) {
      events.push(
        productCreated(
          pl.row,
          pl.variants.map((v) => v.row.id),
        ),
      );
      touched.push(pl);
      continue;
    }
    const changed = [...pl.changed];
    if (pl.variants.some((v) => v.changed)) changed.push('variants');
    if (links[0]?.has(pl.row.id)) changed.push('category_ids');
    if (links[1]?.has(pl.row.id)) changed.push('collection_ids');
    if (changed.length) {
      events.push(productUpdated({ ...pl.row, updated_at: now }, changed));
      touched.push(pl);
    }
  }
  return touched;
};

/**
 * Upserts a batch of products (by handle) and variants (by SKU) with base prices, categories,
 * collections and channel publications, in the caller's transaction, writing the events of what
 * actually changed. Refused rows are returned in `errors`; nothing else is written for them.
 */
export const bulkUpsert = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  products: readonly BulkProduct[],
): Promise<BulkResult> => {
  const now = deps.clock.now();
  const errors: RowError[] = [];
  const plans = await planBatch(tx, products, now, errors);
  await writeRows(tx, plans, errors);
  const events: NewEvent[] = [];
  const priceChanges = await applyBasePrices(tx, plans, now);
  const links = [
    await applyLinks(tx, plans, 'categories', now, events),
    await applyLinks(tx, plans, 'collections', now, events),
  ];
  const pubs = await applyPublications(tx, plans, now);
  const touched = productEvents(plans, links, now, events);
  const updated = touched.filter((pl) => !pl.isNew);
  await touchProducts(
    tx,
    updated.map((pl) => pl.row.id),
    now,
  );
  await refreshSearch(
    tx,
    touched.map((pl) => pl.row.id),
  );
  events.push(
    ...priceChanges.map(priceChanged),
    ...pubs.published.map((r) => productPublished(r.product_id, r.channel_id, now)),
    ...pubs.unpublished.map((r) => productUnpublished(r.product_id, r.channel_id)),
  );
  await emit(tx, deps.clock, events);
  const variants = plans.flatMap((pl) => pl.variants.filter((v) => v.changed));
  return {
    errors,
    products_created: plans.filter((pl) => pl.isNew).length,
    products_updated: updated.length,
    variants_created: variants.filter((v) => v.isNew).length,
    variants_updated: variants.filter((v) => !v.isNew).length,
    prices_changed: priceChanges.length,
  };
};
