import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { toPage } from '../../platform/http/schemas.ts';
import {
  catalogModule,
  currentPrices,
  findVariantByCode,
  listPublishedProductIds,
  loadProducts,
  searchPublishedProducts,
} from './index.ts';
import type { Product } from './schema.ts';

let t: TestApp;
let web: { id: string };
let pos: { id: string };
const products: Product[] = [];

const make = async (body: Record<string, unknown>, channels: string[]) => {
  const r = await t.admin<Product>('POST', '/products', { status: 'published', ...body });
  expect(r.status).toBe(201);
  for (const c of channels) await t.admin('PUT', `/products/${r.body.id}/channels/${c}`);
  products.push(r.body);
  return r.body;
};

beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  pos = await t.channel('pos');
  await make(
    {
      title: 'Trailblazer Hiking Boot',
      description: 'Waterproof leather boot.',
      option_names: ['size'],
      variants: [
        {
          sku: 'BOOT-9',
          barcode: '036000291452',
          options: { size: '9' },
          prices: [{ channel_id: web.id, amount: 15900 }],
        },
        {
          sku: 'BOOT-10',
          barcode: '96385074',
          options: { size: '10' },
          prices: [{ channel_id: web.id, amount: 15900 }],
        },
      ],
    },
    [web.id, pos.id],
  );
  await make({ title: 'Crème Fleece Jacket', variants: [{ sku: 'FLEECE-1' }] }, [web.id]);
  await make({ title: 'Camp Stove', description: 'Boils water fast.', variants: [{ sku: 'STOVE-1' }] }, [
    pos.id,
  ]);
  await make({ title: 'Secret Prototype', variants: [{ sku: 'PROTO-1' }] }, []);
});
afterAll(() => t.close());

describe('store-facing read functions', () => {
  it('lists the products sold on a channel with keyset pagination', async () => {
    const first = await listPublishedProductIds(t.deps.db, { channelId: web.id, limit: 2 });
    const page = toPage(first, 1, (r) => r.id);
    expect(page.data).toHaveLength(1);
    expect(page.next_cursor).not.toBeNull();
    const rest = await listPublishedProductIds(t.deps.db, {
      channelId: web.id,
      after: page.data[0],
      limit: 10,
    });
    expect([...page.data, ...rest.map((r) => r.id)]).toEqual([products[0]?.id, products[1]?.id]);
    const onPos = await listPublishedProductIds(t.deps.db, { channelId: pos.id, limit: 10 });
    expect(onPos.map((r) => r.id)).toEqual([products[0]?.id, products[2]?.id]);
  });

  it('loads products with variants in the order asked, skipping unknown ids', async () => {
    const ids = [products[2]?.id, 'prd_01JAAAAAAAAAAAAAAAAAAAAAAA', products[0]?.id] as string[];
    const loaded = await loadProducts(t.deps.db, ids);
    expect(loaded.map((p) => p.title)).toEqual(['Camp Stove', 'Trailblazer Hiking Boot']);
    expect(loaded[1]?.variants.map((v) => v.sku)).toEqual(['BOOT-9', 'BOOT-10']);
    expect(loaded[1]?.channels.map((c) => c.channel_id).sort()).toEqual([web.id, pos.id].sort());
  });

  it('gives current prices for many variants at once; unpriced variants are absent', async () => {
    const variants = products.flatMap((p) => p.variants.map((v) => v.id));
    const prices = await currentPrices(t.deps.db, web.id, variants, t.clock.now());
    expect([...prices.values()].map((p) => [p.amount, p.currency])).toEqual([
      [15900, 'USD'],
      [15900, 'USD'],
    ]);
    expect((await currentPrices(t.deps.db, pos.id, variants, t.clock.now())).size).toBe(0);
  });

  it('finds a variant by SKU or by barcode, UPC-A and EAN-13 forms alike', async () => {
    expect((await findVariantByCode(t.deps.db, ' BOOT-10 '))?.product.title).toBe('Trailblazer Hiking Boot');
    expect((await findVariantByCode(t.deps.db, '036000291452'))?.sku).toBe('BOOT-9');
    expect((await findVariantByCode(t.deps.db, '0036000291452'))?.sku).toBe('BOOT-9');
    expect((await findVariantByCode(t.deps.db, '96385074'))?.sku).toBe('BOOT-10');
    expect(await findVariantByCode(t.deps.db, 'boot-10')).toBeUndefined();
    expect(await findVariantByCode(t.deps.db, '036000291453')).toBeUndefined();
  });

  it('searches what a channel sells: prefixes, accents, SKUs, descriptions and typos', async () => {
    const search = async (text: string, channelId = web.id) =>
      (await t.deps.db.tx((tx) => searchPublishedProducts(tx, { channelId, text, limit: 10 }))).map(
        (r) => products.find((p) => p.id === r.id)?.title,
      );
    expect(await search('hik boo')).toEqual(['Trailblazer Hiking Boot']);
    expect(await search('creme')).toEqual(['Crème Fleece Jacket']);
    expect(await search('boot-9')).toEqual(['Trailblazer Hiking Boot']);
    expect(await search('waterproof')).toEqual(['Trailblazer Hiking Boot']);
    expect(await search('hikng')).toEqual(['Trailblazer Hiking Boot']);
    expect(await search('fleese jaket')).toEqual(['Crème Fleece Jacket']);
    expect(await search('stove')).toEqual([]);
    expect(await search('stove', pos.id)).toEqual(['Camp Stove']);
    expect(await search('prototype')).toEqual([]);
    expect(await search('   ')).toEqual([]);
  });
});

