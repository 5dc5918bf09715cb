import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Product, ProductSummary } from './schema.ts';
import type { Category, Collection } from './schema-taxonomy.ts';

let t: TestApp;
let web: { id: string };
let pos: { id: string };
let jackets: Category;
let winter: Collection;
const ids: Record<string, string> = {};

interface Page {
  data: ProductSummary[];
  next_cursor: string | null;
}

const list = async (query = ''): Promise<Page> => {
  const r = await t.admin<Page>('GET', `/products${query}`);
  expect(r.status).toBe(200);
  return r.body;
};
const handles = (p: Page) => p.data.map((x) => x.handle);

beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  pos = await t.channel('pos');
  jackets = (await t.admin<Category>('POST', '/categories', { name: 'Jackets' })).body;
  winter = (await t.admin<Collection>('POST', '/collections', { title: 'Winter Ready' })).body;
  const make = async (title: string, sku: string, extra: Record<string, unknown> = {}) => {
    const r = await t.admin<Product>('POST', '/products', { title, variants: [{ sku }], ...extra });
    expect(r.status).toBe(201);
    ids[r.body.handle] = r.body.id;
    return r.body;
  };
  await make('Rain Shell Jacket', 'RSJ-100', { status: 'published', category_ids: [jackets.id] });
  await make('Down Puffer Jacket', 'DPJ-200', {
    status: 'published',
    category_ids: [jackets.id],
    collection_ids: [winter.id],
  });
  await make('Merino Beanie', 'BEA-300', { collection_ids: [winter.id] });
  await make('Trail Runner 100%', 'TRR-400', { status: 'published' });
  await make('Camp Mug', 'MUG_500');
  for (const h of ['rain-shell-jacket', 'trail-runner-100']) {
    expect((await t.admin('PUT', `/products/${ids[h]}/channels/${web.id}`)).status).toBe(200);
  }
  expect((await t.admin('PUT', `/products/${ids['down-puffer-jacket']}/channels/${pos.id}`)).status).toBe(
    200,
  );
});
afterAll(() => t.close());

describe('listing products', () => {
  it('lists newest first with summaries', async () => {
    const page = await list();
    expect(handles(page)).toEqual([
      'camp-mug',
      'trail-runner-100',
      'merino-beanie',
      'down-puffer-jacket',
      'rain-shell-jacket',
    ]);
    const puffer = page.data.find((p) => p.handle === 'down-puffer-jacket');
    expect(puffer).toMatchObject({
      variant_count: 1,
      category_ids: [jackets.id],
      collection_ids: [winter.id],
      channels: [{ channel_id: pos.id }],
    });
  });

  it('pages with a cursor until next_cursor is null, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...handles(page));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(handles(await list()));
  });

  it('filters by status, category, collection and channel', async () => {
    expect(handles(await list('?status=draft'))).toEqual(['camp-mug', 'merino-beanie']);
    expect(handles(await list(`?category_id=${jackets.id}`))).toEqual([
      'down-puffer-jacket',
      'rain-shell-jacket',
    ]);
    expect(handles(await list(`?collection_id=${winter.id}`))).toEqual([
      'merino-beanie',
      'down-puffer-jacket',
    ]);
    expect(handles(await list(`?channel_id=${web.id}`))).toEqual(['trail-runner-100', 'rain-shell-jacket']);
    expect(handles(await list(`?channel_id=${pos.id}&category_id=${jackets.id}`))).toEqual([
      'down-puffer-jacket',
    ]);
  });

  it('searches title or SKU with q (case-insensitive, % and _ literal) and SKU exactly with sku', async () => {
    expect(handles(await list('?q=JACKET'))).toEqual(['down-puffer-jacket', 'rain-shell-jacket']);
    expect(handles(await list('?q=bea-3'))).toEqual(['merino-beanie']);
    expect(handles(await list('?q=100%25'))).toEqual(['trail-runner-100']);
    expect(handles(await list('?q=G_5'))).toEqual(['camp-mug']);
    expect(handles(await list('?q=_'))).toEqual(['camp-mug']);
    expect(handles(await list('?sku=RSJ-100'))).toEqual(['rain-shell-jacket']);
    expect(handles(await list('?sku=rsj-100'))).toEqual([]);
  });

  it('refuses unknown filters and malformed ids', async () => {
    expect((await t.admin('GET', '/products?colour=red')).status).toBe(400);
    expect((await t.admin('GET', '/products?category_id=jackets')).status).toBe(400);
    expect((await t.admin('GET', '/products?limit=500')).status).toBe(400);
  });
});

