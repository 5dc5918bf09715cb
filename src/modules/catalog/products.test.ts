import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Product } from './schema.ts';

let t: TestApp;
let web: { id: string };
let eur: { id: string };
beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  eur = await t.channel('web', undefined, 'EUR');
});
afterAll(() => t.close());

interface Problem {
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

const tee = (over: Record<string, unknown> = {}) => ({
  title: 'Merino Crew Tee',
  option_names: ['size', 'color'],
  variants: [
    {
      sku: 'TEE-M-BLK',
      barcode: '4006381333931',
      options: { size: 'M', color: 'Black' },
      prices: [{ channel_id: web.id, amount: 2500 }],
    },
    { sku: 'TEE-L-BLK', options: { size: 'L', color: 'Black' } },
  ],
  ...over,
});

const create = (body: unknown) => t.admin<Product & Problem>('POST', '/products', body);
const skuCount = async (sku: string) =>
  (await t.deps.db.query('SELECT 1 FROM variants WHERE sku = $1', [sku])).rows.length;

describe('creating products', () => {
  it('creates a product with variants and prices, deriving handle, titles and positions', async () => {
    const r = await create(tee({ handle: 'merino-crew-tee', attributes: { material: 'merino' } }));
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(/^prd_/);
    expect(r.body.handle).toBe('merino-crew-tee');
    expect(r.body.status).toBe('draft');
    expect(r.body.attributes).toEqual({ material: 'merino' });
    expect(r.body.variants.map((v) => [v.sku, v.title, v.position])).toEqual([
      ['TEE-M-BLK', 'M / Black', 0],
      ['TEE-L-BLK', 'L / Black', 1],
    ]);
    expect(r.body.variants[0]?.prices).toMatchObject([
      { channel_id: web.id, currency: 'USD', amount: 2500, current: true },
    ]);
    const got = await t.admin<Product>('GET', `/products/${r.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it('derives a free handle from the title when none is given', async () => {
    const a = await create({ title: 'Crème Brûlée Socks' });
    const b = await create({ title: 'Crème Brûlée Socks' });
    expect(a.body.handle).toBe('creme-brulee-socks');
    expect(b.body.handle).toBe('creme-brulee-socks-2');
  });

  it('refuses a handle that is taken with ALREADY_EXISTS', async () => {
    const r = await create({ title: 'Another', handle: 'creme-brulee-socks' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('ALREADY_EXISTS');
  });

  it('refuses unknown properties, unbounded input and bad handles', async () => {
    const unknown = await create({ title: 'X', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.errors?.[0]?.path).toBe('body.colour');
    const nested = await create({ title: 'X', variants: [{ sku: 'A1', price: 5 }] });
    expect(nested.status).toBe(400);
    expect((await create({ title: 'X'.repeat(201) })).status).toBe(400);
    expect((await create({ title: 'X', handle: 'Not A Handle' })).status).toBe(400);
  });

  it('refuses a bad SKU and trims a good one', async () => {
    const bad = await create({ title: 'X', variants: [{ sku: '-starts-with-dash' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([
      { path: 'body.variants[0].sku', message: expect.stringContaining('1-64') },
    ]);
    expect((await create({ title: 'X', variants: [{ sku: 'has space' }] })).status).toBe(400);
    expect((await create({ title: 'X', variants: [{ sku: 'A'.repeat(65) }] })).status).toBe(400);
    const trimmed = await create({ title: 'Trimmed', variants: [{ sku: '  TRIM-1  ' }] });
    expect(trimmed.status).toBe(201);
    expect(trimmed.body.variants[0]?.sku).toBe('TRIM-1');
  });

  it('refuses a duplicate SKU with ALREADY_EXISTS (case-sensitive) and writes nothing', async () => {
    const before = await t.deps.db.query('SELECT count(*)::int AS n FROM products');
    const dup = await create({ title: 'Dup', variants: [{ sku: 'TEE-M-BLK' }] });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('ALREADY_EXISTS');
    expect((dup.body as unknown as { sku: string }).sku).toBe('TEE-M-BLK');
    expect((await t.deps.db.query('SELECT count(*)::int AS n FROM products')).rows).toEqual(before.rows);
    const lower = await create({ title: 'Lower', variants: [{ sku: 'tee-m-blk' }] });
    expect(lower.status).toBe(201);
    const twice = await create({ title: 'Twice', variants: [{ sku: 'TW-1' }, { sku: 'TW-1' }] });
    expect(twice.status).toBe(400);
    expect(twice.body.errors?.[0]?.path).toBe('body.variants[1].sku');
  });

  it('answers ALREADY_EXISTS, never a 500, when two requests race for the same SKU or handle', async () => {
    const race = (i: number) =>
      create({
        title: 'Race',
        handle: 'race-product',
        variants: [{ sku: 'RACE-1', barcode: '2000000007779' }],
      }).then((r) => [r.status, r.body.code ?? 'created', i] as const);
    const results = await Promise.all([race(1), race(2), race(3)]);
    expect(results.map((r) => r[0]).sort()).toEqual([201, 409, 409]);
    expect(results.filter((r) => r[0] === 409).every((r) => r[1] === 'ALREADY_EXISTS')).toBe(true);
    expect(await skuCount('RACE-1')).toBe(1);
  });

  it('checks barcode check digits and uniqueness as GTINs', async () => {
    const bad = await create({ title: 'Bad code', variants: [{ sku: 'BC-1', barcode: '4006381333932' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]).toEqual({
      path: 'body.variants[0].barcode',
      message: expect.stringContaining('check digit'),
    });
    expect((await create({ title: 'X', variants: [{ sku: 'BC-2', barcode: '12345' }] })).status).toBe(400);
    const ean8 = await create({ title: 'EAN8', variants: [{ sku: 'BC-3', barcode: '96385074' }] });
    expect(ean8.status).toBe(201);
    const upc = await create({ title: 'UPC', variants: [{ sku: 'BC-4', barcode: '036000291452' }] });
    expect(upc.status).toBe(201);
    // The same GTIN written as EAN-13 (leading zero) is the same barcode.
    const same = await create({ title: 'Same', variants: [{ sku: 'BC-5', barcode: '0036000291452' }] });
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('ALREADY_EXISTS');
  });

  it('refuses option keys that are not among the option names, and duplicate combinations', async () => {
    const r = await create({
      title: 'Opt',
      option_names: ['size'],
      variants: [{ sku: 'OPT-1', options: { colour: 'Red' } }],
    });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]).toEqual({
      path: 'body.variants[0].options',
      message: expect.stringContaining('"colour"'),
    });
    const dup = await create({
      title: 'Opt',
      option_names: ['size'],
      variants: [
        { sku: 'OPT-2', options: { size: 'M' } },
        { sku: 'OPT-3', options: { size: 'M' } },
      ],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.errors?.[0]?.path).toBe('body.variants[1].options');
    const names = await create({ title: 'Opt', option_names: ['size', 'Size'] });
    expect(names.status).toBe(400);
    expect((await create({ title: 'Opt', option_names: ['a', 'b', 'c', 'd'] })).status).toBe(400);
  });

  it('refuses compare_at ≤ amount, bad windows, unknown channels and a currency mismatch', async () => {
    const v = (prices: unknown[]) =>
      create({ title: 'P', variants: [{ sku: `P-${Math.random().toString(36).slice(2, 8)}`, prices }] });
    const cmp = await v([{ channel_id: web.id, amount: 1000, compare_at_amount: 1000 }]);
    expect(cmp.status).toBe(400);
    expect(cmp.body.errors?.[0]).toEqual({
      path: 'body.variants[0].prices[0].compare_at_amount',
      message: 'must be greater than amount',
    });
    const win = await v([
      { channel_id: web.id, amount: 1, starts_at: '2026-02-01T00:00:00Z', ends_at: '2026-01-01T00:00:00Z' },
    ]);
    expect(win.body.errors?.[0]?.path).toBe('body.variants[0].prices[0].ends_at');
    const neg = await v([{ channel_id: web.id, amount: -1 }]);
    expect(neg.status).toBe(400);
    const float = await v([{ channel_id: web.id, amount: 19.99 }]);
    expect(float.status).toBe(400);
    const chan = await v([{ channel_id: 'chn_01JAAAAAAAAAAAAAAAAAAAAAAA', amount: 1 }]);
    expect(chan.status).toBe(400);
    expect(chan.body.errors?.[0]?.path).toBe('body.variants[0].prices[0].channel_id');
    const cur = await v([{ channel_id: eur.id, currency: 'USD', amount: 1000 }]);
    expect(cur.status).toBe(400);
    expect(cur.body.errors?.[0]).toEqual({
      path: 'body.variants[0].prices[0].currency',
      message: expect.stringContaining('EUR'),
    });
    const ok = await v([{ channel_id: eur.id, currency: 'EUR', amount: 1000 }]);
    expect(ok.status).toBe(201);
    expect(ok.body.variants[0]?.prices[0]?.currency).toBe('EUR');
  });

  it('refuses unknown categories and collections', async () => {
    const r = await create({ title: 'C', category_ids: ['cat_01JAAAAAAAAAAAAAAAAAAAAAAA'] });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.path).toBe('body.category_ids[0]');
  });
});

describe('changing and deleting products', () => {
  let id: string;
  beforeAll(async () => {
    id = (await create(tee({ handle: 'patch-me', variants: [{ sku: 'PM-S', options: { size: 'S' } }] }))).body
      .id;
  });

  it('patches fields and writes product.updated with what changed', async () => {
    const r = await t.admin<Product>('PATCH', `/products/${id}`, {
      title: 'Patched Tee',
      description: 'Soft.',
    });
    expect(r.status).toBe(200);
    expect(r.body.title).toBe('Patched Tee');
    const { rows } = await t.deps.db.query<{ data: { changed: string[] } }>(
      `SELECT data FROM outbox_events WHERE type = 'product.updated' AND aggregate_id = $1 ORDER BY seq DESC LIMIT 1`,
      [id],
    );
    expect(rows[0]?.data.changed).toEqual(['description', 'title']);
    const again = await t.admin<Product>('PATCH', `/products/${id}`, { title: 'Patched Tee' });
    expect(again.status).toBe(200);
    const count = await t.deps.db.query(
      `SELECT 1 FROM outbox_events WHERE type = 'product.updated' AND aggregate_id = $1`,
      [id],
    );
    expect(count.rows).toHaveLength(1);
  });

  it('follows the status transitions', async () => {
    expect((await t.admin('PATCH', `/products/${id}`, { status: 'archived' })).status).toBe(200);
    const bad = await t.admin<Problem>('PATCH', `/products/${id}`, { status: 'published' });
    expect(bad.status).toBe(409);
    expect(bad.body.code).toBe('INVALID_STATE_TRANSITION');
    expect((await t.admin('PATCH', `/products/${id}`, { status: 'draft' })).status).toBe(200);
  });

  it('refuses to drop an option name still used by a variant', async () => {
    const r = await t.admin<Problem>('PATCH', `/products/${id}`, { option_names: ['color'] });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('CONFLICT');
    expect((await t.admin('PATCH', `/products/${id}`, { option_names: ['size', 'fit'] })).status).toBe(200);
  });

  it('adds, changes and removes variants', async () => {
    const added = await t.admin<Product>('POST', `/products/${id}/variants`, {
      sku: 'PM-M',
      options: { size: 'M', fit: 'Slim' },
      weight_grams: 210,
      prices: [{ channel_id: web.id, amount: 2000 }],
    });
    expect(added.status).toBe(201);
    const v = added.body.variants.find((x) => x.sku === 'PM-M');
    expect(v).toMatchObject({ title: 'M / Slim', position: 1, weight_grams: 210 });
    const dupOpt = await t.admin<Problem>('POST', `/products/${id}/variants`, {
      sku: 'PM-X',
      options: { size: 'S' },
    });
    expect(dupOpt.status).toBe(409);
    expect(dupOpt.body.code).toBe('ALREADY_EXISTS');
    const badKey = await t.admin<Problem>('PATCH', `/products/${id}/variants/${v?.id}`, {
      options: { colour: 'Red' },
    });
    expect(badKey.status).toBe(400);
    const patched = await t.admin<Product>('PATCH', `/products/${id}/variants/${v?.id}`, {
      sku: 'PM-M2',
      options: { size: 'L', fit: 'Slim' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.variants.find((x) => x.id === v?.id)).toMatchObject({
      sku: 'PM-M2',
      title: 'L / Slim',
    });
    const taken = await t.admin<Problem>('PATCH', `/products/${id}/variants/${v?.id}`, { sku: 'TEE-L-BLK' });
    expect(taken.body.code).toBe('ALREADY_EXISTS');
    const other = await t.admin<Problem>(
      'PATCH',
      `/products/${(await create({ title: 'Other' })).body.id}/variants/${v?.id}`,
      { sku: 'Z-1' },
    );
    expect(other.status).toBe(404);
    const removed = await t.admin<Product>('DELETE', `/products/${id}/variants/${v?.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.variants.map((x) => x.sku)).toEqual(['PM-S']);
    expect(await skuCount('PM-M2')).toBe(0);
    expect((await t.deps.db.query('SELECT 1 FROM prices WHERE variant_id = $1', [v?.id])).rows).toHaveLength(
      0,
    );
  });

  it('deletes a product never published, with its variants', async () => {
    const p = (await create({ title: 'Temp', variants: [{ sku: 'TEMP-1' }] })).body;
    const r = await t.admin<{ result: string }>('DELETE', `/products/${p.id}`);
    expect(r.body).toEqual({ id: p.id, result: 'deleted' });
    expect((await t.admin('GET', `/products/${p.id}`)).status).toBe(404);
    expect(await skuCount('TEMP-1')).toBe(0);
    const ev = await t.deps.db.query(
      `SELECT 1 FROM outbox_events WHERE type = 'product.deleted' AND aggregate_id = $1`,
      [p.id],
    );
    expect(ev.rows).toHaveLength(1);
  });

  it('archives a product that was published (it may have been sold) and unpublishes it', async () => {
    const p = (await create({ title: 'Sold', status: 'published', variants: [{ sku: 'SOLD-1' }] })).body;
    expect((await t.admin('PUT', `/products/${p.id}/channels/${web.id}`)).status).toBe(200);
    const r = await t.admin<{ result: string }>('DELETE', `/products/${p.id}`);
    expect(r.body.result).toBe('archived');
    const got = await t.admin<Product>('GET', `/products/${p.id}`);
    expect(got.body.status).toBe('archived');
    expect(got.body.channels).toEqual([]);
    expect(await skuCount('SOLD-1')).toBe(1);
  });

  it('answers NOT_FOUND for unknown ids and VALIDATION_FAILED for malformed ones', async () => {
    expect((await t.admin<Problem>('GET', '/products/prd_01JAAAAAAAAAAAAAAAAAAAAAAA')).body.code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await t.admin<Problem>('PATCH', '/products/prd_01JAAAAAAAAAAAAAAAAAAAAAAA', { title: 'x' })).body.code,
    ).toBe('NOT_FOUND');
    expect((await t.admin<Problem>('GET', '/products/nope')).body.code).toBe('VALIDATION_FAILED');
    expect((await t.admin<Problem>('PATCH', `/products/${id}`, {})).status).toBe(400);
  });
});
