import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { level, newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { ledgerMismatches } from './repo.ts';

let t: TestApp;
let loc: string;
beforeAll(async () => {
  t = await createTestApp();
  loc = await newLocation(t);
});
afterAll(() => t.close());

const events = async (type: string, sku: string) =>
  (
    await t.deps.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM outbox_events WHERE type = $1 AND aggregate_type = 'sku' AND aggregate_id = $2 ORDER BY seq",
      [type, sku],
    )
  ).rows.map((r) => r.data);

describe('adjustments', () => {
  it('receives stock, records the movement and the event', async () => {
    const sku = newSku();
    const r = await t.admin<{ level: Record<string, unknown>; movement: Record<string, unknown> }>(
      'POST',
      '/inventory/adjustments',
      {
        sku,
        location_id: loc,
        kind: 'receipt',
        delta: 12,
        reason: 'PO 4711',
        reference: { type: 'po', id: '4711' },
      },
    );
    expect(r.status).toBe(201);
    expect(r.body.level).toMatchObject({
      sku,
      location_id: loc,
      on_hand: 12,
      reserved: 0,
      available: 12,
      incoming: 0,
    });
    expect(r.body.movement).toMatchObject({
      kind: 'receipt',
      on_hand_delta: 12,
      reserved_delta: 0,
      reason: 'PO 4711',
      reference_type: 'po',
      reference_id: '4711',
      created_at: t.clock.now().toISOString(),
    });
    expect(r.body.movement.actor).toMatch(/^tok_/);
    expect(await events('inventory.adjusted', sku)).toEqual([
      expect.objectContaining({ kind: 'receipt', delta: 12, on_hand: 12, reason: 'PO 4711' }),
    ]);
    expect(await events('inventory.back_in_stock', sku)).toHaveLength(1);
  });

  it('writes off and adjusts down, but never below what is reserved', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 10);
    const hold = await t.admin('POST', '/inventory/reservations', {
      lines: [{ sku, location_id: loc, quantity: 6 }],
    });
    expect(hold.status).toBe(201);
    const off = await t.admin('POST', '/inventory/adjustments', {
      sku,
      location_id: loc,
      kind: 'write_off',
      delta: -3,
      reason: 'damaged',
    });
    expect(off.status).toBe(201);
    const tooMuch = await t.admin('POST', '/inventory/adjustments', {
      sku,
      location_id: loc,
      delta: -2,
      reason: 'shrinkage',
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      available: 1,
      requested: 2,
      reserved: 6,
    });
    expect(await level(t, sku, loc)).toMatchObject({ on_hand: 7, reserved: 6, available: 1 });
  });

  it('checks the delta sign against the kind, and that the location exists', async () => {
    const sku = newSku();
    for (const [kind, delta] of [
      ['receipt', -1],
      ['return', 0],
      ['write_off', 2],
      ['adjustment', 0],
    ] as const) {
      const r = await t.admin('POST', '/inventory/adjustments', {
        sku,
        location_id: loc,
        kind,
        delta,
        reason: 'x',
      });
      expect(r.status, `${kind} ${delta}`).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
    }
    const noReason = await t.admin('POST', '/inventory/adjustments', { sku, location_id: loc, delta: 1 });
    expect(noReason.status).toBe(400);
    const unknown = await t.admin('POST', '/inventory/adjustments', {
      sku,
      location_id: 'loc_01JAAAAAAAAAAAAAAAAAAAAAAA',
      delta: 1,
      reason: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
  });
});

