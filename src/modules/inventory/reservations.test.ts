import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { level, newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { MINUTE } from '../../platform/clock.ts';
import type { Result } from '../../platform/result.ts';
import {
  commitReservation,
  inventoryModule,
  ledgerMismatches,
  listMovements,
  type Reservation,
  releaseReservation,
  reserve,
  sellNow,
} from './index.ts';

let t: TestApp;
let loc: string;
let loc2: string;
beforeAll(async () => {
  t = await createTestApp();
  loc = await newLocation(t);
  loc2 = await newLocation(t);
});
afterAll(() => t.close());

const actor = 'test';
const ref = { type: 'order', id: 'ord_1' };
const hold = (
  lines: { sku: string; location_id: string; quantity: number }[],
  expiresAt: Date | null = null,
) => t.deps.db.tx((tx) => reserve(tx, t.deps, { reference: ref, lines, expiresAt, actor }));
const must = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  return r.value;
};
const eventTypes = async (id: string) =>
  (
    await t.deps.db.query<{ type: string }>(
      "SELECT type FROM outbox_events WHERE aggregate_type = 'reservation' AND aggregate_id = $1 ORDER BY seq",
      [id],
    )
  ).rows.map((r) => r.type);

describe('reserve', () => {
  it('holds every line, with reservation movements and reservation.created', async () => {
    const [a, b] = [newSku(), newSku()];
    await stock(t, a, loc, 5);
    await stock(t, b, loc2, 3);
    const r = must(
      await hold([
        { sku: a, location_id: loc, quantity: 2 },
        { sku: b, location_id: loc2, quantity: 3 },
      ]),
    );
    expect(r).toMatchObject({ status: 'active', reference: ref, expires_at: null, actor });
    expect(r.id).toMatch(/^res_/);
    expect(await level(t, a, loc)).toMatchObject({ on_hand: 5, reserved: 2, available: 3 });
    expect(await level(t, b, loc2)).toMatchObject({ on_hand: 3, reserved: 3, available: 0 });
    const moves = await listMovements(t.deps.db, {
      reference_type: 'reservation',
      reference_id: r.id,
      limit: 10,
    });
    expect(moves.map((m) => [m.kind, m.reserved_delta, m.on_hand_delta]).sort()).toEqual([
      ['reservation', 2, 0],
      ['reservation', 3, 0],
    ]);
    expect(await eventTypes(r.id)).toEqual(['reservation.created']);
  });

  it('sums lines of the same SKU and location before checking (no oversell by splitting lines)', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 10);
    const r = await hold([
      { sku, location_id: loc, quantity: 6 },
      { sku, location_id: loc, quantity: 6 },
    ]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('INSUFFICIENT_STOCK');
    expect(!r.ok && r.details).toEqual({ sku, location_id: loc, requested: 12, available: 10 });
    expect(await level(t, sku, loc)).toMatchObject({ reserved: 0 });
    const fits = must(
      await hold([
        { sku, location_id: loc, quantity: 4 },
        { sku, location_id: loc, quantity: 6 },
      ]),
    );
    expect(fits.lines).toEqual([{ sku, location_id: loc, quantity: 10 }]);
  });

  it('on a short line rolls back the other lines and leaves the caller transaction usable', async () => {
    const [a, z] = [`A-${newSku()}`, `Z-${newSku()}`];
    await stock(t, a, loc, 5);
    await stock(t, z, loc, 1);
    const marker = newSku('MARK');
    const r = await t.deps.db.tx(async (tx) => {
      const res = await reserve(tx, t.deps, {
        reference: ref,
        lines: [
          { sku: a, location_id: loc, quantity: 5 },
          { sku: z, location_id: loc, quantity: 2 },
        ],
        expiresAt: null,
        actor,
      });
      // The caller goes on in the same transaction after the refusal.
      await tx.query("INSERT INTO plaza_settings (key, value) VALUES ($1, '1')", [marker]);
      return res;
    });
    expect(!r.ok && r.details).toEqual({ sku: z, location_id: loc, requested: 2, available: 1 });
    expect(await level(t, a, loc)).toMatchObject({ reserved: 0, available: 5 });
    expect((await t.deps.db.query('SELECT 1 FROM plaza_settings WHERE key = $1', [marker])).rowCount).toBe(1);
    const moves = await listMovements(t.deps.db, { sku: a, kind: 'reservation', limit: 10 });
    expect(moves).toEqual([]);
  });

  it('treats a SKU without a level as 0 available, and refuses bad lines and past expiry', async () => {
    const r = await hold([{ sku: newSku(), location_id: loc, quantity: 1 }]);
    expect(!r.ok && r.details.available).toBe(0);
    await expect(hold([])).rejects.toThrow(/1 to 500 lines/);
    await expect(hold([{ sku: 'X', location_id: loc, quantity: 0 }])).rejects.toThrow(
      /positive whole quantity/,
    );
    await expect(hold([{ sku: 'X', location_id: loc, quantity: 1 }], t.clock.now())).rejects.toThrow(
      /future/,
    );
  });
});

