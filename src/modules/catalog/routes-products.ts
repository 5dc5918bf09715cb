import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { linksOf, listProducts } from './repo-products.ts';
import {
  CreateProductBody,
  ListProductsQuery,
  Product,
  ProductChannelParams,
  ProductParams,
  ProductSummary,
  UpdateProductBody,
} from './schema.ts';
import { createProduct, removeProduct, updateProduct } from './service-products.ts';
import { publishProduct, unpublishProduct } from './service-publish.ts';
import { adminProduct, summaryToApi } from './views.ts';

export const tags = ['catalog'];
export const security = [{ adminToken: [] }];

export const productRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/products',
    {
      schema: {
        operationId: 'createAdminProduct',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Create a product, optionally with variants and their prices',
        body: CreateProductBody,
        response: { 201: Product },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await deps.db.tx(async (tx) => unwrap(await createProduct(tx, deps, req.body)))),
  );

  app.get(
    '/products',
    {
      schema: {
        operationId: 'listAdminProducts',
        tags,
        security,
        summary: 'List products, newest first, with filters',
        querystring: ListProductsQuery,
        response: { 200: Page(ProductSummary) },
      },
    },
    async (req) => {
      const { limit, cursor, status, category_id, collection_id, channel_id, q, sku } = req.query;
      const rows = await listProducts(deps.db, {
        status,
        categoryId: category_id,
        collectionId: collection_id,
        channelId: channel_id,
        q,
        sku,
        before: cursorId(cursor),
        limit: limit + 1,
      });
      const links = await linksOf(
        deps.db,
        rows.slice(0, limit).map((r) => r.id),
      );
      const empty = { category_ids: [], collection_ids: [], channels: [] };
      return toPage(rows, limit, (r) => summaryToApi({ ...r, ...(links.get(r.id) ?? empty) }));
    },
  );

  app.get(
    '/products/:id',
    {
      schema: {
        operationId: 'getAdminProduct',
        tags,
        security,
        summary: 'Get a product with its variants, their prices on every channel, and its channels',
        params: ProductParams,
        response: { 200: Product },
      },
    },
    async (req) => {
      const p = await adminProduct(deps.db, req.params.id, deps.clock.now());
      if (!p) throw notFound('Product', req.params.id);
      return p;
    },
  );

  app.patch(
    '/products/:id',
    {
      schema: {
        operationId: 'updateAdminProduct',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Change a product (fields, status, option names, categories, collections)',
        params: ProductParams,
        body: UpdateProductBody,
        response: { 200: Product },
      },
    },
    async (req) => deps.db.tx(async (tx) => unwrap(await updateProduct(tx, deps, req.params.id, req.body))),
  );

  app.delete(
    '/products/:id',
    {
      schema: {
        operationId: 'deleteAdminProduct',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary:
          'Delete a product never published to a channel; archive (and unpublish) one that was, as it may have been sold',
        params: ProductParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            result: Type.Union([Type.Literal('deleted'), Type.Literal('archived')]),
          }),
        },
      },
    },
    async (req) => deps.db.tx(async (tx) => unwrap(await removeProduct(tx, deps, req.params.id))),
  );

  app.put(
    '/products/:id/channels/:channelId',
    {
      schema: {
        operationId: 'publishAdminProductOnChannel',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Publish the product to a channel (only products with status "published"; idempotent)',
        params: ProductChannelParams,
        response: { 200: Product },
      },
    },
    async (req) =>
      deps.db.tx(async (tx) => unwrap(await publishProduct(tx, deps, req.params.id, req.params.channelId))),
  );

  app.delete(
    '/products/:id/channels/:channelId',
    {
      schema: {
        operationId: 'unpublishAdminProductFromChannel',
        tags,
        security,
        summary: 'Unpublish the product from a channel (idempotent)',
        params: ProductChannelParams,
        response: { 200: Product },
      },
    },
    async (req) =>
      deps.db.tx(async (tx) => unwrap(await unpublishProduct(tx, deps, req.params.id, req.params.channelId))),
  );
};
