import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { placeOrder } from '../../../test/support/stores.ts';
import { insertEvents } from '../../modules/events/index.ts';
import { testBackend } from '../../platform/testing.ts';
import { catchUp, login, register } from './fixture.ts';
import { markDays, rebuildStep, rollupLag } from './rollup.ts';
import { snapshotStep } from './snapshot.ts';
import { copyTouchesStep, markVisitDaysStep } from './touches.ts';

let t: TestApp;
let shop: Shop;
let source: string;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 10 });
  const s = await t.admin<{ id: string }>('POST', '/event-sources', { name: 'Web site', kind: 'web' });
  expect(s.status, s.text).toBe(201);
  source = s.body.id;
});
afterAll(() => t.close());

/** Runs the analytics day rebuilds until no marked day is left. */
const rebuildAll = async () => {
  while ((await rebuildStep(t.deps)) > 0);
};

describe('the analytics jobs', () => {
  it('move their event cursors to the microsecond: the last event is not read again and again', async () => {
    const customer = await register(t, shop.web.key, 'cursor@example.com');
    const at = new Date('2026-05-02T10:00:00Z');
    t.clock.set('2026-05-02T10:01:00Z');
    await insertEvents(t.deps.db, [
      {
        sourceId: source,
        channelId: shop.web.id,
        origin: 'client',
        messageId: 'cursor-page-1',
        type: 'page',
        event: 'Home',
        customerId: customer.id,
        userId: customer.id,
        context: { campaign: { source: 'search', medium: 'cpc', name: 'spring' } },
        timestamp: at,
        receivedAt: at,
        retentionMonths: 0,
      },
    ]);
    // PostgreSQL keeps microseconds, a JavaScript Date does not
    await t.deps.db.query(
      `UPDATE events SET received_at = received_at + interval '0.000321 seconds' WHERE message_id = 'cursor-page-1'`,
    );
    expect(await copyTouchesStep(t.deps)).toBe(1);
    expect(await markVisitDaysStep(t.deps)).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect(await copyTouchesStep(t.deps)).toBe(0);
      expect(await markVisitDaysStep(t.deps)).toBe(0);
    }
    await rebuildAll();
    const sessions = await t.deps.db.query<{ sessions: number }>(
      `SELECT sessions FROM analytics_sessions_daily WHERE day = '2026-05-02' AND channel_id = $1`,
      [shop.web.id],
    );
    expect(sessions.rows).toEqual([{ sessions: 1 }]);
    expect((await rollupLag(t.deps.db)).pending_days).toBe(0);
  });

  it.runIf(testBackend() === 'postgres')(
    'mark a day being rebuilt without waiting for the rebuild, and rebuild it once more',
    async () => {
      await markDays(t.deps.db, ['2026-05-01'], t.clock.now());
      // what a rebuildStep in another process holds while it rebuilds the day
      let held = () => {};
      let release = () => {};
      const holding = new Promise<void>((r) => {
        held = r;
      });
      const rebuilding = t.deps.db.tx(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(7201031, date '2026-05-01' - date '2000-01-01')`);
        await tx.query(`DELETE FROM analytics_dirty_days WHERE day = '2026-05-01'`);
        held();
        await new Promise<void>((r) => {
          release = r;
        });
      });
      await holding;
      // an order's subscriber marks that day again: it must not wait (the pool's lock_timeout would
      // fail it after 5 s)
      await markDays(t.deps.db, ['2026-05-01'], t.clock.now());
      // a second worker leaves the day alone while it is locked
      const during = await rebuildStep(t.deps);
      release();
      await rebuilding;
      expect(during).toBe(0);
      expect((await rollupLag(t.deps.db)).pending_days).toBe(1);
      expect(await rebuildStep(t.deps)).toBe(1);
      expect((await rollupLag(t.deps.db)).pending_days).toBe(0);
    },
  );

  it("serve today's customer value from a snapshot the job keeps, and the rest computed for the request", async () => {
    interface Body {
      customers: number;
      computed_at: string | null;
      currency: string;
      currencies: string[];
    }
    const report = (q = '') => t.admin<Body>('GET', `/analytics/customers${q}`);
    t.clock.set('2026-05-03T09:00:00Z');
    const buy = async (email: string) => {
      await register(t, shop.web.key, email);
      await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
        pay: 'test-card',
        customerToken: await login(t, shop.web.key, email),
      });
      await catchUp(t);
    };
    await buy('value1@example.com');
    const live = await report();
    expect(live.status, live.text).toBe(200);
    expect(live.body).toMatchObject({ customers: 1, computed_at: null, currencies: [live.body.currency] });

    expect(await snapshotStep(t.deps)).toBe(1);
    expect(await snapshotStep(t.deps)).toBe(0); // nothing changed since
    const kept = await report();
    expect(kept.body.computed_at).toBe('2026-05-03T09:00:00.000Z');
    expect({ ...kept.body, computed_at: null }).toEqual(live.body);

    // a new buyer: the rollups move at once, the snapshot when the job runs again
    await buy('value2@example.com');
    expect((await report()).body).toMatchObject({ customers: 1, computed_at: '2026-05-03T09:00:00.000Z' });
    expect((await report('?to=2026-05-03&segment_id=seg_01M98T8ZYZXF39M983DZM6MHR0')).status).toBe(404);
    t.clock.set('2026-05-03T09:01:00Z');
    expect(await snapshotStep(t.deps)).toBe(1);
    expect((await report()).body).toMatchObject({ customers: 2, computed_at: '2026-05-03T09:01:00.000Z' });
    // another day is computed for the request
    expect((await report('?to=2026-05-02')).body).toMatchObject({ customers: 0, computed_at: null });
  });
});
