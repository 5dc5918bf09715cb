/**
 * Computed traits on a small hand-made history: every kind's value is computed by hand below; only
 * values that differ from the kind's default are stored; restricted customers get none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { ComputedTraitDefinition } from './computed-traits.ts';
import { ago, ana, ben, event, hats, q, setupFixture, shop, t, tops } from './computed-traits-fixture.ts';
import { refreshDueTrait, refreshTrait } from './computed-traits-repo.ts';

beforeAll(setupFixture, 60_000);
afterAll(() => t.close());

/** Computes a definition for everyone and answers the stored values by customer. */
const values = async (definition: ComputedTraitDefinition, customerIds?: string[]) => {
  const id = newId('ctr');
  const now = t.clock.now();
  await q(
    `INSERT INTO computed_traits (id, key, name, definition, created_at, updated_at, archived_at)
     VALUES ($1, $1, 'test', $2::jsonb, $3, $3, $3)`, // archived: off the schedule of the API tests
    [id, JSON.stringify(definition), now],
  );
  await refreshTrait(t.deps.db, { id, definition }, now, customerIds);
  const { rows } = await q('SELECT customer_id, value FROM customer_computed_traits WHERE trait_id = $1', [
    id,
  ]);
  const byName: Record<string, unknown> = {};
  for (const r of rows as { customer_id: string; value: unknown }[])
    byName[r.customer_id === ana ? 'ana' : r.customer_id === ben ? 'ben' : 'cat'] = r.value;
  return byName;
};

describe('computed trait kinds (hand-computed fixture; cat is restricted and never profiled)', () => {
  it('rfm: quintiles among everyone who bought, the group by recency and frequency (src/flows/shared/rfm.ts)', async () => {
    // ana: last 2 days ago, 3 purchase days, 12,800; ben: 3 days ago, 1 day, 2,500 (cat is restricted).
    // Two customers: rank 1 scores 1, rank 2 scores 1 + ⌊5·1/2⌋ = 3.
    expect(await values({ kind: 'rfm', currency: 'USD', output: 'score' })).toEqual({ ana: 333, ben: 111 });
    expect(await values({ kind: 'rfm', currency: 'USD' })).toEqual({ ana: 'promising', ben: 'hibernating' });
    // refreshing one customer still ranks them among everyone
    expect(await values({ kind: 'rfm', currency: 'USD', output: 'score' }, [ben])).toEqual({ ben: 111 });
    // the last 5 days: one purchase day each (a tie scores 1 for both); ana spent 1,800, ben 2,500
    expect(await values({ kind: 'rfm', currency: 'USD', windowDays: 5, output: 'score' })).toEqual({
      ana: 311,
      ben: 113,
    });
    expect(await values({ kind: 'rfm', currency: 'EUR' })).toEqual({});
  });

  it('order_count: counted orders (not pending, cancelled or expired) by window and channel type', async () => {
    expect(await values({ kind: 'order_count' })).toEqual({ ana: 3, ben: 1 });
    expect(await values({ kind: 'order_count', windowDays: 30 })).toEqual({ ana: 2, ben: 1 });
    expect(await values({ kind: 'order_count', channelType: 'in_store' })).toEqual({ ana: 1, ben: 1 });
    expect(await values({ kind: 'order_count', channelType: 'online', windowDays: 5 })).toEqual({});
  });

  it('total_spent: net of succeeded refunds, per currency, online vs in store', async () => {
    expect(await values({ kind: 'total_spent', currency: 'USD' })).toEqual({ ana: 12_800, ben: 2000 });
    expect(
      await values({ kind: 'total_spent', currency: 'USD', channelType: 'online', windowDays: 30 }),
    ).toEqual({
      ana: 5000,
    });
    expect(await values({ kind: 'total_spent', currency: 'EUR' })).toEqual({});
  });

  it('event_count and last_event_days ignore events stamped in the future', async () => {
    expect(await values({ kind: 'event_count', event: 'Product Viewed', windowDays: 7 })).toEqual({
      ana: 2,
      ben: 1,
    });
    expect(await values({ kind: 'last_event_days' })).toEqual({ ana: 1, ben: 0 });
    expect(await values({ kind: 'last_event_days', event: 'Order Completed' })).toEqual({});
  });

  it('last_visit_days in store, favourite_category, preferred_store, channels_used', async () => {
    expect(await values({ kind: 'last_visit_days', channelType: 'in_store' })).toEqual({ ana: 2, ben: 3 });
    expect(await values({ kind: 'last_visit_days' })).toEqual({ ana: 1, ben: 0 }); // ben's view: online
    expect(await values({ kind: 'favourite_category' })).toEqual({ ana: tops, ben: tops });
    expect(await values({ kind: 'favourite_category', windowDays: 5 })).toEqual({ ana: hats, ben: tops });
    expect(await values({ kind: 'preferred_store' })).toEqual({ ana: shop.storeA, ben: shop.storeB });
    expect(await values({ kind: 'channels_used' })).toEqual({ ana: ['pos', 'web'], ben: ['pos'] });
  });

  it('open_cart_value: the lines in stock where the cart would be served', async () => {
    expect(await values({ kind: 'open_cart_value', inStockOnly: true })).toEqual({ ana: 3 * 2500 });
    expect(await values({ kind: 'open_cart_value', inStockOnly: false })).toEqual({
      ana: 3 * 2500 + 2 * 1800,
      ben: 1800,
    });
  });

  it('computes for a subset only, and forgets values that went back to the default', async () => {
    expect(await values({ kind: 'order_count' }, [ben])).toEqual({ ben: 1 });
    const id = newId('ctr');
    const definition: ComputedTraitDefinition = { kind: 'order_count', windowDays: 30 };
    await q(
      `INSERT INTO computed_traits (id, key, name, definition, created_at, updated_at, archived_at)
       VALUES ($1, $1, 'x', $2::jsonb, $3, $3, $3)`,
      [id, JSON.stringify(definition), t.clock.now()],
    );
    expect(await refreshTrait(t.deps.db, { id, definition }, t.clock.now())).toBe(2);
    expect(await refreshTrait(t.deps.db, { id, definition }, t.clock.now())).toBe(0); // nothing changed
    t.clock.advance(31 * DAY); // every order left the window
    expect(await refreshTrait(t.deps.db, { id, definition }, t.clock.now(), [ana])).toBe(1);
    const left = await q('SELECT customer_id FROM customer_computed_traits WHERE trait_id = $1', [id]);
    expect(left.rows).toEqual([{ customer_id: ben }]);
    t.clock.advance(-31 * DAY);
  });
});

