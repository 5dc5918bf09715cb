-- Customer data (issue 11): Segment-compatible event collection, profiles' traits, computed traits and
-- live segments. See docs/events.md and docs/segments.md.

-- Sources: where events come from (a channel's web shop, app or POS, or a server integration).
-- `plaza` is the built-in source of Plaza's own facts (orders, pickups, returns … fed from the outbox).
CREATE TABLE event_sources (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('web', 'app', 'pos', 'server', 'plaza')),
  channel_id text REFERENCES channels (id),
  -- Events are kept this many months (0 = forever); old months are dropped as whole partitions.
  retention_months smallint NOT NULL DEFAULT 0 CHECK (retention_months IN (0, 1, 3, 6, 12, 24, 36)),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  archived_at timestamptz
);
CREATE UNIQUE INDEX event_sources_name_key ON event_sources (lower(name)) WHERE archived_at IS NULL;
INSERT INTO event_sources (id, name, kind, created_at, updated_at)
VALUES ('src_plaza', 'Plaza', 'plaza', now(), now());

-- Write keys are public (they sit in browsers, like Segment's): a key names its source; revoking it
-- refuses it at once in every process (cache invalidation); a rotated key keeps working until expires_at.
CREATE TABLE event_write_keys (
  id text PRIMARY KEY,
  source_id text NOT NULL REFERENCES event_sources (id),
  key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX event_write_keys_source ON event_write_keys (source_id);

-- The event store: append-only, partitioned by the month it was received, then by the retention of its
-- source, so that retention drops whole partitions (plaza_events_drop_expired) and never deletes rows.
CREATE SEQUENCE events_id_seq AS bigint;
CREATE TABLE events (
  id bigint NOT NULL DEFAULT nextval('events_id_seq'),
  source_id text NOT NULL,
  channel_id text,
  location_id text,
  origin text NOT NULL DEFAULT 'client' CHECK (origin IN ('client', 'plaza')),
  message_id text NOT NULL,
  type text NOT NULL CHECK (type IN ('identify', 'track', 'page', 'screen', 'group', 'alias')),
  -- the track event's name, or the page's or screen's name
  event text,
  user_id text,
  anonymous_id text,
  group_id text,
  previous_id text,
  -- resolved from user_id / anonymous_id through customer_identities (at ingestion, or later when they identify)
  customer_id text,
  properties jsonb NOT NULL DEFAULT '{}'::jsonb,
  traits jsonb NOT NULL DEFAULT '{}'::jsonb,
  context jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- corrected for the client's clock skew (docs/events.md)
  "timestamp" timestamptz NOT NULL,
  original_timestamp timestamptz,
  sent_at timestamptz,
  received_at timestamptz NOT NULL,
  -- e.g. 'future', 'past', 'clamped', 'no_sent_at'
  flags text[] NOT NULL DEFAULT '{}',
  retention_months smallint NOT NULL DEFAULT 0
) PARTITION BY RANGE (received_at);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_customer_time ON events (customer_id, "timestamp" DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX events_name_time ON events (event, "timestamp") INCLUDE (customer_id);
CREATE INDEX events_source_received ON events (source_id, received_at DESC);
CREATE INDEX events_anonymous ON events (anonymous_id) WHERE anonymous_id IS NOT NULL AND customer_id IS NULL;
CREATE INDEX events_user ON events (user_id) WHERE user_id IS NOT NULL AND customer_id IS NULL;

-- Creates the monthly partitions (each split by retention) from the month of `from_day` for `months`
-- months. Idempotent; the worker keeps the current and next months ready.
CREATE FUNCTION plaza_events_ensure_partitions(from_day date, months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', from_day)::date;
  made integer := 0;
  tier smallint;
  parent text;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    parent := format('events_%s', to_char(m, 'YYYYMM'));
    IF to_regclass(parent) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L) PARTITION BY LIST (retention_months)',
        parent, m::timestamptz, (m + interval '1 month')::timestamptz);
      FOREACH tier IN ARRAY ARRAY[0, 1, 3, 6, 12, 24, 36]::smallint[] LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%s)', parent || '_r' || tier, parent, tier);
      END LOOP;
      made := made + 1;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN made;
END $$;

-- Drops the partitions whose every event is past its retention on `today` (retention in whole months
-- after the month the event was received). Returns the names dropped.
CREATE FUNCTION plaza_events_drop_expired(today date) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT c.relname AS name, to_date(substring(c.relname from 'events_(\d{6})_r'), 'YYYYMM') AS month,
           substring(c.relname from '_r(\d+)$')::integer AS tier
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname ~ '^events_\d{6}$' AND c.relname ~ '^events_\d{6}_r\d+$'
  LOOP
    IF r.tier > 0 AND (r.month + make_interval(months => r.tier + 1))::date <= today THEN
      EXECUTE format('DROP TABLE %I', r.name);
      RETURN NEXT r.name;
    END IF;
  END LOOP;
END $$;

SELECT plaza_events_ensure_partitions(current_date, 2);

-- messageId de-duplication per source: a replay is acknowledged and stored once. Rows older than the
-- de-duplication window are removed by the worker.
CREATE TABLE event_message_ids (
  source_id text NOT NULL,
  message_id text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (source_id, message_id)
);
CREATE INDEX event_message_ids_received ON event_message_ids (received_at);

-- identify / alias messages waiting to go through identity resolution and trait updates (a queue:
-- rows are claimed with SKIP LOCKED and deleted when done).
CREATE TABLE event_identity_queue (
  id bigserial PRIMARY KEY,
  source_id text NOT NULL,
  channel_id text,
  type text NOT NULL CHECK (type IN ('identify', 'alias')),
  user_id text,
  anonymous_id text,
  previous_id text,
  traits jsonb NOT NULL DEFAULT '{}'::jsonb,
  "timestamp" timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);

-- The last refused messages per source, for the console's debugger (kept a few days, capped per source).
CREATE TABLE event_refusals (
  id bigserial PRIMARY KEY,
  source_id text,
  write_key_id text,
  received_at timestamptz NOT NULL,
  code text NOT NULL,
  reason text NOT NULL,
  message_type text,
  message_id text,
  user_id text,
  anonymous_id text,
  -- the refused message, truncated
  excerpt text
);
CREATE INDEX event_refusals_source ON event_refusals (source_id, received_at DESC);

-- Traits of a profile, one row per trait, each with the time of the message that set it: a late
-- message older than the stored value never overwrites it.
CREATE TABLE customer_traits (
  customer_id text NOT NULL REFERENCES customers (id),
  key text NOT NULL,
  value jsonb NOT NULL,
  observed_at timestamptz NOT NULL,
  source_id text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id, key)
);
CREATE INDEX customer_traits_key ON customer_traits (key);

