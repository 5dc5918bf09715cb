-- Measurement (docs/analytics.md): daily rollups that the /admin/analytics reports read instead of
-- scanning orders. A day's rows are rebuilt as a whole from the orders, refunds, returns and pickups
-- of that day (in the analytics time zone) whenever the outbox says something of that day changed:
-- the subscriber marks the day, a job rebuilds it within seconds. Rebuilding a whole day (never
-- adding to a counter) is what keeps a rollup equal to a recomputation whatever is redelivered,
-- merged or erased.

-- Days to rebuild. Marks are only ever inserted (never upserted): a transaction marking a day
-- never waits for another one, not even for the rebuild of that very day. The rebuild deletes the
-- marks it saw; one committed after that stays and the day is rebuilt once more.
CREATE TABLE analytics_dirty_days (
  day date NOT NULL,
  marked_at timestamptz NOT NULL
);
CREATE INDEX analytics_dirty_days_day ON analytics_dirty_days (day);

-- Bumped by every day rebuild (never rolled back, never locked): a report snapshot computed at
-- version v is current while the sequence is still at v.
CREATE SEQUENCE analytics_rollup_version;

-- Reports too costly to compute per request at size (customer value: a model fitted on every
-- customer), computed by a job from the rollups and read by the report. Aggregates only.
CREATE TABLE analytics_snapshots (
  report text NOT NULL,
  key text NOT NULL,
  as_of date NOT NULL,
  version bigint NOT NULL,
  computed_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (report, key)
);

-- Orders placed on the day per channel, location (selling, else pickup; NULL: none), currency and
-- fulfilment type. Sales only in orders … cross_channel_orders; cancelled counts the orders placed
-- that day and cancelled since.
CREATE TABLE analytics_sales_daily (
  day date NOT NULL,
  channel_id text NOT NULL,
  location_id text,
  currency char(3) NOT NULL,
  fulfillment_type text NOT NULL,
  orders integer NOT NULL,
  guest_orders integer NOT NULL,
  units bigint NOT NULL,
  gross bigint NOT NULL,
  discounts bigint NOT NULL,
  -- orders that are their customer's first sale ever (so: new customers, each counted once)
  customers_new integer NOT NULL,
  orders_returning integer NOT NULL,
  -- orders whose cart was started or filled on another channel, or took in another device's cart
  cross_channel_orders integer NOT NULL,
  cancelled integer NOT NULL,
  cancelled_total bigint NOT NULL
);
CREATE INDEX analytics_sales_daily_day ON analytics_sales_daily (day);

-- The buyers of a day per channel and location, with their sales: distinct customers of a period,
-- cohorts and customer value. `store`: bought at a counter or kiosk (or for in-store fulfilment).
CREATE TABLE analytics_buyer_days (
  day date NOT NULL,
  channel_id text NOT NULL,
  location_id text,
  customer_id text NOT NULL,
  currency char(3) NOT NULL,
  store boolean NOT NULL,
  orders integer NOT NULL,
  revenue bigint NOT NULL,
  -- The same buyer's previous row on this channel and location (prev_day_location), and on this
  -- channel (prev_day_channel); NULL: none. A period's distinct buyers are then its rows whose
  -- previous day is before the period: a count, not a DISTINCT over a year of rows.
  prev_day_location date,
  prev_day_channel date
);
CREATE INDEX analytics_buyer_days_day ON analytics_buyer_days (day);
CREATE INDEX analytics_buyer_days_customer ON analytics_buyer_days (customer_id, day);
CREATE INDEX analytics_buyer_days_prev_location ON analytics_buyer_days (prev_day_location);
CREATE INDEX analytics_buyer_days_prev_channel ON analytics_buyer_days (prev_day_channel);

-- The buyer days counted per day and month of their previous buyer day, per channel and location
-- (by_location) and per channel (location_id NULL): a period's distinct buyers are the counts of its
-- days whose previous month is before the period's first month, plus the few buyer days whose
-- previous day falls in that month before the period. Kept with the links (rollup.ts).
CREATE TABLE analytics_buyer_counts (
  day date NOT NULL,
  channel_id text NOT NULL,
  location_id text,
  by_location boolean NOT NULL,
  prev_month date,
  buyers integer NOT NULL
);
CREATE INDEX analytics_buyer_counts_day ON analytics_buyer_counts (day);

-- Refunds that succeeded, by the day they were made, per the order's channel and location.
CREATE TABLE analytics_refunds_daily (
  day date NOT NULL,
  channel_id text NOT NULL,
  location_id text,
  currency char(3) NOT NULL,
  refunds integer NOT NULL,
  amount bigint NOT NULL
);
CREATE INDEX analytics_refunds_daily_day ON analytics_refunds_daily (day);

