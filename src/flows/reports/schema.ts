/** Schemas of the reports: the console's dashboard. */
import { type Static, Type } from '@sinclair/typebox';
import { Level } from '../../modules/inventory/index.ts';
import { Id, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

export const DashboardQuery = Obj({
  days: Type.Integer({
    minimum: 1,
    maximum: 366,
    default: 30,
    description: 'How many calendar days the period covers, today included',
  }),
  location_id: Type.Optional({
    ...Id('loc'),
    description:
      "Only this location's figures: orders sold, picked up or fulfilled there, its pickups and stock",
  }),
  time_zone: Type.Optional(
    Str({
      min: 1,
      max: 64,
      description:
        "IANA time zone that days are counted in (default: the location's with location_id, else UTC)",
    }),
  ),
  low_stock_limit: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 10,
    description: 'How many low-stock levels to list (all are counted)',
  }),
});
export type DashboardQuery = Static<typeof DashboardQuery>;

const Count = Type.Integer({ minimum: 0 });
const Amount = Type.Integer({ description: 'Minor units of `currency`' });

export const ReportRevenue = Type.Object(
  {
    currency: Type.String(),
    orders: Count,
    gross: { ...Amount, description: 'Totals of the orders placed (sales only), minor units' },
    refunds: { ...Amount, description: 'Refunds made (to the payment or as store credit), minor units' },
    net: { ...Amount, description: 'gross − refunds (may be negative on a day of refunds)' },
  },
  { description: 'Sales of one currency' },
);

export const ReportTotals = Type.Object(
  {
    orders: Count,
    guest_orders: Count,
    customers_new: { ...Count, description: 'Customers whose first sale ever falls in the span' },
    customers_returning: { ...Count, description: 'Customers who bought in the span and before it' },
    revenue: Type.Array(ReportRevenue, { description: 'Per currency' }),
  },
  { description: 'Totals of a span (today, or the whole period); unnamed because the dashboard holds two' },
);
export type ReportTotals = Static<typeof ReportTotals>;

export const DashboardPoint = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    channel_id: Type.String(),
    currency: Type.String(),
    orders: Count,
    guest_orders: Count,
    gross: Amount,
    refunds: Amount,
    net: Amount,
    customers_new: Count,
    customers_returning: Count,
  },
  { $id: 'DashboardPoint' },
);
export type DashboardPoint = Static<typeof DashboardPoint>;

export const Dashboard = Type.Object(
  {
    from: Type.String({ format: 'date', description: 'First day of the period (local date)' }),
    to: Type.String({ format: 'date', description: 'Last day of the period: today (local date)' }),
    days: Type.Integer(),
    time_zone: Type.String(),
    location_ids: Nullable(
      Type.Array(Type.String(), { description: 'The locations the figures cover (null: every location)' }),
    ),
    generated_at: Timestamp,
    today: ReportTotals,
    period: ReportTotals,
    series: Type.Array(DashboardPoint, {
      description:
        'One point per day and channel (and currency), oldest first; every day of the period for each channel ' +
        'with sales or refunds in it (days without any are zeros)',
    }),
    pickups: Type.Object({
      to_prepare: { ...Count, description: 'Due: to prepare (overdue included)' },
      overdue: { ...Count, description: 'Still to prepare after the promised ready time' },
      ready: { ...Count, description: 'Ready, waiting for the customer' },
    }),
    low_stock: Type.Object({
      count: { ...Count, description: 'Levels at or below their low-stock threshold' },
      levels: Type.Array(Level, { description: 'The emptiest of them (lowest available first)' }),
    }),
  },
  { $id: 'Dashboard' },
);
export type Dashboard = Static<typeof Dashboard>;
