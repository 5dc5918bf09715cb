-- Stores as a channel: per-store pickup settings, pickups (codes, deadlines, handover attempts),
-- transfers that bring pickup stock to a store, POS sales, returns, refunds and store credit.

-- Settings of a store location for click & collect.
CREATE TABLE store_settings (
  location_id text PRIMARY KEY REFERENCES locations (id),
  pickup_hold_days integer NOT NULL DEFAULT 7 CHECK (pickup_hold_days BETWEEN 1 AND 90),
  pickup_reminder_hours integer NOT NULL DEFAULT 24 CHECK (pickup_reminder_hours BETWEEN 0 AND 720),
  updated_at timestamptz NOT NULL
);

-- One pickup per pickup order: its code, its state (machine `pickup`), its deadline and the
-- wrong-code counter (persisted, so the rate limit holds across processes).
CREATE TABLE pickups (
  order_id text PRIMARY KEY REFERENCES orders (id),
  order_number bigint NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  channel_id text NOT NULL REFERENCES channels (id),
  customer_id text REFERENCES customers (id),
  status text NOT NULL CHECK (status IN ('to_prepare', 'ready', 'collected', 'partially_collected',
    'expired', 'cancelled')),
  code text NOT NULL CHECK (length(code) >= 6),
  ready_estimate_at timestamptz,
  ready_at timestamptz,
  deadline_at timestamptz,
  reminder_at timestamptz,
  reminded_at timestamptz,
  closed_at timestamptz,
  failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until timestamptz,
  -- A handover in progress (its payment is being captured): another one waits until it ends.
  handover_until timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (status <> 'ready' OR deadline_at IS NOT NULL)
);
CREATE INDEX pickups_queue ON pickups (location_id, status, order_id);
CREATE INDEX pickups_deadline ON pickups (deadline_at) WHERE status = 'ready';
CREATE INDEX pickups_reminder ON pickups (reminder_at) WHERE status = 'ready' AND reminded_at IS NULL;

-- What each pickup fulfilment holds per order line, and how much of it was collected or released.
CREATE TABLE pickup_lines (
  order_id text NOT NULL REFERENCES pickups (order_id),
  fulfillment_id text NOT NULL REFERENCES fulfillments (id),
  order_line_id text NOT NULL REFERENCES order_lines (id),
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  collected integer NOT NULL DEFAULT 0 CHECK (collected >= 0),
  released integer NOT NULL DEFAULT 0 CHECK (released >= 0),
  PRIMARY KEY (fulfillment_id, order_line_id),
  CHECK (collected + released <= quantity)
);
CREATE INDEX pickup_lines_order ON pickup_lines (order_id);

-- The transfer that brings an `awaiting_transfer` pickup fulfilment's stock to the store.
CREATE TABLE pickup_transfers (
  transfer_id text PRIMARY KEY REFERENCES inventory_transfers (id),
  order_id text NOT NULL REFERENCES orders (id),
  fulfillment_id text NOT NULL UNIQUE REFERENCES fulfillments (id),
  source_released_at timestamptz,
  store_held_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX pickup_transfers_order ON pickup_transfers (order_id);

-- A sale at a store counter (POS channel): scanned lines, then paid at once.
CREATE TABLE pos_sales (
  id text PRIMARY KEY,
  channel_id text NOT NULL REFERENCES channels (id),
  location_id text NOT NULL REFERENCES locations (id),
  staff_token_id text NOT NULL,
  staff_name text NOT NULL,
  customer_id text REFERENCES customers (id),
  cart_id text REFERENCES carts (id),
  cart_version integer,
  status text NOT NULL CHECK (status IN ('open', 'paying', 'completed', 'voided')),
  order_id text REFERENCES orders (id),
  tendered bigint CHECK (tendered IS NULL OR tendered >= 0),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX pos_sales_location ON pos_sales (location_id, id DESC);
CREATE UNIQUE INDEX pos_sales_order ON pos_sales (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE pos_sale_lines (
  id text PRIMARY KEY,
  sale_id text NOT NULL REFERENCES pos_sales (id),
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0 AND quantity <= 999),
  created_at timestamptz NOT NULL,
  UNIQUE (sale_id, sku)
);

-- Returns of any order, received at any location (a store, or the warehouse for returns by mail).
CREATE TABLE returns (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  channel_id text NOT NULL REFERENCES channels (id),
  customer_id text REFERENCES customers (id),
  location_id text NOT NULL REFERENCES locations (id),
  status text NOT NULL CHECK (status IN ('requested', 'received', 'completed', 'cancelled')),
  refund_method text NOT NULL CHECK (refund_method IN ('original', 'store_credit')),
  currency char(3) NOT NULL,
  total bigint NOT NULL CHECK (total >= 0),
  exchange_total bigint NOT NULL DEFAULT 0 CHECK (exchange_total >= 0),
  refund_total bigint NOT NULL CHECK (refund_total >= 0),
  refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
  exchange_order_id text REFERENCES orders (id),
  reason text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  received_at timestamptz,
  updated_at timestamptz NOT NULL,
  CHECK (refund_total = total - exchange_total),
  CHECK (refunded_amount <= refund_total)
);
CREATE INDEX returns_order ON returns (order_id);
CREATE INDEX returns_location ON returns (location_id, id DESC);

CREATE TABLE return_lines (
  id text PRIMARY KEY,
  return_id text NOT NULL REFERENCES returns (id),
  order_line_id text NOT NULL REFERENCES order_lines (id),
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  amount bigint NOT NULL CHECK (amount >= 0),
  tax_amount bigint NOT NULL,
  condition text CHECK (condition IN ('resellable', 'damaged')),
  UNIQUE (return_id, order_line_id)
);

-- Money given back: through the payment's provider, or as store credit.
CREATE TABLE refunds (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  payment_id text REFERENCES payments (id),
  return_id text REFERENCES returns (id),
  method text NOT NULL CHECK (method IN ('original', 'store_credit')),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL,
  reason text NOT NULL,
  reference text,
  failure_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((method = 'original') = (payment_id IS NOT NULL))
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_pending ON refunds (created_at) WHERE status = 'pending';

-- Store credit per customer and currency: the balance never goes negative, and every change is in
-- the append-only ledger (balance = sum of amounts).
CREATE TABLE store_credit_balances (
  customer_id text NOT NULL REFERENCES customers (id),
  currency char(3) NOT NULL,
  balance bigint NOT NULL CHECK (balance >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id, currency)
);

CREATE TABLE store_credit_entries (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  currency char(3) NOT NULL,
  amount bigint NOT NULL CHECK (amount <> 0),
  balance_after bigint NOT NULL CHECK (balance_after >= 0),
  kind text NOT NULL CHECK (kind IN ('refund', 'purchase', 'adjustment')),
  reference_type text,
  reference_id text,
  actor text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX store_credit_entries_customer ON store_credit_entries (customer_id, currency, id);
CREATE TRIGGER store_credit_entries_append_only BEFORE UPDATE OR DELETE ON store_credit_entries
  FOR EACH ROW EXECUTE FUNCTION plaza_append_only();

-- POS customer lookup by phone.
CREATE INDEX customers_phone_digits ON customers (regexp_replace(phone, '[^0-9]', '', 'g')) WHERE phone IS NOT NULL;