describe('levels', () => {
  it('never shows available below zero when safety stock exceeds what is free', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 3);
    const patch = await t.admin('PATCH', '/inventory/levels', { sku, location_id: loc, safety_stock: 5 });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ on_hand: 3, safety_stock: 5, available: 0 });
    const hold = await t.admin('POST', '/inventory/reservations', {
      lines: [{ sku, location_id: loc, quantity: 1 }],
    });
    expect(hold.status).toBe(409);
    expect(hold.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 0 });
  });

  it('flags low stock, filters on it and emits low_stock once when crossing from above', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 10);
    await t.admin('PATCH', '/inventory/levels', { sku, location_id: loc, low_stock_threshold: 4 });
    const low = async () =>
      (
        await t.admin<{ data: { sku: string }[] }>(
          'GET',
          `/inventory/levels?low_stock=true&location_id=${loc}&limit=200`,
        )
      ).body.data.some((l) => l.sku === sku);
    expect(await low()).toBe(false);
    await t.admin('POST', '/inventory/adjustments', {
      sku,
      location_id: loc,
      delta: -6,
      reason: 'sold offline',
    });
    expect(await level(t, sku, loc)).toMatchObject({ available: 4, low_stock: true });
    expect(await low()).toBe(true);
    await t.admin('POST', '/inventory/adjustments', { sku, location_id: loc, delta: -1, reason: 'again' });
    expect(await events('inventory.low_stock', sku)).toEqual([
      expect.objectContaining({ available: 4, low_stock_threshold: 4 }),
    ]);
    const cleared = await t.admin('PATCH', '/inventory/levels', {
      sku,
      location_id: loc,
      low_stock_threshold: null,
    });
    expect(cleared.body).toMatchObject({ low_stock_threshold: null, low_stock: false });
  });

  it('pages through levels with a cursor', async () => {
    const other = await newLocation(t);
    const skus = [newSku('PAGE'), newSku('PAGE'), newSku('PAGE')];
    for (const s of skus) await stock(t, s, other, 1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/inventory/levels?location_id=${other}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: { data: { sku: string }[]; next_cursor: string | null } } = await t.admin('GET', q);
      seen.push(...page.body.data.map((l) => l.sku));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...skus].sort());
  });

  it('refuses a PATCH without a setting and negative values', async () => {
    const sku = newSku();
    expect((await t.admin('PATCH', '/inventory/levels', { sku, location_id: loc })).status).toBe(400);
    expect(
      (await t.admin('PATCH', '/inventory/levels', { sku, location_id: loc, safety_stock: -1 })).status,
    ).toBe(400);
  });
});

describe('counts', () => {
  it('sets on_hand to the count with count_correction movements', async () => {
    const [a, b, c] = [newSku('CNT'), newSku('CNT'), newSku('CNT')];
    await stock(t, a, loc, 10);
    await stock(t, b, loc, 4);
    const r = await t.admin<{ id: string; lines: Record<string, unknown>[] }>('POST', '/inventory/counts', {
      location_id: loc,
      reason: 'cycle count aisle 3',
      lines: [
        { sku: a, counted: 8 },
        { sku: b, counted: 4 },
        { sku: c, counted: 2 },
      ],
    });
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(/^cnt_/);
    const bySku = Object.fromEntries(r.body.lines.map((l) => [l.sku, l]));
    expect(bySku[a]).toMatchObject({ previous: 10, counted: 8, delta: -2 });
    expect(bySku[b]).toMatchObject({ previous: 4, counted: 4, delta: 0, movement_id: null });
    expect(bySku[c]).toMatchObject({ previous: 0, counted: 2, delta: 2 });
    expect((await level(t, a, loc))?.on_hand).toBe(8);
    expect((await level(t, c, loc))?.on_hand).toBe(2);
    const moves = await t.admin<{ data: { kind: string; on_hand_delta: number }[] }>(
      'GET',
      `/inventory/movements?reference_type=count&reference_id=${r.body.id}`,
    );
    expect(moves.body.data.map((m) => [m.kind, m.on_hand_delta]).sort()).toEqual([
      ['count_correction', -2],
      ['count_correction', 2],
    ]);
  });

  it('refuses a count below what is reserved, changing nothing', async () => {
    const [a, b] = [newSku('CNT'), newSku('CNT')];
    await stock(t, a, loc, 5);
    await stock(t, b, loc, 5);
    await t.admin('POST', '/inventory/reservations', { lines: [{ sku: b, location_id: loc, quantity: 3 }] });
    const r = await t.admin('POST', '/inventory/counts', {
      location_id: loc,
      lines: [
        { sku: a, counted: 1 },
        { sku: b, counted: 2 },
      ],
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'CONFLICT', sku: b, counted: 2, reserved: 3 });
    expect((await level(t, a, loc))?.on_hand).toBe(5);
    const dup = await t.admin('POST', '/inventory/counts', {
      location_id: loc,
      lines: [
        { sku: a, counted: 1 },
        { sku: a, counted: 2 },
      ],
    });
    expect(dup.status).toBe(400);
  });
});

