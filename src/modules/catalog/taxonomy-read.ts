/** What a channel's shop shows as menus: the categories and collections of the products it sells. */
import type { Queryable } from '../../platform/db.ts';

export interface ChannelCategory {
  id: string;
  handle: string;
  name: string;
  parent_id: string | null;
  products: number;
}

export interface ChannelCollection {
  id: string;
  handle: string;
  title: string;
  description: string;
  products: number;
}

/** Categories with at least one product published on the channel (and how many), by name; at most `limit`. */
export const channelCategories = async (
  q: Queryable,
  channelId: string,
  limit: number,
): Promise<ChannelCategory[]> =>
  (
    await q.query<ChannelCategory>(
      `SELECT c.id, c.handle, c.name, c.parent_id, count(*)::int AS products
         FROM categories c
         JOIN product_categories pc ON pc.category_id = c.id
         JOIN product_channels ch ON ch.product_id = pc.product_id AND ch.channel_id = $1
         JOIN products p ON p.id = pc.product_id AND p.status = 'published'
        GROUP BY c.id ORDER BY c.name, c.id LIMIT $2`,
      [channelId, limit],
    )
  ).rows;

/** Collections with at least one product published on the channel (and how many), by title; at most `limit`. */
export const channelCollections = async (
  q: Queryable,
  channelId: string,
  limit: number,
): Promise<ChannelCollection[]> =>
  (
    await q.query<ChannelCollection>(
      `SELECT c.id, c.handle, c.title, c.description, count(*)::int AS products
         FROM collections c
         JOIN product_collections pc ON pc.collection_id = c.id
         JOIN product_channels ch ON ch.product_id = pc.product_id AND ch.channel_id = $1
         JOIN products p ON p.id = pc.product_id AND p.status = 'published'
        GROUP BY c.id ORDER BY c.title, c.id LIMIT $2`,
      [channelId, limit],
    )
  ).rows;
