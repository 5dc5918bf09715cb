import { Type } from '@sinclair/typebox';
import { channelCategories, channelCollections } from '../../modules/catalog/index.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireChannel } from '../../platform/http/auth.ts';
import { Nullable, Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';

const tags = ['store: catalog'];
const security = [{ channelKey: [] }];
/** A shop's menu, not a catalogue export: the first 500 by name. */
const MENU_LIMIT = 500;

const StoreCategory = Obj(
  {
    id: Type.String(),
    handle: Type.String(),
    name: Type.String(),
    parent_id: Nullable(Type.String()),
    products: Type.Integer({ description: 'Products of this category sold on the channel' }),
  },
  { $id: 'StoreCategory' },
);
const StoreCollection = Obj(
  {
    id: Type.String(),
    handle: Type.String(),
    title: Type.String(),
    description: Type.String(),
    products: Type.Integer({ description: 'Products of this collection sold on the channel' }),
  },
  { $id: 'StoreCollection' },
);

export const storeTaxonomyRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/categories',
    {
      schema: {
        operationId: 'listStoreCategories',
        tags,
        security,
        summary: "The categories of what this channel sells (a shop's menu), by name, with product counts",
        description: 'Only categories with at least one product published on the channel; at most 500.',
        response: { 200: Obj({ data: Type.Array(StoreCategory) }) },
      },
    },
    async (req) => ({ data: await channelCategories(deps.db, requireChannel(req).channelId, MENU_LIMIT) }),
  );
  app.get(
    '/collections',
    {
      schema: {
        operationId: 'listStoreCollections',
        tags,
        security,
        summary: 'The collections of what this channel sells, by title, with product counts',
        description: 'Only collections with at least one product published on the channel; at most 500.',
        response: { 200: Obj({ data: Type.Array(StoreCollection) }) },
      },
    },
    async (req) => ({ data: await channelCollections(deps.db, requireChannel(req).channelId, MENU_LIMIT) }),
  );
};
