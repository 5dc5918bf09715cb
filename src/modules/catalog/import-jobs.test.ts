import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { STALE_IMPORT_MS, startImportJob } from './import-jobs.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface ImportBody {
  id: string;
  status: string;
  rows: number;
  rows_done: number;
  products_created: number;
  variants_created: number;
  errors: { line: number; handle: string; sku?: string; message: string }[];
  failure: string | null;
  finished_at: string | null;
}

const CSV = [
  'handle,title,status,sku,option1_name,option1_value',
  'api-tee,API Tee,draft,API-TEE-S,size,S',
  'api-tee,,,API-TEE-M,size,M',
  'Bad Handle!,Nope,draft,API-BAD-1,size,S',
  'api-cap,API Cap,draft,API-CAP-1,size,One',
  'api-cap,,,API-CAP-1,size,Two',
  'api-sock,API Sock,draft,API-SOCK-1,size,One',
].join('\n');

const post = (body: string, contentType = 'text/csv', token = t.adminToken) =>
  t.app.inject({
    method: 'POST',
    url: '/admin/products/imports?filename=shop.csv',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    payload: body,
  });

const waitFinished = async (id: string): Promise<ImportBody> => {
  for (let i = 0; i < 200; i++) {
    const r = await t.admin<ImportBody>('GET', `/products/imports/${id}`);
    expect(r.status).toBe(200);
    if (r.body.status !== 'running') return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
};

describe('product imports through the API', () => {
  it('answers 202 at once, then reports progress, counts and each refused row with its line number', async () => {
    const res = await post(CSV);
    expect(res.statusCode).toBe(202);
    const started = res.json<ImportBody>();
    expect(started.id).toMatch(/^imp_/);
    expect(res.headers.location).toBe(`/admin/products/imports/${started.id}`);
    const done = await waitFinished(started.id);
    expect(done.status).toBe('succeeded');
    expect(done.rows).toBe(6);
    expect(done.rows_done).toBe(6);
    expect(done.errors.map((e) => e.line)).toEqual([4, 6]);
    expect(done.errors[0]?.message).toMatch(/handle/i);
    expect(done.products_created).toBeGreaterThanOrEqual(2);
    expect(done.finished_at).not.toBeNull();
    const products = await t.admin<{ data: { handle: string }[] }>('GET', '/products?q=API&limit=50');
    const handles = products.body.data.map((p) => p.handle);
    expect(handles).toEqual(expect.arrayContaining(['api-tee', 'api-sock']));
    expect(handles).not.toContain('Bad Handle!');
    const list = await t.admin<{ data: ImportBody[] }>('GET', '/products/imports?limit=5');
    expect(list.body.data[0]?.id).toBe(started.id);
  });

  it('refuses an empty body, another content type, unknown ids and staff tokens with clear problems', async () => {
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('VALIDATION_FAILED');
    const json = await post('{"a":1}', 'application/json');
    expect(json.statusCode).toBe(400);
    const missing = await t.admin('GET', '/products/imports/imp_01J00000000000000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    const loc = await t.admin<{ id: string }>('POST', '/locations', {
      name: 'Import Test Store',
      type: 'store',
      address: { line1: '1 Main St', city: 'Portland', region: 'OR', postal_code: '97205', country: 'US' },
      timezone: 'America/Los_Angeles',
    });
    expect(loc.status).toBe(201);
    const staff = await t.staff([loc.body.id]);
    const refused = await post(CSV, 'text/csv', staff);
    expect(refused.statusCode).toBe(403);
  });

  it('a whole-file problem (bad header) is a finished import with the reason on line 1', async () => {
    const res = await post('title,status\nX,draft\n');
    const done = await waitFinished(res.json<ImportBody>().id);
    expect(done.status).toBe('succeeded');
    expect(done.errors[0]?.line).toBe(1);
  });

  it('an import whose process stopped is reported as failed, not running forever', async () => {
    const { job, done } = await startImportJob(t.deps, new TextEncoder().encode(CSV), { filename: 'x.csv' });
    await done;
    await t.deps.db.query(`UPDATE catalog_imports SET status = 'running', updated_at = $2 WHERE id = $1`, [
      job.id,
      new Date(t.clock.now().getTime() - STALE_IMPORT_MS - 1000),
    ]);
    const r = await t.admin<ImportBody>('GET', `/products/imports/${job.id}`);
    expect(r.body.status).toBe('failed');
    expect(r.body.failure).toMatch(/interrupted/);
  });
});
