/** Schemas of /admin/forecasts and /admin/replenishment (docs/forecasting.md). */
import { type Static, Type } from '@sinclair/typebox';
import { Sku } from '../../modules/inventory/index.ts';
import { Id, List, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';
import { BOUNDS, RECONCILIATIONS } from './settings.ts';

export const LocalDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description });
const Units = (description: string) => Type.Number({ minimum: 0, description });
const Scaled = (description: string) => Nullable(Type.Number({ description }));
const Range = (b: readonly [number, number], integer: boolean, description: string) =>
  integer
    ? Type.Integer({ minimum: b[0], maximum: b[1], description })
    : Type.Number({ minimum: b[0], maximum: b[1], description });

const ModelFields = {
  model: Type.String({
    description:
      'The chosen model: seasonal_naive, ses, holt, holt_damped, hw_additive(_damped), hw_multiplicative(_damped), croston, sba, tsb, combination (the average of the two best in the backtest), zero, or profile (a fallback)',
  }),
  mase: Scaled(
    'Backtest mean absolute scaled error of the chosen model (below 1: better than naive in-sample)',
  ),
  baseline_mase: Scaled('The same backtest for seasonal naive'),
};

export const ForecastSummary = Type.Object({
  sku: Sku,
  location_id: Id('loc'),
  ...ModelFields,
  demand_class: Type.String({
    description: 'smooth, erratic, intermittent, lumpy or empty (Syntetos–Boylan)',
  }),
  fallback: Nullable(
    Type.String({ description: 'When the series was too short: sku_other_locations, category or none' }),
  ),
  history_days: Type.Integer({ minimum: 0, description: 'Days of usable (not stock-out) history' }),
  bias: Scaled('Backtest bias: mean(forecast − actual) / mean(actual)'),
  first_day: LocalDate('The first day forecast (today when computed)'),
  horizon_total: Units('Forecast demand over the whole horizon'),
  computed_at: Timestamp,
});
export type ForecastSummary = Static<typeof ForecastSummary>;

export const ListForecastsQuery = Obj({
  ...PageQuery,
  sku: Type.Optional(Sku),
  location_id: Type.Optional(Id('loc')),
  model: Type.Optional(Str({ min: 1, max: 40 })),
});

export const SeriesQuery = Obj({
  sku: Type.Optional(Sku),
  location_id: Type.Optional(Id('loc')),
  history_days: Type.Integer({
    minimum: 7,
    maximum: 730,
    default: 91,
    description: 'Days of history returned',
  }),
});

const Day = Type.Object({ day: LocalDate('Local day') });
export const Series = Type.Object({
  sku: Nullable(Sku),
  location_id: Nullable(Id('loc')),
  level: Type.Union([Type.Literal('sku_location'), Type.Literal('sku'), Type.Literal('location')], {
    description:
      'sku_location: one series; sku: the SKU over every location; location: every SKU at the location',
  }),
  ...ModelFields,
  fallback: Nullable(Type.String()),
  demand_class: Nullable(Type.String({ description: 'One series only (null for totals)' })),
  history_days: Nullable(
    Type.Integer({ minimum: 0, description: 'One series only: days of usable history' }),
  ),
  bias: Scaled('One series only: backtest bias'),
  computed_at: Nullable(Timestamp),
  history: Type.Array(
    Type.Composite([
      Day,
      Type.Object({
        quantity: Type.Integer({ description: 'Units sold minus units returned' }),
        stockout: Type.Boolean({ description: 'Out of stock for part of the day: the demand is censored' }),
      }),
    ]),
  ),
  forecast: Type.Array(
    Type.Composite([
      Day,
      Type.Object({
        mean: Units('Expected demand'),
        lo80: Units('80 % interval, lower'),
        hi80: Units('80 % interval, upper'),
        lo95: Units('95 % interval, lower'),
        hi95: Units('95 % interval, upper'),
      }),
    ]),
  ),
});

export const RunBody = Obj({
  sku: Type.Optional({
    ...Sku,
    description:
      'Forecast this SKU now and answer with the run; without it, ask the worker for a run over everything',
  }),
});

export const Run = Type.Object({
  id: Id('fcr'),
  scope: Type.Union([Type.Literal('all'), Type.Literal('sku')]),
  sku: Nullable(Sku),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  first_day: LocalDate('The first day forecast'),
  horizon: Type.Integer(),
  series: Type.Integer({ minimum: 0 }),
  summary: Type.Object(
    {
      models: Type.Optional(Type.Record(Type.String(), Type.Integer())),
      demand_classes: Type.Optional(Type.Record(Type.String(), Type.Integer())),
      fallbacks: Type.Optional(Type.Record(Type.String(), Type.Integer())),
      relative_mae: Type.Optional(
        Scaled('Backtest absolute error of the chosen models over that of seasonal naive (below 1: better)'),
      ),
      backtest_points: Type.Optional(Type.Integer()),
    },
    { additionalProperties: true },
  ),
  error: Nullable(Type.String()),
  started_at: Timestamp,
  finished_at: Nullable(Timestamp),
  duration_ms: Nullable(Type.Integer()),
});

export const RunRequested = Type.Object({
  requested_at: Timestamp,
  message: Type.String(),
});

