import { type Static, Type } from '@sinclair/typebox';
import {
  CurrencyCode,
  Id,
  Name,
  Nullable,
  Obj,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';
import { ChannelSettings, ChannelSettingsPatch } from './settings.ts';

export const CHANNEL_TYPES = ['web', 'app', 'pos', 'kiosk', 'marketplace', 'social', 'call_center'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const ChannelTypeSchema = Type.Union(
  CHANNEL_TYPES.map((t) => Type.Literal(t)),
  {
    description:
      'Where the channel sells: web shop, mobile app, store POS, kiosk, marketplace, social, call center',
  },
);

export const Locale = Str({
  min: 2,
  max: 35,
  pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$',
  description: 'BCP 47 tag',
});

export const Channel = Type.Object(
  {
    id: Type.String(),
    type: ChannelTypeSchema,
    name: Type.String(),
    currency: Type.String(),
    locale: Type.String(),
    settings: ChannelSettings,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Channel' },
);
export type Channel = Static<typeof Channel>;

export const CreateChannelBody = Obj({
  type: ChannelTypeSchema,
  name: Name(100),
  currency: CurrencyCode,
  locale: Locale,
  settings: Type.Optional(ChannelSettingsPatch),
});
export type CreateChannelBody = Static<typeof CreateChannelBody>;

export const UpdateChannelBody = Obj(
  {
    name: Type.Optional(Name(100)),
    currency: Type.Optional(CurrencyCode),
    locale: Type.Optional(Locale),
    settings: Type.Optional(ChannelSettingsPatch),
  },
  { minProperties: 1 },
);
export type UpdateChannelBody = Static<typeof UpdateChannelBody>;

export const ListChannelsQuery = Obj({ ...PageQuery, type: Type.Optional(ChannelTypeSchema) });

export const ChannelKey = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  key: Type.String({ description: 'Publishable key (`pk_…`) for the x-plaza-channel-key header' }),
  name: Type.String(),
  created_at: Timestamp,
  revoked_at: Nullable(Timestamp),
});
export type ChannelKey = Static<typeof ChannelKey>;

export const CreateKeyBody = Obj({ name: Type.Optional(Name(100)) });

export const KeyParams = Obj({ id: Id('chn'), keyId: Id('key') });

/** What a /store caller may know about its own channel. */
export const PublicChannel = Type.Object({
  id: Type.String(),
  type: ChannelTypeSchema,
  name: Type.String(),
  currency: Type.String(),
  locale: Type.String(),
});
