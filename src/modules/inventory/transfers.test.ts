import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { level, newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { ledgerMismatches } from './repo.ts';

let t: TestApp;
let wh: string;
let store: string;
beforeAll(async () => {
  t = await createTestApp();
  wh = await newLocation(t, { type: 'warehouse', pickup: false });
  store = await newLocation(t);
});
afterAll(() => t.close());

interface TransferView {
  id: string;
  status: string;
  in_transit: number;
  lines: { sku: string; quantity: number; quantity_received: number; in_transit: number }[];
  shipped_at: string | null;
  received_at: string | null;
}

const request = (lines: { sku: string; quantity: number }[], token?: string) =>
  t.admin<TransferView>(
    'POST',
    '/inventory/transfers',
    { from_location_id: wh, to_location_id: store, lines },
    token,
  );

describe('transfers', () => {
  it('two receipts in parallel never receive more than was shipped', async () => {
    const sku = newSku('TRF');
    await stock(t, sku, wh, 6);
    const id = (await request([{ sku, quantity: 6 }])).body.id;
    expect((await t.admin('POST', `/inventory/transfers/${id}/ship`)).status).toBe(200);
    const both = await Promise.all(
      [0, 1].map(() =>
        t.admin('POST', `/inventory/transfers/${id}/receive`, { lines: [{ sku, quantity: 4 }] }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(both.find((r) => r.status === 400)?.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await level(t, sku, store)).toMatchObject({ on_hand: 4, incoming: 2 });
  });

  it('go requested → in_transit → partially_received → received, moving stock through the ledger', async () => {
    const [a, b] = [newSku('TRF'), newSku('TRF')];
    await stock(t, a, wh, 20);
    await stock(t, b, wh, 5);
    const created = await request([
      { sku: a, quantity: 6 },
      { sku: b, quantity: 2 },
      { sku: a, quantity: 4 },
    ]);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'requested', in_transit: 0 });
    expect(created.body.lines.find((l) => l.sku === a)?.quantity).toBe(10);
    expect((await level(t, a, wh))?.on_hand).toBe(20);
    const id = created.body.id;

    const shipped = await t.admin<TransferView>('POST', `/inventory/transfers/${id}/ship`);
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      status: 'in_transit',
      in_transit: 12,
      shipped_at: t.clock.now().toISOString(),
    });
    expect((await level(t, a, wh))?.on_hand).toBe(10);
    expect(await level(t, a, store)).toMatchObject({ on_hand: 0, incoming: 10 });

    const part = await t.admin<TransferView>('POST', `/inventory/transfers/${id}/receive`, {
      lines: [{ sku: a, quantity: 7 }],
    });
    expect(part.body).toMatchObject({ status: 'partially_received', in_transit: 5, received_at: null });
    expect(await level(t, a, store)).toMatchObject({ on_hand: 7, incoming: 3, available: 7 });

    const rest = await t.admin<TransferView>('POST', `/inventory/transfers/${id}/receive`);
    expect(rest.body).toMatchObject({ status: 'received', in_transit: 0 });
    expect(rest.body.lines.every((l) => l.quantity_received === l.quantity)).toBe(true);
    expect(await level(t, a, store)).toMatchObject({ on_hand: 10, incoming: 0 });
    expect(await level(t, b, store)).toMatchObject({ on_hand: 2, incoming: 0 });

    const moves = await t.admin<{ data: { kind: string; location_id: string; on_hand_delta: number }[] }>(
      'GET',
      `/inventory/movements?reference_type=transfer&reference_id=${id}&sku=${a}`,
    );
    expect(moves.body.data.map((m) => [m.kind, m.location_id, m.on_hand_delta])).toEqual([
      ['transfer_in', store, 3],
      ['transfer_in', store, 7],
      ['transfer_out', wh, -10],
    ]);
    const ev = await t.deps.db.query<{ type: string }>(
      "SELECT type FROM outbox_events WHERE aggregate_type = 'transfer' AND aggregate_id = $1 ORDER BY seq",
      [id],
    );
    expect(ev.rows.map((r) => r.type)).toEqual([
      'transfer.requested',
      'transfer.shipped',
      'transfer.received',
      'transfer.received',
    ]);
    expect((await t.admin('POST', `/inventory/transfers/${id}/receive`)).body.code).toBe(
      'INVALID_STATE_TRANSITION',
    );
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  });

  it('refuses to ship what is reserved at the source, moving nothing', async () => {
    const [a, b] = [`A-${newSku()}`, `B-${newSku()}`];
    await stock(t, a, wh, 5);
    await stock(t, b, wh, 5);
    await t.admin('POST', '/inventory/reservations', { lines: [{ sku: b, location_id: wh, quantity: 4 }] });
    const { body } = await request([
      { sku: a, quantity: 5 },
      { sku: b, quantity: 2 },
    ]);
    const r = await t.admin(`POST`, `/inventory/transfers/${body.id}/ship`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      sku: b,
      location_id: wh,
      requested: 2,
      available: 1,
    });
    expect((await level(t, a, wh))?.on_hand).toBe(5);
    expect((await t.admin<TransferView>('GET', `/inventory/transfers/${body.id}`)).body.status).toBe(
      'requested',
    );
  });

  it('cancels only before shipping, and validates receipts', async () => {
    const sku = newSku();
    await stock(t, sku, wh, 5);
    const first = await request([{ sku, quantity: 1 }]);
    const cancelled = await t.admin<TransferView>('POST', `/inventory/transfers/${first.body.id}/cancel`, {
      reason: 'not needed',
    });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await t.admin('POST', `/inventory/transfers/${first.body.id}/ship`)).status).toBe(409);

    const second = await request([{ sku, quantity: 2 }]);
    await t.admin('POST', `/inventory/transfers/${second.body.id}/ship`);
    const late = await t.admin('POST', `/inventory/transfers/${second.body.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'INVALID_STATE_TRANSITION', current_status: 'in_transit' });
    const over = await t.admin('POST', `/inventory/transfers/${second.body.id}/receive`, {
      lines: [{ sku, quantity: 3 }],
    });
    expect(over.status).toBe(400);
    const stranger = await t.admin('POST', `/inventory/transfers/${second.body.id}/receive`, {
      lines: [{ sku: 'NOT-ON-IT', quantity: 1 }],
    });
    expect(stranger.status).toBe(400);
  });

  it('refuses a transfer to the same location or an unknown one', async () => {
    const same = await t.admin('POST', '/inventory/transfers', {
      from_location_id: wh,
      to_location_id: wh,
      lines: [{ sku: 'X', quantity: 1 }],
    });
    expect(same.status).toBe(400);
    const unknown = await t.admin('POST', '/inventory/transfers', {
      from_location_id: wh,
      to_location_id: 'loc_01JAAAAAAAAAAAAAAAAAAAAAAA',
      lines: [{ sku: 'X', quantity: 1 }],
    });
    expect(unknown.status).toBe(404);
    expect((await t.admin('GET', '/inventory/transfers/trf_01JAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('let staff ship from and receive at their own locations only', async () => {
    const sku = newSku();
    await stock(t, sku, wh, 3);
    const [whStaff, storeStaff, stranger] = [
      await t.staff([wh]),
      await t.staff([store]),
      await t.staff([await newLocation(t)]),
    ];
    const { body } = await request([{ sku, quantity: 3 }], storeStaff);
    expect(body.status).toBe('requested');
    expect((await t.admin('GET', `/inventory/transfers/${body.id}`, undefined, stranger)).status).toBe(403);
    expect(
      (await t.admin('POST', `/inventory/transfers/${body.id}/ship`, undefined, storeStaff)).status,
    ).toBe(403);
    expect((await t.admin('POST', `/inventory/transfers/${body.id}/ship`, undefined, whStaff)).status).toBe(
      200,
    );
    expect(
      (await t.admin('POST', `/inventory/transfers/${body.id}/receive`, undefined, whStaff)).status,
    ).toBe(403);
    expect(
      (await t.admin('POST', `/inventory/transfers/${body.id}/receive`, undefined, storeStaff)).status,
    ).toBe(200);
    const mine = await t.admin<{ data: { id: string }[] }>(
      'GET',
      '/inventory/transfers?limit=200',
      undefined,
      stranger,
    );
    expect(mine.body.data).toEqual([]);
    const listed = await t.admin<{ data: { id: string }[] }>(
      'GET',
      '/inventory/transfers?limit=200',
      undefined,
      storeStaff,
    );
    expect(listed.body.data.map((x) => x.id)).toContain(body.id);
  });
});