describe('categories and collections', () => {
  it('builds a tree and refuses cycles', async () => {
    const apparel = (await t.admin<Category>('POST', '/categories', { name: 'Apparel' })).body;
    const outer = (
      await t.admin<Category>('POST', '/categories', { name: 'Outerwear', parent_id: apparel.id })
    ).body;
    expect(outer.handle).toBe('outerwear');
    const moved = await t.admin<Category>('PATCH', `/categories/${jackets.id}`, { parent_id: outer.id });
    expect(moved.body.parent_id).toBe(outer.id);
    const cycle = await t.admin<{ code: string }>('PATCH', `/categories/${apparel.id}`, {
      parent_id: jackets.id,
    });
    expect(cycle.status).toBe(409);
    expect(cycle.body.code).toBe('CONFLICT');
    const self = await t.admin<{ code: string }>('PATCH', `/categories/${apparel.id}`, {
      parent_id: apparel.id,
    });
    expect(self.status).toBe(409);
    const children = await t.admin<{ data: Category[] }>('GET', `/categories?parent_id=${outer.id}`);
    expect(children.body.data.map((c) => c.id)).toEqual([jackets.id]);
    const roots = await t.admin<{ data: Category[] }>('GET', '/categories?parent_id=root');
    expect(roots.body.data.map((c) => c.name)).toEqual(['Apparel']);
    const parentGone = await t.admin<{ code: string }>('DELETE', `/categories/${outer.id}`);
    expect(parentGone.status).toBe(409);
  });

  it('refuses a taken handle', async () => {
    const r = await t.admin<{ code: string }>('POST', '/categories', { name: 'Jackets' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('ALREADY_EXISTS');
    const c = await t.admin<{ code: string }>('POST', '/collections', {
      title: 'Other',
      handle: winter.handle,
    });
    expect(c.body.code).toBe('ALREADY_EXISTS');
  });

  it('renaming a category makes its products findable by the new name', async () => {
    await t.admin('PATCH', `/categories/${jackets.id}`, { name: 'Shells' });
    const { rows } = await t.deps.db.query<{ handle: string }>(
      `SELECT handle FROM products WHERE search_vector @@ to_tsquery('simple', 'shells') ORDER BY handle`,
    );
    expect(rows.map((r) => r.handle)).toEqual(['down-puffer-jacket', 'rain-shell-jacket']);
  });

  it('assigns products through the product body and removes links when a collection is deleted', async () => {
    const beanie = ids['merino-beanie'] as string;
    const r = await t.admin<Product>('PATCH', `/products/${beanie}`, {
      collection_ids: [],
      category_ids: [jackets.id],
    });
    expect(r.body.collection_ids).toEqual([]);
    expect(r.body.category_ids).toEqual([jackets.id]);
    const del = await t.admin('DELETE', `/collections/${winter.id}`);
    expect(del.status).toBe(200);
    const puffer = await t.admin<Product>('GET', `/products/${ids['down-puffer-jacket']}`);
    expect(puffer.body.collection_ids).toEqual([]);
    expect((await t.admin('GET', `/collections/${winter.id}`)).status).toBe(404);
    const ev = await t.deps.db.query<{ type: string }>(
      `SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY seq`,
      [winter.id],
    );
    expect(ev.rows.map((e) => e.type)).toEqual(['collection.created', 'collection.deleted']);
  });
});
