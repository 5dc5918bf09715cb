/** Where the analytics rollups keep personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const DAILY = 'daily totals per channel, location and currency: sums, no person';

export const personalData: PersonalDataDeclaration = [
  { table: 'analytics_dirty_days', notPersonal: ['day', 'marked_at'], why: 'days waiting for a rebuild' },
  {
    table: 'analytics_buyer_counts',
    notPersonal: ['day', 'channel_id', 'location_id', 'by_location', 'prev_month', 'buyers'],
    why: DAILY,
  },
  {
    table: 'analytics_snapshots',
    notPersonal: ['report', 'key', 'as_of', 'version', 'computed_at', 'duration_ms', 'body'],
    why: 'report snapshots: groups of customers (sums, means, model parameters), no person',
  },
  {
    table: 'analytics_sales_daily',
    notPersonal: [
      'day',
      'channel_id',
      'location_id',
      'currency',
      'fulfillment_type',
      'orders',
      'guest_orders',
      'units',
      'gross',
      'discounts',
      'customers_new',
      'orders_returning',
      'cross_channel_orders',
      'cancelled',
      'cancelled_total',
    ],
    why: DAILY,
  },
  {
    // Kept on erasure like the orders it is made from (their customer_id stays for accounting, and
    // leads to the scrubbed profile only): the person's contribution stays in the totals.
    table: 'analytics_buyer_days',
    notPersonal: [
      'day',
      'channel_id',
      'location_id',
      'customer_id',
      'currency',
      'store',
      'orders',
      'revenue',
      'prev_day_location',
      'prev_day_channel',
    ],
    why: 'which customer id bought on a day (an opaque key, as on the orders); no personal value',
  },
  {
    table: 'analytics_refunds_daily',
    notPersonal: ['day', 'channel_id', 'location_id', 'currency', 'refunds', 'amount'],
    why: DAILY,
  },
  {
    table: 'analytics_returns_daily',
    notPersonal: ['day', 'channel_id', 'location_id', 'return_location_id', 'currency', 'returns', 'total'],
    why: DAILY,
  },
  {
    table: 'analytics_pickups_daily',
    notPersonal: ['day', 'channel_id', 'location_id', 'ready', 'ready_on_time', 'collected', 'expired'],
    why: 'daily pickup counts per store',
  },
  {
    table: 'analytics_attribution_daily',
    notPersonal: ['day', 'model', 'medium', 'campaign', 'currency', 'conversions', 'revenue'],
    why: 'daily credits per attribution model, medium and campaign: sums, no person',
  },
  {
    table: 'analytics_paths_daily',
    notPersonal: ['day', 'currency', 'converted', 'path', 'journeys', 'revenue'],
    why: 'counts of identical touch paths per day (media and campaigns only), no person',
  },
  {
    // A copy of the person's touch events (deleted with them): their sales stay in the totals, as direct.
    table: 'analytics_touches',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'analytics_touches',
    personal: {},
    notPersonal: ['event_id', 'received_at', 'customer_id', 'at', 'medium', 'campaign'],
  },
  {
    table: 'analytics_campaign_costs',
    notPersonal: [
      'id',
      'campaign_id',
      'medium',
      'kind',
      'amount',
      'currency',
      'note',
      'incurred_on',
      'created_at',
    ],
    why: "a campaign's costs entered by staff",
  },
  {
    table: 'analytics_sessions_daily',
    notPersonal: ['day', 'channel_id', 'sessions'],
    why: 'daily counts of visitor-days per channel, no visitor',
  },
  {
    table: 'analytics_fx_rates',
    notPersonal: ['day', 'currency', 'report_currency', 'rate', 'updated_at'],
    why: 'exchange rates',
  },
];
