/** Schemas of the analytics reports and their settings (docs/analytics.md). */
import { type Static, Type } from '@sinclair/typebox';
import { CurrencyCode, Id, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

const LocalDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description });
const Count = Type.Integer({ minimum: 0 });
const Amount = (description: string) =>
  Type.Integer({ description: `${description}, minor units of \`currency\`` });
const Share = Nullable(
  Type.Number({ minimum: 0, maximum: 1, description: 'A fraction 0–1 (null: nothing to divide by)' }),
);

/** How far behind the rollups are, on every report. */
export const Freshness = Type.Object(
  {
    pending_days: { ...Count, description: 'Days waiting to be rebuilt' },
    oldest_mark: Nullable({ ...Timestamp, description: 'When the oldest of them was marked' }),
  },
  { description: 'How far behind the rollups are (normally no day, within seconds)' },
);

export const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')], {
  default: 'json',
  description: '`csv` answers the rows as a CSV file (small cells suppressed, docs/analytics.md "Privacy")',
});

export const PeriodQuery = {
  from: Type.Optional(
    LocalDate('First local day of the period (analytics time zone); default: 29 days before `to`'),
  ),
  to: Type.Optional(LocalDate('Last local day of the period, included; default: today')),
  channel_id: Type.Optional(Id('chn')),
  location_id: Type.Optional(Id('loc')),
  format: Format,
};

export const ChannelQuery = Obj({
  ...PeriodQuery,
  group_by: Type.Union([Type.Literal('channel'), Type.Literal('location')], {
    default: 'channel',
    description: '`location`: a row per channel × location (selling location, else pickup location)',
  }),
  report_currency: Type.Optional({
    ...CurrencyCode,
    description: 'Also convert net revenue into this currency',
  }),
});
export type ChannelQuery = Static<typeof ChannelQuery>;

export const ChannelRow = Type.Object({
  channel_id: Type.String(),
  location_id: Nullable(
    Type.String({ description: 'With group_by=location; null: no location (shipped web orders)' }),
  ),
  currency: Type.String(),
  orders: {
    ...Count,
    description: 'Sales placed in the period (not cancelled, expired or awaiting payment)',
  },
  guest_orders: Count,
  units: Count,
  gross: Amount('Totals of the sales'),
  discounts: Amount('Discounts given on the sales'),
  refunds: { ...Count, description: 'Refunds made in the period' },
  refunded: Amount('Refunds made in the period'),
  net: Amount('gross − refunded'),
  aov: Nullable(Amount('Average order value: gross / orders')),
  net_report: Nullable(Type.Integer({ description: 'net in report_currency (minor units); null: no rate' })),
  customers: { ...Count, description: 'Distinct customers who bought (all currencies of the row key)' },
  customers_new: { ...Count, description: 'Customers whose first purchase ever was in the period' },
  customers_returning: { ...Count, description: 'customers − customers_new' },
  orders_returning: { ...Count, description: 'Sales by customers who had bought before' },
  click_collect_orders: Count,
  click_collect_share: Share,
  cross_channel_orders: {
    ...Count,
    description: 'Sales whose cart was started or filled on another channel, or took in another cart',
  },
  cancelled: { ...Count, description: 'Orders placed in the period and cancelled since' },
  cancelled_total: Amount('Totals of those cancelled orders'),
  sessions: Nullable(
    Type.Integer({
      description:
        'Visitor-days with page or screen events on the channel (null: grouped by location, or a channel without events)',
    }),
  ),
  conversion_rate: Nullable(Type.Number({ description: 'orders / sessions' })),
});

export const ChannelReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  time_zone: Type.String(),
  group_by: Type.String({ description: 'channel or location, as asked' }),
  channel_id: Nullable(Type.String({ description: 'The channel filter, as asked' })),
  location_id: Nullable(Type.String({ description: 'The location filter, as asked' })),
  report_currency: Nullable(Type.String()),
  missing_rates: Type.Array(Type.String(), { description: 'Currencies without a rate for some day' }),
  rows: Type.Array(ChannelRow),
  pickups: Type.Array(
    Type.Object({
      channel_id: Type.String(),
      location_id: Type.String(),
      ready: { ...Count, description: 'Pickups made ready in the period' },
      ready_on_time: { ...Count, description: 'Of those, ready by the time promised to the shopper' },
      on_time_rate: Share,
      collected: Count,
      expired: { ...Count, description: 'Pickups that expired uncollected in the period' },
    }),
  ),
  returns: Type.Array(
    Type.Object({
      channel_id: Type.String({ description: 'Channel the order was sold on' }),
      location_id: Nullable(Type.String({ description: 'Location it was sold at (null: none)' })),
      return_location_id: Type.String({ description: 'Where it came back' }),
      currency: Type.String(),
      returns: Count,
      total: Amount('Value returned'),
      elsewhere: Type.Boolean({ description: 'Returned at another location than it was sold' }),
    }),
  ),
  series: Type.Array(
    Type.Object({
      date: Type.String(),
      channel_id: Type.String(),
      currency: Type.String(),
      orders: Count,
      gross: Type.Integer(),
      refunded: Type.Integer(),
      net: Type.Integer(),
      net_report: Nullable(Type.Integer()),
    }),
    { description: 'Per day with sales or refunds × channel × currency, oldest first' },
  ),
  freshness: Freshness,
});

export const Rate = Obj({
  day: LocalDate('The day the rate applies from'),
  currency: CurrencyCode,
  report_currency: CurrencyCode,
  rate: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1e9,
    description: '1 unit of currency = rate units of report_currency',
  }),
});

export const RatesBody = Obj({ rates: Type.Array(Rate, { minItems: 1, maxItems: 10_000 }) });
export type RatesBody = Static<typeof RatesBody>;

export const RatesQuery = Obj({
  report_currency: Type.Optional(CurrencyCode),
  currency: Type.Optional(CurrencyCode),
  from: Type.Optional(LocalDate('First day')),
  to: Type.Optional(LocalDate('Last day')),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});
export type RatesQuery = Static<typeof RatesQuery>;

export const AnalyticsSettings = Type.Object({
  time_zone: Str({ min: 1, max: 64, description: 'IANA time zone the days of the reports are counted in' }),
  lookback_days: Type.Integer({
    minimum: 1,
    maximum: 90,
    description: 'Attribution: a sale is credited to the touches of the customer in this many days before it',
  }),
  half_life_hours: Type.Integer({
    minimum: 1,
    maximum: 2160,
    description:
      'Attribution, time-decay model: a touch this many hours older than another counts half as much',
  }),
  min_cell_size: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: 'Exports suppress the figures of a row with fewer customers than this',
  }),
});
export const AnalyticsSettingsPatch = Type.Partial(AnalyticsSettings, { additionalProperties: false });
export type AnalyticsSettingsPatch = Static<typeof AnalyticsSettingsPatch>;
