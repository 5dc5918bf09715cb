import type { Queryable } from '../../platform/db.ts';

export interface CategoryRow {
  id: string;
  name: string;
  handle: string;
  parent_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CollectionRow {
  id: string;
  title: string;
  handle: string;
  description: string;
  created_at: Date;
  updated_at: Date;
}

const CAT = 'id, name, handle, parent_id, created_at, updated_at';
const COL = 'id, title, handle, description, created_at, updated_at';

export const insertCategory = async (q: Queryable, r: CategoryRow): Promise<CategoryRow> =>
  (
    await q.query<CategoryRow>(
      `INSERT INTO categories (${CAT}) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CAT}`,
      [r.id, r.name, r.handle, r.parent_id, r.created_at, r.updated_at],
    )
  ).rows[0] as CategoryRow;

export const saveCategory = async (q: Queryable, r: CategoryRow): Promise<CategoryRow> =>
  (
    await q.query<CategoryRow>(
      `UPDATE categories SET name = $2, handle = $3, parent_id = $4, updated_at = $5 WHERE id = $1 RETURNING ${CAT}`,
      [r.id, r.name, r.handle, r.parent_id, r.updated_at],
    )
  ).rows[0] as CategoryRow;

export const getCategory = async (q: Queryable, id: string): Promise<CategoryRow | undefined> =>
  (await q.query<CategoryRow>(`SELECT ${CAT} FROM categories WHERE id = $1`, [id])).rows[0];

export const categoriesByHandle = async (q: Queryable, handles: readonly string[]): Promise<CategoryRow[]> =>
  (await q.query<CategoryRow>(`SELECT ${CAT} FROM categories WHERE handle = ANY($1::text[])`, [handles]))
    .rows;

export const categoriesByIds = async (q: Queryable, ids: readonly string[]): Promise<CategoryRow[]> =>
  (await q.query<CategoryRow>(`SELECT ${CAT} FROM categories WHERE id = ANY($1::text[])`, [ids])).rows;

export const listCategories = async (
  q: Queryable,
  f: { parentId?: string | null; after?: string; limit: number },
): Promise<CategoryRow[]> =>
  (
    await q.query<CategoryRow>(
      `SELECT ${CAT} FROM categories
       WHERE ($1::boolean IS FALSE OR parent_id IS NOT DISTINCT FROM $2) AND ($3::text IS NULL OR id > $3)
       ORDER BY id LIMIT $4`,
      [f.parentId !== undefined, f.parentId ?? null, f.after ?? null, f.limit],
    )
  ).rows;

/** True when `ancestorId` is `id` itself or one of its ancestors (walks up the parent chain). */
export const isSelfOrAncestor = async (q: Queryable, ancestorId: string, id: string): Promise<boolean> =>
  (
    await q.query(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM categories WHERE id = $2
         UNION ALL
         SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id WHERE up.depth < 100
       )
       SELECT 1 FROM up WHERE id = $1 LIMIT 1`,
      [ancestorId, id],
    )
  ).rows.length > 0;

export const hasChildren = async (q: Queryable, id: string): Promise<boolean> =>
  (await q.query('SELECT 1 FROM categories WHERE parent_id = $1 LIMIT 1', [id])).rows.length > 0;

/** Deletes the category and its product links; returns the products that were in it. */
export const deleteCategory = async (q: Queryable, id: string): Promise<string[]> => {
  const { rows } = await q.query<{ product_id: string }>(
    'DELETE FROM product_categories WHERE category_id = $1 RETURNING product_id',
    [id],
  );
  await q.query('DELETE FROM categories WHERE id = $1', [id]);
  return rows.map((r) => r.product_id);
};

export const productsInCategory = async (q: Queryable, id: string): Promise<string[]> =>
  (
    await q.query<{ product_id: string }>(
      'SELECT product_id FROM product_categories WHERE category_id = $1 ORDER BY product_id',
      [id],
    )
  ).rows.map((r) => r.product_id);

export const insertCollection = async (q: Queryable, r: CollectionRow): Promise<CollectionRow> =>
  (
    await q.query<CollectionRow>(
      `INSERT INTO collections (${COL}) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COL}`,
      [r.id, r.title, r.handle, r.description, r.created_at, r.updated_at],
    )
  ).rows[0] as CollectionRow;

export const saveCollection = async (q: Queryable, r: CollectionRow): Promise<CollectionRow> =>
  (
    await q.query<CollectionRow>(
      `UPDATE collections SET title = $2, handle = $3, description = $4, updated_at = $5 WHERE id = $1 RETURNING ${COL}`,
      [r.id, r.title, r.handle, r.description, r.updated_at],
    )
  ).rows[0] as CollectionRow;

export const getCollection = async (q: Queryable, id: string): Promise<CollectionRow | undefined> =>
  (await q.query<CollectionRow>(`SELECT ${COL} FROM collections WHERE id = $1`, [id])).rows[0];

export const collectionsByHandle = async (
  q: Queryable,
  handles: readonly string[],
): Promise<CollectionRow[]> =>
  (await q.query<CollectionRow>(`SELECT ${COL} FROM collections WHERE handle = ANY($1::text[])`, [handles]))
    .rows;

export const collectionsByIds = async (q: Queryable, ids: readonly string[]): Promise<CollectionRow[]> =>
  (await q.query<CollectionRow>(`SELECT ${COL} FROM collections WHERE id = ANY($1::text[])`, [ids])).rows;

export const listCollections = async (
  q: Queryable,
  f: { after?: string; limit: number },
): Promise<CollectionRow[]> =>
  (
    await q.query<CollectionRow>(
      `SELECT ${COL} FROM collections WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [f.after ?? null, f.limit],
    )
  ).rows;

/** Deletes the collection and its product links; returns the products that were in it. */
export const deleteCollection = async (q: Queryable, id: string): Promise<string[]> => {
  const { rows } = await q.query<{ product_id: string }>(
    'DELETE FROM product_collections WHERE collection_id = $1 RETURNING product_id',
    [id],
  );
  await q.query('DELETE FROM collections WHERE id = $1', [id]);
  return rows.map((r) => r.product_id);
};

export const categoryToApi = (r: CategoryRow) => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const collectionToApi = (r: CollectionRow) => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});
