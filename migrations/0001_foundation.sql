-- Plaza foundation: settings, admin tokens, channels and keys, customer accounts,
-- login throttling, the transactional outbox and webhooks.

CREATE TABLE plaza_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE admin_tokens (
  id text PRIMARY KEY,
  name text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('admin', 'staff')),
  location_ids text[] NOT NULL DEFAULT '{}',
  token_hash text NOT NULL UNIQUE,
  token_hint text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text,
  last_used_at timestamptz,
  revoked_at timestamptz,
  CHECK (scope = 'admin' OR cardinality(location_ids) > 0)
);

CREATE TABLE channels (
  id text PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('web', 'app', 'pos', 'kiosk', 'marketplace', 'social', 'call_center')),
  name text NOT NULL,
  currency char(3) NOT NULL,
  locale text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX channels_name_key ON channels (lower(name));

CREATE TABLE channel_keys (
  id text PRIMARY KEY,
  channel_id text NOT NULL REFERENCES channels (id),
  key text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX channel_keys_channel ON channel_keys (channel_id);

CREATE TABLE customers (
  id text PRIMARY KEY,
  email text NOT NULL,
  password_hash text,
  first_name text,
  last_name text,
  phone text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (email = lower(email))
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);

CREATE TABLE customer_sessions (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  token_hash text NOT NULL UNIQUE,
  channel_id text REFERENCES channels (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id);

-- Failed logins, counted per account (hashed email) and per IP for throttling.
CREATE TABLE auth_failures (
  id bigserial PRIMARY KEY,
  email_hash text NOT NULL,
  ip text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX auth_failures_email ON auth_failures (email_hash, created_at);
CREATE INDEX auth_failures_ip ON auth_failures (ip, created_at);

-- The transactional outbox: written in the same transaction as the change it describes.
CREATE TABLE outbox_events (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  type text NOT NULL,
  aggregate_type text,
  aggregate_id text,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dispatched', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL,
  locked_until timestamptz,
  dispatched_at timestamptz,
  last_error text
);
CREATE INDEX outbox_events_pending ON outbox_events (seq) WHERE status = 'pending';
CREATE INDEX outbox_events_aggregate ON outbox_events (aggregate_type, aggregate_id, seq);
CREATE INDEX outbox_events_type ON outbox_events (type, seq);

-- Wake dispatchers as soon as a transaction that wrote events commits (NOTIFY is sent on commit).
CREATE FUNCTION plaza_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('plaza_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_outbox_notify();

-- In-process consumers record what they handled, so at-least-once delivery has an exactly-once effect.
CREATE TABLE consumed_events (
  consumer text NOT NULL,
  event_id text NOT NULL,
  consumed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  url text NOT NULL,
  description text,
  event_types text[] NOT NULL DEFAULT '{}',
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  max_attempts integer NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 20),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
  event_id text NOT NULL REFERENCES outbox_events (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  locked_until timestamptz,
  last_attempt_at timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);
