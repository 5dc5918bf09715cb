/** Categories (a tree, no cycles) and collections (flat, curated groups). */
import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { emit, productUpdated, taxonomyEvent } from './events.ts';
import { getProductsByIds, refreshSearch } from './repo-products.ts';
import {
  type CategoryRow,
  type CollectionRow,
  deleteCategory,
  deleteCollection,
  getCategory,
  getCollection,
  hasChildren,
  insertCategory,
  insertCollection,
  isSelfOrAncestor,
  productsInCategory,
  saveCategory,
  saveCollection,
} from './repo-taxonomy.ts';
import { violatedUnique } from './repo-variants.ts';
import { slugify } from './rules.ts';
import type {
  CreateCategoryBody,
  CreateCollectionBody,
  UpdateCategoryBody,
  UpdateCollectionBody,
} from './schema-taxonomy.ts';

const handleTaken = (kind: string, handle: string) =>
  fail('ALREADY_EXISTS', `A ${kind} with handle "${handle}" already exists`, { handle });

/** Runs an insert or update, mapping a handle collision to ALREADY_EXISTS. */
const guarded = async <T>(kind: string, handle: string, write: () => Promise<T>): Promise<Result<T>> => {
  try {
    return ok(await write());
  } catch (e) {
    if (violatedUnique(e)) return handleTaken(kind, handle);
    throw e;
  }
};

const checkParent = async (
  tx: Tx,
  id: string | undefined,
  parentId: string | null,
): Promise<Result<true>> => {
  if (parentId === null) return ok(true);
  if (!(await getCategory(tx, parentId))) {
    return fail('VALIDATION_FAILED', `Parent category ${parentId} does not exist`, {
      errors: [{ path: 'body.parent_id', message: 'does not exist' }],
    });
  }
  if (id && (await isSelfOrAncestor(tx, id, parentId))) {
    return fail(
      'CONFLICT',
      `Category ${parentId} is ${id} itself or one of its descendants: that would be a cycle`,
      {
        parent_id: parentId,
      },
    );
  }
  return ok(true);
};

/** Creates a category (handle from the name when omitted; the parent must exist). */
export const createCategory = async (tx: Tx, deps: Pick<Deps, 'clock'>, input: CreateCategoryBody) => {
  const parent = await checkParent(tx, undefined, input.parent_id ?? null);
  if (!parent.ok) return parent;
  const now = deps.clock.now();
  const handle = input.handle ?? slugify(input.name);
  const row = await guarded('category', handle, () =>
    insertCategory(tx, {
      id: newId('cat'),
      name: input.name.trim(),
      handle,
      parent_id: input.parent_id ?? null,
      created_at: now,
      updated_at: now,
    }),
  );
  if (!row.ok) return row;
  await emit(tx, deps.clock, [
    taxonomyEvent('category.created', 'category', row.value.id, { handle, name: row.value.name }),
  ]);
  return row;
};

/** Products whose search text includes the category name get their vector refreshed on rename. */
const touchProducts = async (tx: Tx, deps: Pick<Deps, 'clock'>, productIds: string[], changed: string) => {
  if (productIds.length === 0) return;
  await refreshSearch(tx, productIds);
  const products = await getProductsByIds(tx, productIds);
  await emit(
    tx,
    deps.clock,
    products.map((p) => productUpdated(p, [changed])),
  );
};

/** Renames or moves a category; a parent that is the category or one of its descendants is CONFLICT. */
export const updateCategory = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  patch: UpdateCategoryBody,
): Promise<Result<CategoryRow>> => {
  const current = await getCategory(tx, id);
  if (!current) return fail('NOT_FOUND', `Category ${id} was not found`, { id });
  if (patch.parent_id !== undefined) {
    const parent = await checkParent(tx, id, patch.parent_id);
    if (!parent.ok) return parent;
  }
  const next: CategoryRow = {
    ...current,
    name: patch.name?.trim() ?? current.name,
    handle: patch.handle ?? current.handle,
    parent_id: patch.parent_id === undefined ? current.parent_id : patch.parent_id,
    updated_at: deps.clock.now(),
  };
  const row = await guarded('category', next.handle, () => saveCategory(tx, next));
  if (!row.ok) return row;
  await emit(tx, deps.clock, [
    taxonomyEvent('category.updated', 'category', id, { handle: next.handle, name: next.name }),
  ]);
  if (next.name !== current.name) {
    await refreshSearch(tx, await productsInCategory(tx, id));
  }
  return row;
};

/** Deletes a category without subcategories; its products leave it (product.updated each). */
export const removeCategory = async (tx: Tx, deps: Pick<Deps, 'clock'>, id: string) => {
  const current = await getCategory(tx, id);
  if (!current) return fail('NOT_FOUND', `Category ${id} was not found`, { id });
  if (await hasChildren(tx, id)) {
    return fail('CONFLICT', 'The category has subcategories: move or delete them first', { id });
  }
  const products = await deleteCategory(tx, id);
  await emit(tx, deps.clock, [taxonomyEvent('category.deleted', 'category', id, { handle: current.handle })]);
  await touchProducts(tx, deps, products, 'category_ids');
  return ok({ id, deleted: true as const });
};

/** Creates a collection (handle from the title when omitted). */
export const createCollection = async (tx: Tx, deps: Pick<Deps, 'clock'>, input: CreateCollectionBody) => {
  const now = deps.clock.now();
  const handle = input.handle ?? slugify(input.title);
  const row = await guarded('collection', handle, () =>
    insertCollection(tx, {
      id: newId('col'),
      title: input.title.trim(),
      handle,
      description: input.description ?? '',
      created_at: now,
      updated_at: now,
    }),
  );
  if (!row.ok) return row;
  await emit(tx, deps.clock, [
    taxonomyEvent('collection.created', 'collection', row.value.id, { handle, title: row.value.title }),
  ]);
  return row;
};

/** Changes a collection's title, handle or description. */
export const updateCollection = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  patch: UpdateCollectionBody,
): Promise<Result<CollectionRow>> => {
  const current = await getCollection(tx, id);
  if (!current) return fail('NOT_FOUND', `Collection ${id} was not found`, { id });
  const next: CollectionRow = {
    ...current,
    title: patch.title?.trim() ?? current.title,
    handle: patch.handle ?? current.handle,
    description: patch.description ?? current.description,
    updated_at: deps.clock.now(),
  };
  const row = await guarded('collection', next.handle, () => saveCollection(tx, next));
  if (!row.ok) return row;
  await emit(tx, deps.clock, [
    taxonomyEvent('collection.updated', 'collection', id, { handle: next.handle, title: next.title }),
  ]);
  return row;
};

/** Deletes a collection; its products leave it (product.updated each). */
export const removeCollection = async (tx: Tx, deps: Pick<Deps, 'clock'>, id: string) => {
  const current = await getCollection(tx, id);
  if (!current) return fail('NOT_FOUND', `Collection ${id} was not found`, { id });
  const products = await deleteCollection(tx, id);
  await emit(tx, deps.clock, [
    taxonomyEvent('collection.deleted', 'collection', id, { handle: current.handle }),
  ]);
  await touchProducts(tx, deps, products, 'collection_ids');
  return ok({ id, deleted: true as const });
};
