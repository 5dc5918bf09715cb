/** Products: create, change, archive or delete, and their status rules. */
import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import {
  emit,
  priceChanged,
  productCreated,
  productDeleted,
  productUnpublished,
  productUpdated,
} from './events.ts';
import {
  deleteProduct,
  deletePublications,
  freeHandle,
  getProduct,
  handleTaken,
  insertProduct,
  type ProductRow,
  refreshSearch,
  saveProduct,
  setLinks,
} from './repo-products.ts';
import { categoriesByIds, collectionsByIds } from './repo-taxonomy.ts';
import { variantsOf, violatedUnique } from './repo-variants.ts';
import { checkOptionNames, type FieldError, slugify } from './rules.ts';
import type { CreateProductBody, Product, ProductStatus, UpdateProductBody } from './schema.ts';
import { invalid } from './service-prices.ts';
import {
  checkVariantUniqueness,
  insertPreparedVariants,
  type PreparedVariant,
  prepareVariant,
} from './service-variants.ts';
import { productView } from './views.ts';

/** Allowed status changes. Leaving `published` unpublishes the product from every channel. */
export const STATUS_TRANSITIONS: Record<ProductStatus, readonly ProductStatus[]> = {
  draft: ['published', 'archived'],
  published: ['draft', 'archived'],
  archived: ['draft'],
};

const checkRefs = async (
  tx: Tx,
  input: { category_ids?: string[]; collection_ids?: string[] },
): Promise<FieldError[]> => {
  const errors: FieldError[] = [];
  const check = async (
    ids: string[] | undefined,
    field: string,
    load: (q: Tx, ids: string[]) => Promise<{ id: string }[]>,
  ) => {
    if (!ids?.length) return;
    const found = new Set((await load(tx, ids)).map((r) => r.id));
    ids.forEach((id, i) => {
      if (!found.has(id)) errors.push({ path: `body.${field}[${i}]`, message: `${id} does not exist` });
    });
  };
  await check(input.category_ids, 'category_ids', categoriesByIds);
  await check(input.collection_ids, 'collection_ids', collectionsByIds);
  return errors;
};

/** Runs a product write, answering ALREADY_EXISTS when a concurrent writer took the handle first. */
const handleGuard = async (write: () => Promise<ProductRow>): Promise<Result<ProductRow>> => {
  try {
    return ok(await write());
  } catch (e) {
    if (violatedUnique(e) !== 'products_handle_key') throw e;
    return fail('ALREADY_EXISTS', 'A product with this handle already exists');
  }
};

const notFound = (id: string) => fail('NOT_FOUND', `Product ${id} was not found`, { id });

