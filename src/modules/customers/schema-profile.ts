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
import { Address } from './addresses.ts';
import { IDENTITY_KINDS } from './identities.ts';
import { Customer, Phone } from './schema.ts';

export const Birthday = Type.String({ format: 'date', maxLength: 10, description: 'YYYY-MM-DD' });
export const Language = Str({
  min: 2,
  max: 35,
  pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
  description: 'BCP 47 language tag, e.g. fr or en-GB',
});
export const IdentityKind = Type.Union(IDENTITY_KINDS.map((k) => Type.Literal(k)));

export const Identity = Type.Object(
  {
    id: Type.String(),
    kind: IdentityKind,
    value: Type.String(),
    verified: Type.Boolean(),
    primary: Type.Boolean(),
    source: Type.String(),
    source_channel_id: Nullable(Type.String()),
    first_seen_at: Timestamp,
    last_seen_at: Timestamp,
    unlinked_at: Nullable(Timestamp),
  },
  { $id: 'CustomerIdentity' },
);

/** What a customer sees of their own profile. */
export const CustomerProfile = Type.Object(
  {
    ...Customer.properties,
    birthday: Nullable(Type.String()),
    language: Nullable(Type.String()),
    preferred_location_id: Nullable(Type.String()),
    emails: Type.Array(
      Type.Object({ email: Type.String(), verified: Type.Boolean(), primary: Type.Boolean() }),
    ),
    phones: Type.Array(
      Type.Object({ phone: Type.String(), verified: Type.Boolean(), primary: Type.Boolean() }),
    ),
    addresses: Type.Array(Address),
  },
  { $id: 'CustomerProfile' },
);
export type CustomerProfile = Static<typeof CustomerProfile>;

/** What staff see: the profile with every identity and the state of the record. */
export const AdminCustomer = Type.Object(
  {
    ...CustomerProfile.properties,
    merged_into: Nullable(Type.String()),
    processing_restricted: Type.Boolean(),
    erased_at: Nullable(Timestamp),
    source: Type.String(),
    created_channel_id: Nullable(Type.String()),
    identities: Type.Array(Identity),
    matched: Type.Optional(Type.Object({ kind: Type.String(), value: Type.String() })),
  },
  { $id: 'AdminCustomer' },
);
export type AdminCustomer = Static<typeof AdminCustomer>;

const profileFields = {
  first_name: Type.Optional(Nullable(Name(100))),
  last_name: Type.Optional(Nullable(Name(100))),
  birthday: Type.Optional(Nullable(Birthday)),
  language: Type.Optional(Nullable(Language)),
  preferred_location_id: Type.Optional(Nullable(Id('loc'))),
  phone: Type.Optional(Nullable(Phone)),
};

export const StoreProfilePatch = Obj(profileFields, { minProperties: 1 });
export type StoreProfilePatch = Static<typeof StoreProfilePatch>;

export const AdminProfilePatch = Obj(
  { ...profileFields, email: Type.Optional(Email) },
  { minProperties: 1, description: 'A new email becomes the primary one; the old one stays as a secondary' },
);
export type AdminProfilePatch = Static<typeof AdminProfilePatch>;

export const CreationSource = Type.Union([
  Type.Literal('pos'),
  Type.Literal('import'),
  Type.Literal('api'),
  Type.Literal('admin'),
]);

export const CreateCustomerBody = Obj(
  {
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    first_name: Type.Optional(Name(100)),
    last_name: Type.Optional(Name(100)),
    birthday: Type.Optional(Birthday),
    language: Type.Optional(Language),
    preferred_location_id: Type.Optional(Id('loc')),
    external_ids: Type.Optional(List(Str({ min: 1, max: 200, pattern: '^[\\x21-\\x7e]+$' }), { max: 10 })),
    source: Type.Optional(CreationSource),
    channel_id: Type.Optional(Id('chn')),
  },
  { description: 'A customer without a password (e.g. at a POS); needs an email or a phone' },
);
export type CreateCustomerBody = Static<typeof CreateCustomerBody>;

export const ImportBody = Obj({ customers: List(CreateCustomerBody, { min: 1, max: 500 }) });
export const ImportResult = Type.Object({
  created: Type.Array(Type.Object({ index: Type.Integer(), id: Type.String() })),
  refused: Type.Array(
    Type.Object({
      index: Type.Integer(),
      code: Type.String(),
      detail: Type.String(),
      customer_id: Type.Optional(Type.String()),
    }),
  ),
});

export const CustomersQuery = Obj({
  ...PageQuery,
  identity: Type.Optional(
    Str({
      min: 1,
      max: 254,
      description: 'Email, phone in any common format, loyalty card number, external id or anonymous id',
    }),
  ),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('merged'), Type.Literal('erased')])),
  q: Type.Optional(
    Str({
      min: 2,
      max: 100,
      description:
        'Admins: first name, last name or e-mail contains (case-insensitive), newest first; for an exact email, ' +
        'phone or loyalty card use `identity`',
    }),
  ),
  location_id: Type.Optional({
    ...Id('loc'),
    description:
      "The counter's store, whose country reads a phone `identity` without a country code (default: the " +
      "staff token's only store, else PLAZA_COUNTRY)",
  }),
});

export const IdentityBody = Obj({
  kind: IdentityKind,
  value: Str({ min: 1, max: 254 }),
  verified: Type.Optional(Type.Boolean()),
  primary: Type.Optional(Type.Boolean()),
});
export const IdentityPatch = Obj(
  { verified: Type.Optional(Type.Boolean()), primary: Type.Optional(Type.Boolean()) },
  { minProperties: 1 },
);
export const IdentityParams = Obj({ id: Id('cus'), identityId: Id('idn') });
export const AddressParams = Obj({ addressId: Id('adr') });
