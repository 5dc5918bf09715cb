/** HTTP for suppliers and the SKUs they sell (admin tokens only). */
import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, encodeCursor, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { supplierSkuToApi, supplierToApi } from './api.ts';
import {
  CreateSupplierBody,
  ListSupplierSkusQuery,
  ListSuppliersQuery,
  OptionalBody,
  PutSupplierSkuBody,
  Supplier,
  SupplierParams,
  SupplierSku,
  SupplierSkuParams,
  UpdateSupplierBody,
} from './schema.ts';
import {
  createSupplier,
  getSupplierOrThrow,
  putSupplierSku,
  removeSupplierSku,
  updateSupplier,
} from './suppliers.ts';
import * as repo from './suppliers-repo.ts';

export const tags = ['purchasing'];
export const security = [{ adminToken: [] }];

export const supplierRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/suppliers',
    {
      schema: {
        operationId: 'createAdminSupplier',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Create a supplier',
        description: 'The name is unique ignoring case (ALREADY_EXISTS). Lead time defaults to 7 days.',
        body: CreateSupplierBody,
        response: { 201: Supplier },
      },
    },
    async (req, reply) => {
      const s = await deps.db.tx((tx) => createSupplier(tx, deps, req.body));
      return reply.code(201).send(supplierToApi(s));
    },
  );

  app.get(
    '/suppliers',
    {
      schema: {
        operationId: 'listAdminSuppliers',
        tags,
        security,
        summary: 'List suppliers (optionally only active ones, or those selling a SKU)',
        querystring: ListSuppliersQuery,
        response: { 200: Page(Supplier) },
      },
    },
    async (req) => {
      const { limit, cursor, active, sku } = req.query;
      const rows = await repo.listSuppliers(deps.db, {
        active,
        sku,
        after: cursorId(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, supplierToApi);
    },
  );

  app.get(
    '/suppliers/:id',
    {
      schema: {
        operationId: 'getAdminSupplier',
        tags,
        security,
        summary: 'Get a supplier',
        params: SupplierParams,
        response: { 200: Supplier },
      },
    },
    async (req) => supplierToApi(await getSupplierOrThrow(deps.db, req.params.id)),
  );

  app.patch(
    '/suppliers/:id',
    {
      schema: {
        operationId: 'updateAdminSupplier',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Change a supplier’s name, e-mail, lead time or active flag',
        description: 'Deactivating keeps its history and open orders; new purchase orders refuse it.',
        params: SupplierParams,
        body: UpdateSupplierBody,
        response: { 200: Supplier },
      },
    },
    async (req) => supplierToApi(await deps.db.tx((tx) => updateSupplier(tx, deps, req.params.id, req.body))),
  );

  app.get(
    '/suppliers/:id/skus',
    {
      schema: {
        operationId: 'listAdminSupplierSkus',
        tags,
        security,
        summary: 'The SKUs a supplier sells, by SKU',
        params: SupplierParams,
        querystring: ListSupplierSkusQuery,
        response: { 200: Page(SupplierSku) },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      await getSupplierOrThrow(deps.db, req.params.id);
      const rows = await repo.listSupplierSkus(deps.db, req.params.id, {
        after: cursorId(cursor),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(supplierSkuToApi),
        next_cursor: rows.length > limit && last ? encodeCursor([last.sku]) : null,
      };
    },
  );

  app.put(
    '/suppliers/:id/skus/:sku',
    {
      schema: {
        operationId: 'putAdminSupplierSku',
        tags,
        security,
        summary: 'Set what a supplier sells of a SKU: lead time, minimum order, pack size, preferred',
        description:
          'Absent fields take their defaults (lead time null = the supplier’s, min_order 1, pack_size 1). ' +
          'preferred: true makes the SKU’s other suppliers not preferred, in the same transaction.',
        params: SupplierSkuParams,
        body: OptionalBody(PutSupplierSkuBody),
        response: { 200: SupplierSku },
      },
    },
    async (req) =>
      supplierSkuToApi(
        await deps.db.tx((tx) => putSupplierSku(tx, req.params.id, req.params.sku, req.body ?? {})),
      ),
  );

  app.delete(
    '/suppliers/:id/skus/:sku',
    {
      schema: {
        operationId: 'deleteAdminSupplierSku',
        tags,
        security,
        summary: 'Stop buying a SKU from this supplier (purchase orders keep their lines)',
        params: SupplierSkuParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deps.db.tx((tx) => removeSupplierSku(tx, req.params.id, req.params.sku));
      return reply.code(204).send(null);
    },
  );
};
