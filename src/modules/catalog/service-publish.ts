/** Per-channel assortment: publishing a product to a channel and taking it off again. */
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { getChannel } from '../channels/index.ts';
import { emit, productPublished, productUnpublished } from './events.ts';
import { deletePublications, getProduct, insertPublication, saveProduct } from './repo-products.ts';
import type { Product } from './schema.ts';
import { productView } from './views.ts';

/**
 * Publishes a product to a channel: it is sold there from now on. Only products with status
 * `published` can be published (INVALID_STATE_TRANSITION otherwise). Idempotent: publishing
 * again keeps the first published_at and writes no event.
 */
export const publishProduct = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  productId: string,
  channelId: string,
): Promise<Result<Product>> => {
  const product = await getProduct(tx, productId, { lock: true });
  if (!product) return fail('NOT_FOUND', `Product ${productId} was not found`, { id: productId });
  if (!(await getChannel(tx, channelId))) {
    return fail('NOT_FOUND', `Channel ${channelId} was not found`, { id: channelId });
  }
  if (product.status !== 'published') {
    return fail(
      'INVALID_STATE_TRANSITION',
      `Only products with status "published" can be published to a channel; this one is ${product.status}`,
      { status: product.status },
    );
  }
  const now = deps.clock.now();
  const inserted = await insertPublication(tx, productId, channelId, now);
  if (inserted) {
    if (product.first_published_at === null) {
      await saveProduct(tx, { ...product, first_published_at: now, updated_at: product.updated_at });
    }
    await emit(tx, deps.clock, [productPublished(productId, channelId, now)]);
  }
  return ok(await productView(tx, productId, now));
};

/** Takes a product off a channel. Idempotent: no event when it was not published there. */
export const unpublishProduct = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  productId: string,
  channelId: string,
): Promise<Result<Product>> => {
  const product = await getProduct(tx, productId, { lock: true });
  if (!product) return fail('NOT_FOUND', `Product ${productId} was not found`, { id: productId });
  const removed = await deletePublications(tx, productId, [channelId]);
  await emit(
    tx,
    deps.clock,
    removed.map((c) => productUnpublished(productId, c)),
  );
  return ok(await productView(tx, productId, deps.clock.now()));
};
