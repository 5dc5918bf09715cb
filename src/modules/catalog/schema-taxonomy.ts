import { type Static, Type } from '@sinclair/typebox';
import { Id, Name, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';
import { Handle } from './schema.ts';

export const Category = Type.Object({
  id: Type.String(),
  name: Type.String(),
  handle: Type.String(),
  parent_id: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Category = Static<typeof Category>;

export const CreateCategoryBody = Obj({
  name: Name(100),
  handle: Type.Optional(Handle),
  parent_id: Type.Optional(Nullable(Id('cat'))),
});
export type CreateCategoryBody = Static<typeof CreateCategoryBody>;

export const UpdateCategoryBody = Obj(
  {
    name: Type.Optional(Name(100)),
    handle: Type.Optional(Handle),
    parent_id: Type.Optional(Nullable(Id('cat'))),
  },
  { minProperties: 1 },
);
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>;

export const ListCategoriesQuery = Obj({
  ...PageQuery,
  parent_id: Type.Optional(Str({ max: 40, description: 'A category id, or "root" for top-level ones' })),
});

export const Collection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  handle: Type.String(),
  description: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Collection = Static<typeof Collection>;

export const CreateCollectionBody = Obj({
  title: Name(200),
  handle: Type.Optional(Handle),
  description: Type.Optional(Str({ max: 5000 })),
});
export type CreateCollectionBody = Static<typeof CreateCollectionBody>;

export const UpdateCollectionBody = Obj(
  {
    title: Type.Optional(Name(200)),
    handle: Type.Optional(Handle),
    description: Type.Optional(Str({ max: 5000 })),
  },
  { minProperties: 1 },
);
export type UpdateCollectionBody = Static<typeof UpdateCollectionBody>;

export const ListCollectionsQuery = Obj({ ...PageQuery });

export const CategoryParams = Obj({ id: Id('cat') });
export const CollectionParams = Obj({ id: Id('col') });
