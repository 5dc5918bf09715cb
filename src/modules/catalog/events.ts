/**
 * The events the catalog writes to the outbox, always in the transaction of the change.
 * Product events use aggregate ('product', product id); category and collection events their own.
 *
 * - product.created      { product_id, handle, title, status, variant_ids }
 * - product.updated      { product_id, handle, title, status, changed: string[] }
 * - product.deleted      { product_id, handle }
 * - product.published    { product_id, channel_id, published_at }
 * - product.unpublished  { product_id, channel_id }
 * - price.changed        { product_id, variant_id, sku, channel_id, currency, old_amount, new_amount }
 *                        (old/new = price in force when the change was made; null = not sellable)
 * - category.created|updated|deleted, collection.created|updated|deleted { id, handle, … }
 */
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db.ts';
import { type NewEvent, writeEvents } from '../../platform/outbox/events.ts';
import type { ProductRow } from './repo-products.ts';

export const CATALOG_EVENTS = [
  'product.created',
  'product.updated',
  'product.deleted',
  'product.published',
  'product.unpublished',
  'price.changed',
  'category.created',
  'category.updated',
  'category.deleted',
  'collection.created',
  'collection.updated',
  'collection.deleted',
] as const;
export type CatalogEventType = (typeof CATALOG_EVENTS)[number];

const productEvent = (
  type: CatalogEventType,
  productId: string,
  data: Record<string, unknown>,
): NewEvent => ({
  type,
  aggregateType: 'product',
  aggregateId: productId,
  data: { product_id: productId, ...data },
});

export const productCreated = (p: ProductRow, variantIds: readonly string[]): NewEvent =>
  productEvent('product.created', p.id, {
    handle: p.handle,
    title: p.title,
    status: p.status,
    variant_ids: variantIds,
  });

export const productUpdated = (
  p: ProductRow,
  changed: readonly string[],
  extra: Record<string, unknown> = {},
): NewEvent =>
  productEvent('product.updated', p.id, {
    handle: p.handle,
    title: p.title,
    status: p.status,
    changed: [...new Set(changed)].sort(),
    ...extra,
  });

export const productDeleted = (p: ProductRow): NewEvent =>
  productEvent('product.deleted', p.id, { handle: p.handle });

export const productPublished = (productId: string, channelId: string, at: Date): NewEvent =>
  productEvent('product.published', productId, { channel_id: channelId, published_at: at.toISOString() });

export const productUnpublished = (productId: string, channelId: string): NewEvent =>
  productEvent('product.unpublished', productId, { channel_id: channelId });

export interface PriceChange {
  product_id: string;
  variant_id: string;
  sku: string;
  channel_id: string;
  currency: string;
  old_amount: number | null;
  new_amount: number | null;
}

export const priceChanged = (c: PriceChange): NewEvent =>
  productEvent('price.changed', c.product_id, { ...c });

export const taxonomyEvent = (
  type: CatalogEventType,
  kind: 'category' | 'collection',
  id: string,
  data: Record<string, unknown>,
): NewEvent => ({ type, aggregateType: kind, aggregateId: id, data: { id, ...data } });

/** Writes catalog events (in the caller's transaction). */
export const emit = (tx: Tx, clock: Clock, events: NewEvent[]): Promise<string[]> =>
  writeEvents(tx, clock, events);