interface OpenApiSchema {
  type?: string | string[];
  maxLength?: number;
  maxItems?: number;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  additionalProperties?: boolean | OpenApiSchema;
  patternProperties?: Record<string, OpenApiSchema>;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
}

/** Paths of unbounded strings and arrays, and of objects accepting unknown properties, in a request schema. */
const loose = (s: OpenApiSchema | undefined, path: string): string[] => {
  if (!s) return [];
  const out: string[] = [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (
    types.includes('string') &&
    s.maxLength === undefined &&
    s.enum === undefined &&
    s.const === undefined
  ) {
    out.push(`${path}: string without maxLength`);
  }
  if (types.includes('array') && s.maxItems === undefined) out.push(`${path}: array without maxItems`);
  if (types.includes('object') && s.properties && s.additionalProperties !== false) {
    out.push(`${path}: object accepts unknown properties`);
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...loose(v, `${path}.${k}`));
  for (const [k, v] of Object.entries(s.patternProperties ?? {})) out.push(...loose(v, `${path}[${k}]`));
  out.push(...loose(s.items, `${path}[]`));
  for (const x of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) out.push(...loose(x, path));
  return out;
};

describe('catalog OpenAPI', () => {
  it('documents every catalog route with tags, admin security, bounded strict input and a response', async () => {
    const doc = (
      await t.call<{
        paths: Record<
          string,
          Record<
            string,
            {
              tags?: string[];
              security?: unknown[];
              responses?: Record<string, unknown>;
              parameters?: { schema: OpenApiSchema; name: string }[];
              requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
            }
          >
        >;
      }>('GET', '/openapi.json')
    ).body;
    const catalogPaths = Object.keys(doc.paths).filter((p) =>
      /^\/admin\/(products|variants|categories|collections)/.test(p),
    );
    expect(catalogPaths.length).toBeGreaterThanOrEqual(10);
    const problems: string[] = [];
    for (const path of catalogPaths) {
      for (const [method, op] of Object.entries(doc.paths[path] ?? {})) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.tags?.includes(catalogModule.tags?.[0]?.name ?? ''))
          problems.push(`${where}: no catalog tag`);
        if (JSON.stringify(op.security) !== JSON.stringify([{ adminToken: [] }]))
          problems.push(`${where}: security`);
        if (!Object.keys(op.responses ?? {}).some((c) => /^2/.test(c)))
          problems.push(`${where}: no 2xx response`);
        for (const p of op.parameters ?? []) problems.push(...loose(p.schema, `${where} ${p.name}`));
        for (const c of Object.values(op.requestBody?.content ?? {}))
          problems.push(...loose(c.schema, `${where} body`));
      }
    }
    expect(problems).toEqual([]);
  });
});
