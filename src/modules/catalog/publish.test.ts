import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { isPublishedOn, listPublishedProductIds } from './read.ts';
import type { Product } from './schema.ts';

let t: TestApp;
let web: { id: string };
let pos: { id: string };
let id: string;

const events = async (types: string[]) =>
  (
    await t.deps.db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM outbox_events WHERE aggregate_id = $1 AND type = ANY($2::text[]) ORDER BY seq`,
      [id, types],
    )
  ).rows;

beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  pos = await t.channel('pos');
  id = (await t.admin<Product>('POST', '/products', { title: 'Headlamp 400', variants: [{ sku: 'HL-400' }] }))
    .body.id;
});
afterAll(() => t.close());

describe('publishing to channels', () => {
  it('refuses to publish a draft product', async () => {
    const r = await t.admin<{ code: string }>('PUT', `/products/${id}/channels/${web.id}`);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('INVALID_STATE_TRANSITION');
    expect(await isPublishedOn(t.deps.db, id, web.id)).toBe(false);
  });

  it('publishes a published product per channel, once, with product.published carrying the channel', async () => {
    await t.admin('PATCH', `/products/${id}`, { status: 'published' });
    t.clock.advance(1000);
    const r = await t.admin<Product>('PUT', `/products/${id}/channels/${web.id}`);
    expect(r.status).toBe(200);
    expect(r.body.channels).toEqual([{ channel_id: web.id, published_at: t.clock.now().toISOString() }]);
    t.clock.advance(1000);
    const again = await t.admin<Product>('PUT', `/products/${id}/channels/${web.id}`);
    expect(again.body.channels).toEqual(r.body.channels);
    await t.admin('PUT', `/products/${id}/channels/${pos.id}`);
    const got = await t.admin<Product>('GET', `/products/${id}`);
    expect(got.body.channels.map((c) => c.channel_id).sort()).toEqual([web.id, pos.id].sort());
    expect(await events(['product.published'])).toEqual([
      { type: 'product.published', data: expect.objectContaining({ product_id: id, channel_id: web.id }) },
      { type: 'product.published', data: expect.objectContaining({ product_id: id, channel_id: pos.id }) },
    ]);
    const listed = await listPublishedProductIds(t.deps.db, { channelId: pos.id, limit: 10 });
    expect(listed.map((x) => x.id)).toEqual([id]);
  });

  it('answers NOT_FOUND for an unknown channel or product', async () => {
    const c = await t.admin<{ code: string }>(
      'PUT',
      `/products/${id}/channels/chn_01JAAAAAAAAAAAAAAAAAAAAAAA`,
    );
    expect(c.status).toBe(404);
    const p = await t.admin<{ code: string }>(
      'PUT',
      `/products/prd_01JAAAAAAAAAAAAAAAAAAAAAAA/channels/${web.id}`,
    );
    expect(p.status).toBe(404);
  });

  it('unpublishes from one channel, idempotently, with product.unpublished', async () => {
    const r = await t.admin<Product>('DELETE', `/products/${id}/channels/${pos.id}`);
    expect(r.status).toBe(200);
    expect(r.body.channels.map((c) => c.channel_id)).toEqual([web.id]);
    await t.admin('DELETE', `/products/${id}/channels/${pos.id}`);
    expect(await events(['product.unpublished'])).toEqual([
      { type: 'product.unpublished', data: { product_id: id, channel_id: pos.id } },
    ]);
    expect(await isPublishedOn(t.deps.db, id, pos.id)).toBe(false);
    expect(await isPublishedOn(t.deps.db, id, web.id)).toBe(true);
  });

  it('takes the product off every channel when it goes back to draft', async () => {
    const r = await t.admin<Product>('PATCH', `/products/${id}`, { status: 'draft' });
    expect(r.body.channels).toEqual([]);
    const unpublished = await events(['product.unpublished']);
    expect(unpublished.at(-1)).toEqual({
      type: 'product.unpublished',
      data: { product_id: id, channel_id: web.id },
    });
    expect(await listPublishedProductIds(t.deps.db, { channelId: web.id, limit: 10 })).toEqual([]);
    // Once published, DELETE archives instead of removing.
    const del = await t.admin<{ result: string }>('DELETE', `/products/${id}`);
    expect(del.body.result).toBe('archived');
  });
});
