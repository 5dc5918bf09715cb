-- Carts that follow the customer, discount codes, orders, fulfillments, payments,
-- idempotency keys and the state-transition history.

CREATE TABLE state_transitions (
  id text PRIMARY KEY,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  machine text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  actor text NOT NULL,
  reason text,
  data jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL
);
CREATE INDEX state_transitions_entity ON state_transitions (entity_type, entity_id, at);

CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
  response_status integer,
  response_body jsonb,
  resource_id text,
  locked_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (scope, key)
);

-- Commerce settings of a channel (cart merge strategy, shipping rates, holds, returns, tax).
ALTER TABLE channels ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';

CREATE TABLE discounts (
  id text PRIMARY KEY,
  code text NOT NULL,
  type text NOT NULL CHECK (type IN ('percent', 'fixed')),
  value bigint NOT NULL CHECK (value > 0),
  currency char(3),
  channel_ids text[] NOT NULL DEFAULT '{}',
  starts_at timestamptz,
  ends_at timestamptz,
  usage_limit integer CHECK (usage_limit IS NULL OR usage_limit > 0),
  usage_count integer NOT NULL DEFAULT 0,
  min_subtotal bigint,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (type <> 'percent' OR value <= 100),
  CHECK (type <> 'fixed' OR currency IS NOT NULL),
  CHECK (usage_limit IS NULL OR usage_count <= usage_limit),
  CHECK (usage_count >= 0)
);
CREATE UNIQUE INDEX discounts_code_key ON discounts (upper(code));

CREATE TABLE carts (
  id text PRIMARY KEY,
  token_hash text UNIQUE,
  customer_id text REFERENCES customers (id),
  origin_channel_id text NOT NULL REFERENCES channels (id),
  status text NOT NULL CHECK (status IN ('active', 'merged', 'checked_out')),
  email text,
  fulfillment jsonb,
  discount_code text,
  version integer NOT NULL DEFAULT 1,
  merged_into text REFERENCES carts (id),
  order_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX carts_one_active_per_customer ON carts (customer_id) WHERE status = 'active';

CREATE TABLE cart_lines (
  id text PRIMARY KEY,
  cart_id text NOT NULL REFERENCES carts (id),
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0 AND quantity <= 999),
  channel_id text NOT NULL REFERENCES channels (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (cart_id, sku)
);

CREATE SEQUENCE order_number_seq START 100001;

CREATE TABLE orders (
  id text PRIMARY KEY,
  number bigint NOT NULL UNIQUE DEFAULT nextval('order_number_seq'),
  channel_id text NOT NULL REFERENCES channels (id),
  selling_location_id text REFERENCES locations (id),
  customer_id text REFERENCES customers (id),
  email text,
  cart_id text REFERENCES carts (id),
  status text NOT NULL,
  payment_status text NOT NULL,
  fulfillment_type text NOT NULL CHECK (fulfillment_type IN ('shipping', 'pickup', 'in_store')),
  pickup_location_id text REFERENCES locations (id),
  shipping_address jsonb,
  currency char(3) NOT NULL,
  subtotal bigint NOT NULL,
  discount_total bigint NOT NULL DEFAULT 0,
  shipping_total bigint NOT NULL DEFAULT 0,
  tax_total bigint NOT NULL DEFAULT 0,
  -- VAT style: the tax is inside the prices (and not added to the total).
  prices_include_tax boolean NOT NULL DEFAULT false,
  total bigint NOT NULL,
  discount_id text REFERENCES discounts (id),
  discount_code text,
  access_token_hash text,
  placed_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  cancel_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (total >= 0 AND subtotal >= 0)
);
CREATE INDEX orders_customer ON orders (customer_id, id DESC);
CREATE INDEX orders_channel ON orders (channel_id, id DESC);
CREATE INDEX orders_status ON orders (status, id DESC);
CREATE INDEX orders_pickup_location ON orders (pickup_location_id, status) WHERE pickup_location_id IS NOT NULL;
CREATE INDEX orders_placed_at ON orders (placed_at);

CREATE TABLE order_lines (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  position integer NOT NULL,
  sku text NOT NULL,
  variant_id text,
  product_id text,
  title text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price bigint NOT NULL,
  compare_at_price bigint,
  discount_amount bigint NOT NULL DEFAULT 0,
  tax_amount bigint NOT NULL DEFAULT 0,
  total bigint NOT NULL,
  fulfilled_quantity integer NOT NULL DEFAULT 0,
  returned_quantity integer NOT NULL DEFAULT 0,
  CHECK (fulfilled_quantity BETWEEN 0 AND quantity),
  CHECK (returned_quantity BETWEEN 0 AND quantity)
);
CREATE INDEX order_lines_order ON order_lines (order_id, position);

CREATE TABLE fulfillments (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  location_id text NOT NULL REFERENCES locations (id),
  source_location_id text REFERENCES locations (id),
  type text NOT NULL CHECK (type IN ('shipping', 'pickup', 'in_store')),
  status text NOT NULL,
  -- The stock hold for this fulfilment, at source_location_id (or location_id when null).
  reservation_id text,
  ready_estimate_at timestamptz,
  tracking_number text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX fulfillments_order ON fulfillments (order_id);
CREATE INDEX fulfillments_location ON fulfillments (location_id, status);

CREATE TABLE fulfillment_lines (
  fulfillment_id text NOT NULL REFERENCES fulfillments (id),
  order_line_id text NOT NULL REFERENCES order_lines (id),
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (fulfillment_id, order_line_id)
);

CREATE TABLE payments (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  provider text NOT NULL,
  status text NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  currency char(3) NOT NULL,
  captured_amount bigint NOT NULL DEFAULT 0,
  refunded_amount bigint NOT NULL DEFAULT 0,
  reference text,
  display text,
  failure_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (refunded_amount <= captured_amount)
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE discount_redemptions (
  id text PRIMARY KEY,
  discount_id text NOT NULL REFERENCES discounts (id),
  order_id text NOT NULL REFERENCES orders (id),
  amount bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'released')),
  created_at timestamptz NOT NULL,
  UNIQUE (discount_id, order_id)
);

-- Aborts the statement it is part of (SQLSTATE P0001, message "plaza_check: <what>") unless `ok`.
-- Lets a batch of data-modifying CTEs commit all-or-nothing on a condition over their own results.
CREATE FUNCTION plaza_check(ok boolean, what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'plaza_check: %', what USING ERRCODE = 'P0001';
  END IF;
  RETURN true;
END $$;
