import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { notFound, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireChannel } from '../../platform/http/auth.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { ipSubject, type RouteRateLimit } from '../../platform/rate-limit.ts';
import { productForChannel } from './detail.ts';
import { inStock, listProducts, type Sort, sortValue } from './listing.ts';
import { ListingQuery, ProductCard, ProductParams, StoreProduct } from './schema.ts';

const tags = ['store: catalog'];
const security = [{ channelKey: [] }];

/** Full-text searches (a listing with `q`) per client IP and per channel key; plain listings are not counted. */
const searched = (req: FastifyRequest): boolean => {
  const q = (req.query as { q?: unknown }).q;
  return typeof q === 'string' && q.trim() !== '';
};
const searchLimits: readonly RouteRateLimit[] = [
  { name: 'searchPerIp', subject: (req) => (searched(req) ? ipSubject(req) : null) },
  {
    name: 'searchPerChannel',
    subject: (req) => (searched(req) && req.channel ? `channel-key:${req.channel.keyId}` : null),
  },
];

export const storeCatalogRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/products',
    {
      config: { rateLimits: searchLimits },
      schema: {
        operationId: 'listStoreProducts',
        problems: ['RATE_LIMITED'],
        tags,
        security,
        summary: 'What this channel sells, at its prices: search, filter, sort, page',
        querystring: ListingQuery,
        response: {
          200: Type.Object({
            data: Type.Array(ProductCard),
            next_cursor: Type.Union([Type.Null(), Type.String()]),
          }),
        },
      },
    },
    async (req) => {
      const ch = requireChannel(req);
      const q = req.query;
      const sort: Sort = q.sort ?? (q.q ? 'relevance' : 'newest');
      const cursor = decodeCursor(q.cursor);
      if (q.cursor && (cursor?.length !== 3 || cursor[0] !== sort)) {
        throw validation('The cursor does not belong to this listing', [
          { path: 'querystring.cursor', message: 'is not valid here' },
        ]);
      }
      const at = deps.clock.now();
      return deps.db.tx(async (tx) => {
        const rows = await listProducts(tx, {
          channelId: ch.channelId,
          at,
          q: q.q,
          categoryId: q.category_id,
          collectionId: q.collection_id,
          inStockAt: q.in_stock_at,
          minPrice: q.min_price,
          maxPrice: q.max_price,
          sort,
          after: cursor ? [cursor[1] as string | number, String(cursor[2])] : undefined,
          limit: q.limit + 1,
        });
        const page = rows.slice(0, q.limit);
        const stocked = await inStock(
          tx,
          ch.channelId,
          page.map((r) => r.id),
        );
        const last = page.at(-1);
        const effective: Sort = sort === 'relevance' && !q.q ? 'newest' : sort;
        return {
          data: page.map((r) => ({
            id: r.id,
            handle: r.handle,
            title: r.title,
            image_url: r.image_url,
            currency: ch.currency,
            price_min: r.min_price,
            price_max: r.max_price,
            compare_at_max: r.max_compare_at,
            on_sale: r.max_compare_at !== null && r.max_compare_at > r.min_price,
            in_stock: stocked.has(r.id),
          })),
          next_cursor:
            rows.length > q.limit && last ? encodeCursor([sort, sortValue(effective, last), last.id]) : null,
        };
      });
    },
  );

  app.get(
    '/products/:id',
    {
      schema: {
        operationId: 'getStoreProduct',
        tags,
        security,
        summary:
          'A product (by id or handle) with its variants at this channel’s prices and their availability',
        params: ProductParams,
        response: { 200: StoreProduct },
      },
    },
    async (req) => {
      const ch = requireChannel(req);
      const p = await productForChannel(deps.db, ch, req.params.id, deps.clock.now());
      if (!p) throw notFound('Product', req.params.id);
      return p;
    },
  );
};