describe('the ledger', () => {
  it('lists movements newest first with filters, and agrees with every level', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 5);
    await t.admin('POST', '/inventory/adjustments', { sku, location_id: loc, delta: -2, reason: 'x' });
    const r = await t.admin<{ data: { kind: string; on_hand_delta: number }[] }>(
      'GET',
      `/inventory/movements?sku=${sku}&location_id=${loc}`,
    );
    expect(r.body.data.map((m) => [m.kind, m.on_hand_delta])).toEqual([
      ['adjustment', -2],
      ['receipt', 5],
    ]);
    const kind = await t.admin<{ data: { kind: string }[] }>(
      'GET',
      `/inventory/movements?sku=${sku}&kind=receipt`,
    );
    expect(kind.body.data.map((m) => m.kind)).toEqual(['receipt']);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  });

  it('cannot be updated or deleted', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 1);
    await expect(
      t.deps.db.query('UPDATE inventory_movements SET on_hand_delta = 100 WHERE sku = $1', [sku]),
    ).rejects.toThrow(/append-only/);
    await expect(t.deps.db.query('DELETE FROM inventory_movements WHERE sku = $1', [sku])).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('staff tokens', () => {
  it('adjust, count and read at their locations only', async () => {
    const other = await newLocation(t);
    const staff = await t.staff([loc]);
    const sku = newSku();
    const mine = await t.admin(
      'POST',
      '/inventory/adjustments',
      { sku, location_id: loc, delta: 2, reason: 'found' },
      staff,
    );
    expect(mine.status).toBe(201);
    const theirs = await t.admin(
      'POST',
      '/inventory/adjustments',
      { sku, location_id: other, delta: 2, reason: 'x' },
      staff,
    );
    expect(theirs.status).toBe(403);
    expect(theirs.body.code).toBe('FORBIDDEN');
    const count = await t.admin(
      'POST',
      '/inventory/counts',
      { location_id: other, lines: [{ sku, counted: 1 }] },
      staff,
    );
    expect(count.status).toBe(403);
    expect((await t.admin('GET', `/inventory/levels?location_id=${other}`, undefined, staff)).status).toBe(
      403,
    );
    await stock(t, sku, other, 1);
    const all = await t.admin<{ data: { location_id: string }[] }>(
      'GET',
      `/inventory/levels?sku=${sku}`,
      undefined,
      staff,
    );
    expect(all.body.data.map((l) => l.location_id)).toEqual([loc]);
    const moves = await t.admin<{ data: { location_id: string }[] }>(
      'GET',
      `/inventory/movements?sku=${sku}`,
      undefined,
      staff,
    );
    expect(new Set(moves.body.data.map((m) => m.location_id))).toEqual(new Set([loc]));
    expect(
      (await t.admin('PATCH', '/inventory/levels', { sku, location_id: loc, safety_stock: 1 }, staff)).status,
    ).toBe(403);
    const hold = await t.admin(
      'POST',
      '/inventory/reservations',
      { lines: [{ sku, location_id: loc, quantity: 1 }] },
      staff,
    );
    expect(hold.status).toBe(403);
  });
});
