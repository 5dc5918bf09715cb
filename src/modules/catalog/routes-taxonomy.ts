import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import * as repo from './repo-taxonomy.ts';
import { security, tags } from './routes-products.ts';
import {
  Category,
  CategoryParams,
  Collection,
  CollectionParams,
  CreateCategoryBody,
  CreateCollectionBody,
  ListCategoriesQuery,
  ListCollectionsQuery,
  UpdateCategoryBody,
  UpdateCollectionBody,
} from './schema-taxonomy.ts';
import {
  createCategory,
  createCollection,
  removeCategory,
  removeCollection,
  updateCategory,
  updateCollection,
} from './service-taxonomy.ts';

const Deleted = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });

export const categoryRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/categories',
    {
      schema: {
        operationId: 'createAdminCategory',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Create a category',
        body: CreateCategoryBody,
        response: { 201: Category },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          repo.categoryToApi(
            await deps.db.tx(async (tx) => unwrap(await createCategory(tx, deps, req.body))),
          ),
        ),
  );

  app.get(
    '/categories',
    {
      schema: {
        operationId: 'listAdminCategories',
        tags,
        security,
        summary: 'List categories (optionally the children of one, or the top level with parent_id=root)',
        querystring: ListCategoriesQuery,
        response: { 200: Page(Category) },
      },
    },
    async (req) => {
      const p = req.query.parent_id;
      const rows = await repo.listCategories(deps.db, {
        parentId: p === undefined ? undefined : p === 'root' ? null : p,
        after: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      return toPage(rows, req.query.limit, repo.categoryToApi);
    },
  );

  app.get(
    '/categories/:id',
    {
      schema: {
        operationId: 'getAdminCategory',
        tags,
        security,
        summary: 'Get a category',
        params: CategoryParams,
        response: { 200: Category },
      },
    },
    async (req) => {
      const row = await repo.getCategory(deps.db, req.params.id);
      if (!row) throw notFound('Category', req.params.id);
      return repo.categoryToApi(row);
    },
  );

  app.patch(
    '/categories/:id',
    {
      schema: {
        operationId: 'updateAdminCategory',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Change a category (name, handle, parent; a cycle is refused)',
        params: CategoryParams,
        body: UpdateCategoryBody,
        response: { 200: Category },
      },
    },
    async (req) =>
      repo.categoryToApi(
        await deps.db.tx(async (tx) => unwrap(await updateCategory(tx, deps, req.params.id, req.body))),
      ),
  );

  app.delete(
    '/categories/:id',
    {
      schema: {
        operationId: 'deleteAdminCategory',
        tags,
        security,
        summary: 'Delete a category without subcategories (its products leave it)',
        params: CategoryParams,
        response: { 200: Deleted },
      },
    },
    async (req) => deps.db.tx(async (tx) => unwrap(await removeCategory(tx, deps, req.params.id))),
  );
};

export const collectionRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/collections',
    {
      schema: {
        operationId: 'createAdminCollection',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Create a collection',
        body: CreateCollectionBody,
        response: { 201: Collection },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          repo.collectionToApi(
            await deps.db.tx(async (tx) => unwrap(await createCollection(tx, deps, req.body))),
          ),
        ),
  );

  app.get(
    '/collections',
    {
      schema: {
        operationId: 'listAdminCollections',
        tags,
        security,
        summary: 'List collections',
        querystring: ListCollectionsQuery,
        response: { 200: Page(Collection) },
      },
    },
    async (req) => {
      const rows = await repo.listCollections(deps.db, {
        after: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      return toPage(rows, req.query.limit, repo.collectionToApi);
    },
  );

  app.get(
    '/collections/:id',
    {
      schema: {
        operationId: 'getAdminCollection',
        tags,
        security,
        summary: 'Get a collection',
        params: CollectionParams,
        response: { 200: Collection },
      },
    },
    async (req) => {
      const row = await repo.getCollection(deps.db, req.params.id);
      if (!row) throw notFound('Collection', req.params.id);
      return repo.collectionToApi(row);
    },
  );

  app.patch(
    '/collections/:id',
    {
      schema: {
        operationId: 'updateAdminCollection',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Change a collection',
        params: CollectionParams,
        body: UpdateCollectionBody,
        response: { 200: Collection },
      },
    },
    async (req) =>
      repo.collectionToApi(
        await deps.db.tx(async (tx) => unwrap(await updateCollection(tx, deps, req.params.id, req.body))),
      ),
  );

  app.delete(
    '/collections/:id',
    {
      schema: {
        operationId: 'deleteAdminCollection',
        tags,
        security,
        summary: 'Delete a collection (its products leave it)',
        params: CollectionParams,
        response: { 200: Deleted },
      },
    },
    async (req) => deps.db.tx(async (tx) => unwrap(await removeCollection(tx, deps, req.params.id))),
  );
};
