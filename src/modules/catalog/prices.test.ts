import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { DAY } from '../../platform/clock.ts';
import { currentPrices } from './repo-prices.ts';
import { currentOf } from './rules.ts';
import type { Price, Product } from './schema.ts';

let t: TestApp;
let web: { id: string };
let app: { id: string };
let variantId: string;
let productId: string;

interface PricesReply {
  variant_id: string;
  channel_id: string;
  currency: string;
  prices: Price[];
  code?: string;
  errors?: { path: string; message: string }[];
}

const put = (body: unknown, id = variantId) => t.admin<PricesReply>('PUT', `/variants/${id}/prices`, body);
const at = (iso: string) => new Date(iso);
const priceEvents = async () =>
  (
    await t.deps.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM outbox_events WHERE type = 'price.changed' AND aggregate_id = $1 ORDER BY seq`,
      [productId],
    )
  ).rows.map((r) => r.data);
const amountAt = async (iso: string, channel = web.id) => {
  t.clock.set(iso);
  return (await currentPrices(t.deps.db, channel, [variantId], at(iso))).get(variantId)?.amount;
};

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-01T00:00:00Z');
  web = await t.channel('web');
  app = await t.channel('app');
  const p = await t.admin<Product>('POST', '/products', {
    title: 'Trail Runner',
    variants: [{ sku: 'TR-9' }],
  });
  productId = p.body.id;
  variantId = p.body.variants[0]?.id as string;
});
afterAll(() => t.close());

describe('variant prices per channel', () => {
  it('has no price (not sellable) until one is set', async () => {
    expect(await amountAt('2026-03-01T00:00:00Z')).toBeUndefined();
  });

  it('sets a base price and a scheduled sale; price.changed carries the amounts in force', async () => {
    const r = await put({
      channel_id: web.id,
      prices: [
        { amount: 12900 },
        {
          amount: 9900,
          compare_at_amount: 12900,
          starts_at: '2026-03-10T00:00:00Z',
          ends_at: '2026-03-20T00:00:00Z',
        },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.currency).toBe('USD');
    expect(r.body.prices.map((p) => [p.amount, p.current])).toEqual([
      [12900, true],
      [9900, false],
    ]);
    expect(await priceEvents()).toEqual([
      expect.objectContaining({
        variant_id: variantId,
        channel_id: web.id,
        sku: 'TR-9',
        currency: 'USD',
        old_amount: null,
        new_amount: 12900,
      }),
    ]);
  });

  it('resolves the current price over time: the window beats the base, start inclusive, end exclusive', async () => {
    expect(await amountAt('2026-03-09T23:59:59Z')).toBe(12900);
    expect(await amountAt('2026-03-10T00:00:00Z')).toBe(9900);
    expect(await amountAt('2026-03-19T23:59:59Z')).toBe(9900);
    expect(await amountAt('2026-03-20T00:00:00Z')).toBe(12900);
    t.clock.set('2026-03-15T12:00:00Z');
    const view = await t.admin<Product>('GET', `/products/${productId}`);
    const current = view.body.variants[0]?.prices.filter((p) => p.current);
    expect(current?.map((p) => p.amount)).toEqual([9900]);
    // Another channel has its own list.
    expect(await amountAt('2026-03-15T12:00:00Z', app.id)).toBeUndefined();
  });

  it('lets the latest-starting window win, and a base with an end date expire', async () => {
    const r = await put({
      channel_id: app.id,
      prices: [
        { amount: 12000, ends_at: '2026-06-01T00:00:00Z' },
        { amount: 11000, starts_at: '2026-04-01T00:00:00Z', ends_at: '2026-04-10T00:00:00Z' },
        { amount: 10000, starts_at: '2026-04-10T00:00:00Z' },
      ],
    });
    expect(r.status).toBe(200);
    expect(await amountAt('2026-03-31T00:00:00Z', app.id)).toBe(12000);
    expect(await amountAt('2026-04-05T00:00:00Z', app.id)).toBe(11000);
    expect(await amountAt('2026-04-10T00:00:00Z', app.id)).toBe(10000);
    expect(await amountAt('2027-01-01T00:00:00Z', app.id)).toBe(10000);
  });

  it('agrees with the in-memory rule (currentOf) at every day boundary', async () => {
    const { rows } = await t.deps.db.query<{
      starts_at: Date | null;
      ends_at: Date | null;
      amount: number;
      channel_id: string;
    }>('SELECT starts_at, ends_at, amount, channel_id FROM prices WHERE variant_id = $1', [variantId]);
    for (const channel of [web.id, app.id]) {
      for (let d = at('2026-02-25T00:00:00Z').getTime(); d < at('2026-07-01T00:00:00Z').getTime(); d += DAY) {
        const when = new Date(d);
        const sql = (await currentPrices(t.deps.db, channel, [variantId], when)).get(variantId)?.amount;
        const js = currentOf(
          rows.filter((r) => r.channel_id === channel),
          when,
        )?.amount;
        expect(sql, when.toISOString()).toBe(js);
      }
    }
  });

  it('refuses overlapping windows, two base prices, compare_at ≤ amount and the wrong currency', async () => {
    const overlap = await put({
      channel_id: web.id,
      prices: [
        { amount: 100, starts_at: '2026-05-01T00:00:00Z', ends_at: '2026-05-10T00:00:00Z' },
        { amount: 90, starts_at: '2026-05-09T00:00:00Z' },
      ],
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.errors?.[0]?.path).toBe('body.prices[1].starts_at');
    const twoBases = await put({ channel_id: web.id, prices: [{ amount: 100 }, { amount: 90 }] });
    expect(twoBases.status).toBe(400);
    const cmp = await put({ channel_id: web.id, prices: [{ amount: 100, compare_at_amount: 50 }] });
    expect(cmp.body.errors?.[0]).toEqual({
      path: 'body.prices[0].compare_at_amount',
      message: 'must be greater than amount',
    });
    const currency = await put({ channel_id: web.id, currency: 'EUR', prices: [{ amount: 100 }] });
    expect(currency.status).toBe(400);
    expect(currency.body.errors?.[0]?.path).toBe('body.currency');
    const badDate = await put({ channel_id: web.id, prices: [{ amount: 1, starts_at: 'tomorrow' }] });
    expect(badDate.status).toBe(400);
    const unknown = await put({ channel_id: web.id, prices: [] }, 'var_01JAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect((await priceEvents()).length).toBe(2);
  });

  it('writes no event when the same list is put again, and one when the list is cleared', async () => {
    t.clock.set('2026-03-15T12:00:00Z');
    const before = (await priceEvents()).length;
    const again = await put({
      channel_id: web.id,
      currency: 'USD',
      prices: [
        {
          amount: 9900,
          compare_at_amount: 12900,
          starts_at: '2026-03-10T00:00:00.000Z',
          ends_at: '2026-03-20T00:00:00Z',
        },
        { amount: 12900 },
      ],
    });
    expect(again.status).toBe(200);
    expect((await priceEvents()).length).toBe(before);
    const cleared = await put({ channel_id: web.id, prices: [] });
    expect(cleared.body.prices).toEqual([]);
    const events = await priceEvents();
    expect(events.at(-1)).toMatchObject({ channel_id: web.id, old_amount: 9900, new_amount: null });
  });

  it('ignores prices in a currency the channel no longer uses', async () => {
    await put({ channel_id: web.id, prices: [{ amount: 5000 }] });
    expect(await amountAt('2026-03-15T12:00:00Z')).toBe(5000);
    expect((await t.admin('PATCH', `/channels/${web.id}`, { currency: 'EUR' })).status).toBe(200);
    expect(await amountAt('2026-03-15T12:00:00Z')).toBeUndefined();
    const view = await t.admin<Product>('GET', `/products/${productId}`);
    expect(view.body.variants[0]?.prices.find((p) => p.channel_id === web.id)?.current).toBe(false);
    const repriced = await put({ channel_id: web.id, prices: [{ amount: 4500 }] });
    expect(repriced.body.currency).toBe('EUR');
    expect(await amountAt('2026-03-15T12:00:00Z')).toBe(4500);
  });
});
