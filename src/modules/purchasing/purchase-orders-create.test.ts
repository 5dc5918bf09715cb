import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation, newSku } from '../../../test/support/stock.ts';
import { isPlazaError } from '../../platform/errors.ts';
import { createPurchaseOrder, inboundPurchases } from './index.ts';

let t: TestApp;
let wh: string;
let store: string;
let supplierId: string;
beforeAll(async () => {
  t = await createTestApp();
  wh = await newLocation(t, { type: 'warehouse', pickup: false, timezone: 'America/Los_Angeles' });
  store = await newLocation(t, { timezone: 'Pacific/Auckland' });
  supplierId = (
    await t.admin<{ id: string }>('POST', '/suppliers', { name: 'Summit Supply', lead_time_days: 7 })
  ).body.id;
});
afterAll(() => t.close());

interface PoView {
  id: string;
  status: string;
  supplier_name: string;
  expected_on: string;
  lines: { sku: string; quantity: number }[];
}

const body = (over: Record<string, unknown> = {}) => ({
  supplier_id: supplierId,
  location_id: wh,
  lines: [{ sku: 'ANY-1', quantity: 1 }],
  ...over,
});
const post = (over: Record<string, unknown> = {}) => t.admin<PoView>('POST', '/purchase-orders', body(over));
const created = async (over: Record<string, unknown> = {}) => {
  const r = await post(over);
  if (r.status !== 201) throw new Error(`purchase order not created: ${JSON.stringify(r.body)}`);
  return r.body;
};
const act = (id: string, action: 'order' | 'receive' | 'cancel', b?: unknown) =>
  t.admin<PoView>('POST', `/purchase-orders/${id}/${action}`, b);