describe('release and commit', () => {
  const setup = async (qty = 4) => {
    const sku = newSku();
    await stock(t, sku, loc, 10);
    const r = must(await hold([{ sku, location_id: loc, quantity: qty }]));
    return { sku, r };
  };
  const release = (id: string) =>
    t.deps.db.tx((tx) => releaseReservation(tx, t.deps, id, { reason: 'cart abandoned', actor }));
  const commit = (id: string) => t.deps.db.tx((tx) => commitReservation(tx, t.deps, id, { actor }));

  it('release returns the units and is idempotent; a released hold cannot be committed', async () => {
    const { sku, r } = await setup();
    expect(must(await release(r.id)).status).toBe('released');
    expect(await level(t, sku, loc)).toMatchObject({ on_hand: 10, reserved: 0 });
    expect(must(await release(r.id)).status).toBe('released');
    expect(await level(t, sku, loc)).toMatchObject({ reserved: 0 });
    const c = await commit(r.id);
    expect(!c.ok && c.code).toBe('INVALID_STATE_TRANSITION');
    expect(await eventTypes(r.id)).toEqual(['reservation.created', 'reservation.released']);
  });

  it('commit sells the units (sale movements) and is idempotent; a committed hold cannot be released', async () => {
    const { sku, r } = await setup(4);
    expect(must(await commit(r.id)).status).toBe('committed');
    expect(must(await commit(r.id)).status).toBe('committed');
    expect(await level(t, sku, loc)).toMatchObject({ on_hand: 6, reserved: 0, available: 6 });
    const sales = await listMovements(t.deps.db, { sku, kind: 'sale', limit: 10 });
    expect(sales.map((m) => [m.on_hand_delta, m.reserved_delta])).toEqual([[-4, -4]]);
    const rel = await release(r.id);
    expect(!rel.ok && rel.code).toBe('INVALID_STATE_TRANSITION');
    expect(await eventTypes(r.id)).toEqual(['reservation.created', 'reservation.committed']);
  });

  it('answers NOT_FOUND for an unknown reservation', async () => {
    const r = await release('res_01JAAAAAAAAAAAAAAAAAAAAAAA');
    expect(!r.ok && r.code).toBe('NOT_FOUND');
  });

  it('sellNow reserves and commits at once, or changes nothing', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 3);
    const sale = (quantity: number) =>
      t.deps.db.tx((tx) =>
        sellNow(tx, t.deps, {
          reference: { type: 'pos_sale', id: 'S1' },
          lines: [{ sku, location_id: loc, quantity }],
          actor,
        }),
      );
    expect(must(await sale(2)).status).toBe('committed');
    expect(await level(t, sku, loc)).toMatchObject({ on_hand: 1, reserved: 0 });
    const short = await sale(2);
    expect(!short.ok && short.details).toMatchObject({ requested: 2, available: 1 });
    expect(await level(t, sku, loc)).toMatchObject({ on_hand: 1, reserved: 0 });
  });
});