export const ForecastSettingsBody = Obj(
  {
    horizon_days: Type.Optional(Nullable(Range(BOUNDS.horizon, true, 'Days forecast from today'))),
    reconciliation: Type.Optional(
      Nullable(
        Type.Union(
          RECONCILIATIONS.map((r) => Type.Literal(r)),
          { description: 'How locations are made to add up to the SKU total' },
        ),
      ),
    ),
    time_zone: Type.Optional(Nullable(Str({ min: 1, max: 64, description: 'IANA time zone of "today"' }))),
    service_level: Type.Optional(Nullable(Range(BOUNDS.serviceLevel, false, 'Target cycle service level'))),
    review_days: Type.Optional(
      Nullable(Range(BOUNDS.reviewDays, true, 'Days between two orders of an item')),
    ),
    transfer_lead_days: Type.Optional(
      Nullable(Range(BOUNDS.transferLeadDays, true, 'Days a transfer takes')),
    ),
    risk_days: Type.Optional(Nullable(Range(BOUNDS.riskDays, true, 'Default window of the at-risk list'))),
    dismiss_days: Type.Optional(Nullable(Range(BOUNDS.dismissDays, true, 'Days a dismissal holds'))),
  },
  { minProperties: 1 },
);
export const ForecastSettingsView = Type.Object({
  horizon_days: Type.Integer(),
  reconciliation: Type.String(),
  time_zone: Type.String(),
  service_level: Type.Number(),
  review_days: Type.Integer(),
  transfer_lead_days: Type.Integer(),
  risk_days: Type.Integer(),
  dismiss_days: Type.Integer(),
});

// Replenishment

export const Suggestion = Type.Object({
  id: Id('rps'),
  kind: Type.Union([Type.Literal('purchase'), Type.Literal('transfer')]),
  sku: Sku,
  location_id: Id('loc'),
  from_location_id: Nullable(Id('loc')),
  supplier_id: Nullable(Id('sup')),
  quantity: Type.Integer({ minimum: 1 }),
  status: Type.Union([
    Type.Literal('open'),
    Type.Literal('accepted'),
    Type.Literal('dismissed'),
    Type.Literal('superseded'),
  ]),
  detail: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The figures behind it: reason, policy (reorder point, order-up-to level, safety stock …)',
  }),
  created_at: Timestamp,
  decided_at: Nullable(Timestamp),
  dismissed_until: Nullable(LocalDate('A dismissed suggestion is not made again before this day')),
  result_id: Nullable(Type.String({ description: 'The transfer or purchase order it became' })),
});

export const ListSuggestionsQuery = Obj({
  ...PageQuery,
  kind: Type.Optional(Type.Union([Type.Literal('purchase'), Type.Literal('transfer')])),
  status: Type.Union(
    [Type.Literal('open'), Type.Literal('accepted'), Type.Literal('dismissed'), Type.Literal('superseded')],
    { default: 'open' },
  ),
  location_id: Type.Optional(Id('loc')),
  sku: Type.Optional(Sku),
});

export const SuggestedOrder = Type.Object({
  supplier_id: Id('sup'),
  supplier_name: Type.String(),
  location_id: Id('loc'),
  lines: Type.Array(
    Type.Object({ suggestion_id: Id('rps'), sku: Sku, quantity: Type.Integer({ minimum: 1 }) }),
  ),
  units: Type.Integer({ minimum: 0 }),
});

export const DecideBody = Obj({
  ids: List(Id('rps'), { min: 1, max: 500 }),
});
export const DismissBody = Obj({
  ids: List(Id('rps'), { min: 1, max: 500 }),
  days: Type.Optional(Range(BOUNDS.dismissDays, true, 'Days the dismissal holds (default: the setting)')),
});
export const Accepted = Type.Object({
  transfers: Type.Array(Type.String()),
  purchase_orders: Type.Array(Type.String()),
});
export const Dismissed = Type.Object({ dismissed: Type.Integer(), until: LocalDate('Held until') });

export const AtRiskQuery = Obj({
  ...PageQuery,
  days: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 90, description: 'Window in days (default: the setting)' }),
  ),
  location_id: Type.Optional(Id('loc')),
  sku: Type.Optional(Sku),
});
export const AtRisk = Type.Object({
  sku: Sku,
  location_id: Id('loc'),
  stockout_on: LocalDate('First day the projected stock falls below zero'),
  days: Type.Integer({ minimum: 0, description: 'Days from today' }),
  available: Type.Integer(),
  inbound: Type.Integer({ description: 'Units on their way (open transfers and ordered purchase orders)' }),
  demand: Units('Forecast demand up to the stock-out day'),
  next_arrival_on: Nullable(LocalDate('The next arrival after the stock-out day')),
  computed_at: Timestamp,
});

export const PolicyBody = Obj({
  source_location_id: Type.Optional(Nullable(Id('loc'))),
  lead_time_days: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
  review_days: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 90 }))),
  service_level: Type.Optional(Nullable(Type.Number({ minimum: 0.5, maximum: 0.999 }))),
});
export const PolicyParams = Obj({ sku: Sku, location_id: Id('loc') });
export const Policy = Type.Object({
  sku: Sku,
  location_id: Id('loc'),
  source_location_id: Nullable(Id('loc')),
  lead_time_days: Nullable(Type.Integer()),
  review_days: Nullable(Type.Integer()),
  service_level: Nullable(Type.Number()),
  updated_at: Timestamp,
});
