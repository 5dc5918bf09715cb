import { type Static, Type } from '@sinclair/typebox';
import {
  Email,
  Id,
  List,
  Name,
  Nullable,
  Obj,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';

export const ROLES = ['owner', 'manager', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export const Role = Type.Union([Type.Literal('owner'), Type.Literal('manager'), Type.Literal('staff')], {
  description:
    '`owner` and `manager`: everything (as an admin token); only owners manage owners. ' +
    '`staff`: only its store locations (as a staff token), and cannot manage staff.',
});

export const Status = Type.Union(
  [Type.Literal('invited'), Type.Literal('active'), Type.Literal('disabled')],
  {
    description: '`invited`: has not set a password yet. `disabled`: cannot log in; its sessions ended.',
  },
);
export type Status = Static<typeof Status>;

export const StaffUser = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Role,
    location_ids: Type.Array(Type.String(), { description: 'Store locations of a `staff` user' }),
    status: Status,
    created_at: Timestamp,
    last_login_at: Nullable(Timestamp),
  },
  { $id: 'StaffUser' },
);
export type StaffUser = Static<typeof StaffUser>;

export const AuthSession = Type.Object(
  {
    user: StaffUser,
    csrf_token: Type.String({
      description: 'Send it as x-plaza-csrf on every request of this session that changes something',
    }),
    expires_at: Timestamp,
  },
  { $id: 'StaffAuthSession' },
);

export const LoginBody = Obj({ email: Email, password: Str({ min: 1, max: 128 }) });

export const Password = Str({
  min: 1,
  max: 128,
  description: 'At least 10 characters, not all the same character',
});

export const AcceptBody = Obj({
  token: Str({ min: 1, max: 200, description: 'The `token` of the link' }),
  password: Password,
  name: Type.Optional(Name(100)),
  email: Type.Optional({
    ...Email,
    description: 'Required for the first owner’s set-up link (it names nobody yet); ignored otherwise',
  }),
});
export type AcceptBody = Static<typeof AcceptBody>;

export const ResetRequestBody = Obj({ email: Email });

export const InviteBody = Obj({
  email: Email,
  name: Name(100),
  role: Role,
  location_ids: Type.Optional(List(Id('loc'), { max: 50 })),
});
export type InviteBody = Static<typeof InviteBody>;

export const PatchBody = Obj(
  {
    name: Type.Optional(Name(100)),
    role: Type.Optional(Role),
    location_ids: Type.Optional(List(Id('loc'), { max: 50 })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { minProperties: 1 },
);
export type PatchBody = Static<typeof PatchBody>;

export const Link = Type.Object({
  url: Type.String({ description: '`<public base>/console/accept?token=…`: one-time' }),
  expires_at: Timestamp,
});

export const Invitation = Type.Object({ user: StaffUser, url: Link.properties.url, expires_at: Timestamp });

export const StaffQuery = Obj({
  ...PageQuery,
  role: Type.Optional(Role),
  status: Type.Optional(Status),
  q: Type.Optional(Str({ min: 1, max: 100, description: 'Part of the name or e-mail' })),
});
export type StaffQuery = Static<typeof StaffQuery>;

export const LinkQuery = Obj({ token: Str({ min: 1, max: 200, description: 'The `token` of the link' }) });

export const LinkInfo = Type.Object({
  kind: Type.Union([Type.Literal('invite'), Type.Literal('reset'), Type.Literal('owner')], {
    description: '`owner`: the first owner’s set-up link, which names nobody yet: accept it with an `email`',
  }),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  role: Role,
  expires_at: Timestamp,
});
