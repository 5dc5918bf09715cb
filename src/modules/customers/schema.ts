import { type Static, Type } from '@sinclair/typebox';
import { Email, Name, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

export const Password = Str({ min: 8, max: 128, description: 'At least 8 characters' });
export const Phone = Str({ min: 3, max: 32, pattern: '^\\+?[0-9 ()./-]{3,32}$' });

export const Customer = Type.Object(
  {
    id: Type.String(),
    email: Nullable(Type.String()),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    has_account: Type.Boolean({ description: 'False for a guest known only from a checkout' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('merged'), Type.Literal('erased')]),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Customer' },
);
export type Customer = Static<typeof Customer>;

export const RegisterBody = Obj({
  email: Email,
  password: Password,
  first_name: Type.Optional(Name(100)),
  last_name: Type.Optional(Name(100)),
  phone: Type.Optional(Phone),
});
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Obj({ email: Email, password: Str({ min: 1, max: 128 }) });

export const Session = Type.Object({
  token: Type.String({ description: 'Customer token for `Authorization: Bearer …` on /store' }),
  token_type: Type.Literal('Bearer'),
  expires_at: Timestamp,
  customer: Customer,
});
