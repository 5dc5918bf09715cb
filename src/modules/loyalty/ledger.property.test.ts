/**
 * Property: whatever sequence of earns, adjustments, redemptions, releases, reversals and expiries
 * runs, the balance never goes below zero, always equals the sum of the ledger, and each operation
 * succeeds exactly when a simple model says it should.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import {
  adjustPoints,
  enroll,
  expirePoints,
  getAccount,
  ledgerMismatches,
  postPoints,
  redeemPoints,
  releaseRedemption,
} from './index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.admin('PUT', '/loyalty/program', {
    enabled: true,
    points_per_unit: 1,
    rounding: 'floor',
    point_value: 1,
    auto_enroll: true,
    tiers: [{ name: 'Member', min_spend: 0, multiplier_bps: 10_000 }],
    expiry: { policy: 'fixed', days: 10 },
  });
});
afterAll(() => t.close());

const pts = fc.integer({ min: 1, max: 60 });
const Cmd = fc.oneof(
  fc.record({ op: fc.constant('earn' as const), p: pts }),
  fc.record({
    op: fc.constant('adjust' as const),
    p: fc.integer({ min: -60, max: 60 }).filter((x) => x !== 0),
  }),
  fc.record({ op: fc.constant('redeem' as const), p: pts, ref: fc.nat(4) }),
  fc.record({ op: fc.constant('release' as const), ref: fc.nat(4) }),
  fc.record({ op: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant('expire' as const) }),
);

let run = 0;

describe('points ledger', () => {
  it('keeps balance = sum of ledger ≥ 0 and agrees with a model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(Cmd, { minLength: 1, maxLength: 25 }), async (cmds) => {
        run++;
        const created = await t.admin<{ id: string }>('POST', '/customers', {
          email: `prop${run}@example.com`,
        });
        const id = created.body.id;
        await t.deps.db.tx((tx) => enroll(tx, t.deps, id, { source: 'test' }));
        let model = 0;
        const redeemed = new Map<string, number>();
        const released = new Set<string>();
        const credits: { at: number; p: number }[] = [];
        const db = t.deps.db;
        for (const c of cmds) {
          const ref = 'ref' in c ? `p${run}-${c.ref}` : '';
          if (c.op === 'earn') {
            await db.tx((tx) =>
              postPoints(tx, t.deps, { customerId: id, kind: 'earn', points: c.p, at: t.clock.now() }),
            );
            model += c.p;
            credits.push({ at: t.clock.now().getTime(), p: c.p });
          } else if (c.op === 'adjust') {
            const r = await db.tx((tx) =>
              adjustPoints(tx, t.deps, { customerId: id, points: c.p, note: 'p', by: 'test' }),
            );
            expect(r.ok).toBe(model + c.p >= 0);
            if (r.ok) model += c.p;
            if (r.ok && c.p > 0) credits.push({ at: t.clock.now().getTime(), p: c.p });
          } else if (c.op === 'redeem') {
            const r = await db.tx((tx) =>
              redeemPoints(tx, t.deps, { customerId: id, points: c.p, reference: ref }),
            );
            const prior = redeemed.get(ref);
            if (prior === undefined) {
              expect(r.ok).toBe(model >= c.p);
              if (r.ok) {
                model -= c.p;
                redeemed.set(ref, c.p);
              }
            } else {
              expect(r.ok).toBe(prior === c.p); // a replay answers the first redemption, changes nothing
            }
          } else if (c.op === 'release') {
            await db.tx((tx) => releaseRedemption(tx, t.deps, ref));
            const p = redeemed.get(ref);
            if (p !== undefined && !released.has(ref)) {
              model += p;
              released.add(ref);
            }
          } else if (c.op === 'wait') {
            t.clock.advance(c.days * 86_400_000);
          } else {
            await expirePoints(t.deps);
            const after = (await getAccount(db, id))?.balance ?? 0;
            // Oldest points are spent and expire first: points credited in the last 10 days never expire.
            const cutoff = t.clock.now().getTime() - 10 * 86_400_000;
            const recent = credits.filter((x) => x.at > cutoff).reduce((a, x) => a + x.p, 0);
            expect(after).toBeLessThanOrEqual(model);
            expect(after).toBeGreaterThanOrEqual(Math.min(model, recent));
            model = after;
          }
          const balance = (await getAccount(db, id))?.balance ?? -1;
          expect(balance).toBeGreaterThanOrEqual(0);
          expect(balance).toBe(model);
        }
        expect(await ledgerMismatches(db)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
