-- Demand forecasting and replenishment (docs/forecasting.md).

-- Demand per SKU, location and day (the location's own calendar day, in its time zone), rebuilt from
-- orders (at the pickup location, the selling store, or the location that fulfils a shipment), POS
-- sales and returns (at the location that received them). Only days with demand, returns or a
-- stock-out are kept: a missing day is a day of zero demand with stock available.
CREATE TABLE demand_days (
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  day date NOT NULL,
  sold integer NOT NULL DEFAULT 0 CHECK (sold >= 0),
  returned integer NOT NULL DEFAULT 0 CHECK (returned >= 0),
  -- Available (on hand minus reserved) was at zero for part of the day: the demand seen is a lower
  -- bound (censored), and the models treat the day as missing.
  stockout boolean NOT NULL DEFAULT false,
  PRIMARY KEY (sku, location_id, day)
);
CREATE INDEX demand_days_location ON demand_days (location_id, day);
CREATE INDEX demand_days_day ON demand_days (day);

-- One forecasting run: nightly over every series, or on demand for one SKU.
CREATE TABLE forecast_runs (
  id text PRIMARY KEY,
  scope text NOT NULL CHECK (scope IN ('all', 'sku')),
  sku text,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  first_day date NOT NULL,
  horizon integer NOT NULL CHECK (horizon BETWEEN 1 AND 366),
  series integer NOT NULL DEFAULT 0,
  summary jsonb NOT NULL DEFAULT '{}',
  error text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  duration_ms integer,
  CHECK ((scope = 'sku') = (sku IS NOT NULL))
);
CREATE INDEX forecast_runs_started ON forecast_runs (started_at DESC);
-- One run over every series at a time, whatever the number of worker processes.
CREATE UNIQUE INDEX forecast_runs_one_running ON forecast_runs (scope) WHERE status = 'running' AND scope = 'all';

-- The latest forecast per SKU and location (mean and 80 % / 95 % intervals per day from first_day),
-- reconciled with the SKU total (forecast_totals) so that locations add up to it.
CREATE TABLE forecasts (
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  run_id text NOT NULL REFERENCES forecast_runs (id),
  first_day date NOT NULL,
  model text NOT NULL,
  demand_class text NOT NULL,
  -- Set when the series had too little history: the profile the forecast was taken from.
  fallback text,
  history_days integer NOT NULL CHECK (history_days >= 0),
  mean real[] NOT NULL,
  lo80 real[] NOT NULL,
  hi80 real[] NOT NULL,
  lo95 real[] NOT NULL,
  hi95 real[] NOT NULL,
  -- Rolling-origin backtest of the chosen model and of seasonal naive (mean absolute scaled error).
  mase real,
  baseline_mase real,
  bias real,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (sku, location_id)
);
CREATE INDEX forecasts_location ON forecasts (location_id, sku);

CREATE TABLE forecast_totals (
  sku text PRIMARY KEY,
  run_id text NOT NULL REFERENCES forecast_runs (id),
  first_day date NOT NULL,
  model text NOT NULL,
  mean real[] NOT NULL,
  lo80 real[] NOT NULL,
  hi80 real[] NOT NULL,
  lo95 real[] NOT NULL,
  hi95 real[] NOT NULL,
  mase real,
  baseline_mase real,
  computed_at timestamptz NOT NULL
);

-- Suppliers and purchase orders (the purchasing module).
CREATE TABLE suppliers (
  id text PRIMARY KEY,
  name text NOT NULL,
  email text,
  lead_time_days integer NOT NULL DEFAULT 7 CHECK (lead_time_days BETWEEN 0 AND 365),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX suppliers_name_key ON suppliers (lower(name));

-- What a supplier sells: its lead time for the SKU (or the supplier's), the minimum order and the pack.
CREATE TABLE supplier_skus (
  supplier_id text NOT NULL REFERENCES suppliers (id),
  sku text NOT NULL,
  lead_time_days integer CHECK (lead_time_days BETWEEN 0 AND 365),
  min_order integer NOT NULL DEFAULT 1 CHECK (min_order >= 1),
  pack_size integer NOT NULL DEFAULT 1 CHECK (pack_size >= 1),
  -- The SKU's preferred supplier when several sell it.
  preferred boolean NOT NULL DEFAULT true,
  PRIMARY KEY (supplier_id, sku)
);
CREATE INDEX supplier_skus_sku ON supplier_skus (sku);

CREATE TABLE purchase_orders (
  id text PRIMARY KEY,
  supplier_id text NOT NULL REFERENCES suppliers (id),
  location_id text NOT NULL REFERENCES locations (id),
  status text NOT NULL CHECK (status IN ('draft', 'ordered', 'partially_received', 'received', 'cancelled')),
  expected_on date NOT NULL,
  note text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  ordered_at timestamptz,
  received_at timestamptz,
  cancelled_at timestamptz
);
CREATE INDEX purchase_orders_location ON purchase_orders (location_id, status);
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id, id DESC);

CREATE TABLE purchase_order_lines (
  purchase_order_id text NOT NULL REFERENCES purchase_orders (id),
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  quantity_received integer NOT NULL DEFAULT 0 CHECK (quantity_received >= 0),
  PRIMARY KEY (purchase_order_id, sku),
  CHECK (quantity_received <= quantity)
);
CREATE INDEX purchase_order_lines_sku ON purchase_order_lines (sku);

-- Replenishment policy per SKU and location (defaults in plaza_settings, docs/forecasting.md).
-- A location with a source location is replenished by transfer from it (a store from the warehouse);
-- otherwise it buys from the SKU's preferred supplier.
CREATE TABLE replenishment_policies (
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  source_location_id text REFERENCES locations (id),
  lead_time_days integer CHECK (lead_time_days BETWEEN 0 AND 365),
  review_days integer CHECK (review_days BETWEEN 1 AND 90),
  service_level real CHECK (service_level >= 0.5 AND service_level <= 0.999),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (sku, location_id),
  CHECK (source_location_id IS DISTINCT FROM location_id)
);

-- Suggestions made after each forecasting run: buy (grouped into purchase orders per supplier and
-- receiving location) or move (a transfer from a location with excess). Accepting one creates the
-- purchase order or the transfer; a dismissal holds until `dismissed_until`.
CREATE TABLE replenishment_suggestions (
  id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES forecast_runs (id),
  kind text NOT NULL CHECK (kind IN ('purchase', 'transfer')),
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  from_location_id text REFERENCES locations (id),
  supplier_id text REFERENCES suppliers (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('open', 'accepted', 'dismissed', 'superseded')),
  -- The figures behind it: available, inbound, reorder point, order-up-to level, forecast over the lead time …
  detail jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by text,
  dismissed_until date,
  result_id text,
  CHECK ((kind = 'transfer') = (from_location_id IS NOT NULL)),
  CHECK (kind = 'transfer' OR supplier_id IS NOT NULL)
);
CREATE INDEX replenishment_suggestions_open ON replenishment_suggestions (kind, status, location_id);
CREATE INDEX replenishment_suggestions_item ON replenishment_suggestions (sku, location_id, status);

-- Items whose projected stock (available, plus what arrives, minus the forecast day by day) is short
-- by half a unit or more within 90 days, as of the last run for the SKU.
CREATE TABLE stockout_risks (
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  run_id text NOT NULL REFERENCES forecast_runs (id),
  stockout_on date NOT NULL,
  days integer NOT NULL CHECK (days >= 0),
  available integer NOT NULL,
  inbound integer NOT NULL,
  -- The forecast demand from today up to and including the stock-out day.
  demand real NOT NULL,
  -- The first open transfer or purchase order arriving after the stock-out day, if any.
  next_arrival_on date,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (sku, location_id)
);
CREATE INDEX stockout_risks_days ON stockout_risks (days, location_id);
