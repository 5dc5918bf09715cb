import { type Static, Type } from '@sinclair/typebox';
import { Id, List, Name, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const Scope = Type.Union([Type.Literal('admin'), Type.Literal('staff')], {
  description: '`admin`: everything. `staff`: only the named store locations.',
});

export const AdminToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scope: Scope,
  location_ids: Type.Array(Type.String()),
  token_hint: Type.String({ description: 'Last characters of the token, to recognise it' }),
  created_at: Timestamp,
  created_by: Nullable(Type.String()),
  last_used_at: Nullable(Timestamp),
  revoked_at: Nullable(Timestamp),
});
export type AdminToken = Static<typeof AdminToken>;

export const CreateTokenBody = Obj({
  name: Name(100),
  scope: Scope,
  location_ids: Type.Optional(List(Id('loc'), { max: 50 })),
});
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const CreatedToken = Type.Object({
  token: Type.String({ description: 'The secret token. Shown once; only its hash is stored.' }),
  admin_token: AdminToken,
});