describe('creating a purchase order', () => {
  it('refuses unknown or inactive suppliers and locations, and bad lines', async () => {
    const unknownSupplier = await post({ supplier_id: 'sup_01JAAAAAAAAAAAAAAAAAAAAAAA' });
    expect([unknownSupplier.status, unknownSupplier.body.code]).toEqual([404, 'NOT_FOUND']);
    const unknownLocation = await post({ location_id: 'loc_01JAAAAAAAAAAAAAAAAAAAAAAA' });
    expect([unknownLocation.status, unknownLocation.body.code]).toEqual([404, 'NOT_FOUND']);

    const closed = await newLocation(t);
    await t.admin('PATCH', `/locations/${closed}`, { active: false });
    const inactive = await post({ location_id: closed });
    expect(inactive.status).toBe(400);
    expect(inactive.body.errors).toEqual([
      { path: 'body.location_id', message: 'is inactive and cannot receive' },
    ]);

    const idle = (await t.admin<{ id: string }>('POST', '/suppliers', { name: 'Idle Co', active: false }))
      .body.id;
    expect((await post({ supplier_id: idle })).body.errors?.[0]?.path).toBe('body.supplier_id');

    const twice = await post({
      lines: [
        { sku: 'DUP-1', quantity: 1 },
        { sku: 'DUP-1', quantity: 2 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.errors?.[0]?.path).toBe('body.lines.1.sku');
    expect((await post({ lines: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ sku: `MANY-${i}`, quantity: 1 }));
    expect((await post({ lines: tooMany })).status).toBe(400);
    expect((await post({ lines: tooMany.slice(0, 500) })).status).toBe(201);
    expect((await post({ lines: [{ sku: 'Q-0', quantity: 0 }] })).status).toBe(400);
    expect((await post({ lines: [{ sku: ' PADDED', quantity: 1 }] })).status).toBe(400);
    expect((await post({ expected_on: '2026-02-30' })).body.errors).toEqual([
      { path: 'body.expected_on', message: 'is not a calendar date' },
    ]);
    expect((await post({ expected_on: '2026-01-14' })).body.errors?.[0]?.message).toBe(
      'is before today at the receiving location',
    );
    expect((await post({ expected_on: '2026-01-15' })).body.expected_on).toBe('2026-01-15');
  });

  it('validates the same way when called by another module', async () => {
    const refused = await t.deps.db
      .tx((tx) =>
        createPurchaseOrder(
          tx,
          t.deps,
          {
            supplier_id: supplierId,
            location_id: wh,
            lines: [
              { sku: 'X-1', quantity: 2 },
              { sku: 'X-1', quantity: 1.5 },
            ],
          },
          'replenishment',
        ),
      )
      .catch((e: unknown) => e);
    expect(isPlazaError(refused) && [refused.code, refused.details.errors]).toEqual([
      'VALIDATION_FAILED',
      [
        { path: 'body.lines.1.sku', message: 'X-1 is listed twice; add the quantities up' },
        { path: 'body.lines.1.quantity', message: 'must be an integer from 1 to 1000000' },
      ],
    ]);
    const po = await t.deps.db.tx((tx) =>
      createPurchaseOrder(tx, t.deps, body({ lines: [{ sku: 'X-2', quantity: 3 }] }), 'replenishment'),
    );
    expect(po).toMatchObject({
      status: 'draft',
      created_by: 'replenishment',
      supplier_name: 'Summit Supply',
    });
  });

  it('expects delivery by default today + the longest lead time of the lines, in the location’s calendar', async () => {
    // 20:00 UTC on 15 January: noon in Los Angeles, already 16 January in Auckland
    t.clock.set('2026-01-15T20:00:00Z');
    const [quick, slow, unlisted] = [newSku('LT'), newSku('LT'), newSku('LT')];
    await t.admin('PUT', `/suppliers/${supplierId}/skus/${quick}`, { lead_time_days: 2 });
    await t.admin('PUT', `/suppliers/${supplierId}/skus/${slow}`, { lead_time_days: 12 });
    const one = (sku: string, location_id = wh) => created({ location_id, lines: [{ sku, quantity: 1 }] });
    expect((await one(quick)).expected_on).toBe('2026-01-17');
    expect((await one(unlisted)).expected_on).toBe('2026-01-22'); // the supplier's 7 days
    expect((await one(quick, store)).expected_on).toBe('2026-01-18');
    const mixed = await created({
      lines: [
        { sku: quick, quantity: 1 },
        { sku: slow, quantity: 1 },
        { sku: unlisted, quantity: 1 },
      ],
    });
    expect(mixed.expected_on).toBe('2026-01-27');
    // in Auckland, 15 January is already past
    expect((await post({ location_id: store, expected_on: '2026-01-15' })).status).toBe(400);
    t.clock.set('2026-01-15T10:00:00Z');
  });
});

describe('listing purchase orders and what is inbound', () => {
  it('filters by status, supplier, location and SKU, newest first, page by page', async () => {
    const other = (await t.admin<{ id: string }>('POST', '/suppliers', { name: 'Other Supply' })).body.id;
    const [a, b] = [newSku('LIST'), newSku('LIST')];
    const p1 = await created({ lines: [{ sku: a, quantity: 1 }] });
    const p2 = await created({
      location_id: store,
      lines: [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ],
    });
    const p3 = await created({ supplier_id: other, lines: [{ sku: b, quantity: 1 }] });
    await act(p2.id, 'order');
    await act(p3.id, 'cancel');
    const ids = async (query: string) =>
      (await t.admin<{ data: PoView[] }>('GET', `/purchase-orders?limit=200&${query}`)).body.data.map(
        (p) => p.id,
      );
    expect(await ids(`sku=${a}`)).toEqual([p2.id, p1.id]);
    expect(await ids(`sku=${b}`)).toEqual([p3.id, p2.id]);
    expect(await ids(`sku=${b}&supplier_id=${other}`)).toEqual([p3.id]);
    expect(await ids(`sku=${a}&location_id=${store}`)).toEqual([p2.id]);
    expect(await ids(`sku=${b}&status=cancelled`)).toEqual([p3.id]);
    expect(await ids(`sku=${a}&status=ordered`)).toEqual([p2.id]);
    expect((await t.admin('GET', '/purchase-orders?status=lost')).status).toBe(400);

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { status: number; body: { data: PoView[]; next_cursor: string | null } } = await t.admin(
        'GET',
        `/purchase-orders?sku=${b}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.data.map((p) => p.id));
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual([p3.id, p2.id]);
  });

  it('inboundPurchases gives the outstanding units of ordered and partially received orders only', async () => {
    const [a, b] = [newSku('IN'), newSku('IN')];
    const draft = await created({ lines: [{ sku: a, quantity: 50 }] });
    const partial = await created({
      expected_on: '2026-02-01',
      lines: [
        { sku: a, quantity: 10 },
        { sku: b, quantity: 4 },
      ],
    });
    const toStore = await created({
      location_id: store,
      expected_on: '2026-01-20',
      lines: [{ sku: a, quantity: 7 }],
    });
    const cancelled = await created({ lines: [{ sku: b, quantity: 9 }] });
    const done = await created({ lines: [{ sku: b, quantity: 2 }] });
    for (const po of [partial, toStore, cancelled, done]) await act(po.id, 'order');
    await act(partial.id, 'receive', {
      lines: [
        { sku: a, quantity: 3 },
        { sku: b, quantity: 4 },
      ],
    });
    await act(cancelled.id, 'cancel');
    await act(done.id, 'receive', { lines: [{ sku: b, quantity: 2 }] });

    expect(await inboundPurchases(t.deps.db, { skus: [a, b] })).toEqual([
      { sku: a, location_id: store, quantity: 7, expected_on: '2026-01-20', purchase_order_id: toStore.id },
      { sku: a, location_id: wh, quantity: 7, expected_on: '2026-02-01', purchase_order_id: partial.id },
    ]);
    expect(await inboundPurchases(t.deps.db, { skus: [a], locationIds: [wh] })).toEqual([
      { sku: a, location_id: wh, quantity: 7, expected_on: '2026-02-01', purchase_order_id: partial.id },
    ]);
    expect(await inboundPurchases(t.deps.db, { skus: [b] })).toEqual([]);
    const all = await inboundPurchases(t.deps.db, {});
    expect(all.some((l) => l.purchase_order_id === draft.id)).toBe(false);
    expect(all.filter((l) => l.sku === a).map((l) => l.quantity)).toEqual([7, 7]);
  });
});