-- Computed traits: definitions (docs/segments.md) and their current value per customer.
CREATE TABLE computed_traits (
  id text PRIMARY KEY,
  key text NOT NULL,
  name text NOT NULL,
  description text,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  archived_at timestamptz
);
CREATE UNIQUE INDEX computed_traits_key ON computed_traits (key) WHERE archived_at IS NULL;

CREATE TABLE customer_computed_traits (
  trait_id text NOT NULL REFERENCES computed_traits (id),
  customer_id text NOT NULL REFERENCES customers (id),
  value jsonb,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (trait_id, customer_id)
);
CREATE INDEX customer_computed_traits_customer ON customer_computed_traits (customer_id);

-- Segments: a rule tree (docs/segments.md), its materialised members and their history.
CREATE TABLE segments (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text,
  rules jsonb NOT NULL,
  -- full re-evaluation every this many minutes (time windows move even when nothing happens)
  refresh_minutes integer NOT NULL DEFAULT 60 CHECK (refresh_minutes BETWEEN 5 AND 10080),
  size integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  last_full_at timestamptz,
  archived_at timestamptz
);
CREATE UNIQUE INDEX segments_name_key ON segments (lower(name)) WHERE archived_at IS NULL;

CREATE TABLE segment_members (
  segment_id text NOT NULL REFERENCES segments (id),
  customer_id text NOT NULL REFERENCES customers (id),
  entered_at timestamptz NOT NULL,
  PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_members_customer ON segment_members (customer_id);

CREATE TABLE segment_membership_history (
  id bigserial PRIMARY KEY,
  segment_id text NOT NULL REFERENCES segments (id),
  customer_id text NOT NULL REFERENCES customers (id),
  entered_at timestamptz NOT NULL,
  exited_at timestamptz
);
CREATE INDEX segment_membership_history_member ON segment_membership_history (segment_id, customer_id, entered_at DESC);
CREATE INDEX segment_membership_history_customer ON segment_membership_history (customer_id);

CREATE TABLE segment_sizes (
  segment_id text NOT NULL REFERENCES segments (id),
  at timestamptz NOT NULL,
  size integer NOT NULL,
  PRIMARY KEY (segment_id, at)
);

-- Customers whose computed traits and segment memberships must be re-evaluated (an event, order,
-- consent change … touched them). Claimed with SKIP LOCKED and deleted when done.
CREATE TABLE audience_dirty (
  customer_id text PRIMARY KEY,
  queued_at timestamptz NOT NULL
);
CREATE INDEX audience_dirty_queued ON audience_dirty (queued_at);
