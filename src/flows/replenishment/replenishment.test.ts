import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { TestClock } from '../../platform/clock.ts';
import { addDays } from '../forecasting/history.ts';
import { runForecasts } from '../forecasting/run.ts';
import { SUPERSEDED_KEEP_MS } from './suggest.ts';

let t: TestApp;
let wh: string;
let storeA: string;
let storeB: string;
let supplierId: string;
const sku = newSku('RPL');
const TODAY = '2026-03-02';

interface SuggestionView {
  id: string;
  kind: 'purchase' | 'transfer';
  location_id: string;
  from_location_id: string | null;
  supplier_id: string | null;
  quantity: number;
  status: string;
  detail: { reason: string; policy: { reorder_point: number; order_up_to: number } | null };
}
const open = async (): Promise<SuggestionView[]> =>
  (await t.admin<{ data: SuggestionView[] }>('GET', `/replenishment/suggestions?sku=${sku}`)).body.data;

/** 60 days of history as the rebuild writes it: about 2 a day at each location, 4 on Saturdays. */
const history = async () => {
  for (const loc of [wh, storeA, storeB])
    await t.deps.db.query(
      `INSERT INTO demand_days (sku, location_id, day, sold)
       SELECT $1, $2, d::date, CASE WHEN extract(isodow FROM d) = 6 THEN 4 ELSE 2 END
         FROM generate_series($3::date - 60, $3::date - 1, interval '1 day') d`,
      [sku, loc, TODAY],
    );
};

beforeAll(async () => {
  t = await createTestApp({ clock: new TestClock(`${TODAY}T20:00:00Z`) });
  wh = await newLocation(t, { type: 'warehouse', pickup: false });
  storeA = await newLocation(t);
  storeB = await newLocation(t);
  // Stores take their stock from this warehouse, not from another test's.
  for (const s of [storeA, storeB])
    expect(
      (await t.admin('PUT', `/replenishment/policies/${sku}/${s}`, { source_location_id: wh })).status,
    ).toBe(200);
  await stock(t, sku, wh, 12);
  await stock(t, sku, storeA, 1);
  await stock(t, sku, storeB, 80);
  const sup = await t.admin<{ id: string }>('POST', '/suppliers', {
    name: `Supplier ${sku}`,
    lead_time_days: 5,
  });
  supplierId = sup.body.id;
  expect(
    (await t.admin('PUT', `/suppliers/${supplierId}/skus/${sku}`, { min_order: 10, pack_size: 6 })).status,
  ).toBe(200);
  await history();
  const run = await runForecasts(t.deps, { sku, rebuild: false });
  expect(run?.series).toBe(3);
}, 60_000);
afterAll(() => t.close());

const writeOff = async (location: string, units: number) => {
  const r = await t.admin('POST', '/inventory/adjustments', {
    sku,
    location_id: location,
    kind: 'write_off',
    delta: -units,
    reason: 'test',
  });
  expect(r.status).toBe(201);
};