/** Creates a product with optional variants and their prices, categories and collections. */
export const createProduct = async (tx: Tx, deps: Pick<Deps, 'clock'>, input: CreateProductBody) => {
  const errors: FieldError[] = [];
  const names = checkOptionNames(input.option_names ?? []);
  if ('error' in names) return invalid([{ path: 'body.option_names', message: names.error }]);
  const variants: PreparedVariant[] = [];
  (input.variants ?? []).forEach((v, i) => {
    const p = prepareVariant(v, names.names, `body.variants[${i}]`);
    if ('errors' in p) errors.push(...p.errors);
    else variants.push(p.variant);
  });
  errors.push(...(await checkRefs(tx, input)));
  if (errors.length) return invalid(errors);
  if (input.handle && (await handleTaken(tx, input.handle))) {
    return fail('ALREADY_EXISTS', `A product with handle "${input.handle}" already exists`, {
      handle: input.handle,
    });
  }
  const unique = await checkVariantUniqueness(tx, undefined, variants);
  if (!unique.ok) return unique;
  const now = deps.clock.now();
  const product = await handleGuard(async () =>
    insertProduct(tx, {
      id: newId('prd'),
      handle: input.handle ?? (await freeHandle(tx, slugify(input.title))),
      title: input.title.trim(),
      description: input.description ?? '',
      status: input.status ?? 'draft',
      attributes: input.attributes ?? {},
      image_urls: input.image_urls ?? [],
      option_names: names.names,
      first_published_at: null,
      created_at: now,
      updated_at: now,
    }),
  );
  if (!product.ok) return product;
  const inserted = await insertPreparedVariants(tx, deps, product.value, variants);
  if (!inserted.ok) return inserted;
  await setLinks(tx, 'categories', product.value.id, input.category_ids ?? []);
  await setLinks(tx, 'collections', product.value.id, input.collection_ids ?? []);
  await refreshSearch(tx, [product.value.id]);
  await emit(tx, deps.clock, [
    productCreated(
      product.value,
      inserted.value.rows.map((r) => r.id),
    ),
    ...inserted.value.changes.map(priceChanged),
  ]);
  return ok(await productView(tx, product.value.id, now));
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Unpublishes a product everywhere (when it leaves `published`); returns the events to write. */
const unpublishAll = async (tx: Tx, productId: string) =>
  (await deletePublications(tx, productId)).map((c) => productUnpublished(productId, c));

/**
 * Changes product fields, status (by STATUS_TRANSITIONS), option names (a name still used by a
 * variant cannot be removed), categories and collections. Writes product.updated with the changed
 * fields, and product.unpublished per channel when the product leaves `published`.
 */
export const updateProduct = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  patch: UpdateProductBody,
): Promise<Result<Product>> => {
  const current = await getProduct(tx, id, { lock: true });
  if (!current) return notFound(id);
  const next: ProductRow = { ...current };
  if (patch.title !== undefined) next.title = patch.title.trim();
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.attributes !== undefined) next.attributes = patch.attributes;
  if (patch.image_urls !== undefined) next.image_urls = patch.image_urls;
  if (patch.handle !== undefined && patch.handle !== current.handle) {
    if (await handleTaken(tx, patch.handle, id)) {
      return fail('ALREADY_EXISTS', `A product with handle "${patch.handle}" already exists`, {
        handle: patch.handle,
      });
    }
    next.handle = patch.handle;
  }
  if (patch.option_names !== undefined) {
    const names = checkOptionNames(patch.option_names);
    if ('error' in names) return invalid([{ path: 'body.option_names', message: names.error }]);
    const used = new Set((await variantsOf(tx, [id])).flatMap((v) => Object.keys(v.options)));
    const dropped = [...used].filter((n) => !names.names.includes(n));
    if (dropped.length) {
      return fail('CONFLICT', `Option ${dropped.join(', ')} is still used by variants of this product`, {
        options: dropped,
      });
    }
    next.option_names = names.names;
  }
  if (patch.status !== undefined && patch.status !== current.status) {
    if (!STATUS_TRANSITIONS[current.status].includes(patch.status)) {
      return fail('INVALID_STATE_TRANSITION', `A ${current.status} product cannot become ${patch.status}`, {
        from: current.status,
        to: patch.status,
      });
    }
    next.status = patch.status;
  }
  const refErrors = await checkRefs(tx, patch);
  if (refErrors.length) return invalid(refErrors);
  const changed: string[] = (
    ['title', 'description', 'attributes', 'image_urls', 'handle', 'option_names', 'status'] as const
  ).filter((k) => !same(next[k], current[k]));
  if (patch.category_ids && (await setLinks(tx, 'categories', id, patch.category_ids))) {
    changed.push('category_ids');
  }
  if (patch.collection_ids && (await setLinks(tx, 'collections', id, patch.collection_ids))) {
    changed.push('collection_ids');
  }
  if (changed.length === 0) return ok(await productView(tx, id, deps.clock.now()));
  const saved = await handleGuard(() => saveProduct(tx, { ...next, updated_at: deps.clock.now() }));
  if (!saved.ok) return saved;
  await refreshSearch(tx, [id]);
  const unpublished = next.status !== 'published' ? await unpublishAll(tx, id) : [];
  await emit(tx, deps.clock, [productUpdated(saved.value, changed), ...unpublished]);
  return ok(await productView(tx, id, deps.clock.now()));
};

/**
 * DELETE /admin/products/:id. A product never published to any channel cannot have been sold:
 * it is removed with its variants and prices (product.deleted). Otherwise it is archived —
 * unpublished everywhere, kept for order history (product.updated + product.unpublished).
 */
export const removeProduct = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
): Promise<Result<{ id: string; result: 'deleted' | 'archived' }>> => {
  const current = await getProduct(tx, id, { lock: true });
  if (!current) return notFound(id);
  if (current.first_published_at === null) {
    await deleteProduct(tx, id);
    await emit(tx, deps.clock, [productDeleted(current)]);
    return ok({ id, result: 'deleted' });
  }
  if (current.status !== 'archived') {
    const saved = await saveProduct(tx, { ...current, status: 'archived', updated_at: deps.clock.now() });
    await emit(tx, deps.clock, [productUpdated(saved, ['status']), ...(await unpublishAll(tx, id))]);
  }
  return ok({ id, result: 'archived' });
};
