import { type Static, Type } from '@sinclair/typebox';
import { Id, List, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

export const PURPOSES = ['marketing', 'personalization', 'analytics', 'profiling'] as const;
export const CONTACT_CHANNELS = [
  'email',
  'sms',
  'push',
  'mail',
  'phone',
  'in_app',
  'ads',
  'in_store',
] as const;
export const STATUSES = ['granted', 'denied', 'withdrawn', 'pending'] as const;
export const LEGAL_BASES = ['consent', 'legitimate_interest', 'contract', 'legal_obligation'] as const;
export const SOURCES = [
  'web_form',
  'pos',
  'import',
  'api',
  'admin',
  'double_opt_in',
  'unsubscribe_link',
  'merge_undo',
  'erasure',
] as const;

export type Purpose = (typeof PURPOSES)[number];
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export type ConsentStatus = (typeof STATUSES)[number];
export type LegalBasis = (typeof LEGAL_BASES)[number];
export type ConsentSource = (typeof SOURCES)[number];

export const PurposeSchema = Type.Union(PURPOSES.map((x) => Type.Literal(x)));
export const ContactChannelSchema = Type.Union(CONTACT_CHANNELS.map((x) => Type.Literal(x)));
const LegalBasisSchema = Type.Union(LEGAL_BASES.map((x) => Type.Literal(x)));

export const ConsentRecord = Type.Object({
  id: Type.String(),
  purpose: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  legal_basis: Type.String(),
  source: Type.String(),
  sales_channel_id: Nullable(Type.String()),
  location_id: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  form_version: Nullable(Type.String()),
  recorded_by: Type.String(),
  confirms_record_id: Nullable(Type.String()),
  recorded_at: Timestamp,
});

export const ConsentState = Type.Object({
  purpose: Type.String(),
  channel: Type.String(),
  status: Type.Union([...STATUSES.map((s) => Type.Literal(s)), Type.Literal('not_set')]),
  legal_basis: Nullable(Type.String()),
  source: Nullable(Type.String()),
  recorded_at: Nullable(Timestamp),
});

export const StoreConsents = Type.Object({
  processing_restricted: Type.Boolean(),
  consents: Type.Array(ConsentState),
});

export const AdminConsents = Type.Object({
  processing_restricted: Type.Boolean(),
  current: Type.Array(ConsentState),
  history: Type.Array(ConsentRecord),
});

export const StoreConsentsBody = Obj({
  consents: List(Obj({ purpose: PurposeSchema, channel: ContactChannelSchema, granted: Type.Boolean() }), {
    min: 1,
    max: 24,
  }),
  form_version: Type.Optional(Str({ min: 1, max: 50 })),
});
export type StoreConsentsBody = Static<typeof StoreConsentsBody>;

export const AdminConsentBody = Obj({
  purpose: PurposeSchema,
  channel: ContactChannelSchema,
  status: Type.Union([Type.Literal('granted'), Type.Literal('denied'), Type.Literal('withdrawn')]),
  legal_basis: Type.Optional(LegalBasisSchema),
  source: Type.Union([
    Type.Literal('pos'),
    Type.Literal('import'),
    Type.Literal('api'),
    Type.Literal('admin'),
  ]),
  sales_channel_id: Type.Optional(Id('chn')),
  location_id: Type.Optional(Id('loc')),
  ip: Type.Optional(Str({ min: 2, max: 45 })),
  user_agent: Type.Optional(Str({ min: 1, max: 500 })),
  form_version: Type.Optional(Str({ min: 1, max: 50 })),
  recorded_at: Type.Optional(
    Type.String({ format: 'date-time', maxLength: 40, description: 'When consent was given (imports)' }),
  ),
});
export type AdminConsentBody = Static<typeof AdminConsentBody>;

export const TokenParams = Obj({ token: Str({ min: 10, max: 300, pattern: '^[A-Za-z0-9._-]+$' }) });