describe('replenishment suggestions', () => {
  it('moves stock to the store that runs short: what the warehouse can spare, then what another store has too much of', async () => {
    const list = await open();
    const toA = list.filter((s) => s.kind === 'transfer' && s.location_id === storeA);
    expect(toA.map((s) => s.from_location_id).sort()).toEqual([storeB, wh].sort());
    // The warehouse gives what it holds above its own reorder point; store B, far above its
    // order-up-to level, gives the rest; nobody buys (the warehouse is above its reorder point).
    const [fromWh, fromB] = [
      toA.find((s) => s.from_location_id === wh),
      toA.find((s) => s.from_location_id === storeB),
    ];
    const policyA = fromWh?.detail.policy;
    expect(policyA && policyA.order_up_to > policyA.reorder_point).toBe(true);
    expect((fromWh?.quantity ?? 0) + (fromB?.quantity ?? 0)).toBe(Math.ceil((policyA?.order_up_to ?? 0) - 1));
    expect(list.some((s) => s.location_id === storeB || s.kind === 'purchase')).toBe(false);
  });

  it('lists the store at risk of a stock-out today', async () => {
    const r = await t.admin<{
      data: { sku: string; location_id: string; days: number; stockout_on: string }[];
    }>('GET', `/replenishment/at-risk?sku=${sku}&days=14`);
    expect(r.body.data[0]).toMatchObject({ location_id: storeA, days: 0, stockout_on: TODAY });
    expect(r.body.data.some((x) => x.location_id === storeB)).toBe(false);
  });

  it('accepting creates the transfers through the inventory API; twice is refused', async () => {
    const ids = (await open()).map((s) => s.id);
    const r = await t.admin<{ transfers: string[]; purchase_orders: string[] }>(
      'POST',
      '/replenishment/suggestions/accept',
      { ids },
    );
    expect(r.status).toBe(201);
    expect(r.body.transfers).toHaveLength(2);
    expect(r.body.purchase_orders).toEqual([]);
    for (const id of r.body.transfers) {
      const tr = await t.admin<{
        status: string;
        to_location_id: string;
        lines: { sku: string; quantity: number }[];
      }>('GET', `/inventory/transfers/${id}`);
      expect(tr.body).toMatchObject({ status: 'requested', to_location_id: storeA });
      expect(tr.body.lines[0]?.sku).toBe(sku);
    }
    const again = await t.admin('POST', '/replenishment/suggestions/accept', { ids });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(await open()).toEqual([]);
  });

  it('counts what is on its way: the next run suggests nothing more for the store, and knows when stock arrives', async () => {
    await runForecasts(t.deps, { sku, rebuild: false });
    expect((await open()).filter((s) => s.location_id === storeA)).toEqual([]);
    const risk = await t.admin<{
      data: { location_id: string; next_arrival_on: string | null; inbound: number }[];
    }>('GET', `/replenishment/at-risk?sku=${sku}`);
    const a = risk.body.data.find((x) => x.location_id === storeA);
    // Still short today (requested transfers arrive after the transfer lead time, 2 days), with the arrival known.
    expect(a?.inbound).toBeGreaterThan(0);
    expect(a?.next_arrival_on).toBe(addDays(TODAY, 2));
  });

  it('buys at the warehouse, in whole packs, what no location can spare; accepting makes a draft purchase order', async () => {
    await writeOff(wh, 9);
    await writeOff(storeB, 60);
    await runForecasts(t.deps, { sku, rebuild: false });
    const buy = (await open()).find((s) => s.kind === 'purchase');
    expect(buy).toMatchObject({ location_id: wh, supplier_id: supplierId });
    expect((buy?.quantity ?? 0) % 6).toBe(0);
    expect(buy?.quantity ?? 0).toBeGreaterThanOrEqual(10);
    const orders = await t.admin<{
      data: { supplier_id: string; lines: { suggestion_id: string; sku: string }[] }[];
    }>('GET', '/replenishment/purchase-orders');
    const suggested = orders.body.data.find((o) => o.supplier_id === supplierId);
    expect(suggested?.lines.map((l) => [l.suggestion_id, l.sku])).toEqual([[buy?.id, sku]]);
    const r = await t.admin<{ purchase_orders: string[] }>('POST', '/replenishment/suggestions/accept', {
      ids: [buy?.id],
    });
    const po = await t.admin<{
      status: string;
      location_id: string;
      lines: { sku: string; quantity: number }[];
    }>('GET', `/purchase-orders/${r.body.purchase_orders[0]}`);
    expect(po.body).toMatchObject({
      status: 'draft',
      location_id: wh,
      lines: [{ sku, quantity: buy?.quantity }],
    });
  });

  it('a dismissed suggestion is not made again until its day', async () => {
    await writeOff(storeB, 15);
    await runForecasts(t.deps, { sku, rebuild: false });
    const before = await open();
    expect(before.length).toBeGreaterThan(0);
    const d = await t.admin<{ dismissed: number; until: string }>(
      'POST',
      '/replenishment/suggestions/dismiss',
      {
        ids: before.map((s) => s.id),
        days: 3,
      },
    );
    expect(d.body).toEqual({ dismissed: before.length, until: addDays(TODAY, 3) });
    await runForecasts(t.deps, { sku, rebuild: false });
    expect(await open()).toEqual([]);
  });

  it('keeps superseded suggestions a week, then purges them', async () => {
    const superseded = async () =>
      Number(
        (
          await t.deps.db.query<{ n: string }>(
            "SELECT count(*) AS n FROM replenishment_suggestions WHERE sku = $1 AND status = 'superseded'",
            [sku],
          )
        ).rows[0]?.n,
      );
    // Past the dismissal: a run suggests again, the next one supersedes those.
    t.clock.advance(4 * 86_400_000);
    await runForecasts(t.deps, { sku, rebuild: false });
    expect((await open()).length).toBeGreaterThan(0);
    await runForecasts(t.deps, { sku, rebuild: false });
    expect(await superseded()).toBeGreaterThan(0);
    t.clock.advance(SUPERSEDED_KEEP_MS + 60_000);
    await runForecasts(t.deps, { sku, rebuild: false });
    // The ones superseded a week ago are gone; only this run's replacements (if any) remain.
    const left = await t.deps.db.query<{ decided_at: Date }>(
      "SELECT decided_at FROM replenishment_suggestions WHERE sku = $1 AND status = 'superseded'",
      [sku],
    );
    expect(left.rows.length).toBeGreaterThan(0);
    for (const r of left.rows) expect(r.decided_at.getTime()).toBe(t.clock.now().getTime());
  });

  it('refuses unknown suggestions and bad policies with problems', async () => {
    const unknown = await t.admin('POST', '/replenishment/suggestions/accept', {
      ids: ['rps_01J0000000000000000000000A'],
    });
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.admin('POST', '/replenishment/suggestions/accept', { ids: [] })).status).toBe(400);
    expect(
      (await t.admin('PUT', `/replenishment/policies/${sku}/${storeA}`, { source_location_id: storeA })).body,
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      (await t.admin('PUT', `/replenishment/policies/${sku}/${storeA}`, { service_level: 1 })).status,
    ).toBe(400);
    expect(
      (await t.admin('PUT', `/replenishment/policies/${sku}/loc_01J0000000000000000000000A`, {})).body,
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});
