/**
 * Product pages without a waterfall: the route's loader (and a pointer on a product card) starts the
 * product's request while the page's chunk is still loading; the screen's query takes that answer.
 */
import type { PlazaClient } from '@plaza/client';
import { type components, createApi, metaContent, unwrap } from '../kit/api.ts';

type Product = components['schemas']['StoreProduct'];

let client: PlazaClient | undefined;
/** A client for the catalog alone: the channel key, no customer token (prices are the channel's). */
const catalogApi = (): PlazaClient => {
  const channelKey = metaContent('plaza-channel-key');
  client ??= createApi(channelKey ? { channelKey } : {});
  return client;
};

const pending = new Map<string, { at: number; answer: Promise<Product> }>();
const FRESH_MS = 10_000;

export const fetchProduct = (handle: string): Promise<Product> =>
  unwrap(catalogApi().GET('/store/products/{id}', { params: { path: { id: handle } } }));

/** Starts loading a product (kept 10 s for the screen to take). */
export const prefetchProduct = (handle: string): void => {
  const known = pending.get(handle);
  if (known && Date.now() - known.at < FRESH_MS) return;
  const answer = fetchProduct(handle);
  answer.catch(() => pending.delete(handle));
  pending.set(handle, { at: Date.now(), answer });
};

/** The prefetched answer when there is a fresh one, else a new request. */
export const takeProduct = (handle: string): Promise<Product> => {
  const known = pending.get(handle);
  pending.delete(handle);
  return known && Date.now() - known.at < FRESH_MS ? known.answer : fetchProduct(handle);
};

export const loadProductScreen = () => import('./screens/product.tsx');