describe('expiry sweeper (TestClock)', () => {
  it('releases expired holds and returns the stock, leaving unexpired ones', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 5);
    const soon = must(
      await hold([{ sku, location_id: loc, quantity: 2 }], new Date(t.clock.now().getTime() + 15 * MINUTE)),
    );
    const later = must(
      await hold([{ sku, location_id: loc, quantity: 1 }], new Date(t.clock.now().getTime() + 60 * MINUTE)),
    );
    const forever = must(await hold([{ sku, location_id: loc, quantity: 1 }]));
    const [sweeper] = inventoryModule.jobs?.(t.deps) ?? [];
    if (!sweeper) throw new Error('the inventory module has no sweeper job');

    t.clock.advance(14 * MINUTE);
    expect(await sweeper.runOnce()).toBe(0);
    expect(await level(t, sku, loc)).toMatchObject({ reserved: 4, available: 1 });

    t.clock.advance(2 * MINUTE);
    expect(await sweeper.runOnce()).toBe(1);
    expect(await level(t, sku, loc)).toMatchObject({ reserved: 2, available: 3 });
    const expired = await t.admin<Reservation>('GET', `/inventory/reservations/${soon.id}`);
    expect(expired.body.status).toBe('expired');
    const moves = await listMovements(t.deps.db, {
      reference_type: 'reservation',
      reference_id: soon.id,
      kind: 'release',
      limit: 5,
    });
    expect(moves.map((m) => [m.actor, m.reserved_delta, m.reason])).toEqual([
      ['sweeper', -2, 'hold expired'],
    ]);
    expect(await eventTypes(soon.id)).toEqual(['reservation.created', 'reservation.expired']);
    expect(await sweeper.runOnce()).toBe(0);

    // Releasing an expired hold is a no-op; committing it is refused (its units may be gone).
    const rel = await t.deps.db.tx((tx) => releaseReservation(tx, t.deps, soon.id, { reason: null, actor }));
    expect(rel.ok && rel.value.status).toBe('expired');
    const com = await t.deps.db.tx((tx) => commitReservation(tx, t.deps, soon.id, { actor }));
    expect(!com.ok && com.code).toBe('INVALID_STATE_TRANSITION');

    t.clock.advance(24 * 60 * MINUTE);
    expect(await sweeper.runOnce()).toBe(1);
    expect(await level(t, sku, loc)).toMatchObject({ reserved: 1 });
    const ids = [later.id, forever.id];
    const statuses = await t.deps.db.query<{ id: string; status: string }>(
      'SELECT id, status FROM reservations WHERE id = ANY($1::text[]) ORDER BY id',
      [ids],
    );
    expect(Object.fromEntries(statuses.rows.map((r) => [r.id, r.status]))).toEqual({
      [later.id]: 'expired',
      [forever.id]: 'active',
    });
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  });
});

describe('reservations over HTTP', () => {
  it('creates with expiry from the clock, reads, releases and commits; 409 carries available', async () => {
    const sku = newSku();
    await stock(t, sku, loc, 2);
    const created = await t.admin<Reservation & { expires_at: string }>('POST', '/inventory/reservations', {
      reference: { type: 'cart', id: 'cart_1' },
      lines: [{ sku, location_id: loc, quantity: 2 }],
      expires_in_seconds: 900,
    });
    expect(created.status).toBe(201);
    expect(created.body.expires_at).toBe(new Date(t.clock.now().getTime() + 900_000).toISOString());
    const refused = await t.admin('POST', '/inventory/reservations', {
      lines: [{ sku, location_id: loc, quantity: 1 }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      sku,
      location_id: loc,
      requested: 1,
      available: 0,
    });
    const list = await t.admin<{ data: { id: string }[] }>(
      'GET',
      '/inventory/reservations?reference_type=cart&reference_id=cart_1',
    );
    expect(list.body.data.map((r) => r.id)).toEqual([created.body.id]);
    const released = await t.admin<Reservation>(
      'POST',
      `/inventory/reservations/${created.body.id}/release`,
      {
        reason: 'changed mind',
      },
    );
    expect(released.body.status).toBe('released');
    const again = await t.admin<Reservation>('POST', `/inventory/reservations/${created.body.id}/release`);
    expect(again.status).toBe(200);
    const commit = await t.admin('POST', `/inventory/reservations/${created.body.id}/commit`);
    expect(commit.status).toBe(409);
    expect(commit.body.code).toBe('INVALID_STATE_TRANSITION');
    const missing = await t.admin('GET', '/inventory/reservations/res_01JAAAAAAAAAAAAAAAAAAAAAAA');
    expect(missing.status).toBe(404);
  });
});