-- Returns (not cancelled) by the day they were opened: where the order was sold and where it came back.
CREATE TABLE analytics_returns_daily (
  day date NOT NULL,
  channel_id text NOT NULL,
  location_id text,
  return_location_id text NOT NULL,
  currency char(3) NOT NULL,
  returns integer NOT NULL,
  total bigint NOT NULL
);
CREATE INDEX analytics_returns_daily_day ON analytics_returns_daily (day);

-- Pickups per store: made ready that day (and whether by the promised time), collected or expired that day.
CREATE TABLE analytics_pickups_daily (
  day date NOT NULL,
  channel_id text NOT NULL,
  location_id text NOT NULL,
  ready integer NOT NULL,
  ready_on_time integer NOT NULL,
  collected integer NOT NULL,
  expired integer NOT NULL
);
CREATE INDEX analytics_pickups_daily_day ON analytics_pickups_daily (day);

-- Daily exchange rates into a report currency: 1 unit of currency = rate units of report_currency.
-- A report uses the rate of the day, else the latest one before it.
CREATE TABLE analytics_fx_rates (
  day date NOT NULL,
  currency char(3) NOT NULL,
  report_currency char(3) NOT NULL,
  rate numeric(20, 10) NOT NULL CHECK (rate > 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (report_currency, currency, day),
  CHECK (currency <> report_currency)
);

-- What a day rebuild reads, by the time that buckets it.
CREATE INDEX refunds_created_at ON refunds (created_at);
CREATE INDEX returns_created_at ON returns (created_at);
CREATE INDEX pickups_ready_at ON pickups (ready_at) WHERE ready_at IS NOT NULL;
CREATE INDEX pickups_closed_at ON pickups (closed_at) WHERE closed_at IS NOT NULL;

-- Attribution (docs/analytics.md, "Attribution"): each sale with a customer is credited to the touches
-- of that customer in the lookback window before it, by each rule-based model; rebuilt with its day.
-- medium '' / campaign '' is the credit of sales without any touch (direct).
CREATE TABLE analytics_attribution_daily (
  day date NOT NULL,
  model text NOT NULL,
  medium text NOT NULL,
  campaign text NOT NULL,
  currency char(3) NOT NULL,
  conversions double precision NOT NULL,
  revenue bigint NOT NULL
);
CREATE INDEX analytics_attribution_daily_day ON analytics_attribution_daily (day);

-- Touch paths for the data-driven (Markov) model: converting paths on the day of their sale, and
-- paths that did not convert on the day of their last touch (no touch nor sale in the lookback
-- after it). A path is its touches' "medium<US>campaign" tokens, oldest first.
CREATE TABLE analytics_paths_daily (
  day date NOT NULL,
  currency char(3),
  converted boolean NOT NULL,
  path text[] NOT NULL,
  journeys integer NOT NULL,
  revenue bigint NOT NULL
);
CREATE INDEX analytics_paths_daily_day ON analytics_paths_daily (day);

-- The touches attribution reads, copied from the event store by a cursor (received_at): Plaza's own
-- campaign touches (clicks, taps, banner clicks, offers shown at the POS, coupons redeemed) and the
-- clients' events that arrived from an ad (UTM medium other than Plaza's own media).
CREATE TABLE analytics_touches (
  event_id bigint PRIMARY KEY,
  received_at timestamptz NOT NULL,
  customer_id text NOT NULL,
  at timestamptz NOT NULL,
  medium text NOT NULL,
  campaign text NOT NULL
);
CREATE INDEX analytics_touches_customer ON analytics_touches (customer_id, at);
CREATE INDEX analytics_touches_at ON analytics_touches (at);
CREATE INDEX events_received ON events (received_at);

-- What a campaign cost, per medium: print runs, SMS, ad spend, discounts given … (ROAS, ROI).
CREATE TABLE analytics_campaign_costs (
  id text PRIMARY KEY,
  campaign_id text NOT NULL,
  medium text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('print', 'messages', 'ad_spend', 'discounts', 'production', 'other')),
  amount bigint NOT NULL CHECK (amount >= 0),
  currency char(3) NOT NULL,
  note text,
  incurred_on date NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX analytics_campaign_costs_campaign ON analytics_campaign_costs (campaign_id, incurred_on);

-- Sessions (a visitor's day on a channel: distinct customers or anonymous ids with page or screen
-- events), counted per day by the rebuild from the event store; nothing personal is kept.
CREATE TABLE analytics_sessions_daily (
  day date NOT NULL,
  channel_id text NOT NULL,
  sessions integer NOT NULL
);
CREATE INDEX analytics_sessions_daily_day ON analytics_sessions_daily (day);
CREATE INDEX events_visit_time ON events ("timestamp") WHERE type IN ('page', 'screen') AND channel_id IS NOT NULL;

-- The day rebuild asks whether a sale's cart took in another cart: without this, a seq scan of carts per online sale.
CREATE INDEX carts_merged_into ON carts (merged_into) WHERE merged_into IS NOT NULL;
