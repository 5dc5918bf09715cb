/**
 * Property: whatever sequence of receipts, adjustments, reservations, releases, commits, transfers,
 * counts and safety-stock changes runs, on_hand and reserved stay ≥ 0 with reserved ≤ on_hand, every
 * level equals the sum of its movements, and each operation succeeds exactly when a simple model
 * says it should.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import {
  adjust,
  availability,
  commitReservation,
  countStock,
  createTransfer,
  ledgerMismatches,
  receive,
  receiveMany,
  receiveTransfer,
  releaseReservation,
  reserve,
  shipTransfer,
  updateLevelSettings,
} from './index.ts';

let t: TestApp;
let locs: string[];
beforeAll(async () => {
  t = await createTestApp();
  locs = [await newLocation(t), await newLocation(t, { type: 'warehouse' })];
});
afterAll(() => t.close());

const slot = fc.record({ s: fc.nat(1), l: fc.nat(1) });
const qty = fc.integer({ min: 1, max: 6 });
const Cmd = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('receive' as const), at: slot, q: qty }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), at: slot, q: qty }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('reserve' as const),
      lines: fc.array(fc.record({ at: slot, q: qty }), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('release' as const), i: fc.nat(9) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('commit' as const), i: fc.nat(9) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('transfer' as const),
      s: fc.nat(1),
      from: fc.nat(1),
      q: qty,
      receive: fc.nat(6),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('count' as const), at: slot, counted: fc.nat(8) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('safety' as const), at: slot, safety: fc.nat(3) }) },
);
type Cmd = typeof Cmd extends fc.Arbitrary<infer C> ? C : never;

interface ModelLevel {
  on_hand: number;
  reserved: number;
  safety: number;
}

let run = 0;

const runSequence = async (initial: number[], cmds: Cmd[]) => {
  run++;
  const skus = [`P${run}-A`, `P${run}-B`];
  const key = (at: { s: number; l: number }) => ({
    sku: skus[at.s] as string,
    location_id: locs[at.l] as string,
  });
  const model = new Map<string, ModelLevel>();
  const m = (k: { sku: string; location_id: string }): ModelLevel => {
    const id = `${k.sku}|${k.location_id}`;
    const cur = model.get(id) ?? { on_hand: 0, reserved: 0, safety: 0 };
    model.set(id, cur);
    return cur;
  };
  const holds: {
    id: string;
    lines: { k: { sku: string; location_id: string }; q: number }[];
    status: string;
  }[] = [];
  const tx = <T>(fn: Parameters<typeof t.deps.db.tx<T>>[0]) => t.deps.db.tx(fn);
  const deps = t.deps;
  const actor = 'property';
  const start = initial.flatMap((q, i) => (q > 0 ? [{ ...key({ s: i % 2, l: i >> 1 }), quantity: q }] : []));
  await tx((x) => receiveMany(x, deps, start, { actor }));
  for (const l of start) m(l).on_hand = l.quantity;

  for (const c of cmds) {
    if (c.op === 'receive') {
      await tx((x) => receive(x, deps, { ...key(c.at), delta: c.q, reason: null, actor }));
      m(key(c.at)).on_hand += c.q;
    } else if (c.op === 'remove') {
      const lv = m(key(c.at));
      const r = await tx((x) =>
        adjust(x, deps, { ...key(c.at), delta: -c.q, kind: 'write_off', reason: 'x', actor }),
      );
      expect(r.ok).toBe(lv.on_hand - c.q >= lv.reserved);
      if (r.ok) lv.on_hand -= c.q;
    } else if (c.op === 'reserve') {
      const need = new Map<string, { k: { sku: string; location_id: string }; q: number }>();
      for (const l of c.lines) {
        const k = key(l.at);
        const id = `${k.sku}|${k.location_id}`;
        need.set(id, { k, q: (need.get(id)?.q ?? 0) + l.q });
      }
      const fits = [...need.values()].every(({ k, q }) => {
        const lv = m(k);
        return lv.on_hand - lv.reserved - lv.safety >= q;
      });
      const lines = c.lines.map((l) => ({ ...key(l.at), quantity: l.q }));
      const r = await tx((x) =>
        reserve(x, deps, { reference: { type: 'prop', id: 'x' }, lines, expiresAt: null, actor }),
      );
      expect(r.ok).toBe(fits);
      if (r.ok) {
        for (const { k, q } of need.values()) m(k).reserved += q;
        holds.push({ id: r.value.id, lines: [...need.values()], status: 'active' });
      }
    } else if (c.op === 'release' || c.op === 'commit') {
      const h = holds[c.i % Math.max(1, holds.length)];
      if (!h) continue;
      const r = await tx((x) =>
        c.op === 'release'
          ? releaseReservation(x, deps, h.id, { reason: null, actor })
          : commitReservation(x, deps, h.id, { actor }),
      );
      const done = c.op === 'release' ? 'released' : 'committed';
      expect(r.ok).toBe(h.status === 'active' || h.status === done);
      if (r.ok && h.status === 'active') {
        for (const { k, q } of h.lines) {
          m(k).reserved -= q;
          if (done === 'committed') m(k).on_hand -= q;
        }
        h.status = done;
      }
    } else if (c.op === 'transfer') {
      const from = { sku: skus[c.s] as string, location_id: locs[c.from] as string };
      const to = { sku: from.sku, location_id: locs[1 - c.from] as string };
      const created = await tx((x) =>
        createTransfer(x, deps, {
          from_location_id: from.location_id,
          to_location_id: to.location_id,
          lines: [{ sku: from.sku, quantity: c.q }],
          actor,
        }),
      );
      const src = m(from);
      const shipped = await tx((x) => shipTransfer(x, deps, created.id, { actor }));
      expect(shipped.ok).toBe(src.on_hand - c.q >= src.reserved);
      if (!shipped.ok) continue;
      src.on_hand -= c.q;
      const got = Math.min(c.receive, c.q);
      if (got > 0) {
        const r = await tx((x) =>
          receiveTransfer(x, deps, created.id, { actor, lines: [{ sku: from.sku, quantity: got }] }),
        );
        expect(r.ok && r.value.status).toBe(got === c.q ? 'received' : 'partially_received');
        m(to).on_hand += got;
      }
    } else if (c.op === 'count') {
      const lv = m(key(c.at));
      const r = await tx((x) =>
        countStock(x, deps, {
          location_id: key(c.at).location_id,
          lines: [{ sku: key(c.at).sku, counted: c.counted }],
          actor,
        }),
      );
      expect(r.ok).toBe(c.counted >= lv.reserved);
      if (r.ok) lv.on_hand = c.counted;
    } else {
      await tx((x) => updateLevelSettings(x, deps, key(c.at), { safety_stock: c.safety }));
      m(key(c.at)).safety = c.safety;
    }
  }

  const actual = await availability(t.deps.db, { skus, locationIds: locs });
  for (const a of actual) {
    const want = m(a);
    expect(a.on_hand).toBeGreaterThanOrEqual(0);
    expect(a.reserved).toBeGreaterThanOrEqual(0);
    expect(a.reserved).toBeLessThanOrEqual(a.on_hand);
    expect(a.available).toBeGreaterThanOrEqual(0);
    expect({ on_hand: a.on_hand, reserved: a.reserved }).toEqual({
      on_hand: want.on_hand,
      reserved: want.reserved,
    });
    expect(a.available).toBe(Math.max(0, want.on_hand - want.reserved - want.safety));
  }
  expect(await ledgerMismatches(t.deps.db)).toEqual([]);
};

describe('stock ledger invariants', () => {
  it('hold for random sequences of stock operations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(10), { minLength: 4, maxLength: 4 }),
        fc.array(Cmd, { minLength: 1, maxLength: 30 }),
        runSequence,
      ),
      {
        numRuns: 40,
      },
    );
  }, 120_000);
});
