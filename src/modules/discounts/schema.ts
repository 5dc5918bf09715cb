import { type Static, Type } from '@sinclair/typebox';
import {
  CurrencyCode,
  Id,
  List,
  Nullable,
  Obj,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';

export const DiscountCode = Str({ min: 3, max: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
const DiscountType = Type.Union([Type.Literal('percent'), Type.Literal('fixed')]);

export const Discount = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    type: DiscountType,
    value: Type.Integer({ description: 'percent: 1–100; fixed: amount in minor units' }),
    currency: Nullable(Type.String()),
    channel_ids: Type.Array(Type.String(), { description: 'Empty: every channel' }),
    starts_at: Nullable(Timestamp),
    ends_at: Nullable(Timestamp),
    usage_limit: Nullable(Type.Integer()),
    usage_count: Type.Integer(),
    min_subtotal: Nullable(Type.Integer()),
    active: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Discount' },
);
export type Discount = Static<typeof Discount>;

export const CreateDiscountBody = Obj({
  code: DiscountCode,
  type: DiscountType,
  value: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
  currency: Type.Optional(CurrencyCode),
  channel_ids: Type.Optional(List(Id('chn'), { max: 50 })),
  starts_at: Type.Optional(Timestamp),
  ends_at: Type.Optional(Timestamp),
  usage_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
  min_subtotal: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  active: Type.Optional(Type.Boolean()),
});
export type CreateDiscountBody = Static<typeof CreateDiscountBody>;

export const UpdateDiscountBody = Obj(
  {
    channel_ids: Type.Optional(List(Id('chn'), { max: 50 })),
    starts_at: Type.Optional(Nullable(Timestamp)),
    ends_at: Type.Optional(Nullable(Timestamp)),
    usage_limit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000_000 }))),
    min_subtotal: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000_000 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);
export type UpdateDiscountBody = Static<typeof UpdateDiscountBody>;

export const ListDiscountsQuery = Obj({ ...PageQuery, active: Type.Optional(Type.Boolean()) });
