import { type Static, Type } from '@sinclair/typebox';
import { announceInvalidation, inTransaction, registerCache, TtlCache } from '../../platform/cache.ts';
import type { Queryable } from '../../platform/db.ts';
import { List, Obj, Str } from '../../platform/http/schemas.ts';

const Merge = Type.Union(
  [Type.Literal('merge'), Type.Literal('keep_customer'), Type.Literal('keep_latest')],
  {
    description:
      'What happens to an anonymous cart when the shopper logs in: `merge` (sum quantities, capped by stock), ' +
      "`keep_customer` (keep the account's cart) or `keep_latest` (keep the cart changed last)",
  },
);

const Origin = Str({
  min: 8,
  max: 200,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+/?$',
  description: 'A web origin: scheme, host and optional port (`https://shop.example.com`)',
});

const Amount = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });

/** The commerce settings of a channel. Every field has a default, so a new channel works at once. */
export const ChannelSettings = Type.Object(
  {
    cart_merge_strategy: Merge,
    shipping_flat_rate: Type.Integer({ description: 'Shipping charged per order, in minor units' }),
    free_shipping_threshold: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Subtotal (after discounts) from which shipping is free; null: never',
    }),
    checkout_hold_minutes: Type.Integer({
      description: 'How long checkout holds stock while the payment runs',
    }),
    pickup_prep_minutes: Type.Integer({ description: 'Time to prepare a pickup order that is in stock' }),
    transfer_lead_hours: Type.Integer({ description: 'Time to bring stock to a pickup store by transfer' }),
    return_window_days: Type.Integer({
      description: 'Days after delivery or pickup during which returns are accepted',
    }),
    tax_rate_bps: Type.Integer({ description: 'Sales tax in basis points (825 = 8.25 %)' }),
    prices_include_tax: Type.Boolean({ description: 'True when prices already contain the tax (VAT style)' }),
    default_country: Type.Union([Type.String(), Type.Null()], {
      description:
        'ISO 3166-1 alpha-2 country whose phone numbers need no country code on this channel ' +
        '(registration, profile); null: PLAZA_COUNTRY',
    }),
    allowed_origins: Type.Array(Type.String(), {
      description:
        "Browser origins allowed to call /store with this channel's keys (`https://shop.example.com`); " +
        'empty: every origin. A browser request from another origin is refused with FORBIDDEN.',
    }),
  },
  { $id: 'ChannelSettings' },
);
export type ChannelSettings = Static<typeof ChannelSettings>;

export const ChannelSettingsPatch = Obj(
  {
    cart_merge_strategy: Type.Optional(Merge),
    shipping_flat_rate: Type.Optional(Amount),
    free_shipping_threshold: Type.Optional(Type.Union([Amount, Type.Null()])),
    checkout_hold_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    pickup_prep_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
    transfer_lead_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 2160 })),
    return_window_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    tax_rate_bps: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    prices_include_tax: Type.Optional(Type.Boolean()),
    allowed_origins: Type.Optional(List(Origin, { max: 50 })),
    default_country: Type.Optional(Type.Union([Type.Null(), Str({ min: 2, max: 2, pattern: '^[A-Z]{2}$' })])),
  },
  { minProperties: 1 },
);
export type ChannelSettingsPatch = Static<typeof ChannelSettingsPatch>;

export const DEFAULT_SETTINGS: ChannelSettings = {
  cart_merge_strategy: 'merge',
  shipping_flat_rate: 500,
  free_shipping_threshold: 5000,
  checkout_hold_minutes: 15,
  pickup_prep_minutes: 120,
  transfer_lead_hours: 48,
  return_window_days: 30,
  tax_rate_bps: 0,
  prices_include_tax: false,
  allowed_origins: [],
  default_country: null,
};

/** Stored settings over the defaults. */
export const withDefaults = (stored: Partial<ChannelSettings> | null | undefined): ChannelSettings => ({
  ...DEFAULT_SETTINGS,
  ...(stored ?? {}),
});

const cache = registerCache('channel_settings', new TtlCache<ChannelSettings>(5000));

/** Forgets a channel's cached settings in every process when `tx` commits. */
export const invalidateSettings = (tx: Queryable, channelId: string) =>
  announceInvalidation(tx, 'channel_settings', channelId);

/**
 * The settings of a channel (defaults for what was never set). Read on every cart request, so cached
 * per process; a change is announced to every process when it commits.
 */
export const channelSettings = (q: Queryable, channelId: string): Promise<ChannelSettings> => {
  const load = async () =>
    withDefaults(
      (
        await q.query<{ settings: Partial<ChannelSettings> }>('SELECT settings FROM channels WHERE id = $1', [
          channelId,
        ])
      ).rows[0]?.settings,
    );
  return cache.getInTx(inTransaction(q), channelId, load);
};