describe('/admin/computed-traits', () => {
  it('creates, refuses a taken key, computes on the schedule, archives', async () => {
    const body = {
      key: 'orders_30d',
      name: 'Orders in 30 days',
      definition: { kind: 'order_count', windowDays: 30 },
    };
    const made = await t.admin<{ id: string; default_value: unknown; last_full_at: null }>(
      'POST',
      '/computed-traits',
      body,
    );
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ key: 'orders_30d', default_value: 0, last_full_at: null });
    expect((await t.admin('POST', '/computed-traits', body)).body.code).toBe('ALREADY_EXISTS');
    expect((await t.admin('POST', '/computed-traits', { ...body, key: 'Bad-Key' })).status).toBe(400);
    const bad = await t.admin('POST', '/computed-traits', {
      ...body,
      key: 'x2',
      definition: { kind: 'order_count', windowDays: 0 },
    });
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    // the schedule computes the new definition for everyone (other test traits are done first)
    while (await t.deps.db.tx((tx) => refreshDueTrait(tx, t.clock.now())));
    const vals = await t.admin<{ data: { customer_id: string; value: unknown }[] }>(
      'GET',
      `/computed-traits/${made.body.id}/values`,
    );
    expect(vals.body.data.map((v) => [v.customer_id, v.value]).sort()).toEqual(
      [
        [ana, 2],
        [ben, 1],
      ].sort(),
    );
    // a new definition is computed again
    const changed = await t.admin('PATCH', `/computed-traits/${made.body.id}`, {
      definition: { kind: 'order_count' },
    });
    expect(changed.body.last_full_at).toBeNull();
    expect(await t.deps.db.tx((tx) => refreshDueTrait(tx, t.clock.now()))).toBe(1);
    const again = await t.admin<{ data: { value: unknown }[] }>(
      'GET',
      `/computed-traits/${made.body.id}/values`,
    );
    expect(again.body.data.map((v) => v.value).sort()).toEqual([1, 3]);
    const archived = await t.admin('POST', `/computed-traits/${made.body.id}/archive`);
    expect(archived.body.archived_at).not.toBeNull();
    expect(
      (await t.admin<{ data: unknown[] }>('GET', `/computed-traits/${made.body.id}/values`)).body.data,
    ).toEqual([]);
    expect((await t.admin('POST', '/computed-traits', body)).status).toBe(201); // the key is free again
  });

  it('keeps hostile values out of the SQL text', async () => {
    const name = "x'); DROP TABLE customers; --";
    const r = await t.admin<{ id: string }>('POST', '/computed-traits', {
      key: 'hostile',
      name: 'Hostile',
      definition: { kind: 'event_count', event: name, windowDays: 7 },
    });
    expect(r.status).toBe(201);
    await event(ana, name, ago(HOUR));
    while (await t.deps.db.tx((tx) => refreshDueTrait(tx, t.clock.now())));
    const vals = await t.admin<{ data: { customer_id: string; value: unknown }[] }>(
      'GET',
      `/computed-traits/${r.body.id}/values`,
    );
    expect(vals.body.data).toEqual([expect.objectContaining({ customer_id: ana, value: 1 })]);
    expect((await q('SELECT count(*)::int AS n FROM customers')).rows[0]).toEqual({ n: 3 });
  });
});

describe('GET /admin/segments/:id/sizes', () => {
  it('answers the size points in time order with the current size; 404 for an unknown segment', async () => {
    const seg = newId('seg');
    const now = t.clock.now();
    await q(
      `INSERT INTO segments (id, name, rules, size, created_at, updated_at) VALUES ($1, $1, '{"all": []}', 7, $2, $2)`,
      [seg, now],
    );
    await q('INSERT INTO segment_sizes (segment_id, at, size) VALUES ($1, $2, 5), ($1, $3, 7), ($1, $4, 6)', [
      seg,
      ago(3 * HOUR),
      ago(HOUR),
      ago(2 * HOUR),
    ]);
    const r = await t.admin<{ data: { at: string; size: number }[]; size: number }>(
      'GET',
      `/segments/${seg}/sizes`,
    );
    expect(r.body).toEqual({
      size: 7,
      data: [
        { at: ago(3 * HOUR).toISOString(), size: 5 },
        { at: ago(2 * HOUR).toISOString(), size: 6 },
        { at: ago(HOUR).toISOString(), size: 7 },
      ],
    });
    const since = encodeURIComponent(ago(2 * HOUR).toISOString());
    const recent = await t.admin<{ data: unknown[] }>('GET', `/segments/${seg}/sizes?since=${since}&limit=1`);
    expect(recent.body.data).toEqual([{ at: ago(HOUR).toISOString(), size: 7 }]);
    expect((await t.admin('GET', `/segments/${newId('seg')}/sizes`)).status).toBe(404);
  });
});
