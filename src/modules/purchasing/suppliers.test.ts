import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation, newSku } from '../../../test/support/stock.ts';
import { preferredSuppliers } from './index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface SupplierView {
  id: string;
  name: string;
  email: string | null;
  lead_time_days: number;
  active: boolean;
}
interface SupplierSkuView {
  supplier_id: string;
  sku: string;
  lead_time_days: number | null;
  effective_lead_time_days: number;
  min_order: number;
  pack_size: number;
  preferred: boolean;
}

let n = 0;
const supplier = async (over: Record<string, unknown> = {}) => {
  const r = await t.admin<SupplierView>('POST', '/suppliers', { name: `Supplier ${++n}`, ...over });
  if (r.status !== 201) throw new Error(`supplier not created: ${JSON.stringify(r.body)}`);
  return r.body;
};
const putSku = (supplierId: string, sku: string, body?: Record<string, unknown>) =>
  t.admin<SupplierSkuView>('PUT', `/suppliers/${supplierId}/skus/${encodeURIComponent(sku)}`, body);
const skusOf = async (supplierId: string) =>
  (await t.admin<{ data: SupplierSkuView[] }>('GET', `/suppliers/${supplierId}/skus`)).body.data;

describe('suppliers', () => {
  it('are created with defaults, read, changed and listed', async () => {
    const created = await t.admin<SupplierView>('POST', '/suppliers', {
      name: 'Cascade Textiles',
      email: 'orders@cascade.example',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Cascade Textiles',
      email: 'orders@cascade.example',
      lead_time_days: 7,
      active: true,
    });
    expect(created.body.id).toMatch(/^sup_/);
    const id = created.body.id;
    expect((await t.admin('GET', `/suppliers/${id}`)).body).toEqual(created.body);

    t.clock.advance(1000);
    const changed = await t.admin<SupplierView & { updated_at: string }>('PATCH', `/suppliers/${id}`, {
      lead_time_days: 12,
      email: null,
      active: false,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Cascade Textiles', email: null, lead_time_days: 12 });
    expect(changed.body.updated_at).toBe(t.clock.now().toISOString());

    const active = await t.admin<{ data: SupplierView[] }>('GET', '/suppliers?active=true&limit=200');
    expect(active.body.data.map((s) => s.id)).not.toContain(id);
    const inactive = await t.admin<{ data: SupplierView[] }>('GET', '/suppliers?active=false');
    expect(inactive.body.data.map((s) => s.id)).toEqual([id]);
  });

  it('refuses a duplicate name (ignoring case), a bad e-mail and a lead time out of range', async () => {
    const s = await supplier({ name: 'Northwind Outdoor' });
    const dup = await t.admin('POST', '/suppliers', { name: 'NORTHWIND outdoor' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'ALREADY_EXISTS', name: 'NORTHWIND outdoor' });
    const other = await supplier();
    const renamed = await t.admin('PATCH', `/suppliers/${other.id}`, { name: 'northwind OUTDOOR' });
    expect(renamed.body.code).toBe('ALREADY_EXISTS');
    // renaming to its own name in another case is fine
    const self = await t.admin<SupplierView>('PATCH', `/suppliers/${s.id}`, { name: 'NorthWind Outdoor' });
    expect(self.body.name).toBe('NorthWind Outdoor');

    const bad = [
      { name: 'Bad Mail', email: 'not-an-email' },
      { name: 'Too Slow', lead_time_days: 366 },
      { name: 'Negative', lead_time_days: -1 },
      { name: ' Padded ' },
      { name: '' },
      { name: 'Extra', colour: 'red' },
    ];
    for (const body of bad) {
      const r = await t.admin('POST', '/suppliers', body);
      expect([r.status, r.body.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await t.admin('PATCH', `/suppliers/${s.id}`, { lead_time_days: 400 })).status).toBe(400);
    // the same new name twice at once: one is created, the other is a clean 409
    const race = await Promise.all(
      ['Twin Peaks Gear', 'twin peaks gear'].map((name) => t.admin('POST', '/suppliers', { name })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await t.admin('PATCH', `/suppliers/${s.id}`, {})).status).toBe(400);
  });

  it('answers 404 for an unknown supplier, and its SKUs', async () => {
    const unknown = 'sup_01JAAAAAAAAAAAAAAAAAAAAAAA';
    for (const [method, url, body] of [
      ['GET', `/suppliers/${unknown}`, undefined],
      ['PATCH', `/suppliers/${unknown}`, { active: false }],
      ['GET', `/suppliers/${unknown}/skus`, undefined],
      ['PUT', `/suppliers/${unknown}/skus/X-1`, { min_order: 2 }],
      ['DELETE', `/suppliers/${unknown}/skus/X-1`, undefined],
    ] as const) {
      const r = await t.admin(method, url, body);
      expect([r.status, r.body.code], `${method} ${url}`).toEqual([404, 'NOT_FOUND']);
    }
    const s = await supplier();
    const r = await t.admin('DELETE', `/suppliers/${s.id}/skus/NOT-SOLD`);
    expect([r.status, r.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('sells SKUs with lead time, minimum order and pack size, validated', async () => {
    const s = await supplier({ lead_time_days: 10 });
    const sku = newSku('SUP');
    const first = await putSku(s.id, sku);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      supplier_id: s.id,
      sku,
      lead_time_days: null,
      effective_lead_time_days: 10,
      min_order: 1,
      pack_size: 1,
      preferred: true,
    });
    const set = await putSku(s.id, sku, { lead_time_days: 3, min_order: 12, pack_size: 6 });
    expect(set.body).toMatchObject({
      lead_time_days: 3,
      effective_lead_time_days: 3,
      min_order: 12,
      pack_size: 6,
    });
    // PUT replaces: absent fields go back to their defaults; preferred stays as it was
    const reset = await putSku(s.id, sku, { lead_time_days: null });
    expect(reset.body).toMatchObject({
      lead_time_days: null,
      effective_lead_time_days: 10,
      min_order: 1,
      preferred: true,
    });

    for (const body of [
      { min_order: 0 },
      { pack_size: 0 },
      { lead_time_days: 366 },
      { preferred: 'maybe' },
    ]) {
      const r = await putSku(s.id, sku, body);
      expect([r.status, r.body.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    const other = newSku('SUP');
    await putSku(s.id, other);
    expect((await skusOf(s.id)).map((x) => x.sku)).toEqual([sku, other].sort());
    const removed = await t.admin('DELETE', `/suppliers/${s.id}/skus/${other}`);
    expect(removed.status).toBe(204);
    expect((await skusOf(s.id)).map((x) => x.sku)).toEqual([sku]);

    const sellers = await t.admin<{ data: SupplierView[] }>('GET', `/suppliers?sku=${sku}`);
    expect(sellers.body.data.map((x) => x.id)).toEqual([s.id]);
  });

  it('keeps one preferred supplier per SKU, switching in one transaction', async () => {
    const [a, b, c] = [
      await supplier({ lead_time_days: 5 }),
      await supplier({ lead_time_days: 2 }),
      await supplier(),
    ];
    const sku = newSku('PREF');
    expect((await putSku(a.id, sku)).body.preferred).toBe(true); // the first supplier of a SKU
    expect((await putSku(b.id, sku)).body.preferred).toBe(false); // another one is preferred
    const flags = async () =>
      Object.fromEntries(
        await Promise.all(
          [a, b, c].map(async (s) => [
            s.id,
            (await skusOf(s.id)).find((x) => x.sku === sku)?.preferred ?? null,
          ]),
        ),
      );
    expect(await flags()).toEqual({ [a.id]: true, [b.id]: false, [c.id]: null });

    expect((await putSku(b.id, sku, { preferred: true })).body.preferred).toBe(true);
    expect(await flags()).toEqual({ [a.id]: false, [b.id]: true, [c.id]: null });
    expect((await preferredSuppliers(t.deps.db, [sku])).get(sku)).toEqual({
      supplier_id: b.id,
      lead_time_days: 2,
      min_order: 1,
      pack_size: 1,
      preferred: true,
    });

    // a concurrent switch to two different suppliers leaves exactly one preferred
    await putSku(c.id, sku, { preferred: false });
    await Promise.all([putSku(a.id, sku, { preferred: true }), putSku(c.id, sku, { preferred: true })]);
    const after = Object.values(await flags());
    expect(after.filter((p) => p === true)).toHaveLength(1);
  });

  it('falls back to the fastest active supplier when the preferred one is inactive, and skips unsold SKUs', async () => {
    const [slow, fast, gone] = [
      await supplier({ lead_time_days: 20 }),
      await supplier({ lead_time_days: 9 }),
      await supplier({ lead_time_days: 1 }),
    ];
    const sku = newSku('FALL');
    await putSku(gone.id, sku, { preferred: true, min_order: 5 });
    await putSku(slow.id, sku, { preferred: false, lead_time_days: 4, pack_size: 10 });
    await putSku(fast.id, sku, { preferred: false });
    expect((await preferredSuppliers(t.deps.db, [sku])).get(sku)?.supplier_id).toBe(gone.id);
    await t.admin('PATCH', `/suppliers/${gone.id}`, { active: false });
    const map = await preferredSuppliers(t.deps.db, [sku, 'NOBODY-SELLS-THIS']);
    expect([...map.keys()]).toEqual([sku]);
    expect(map.get(sku)).toEqual({
      supplier_id: slow.id,
      lead_time_days: 4,
      min_order: 1,
      pack_size: 10,
      preferred: false,
    });
  });

  it('is for admin tokens only', async () => {
    const staff = await t.staff([await newLocation(t)]);
    expect((await t.admin('GET', '/suppliers', undefined, staff)).status).toBe(403);
    expect((await t.admin('POST', '/suppliers', { name: 'Staff Made' }, staff)).status).toBe(403);
  });
});
