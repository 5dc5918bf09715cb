-- One customer everywhere: richer profiles, identities (email, phone, loyalty card, external and
-- anonymous ids), addresses, reversible merges, consent ledger, data-subject requests with erasure
-- suppression, and the loyalty program with its points ledger.

-- Profiles. A customer known only at a store counter may have no email.
ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;
ALTER TABLE customers
  ADD COLUMN birthday date,
  ADD COLUMN language text,
  ADD COLUMN preferred_location_id text REFERENCES locations (id),
  ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'erased')),
  ADD COLUMN merged_into text REFERENCES customers (id),
  ADD COLUMN processing_restricted_at timestamptz,
  ADD COLUMN erased_at timestamptz,
  ADD COLUMN source text NOT NULL DEFAULT 'web',
  ADD COLUMN created_channel_id text REFERENCES channels (id),
  ADD CONSTRAINT customers_merged_into CHECK ((status = 'merged') = (merged_into IS NOT NULL));
CREATE INDEX customers_merged_into_idx ON customers (merged_into) WHERE merged_into IS NOT NULL;

-- Every way a customer is recognised. A (kind, value) belongs to at most one customer at a time
-- ("live" link); unlinked rows stay as history.
CREATE TABLE customer_identities (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  kind text NOT NULL CHECK (kind IN ('email', 'phone', 'loyalty_card', 'external', 'anonymous')),
  value text NOT NULL,
  verified boolean NOT NULL DEFAULT false,
  is_primary boolean NOT NULL DEFAULT false,
  source text NOT NULL,
  source_channel_id text REFERENCES channels (id),
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  unlinked_at timestamptz,
  created_at timestamptz NOT NULL,
  CHECK (NOT is_primary OR kind IN ('email', 'phone'))
);
CREATE UNIQUE INDEX customer_identities_live ON customer_identities (kind, value) WHERE unlinked_at IS NULL;
CREATE UNIQUE INDEX customer_identities_one_primary ON customer_identities (customer_id, kind)
  WHERE is_primary AND unlinked_at IS NULL;
CREATE INDEX customer_identities_customer ON customer_identities (customer_id, kind);

-- Existing accounts: their email is their primary email identity.
INSERT INTO customer_identities (id, customer_id, kind, value, verified, is_primary, source, first_seen_at,
                                 last_seen_at, created_at)
SELECT 'idn_' || upper(substr(md5(c.id), 1, 26)), c.id, 'email', c.email, false, true, 'registration',
       c.created_at, c.updated_at, c.created_at
FROM customers c WHERE c.email IS NOT NULL;

CREATE TABLE customer_addresses (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  name text,
  company text,
  line1 text NOT NULL,
  line2 text,
  city text NOT NULL,
  region text,
  postal_code text,
  country char(2) NOT NULL,
  phone text,
  is_default_shipping boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id, created_at);
CREATE UNIQUE INDEX customer_addresses_one_default ON customer_addresses (customer_id) WHERE is_default_shipping;

-- Anonymous (device) ids: carts remember the first one that touched them; a session remembers the
-- device it was opened on even when that device belongs to someone else (shared devices).
ALTER TABLE carts ADD COLUMN anonymous_id text;
CREATE INDEX carts_anonymous ON carts (anonymous_id) WHERE anonymous_id IS NOT NULL;
CREATE INDEX carts_customer ON carts (customer_id, created_at) WHERE customer_id IS NOT NULL;
ALTER TABLE customer_sessions ADD COLUMN anonymous_id text;

-- The customer timeline reads the outbox by customer and by order.
CREATE INDEX outbox_events_customer ON outbox_events ((data ->> 'customer_id'), occurred_at)
  WHERE (data ->> 'customer_id') IS NOT NULL;
CREATE INDEX outbox_events_order_ref ON outbox_events ((data ->> 'order_id'), occurred_at)
  WHERE (data ->> 'order_id') IS NOT NULL;

-- Merges of duplicate profiles: the audit record and exactly which rows moved (for the undo).
CREATE TABLE customer_merges (
  id text PRIMARY KEY,
  survivor_id text NOT NULL REFERENCES customers (id),
  merged_id text NOT NULL REFERENCES customers (id),
  status text NOT NULL CHECK (status IN ('merged', 'undone')),
  reason text,
  survivor_before jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  undone_by text,
  undone_at timestamptz,
  undo_report jsonb,
  CHECK (survivor_id <> merged_id)
);
CREATE UNIQUE INDEX customer_merges_live ON customer_merges (merged_id) WHERE status = 'merged';
CREATE INDEX customer_merges_survivor ON customer_merges (survivor_id, created_at);

CREATE TABLE customer_merge_moves (
  merge_id text NOT NULL REFERENCES customer_merges (id),
  kind text NOT NULL CHECK (kind IN ('identity', 'order', 'cart', 'points', 'consent', 'address', 'session',
                                     'loyalty_account')),
  row_id text NOT NULL,
  before jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (merge_id, kind, row_id)
);

-- Consent: an append-only ledger; the current state is the latest row per customer, purpose, channel.
CREATE TABLE consent_records (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  purpose text NOT NULL CHECK (purpose IN ('marketing', 'personalization', 'analytics', 'profiling')),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'mail', 'phone', 'in_app')),
  status text NOT NULL CHECK (status IN ('granted', 'denied', 'withdrawn', 'pending')),
  legal_basis text NOT NULL CHECK (legal_basis IN ('consent', 'legitimate_interest', 'contract',
                                                    'legal_obligation')),
  source text NOT NULL CHECK (source IN ('web_form', 'pos', 'import', 'api', 'admin', 'double_opt_in',
                                         'unsubscribe_link', 'merge_undo', 'erasure')),
  sales_channel_id text REFERENCES channels (id),
  location_id text REFERENCES locations (id),
  ip text,
  user_agent text,
  form_version text,
  recorded_by text NOT NULL,
  confirmation_token_hash text UNIQUE,
  confirmation_expires_at timestamptz,
  confirms_record_id text REFERENCES consent_records (id),
  recorded_at timestamptz NOT NULL
);
CREATE INDEX consent_records_current ON consent_records (customer_id, purpose, channel, recorded_at, id);

-- Only the owner (merge/undo) and the proof (erasure) of a consent record may change; never its content.
CREATE FUNCTION plaza_consent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'consent_records is append-only'; END IF;
  IF (NEW.id, NEW.purpose, NEW.channel, NEW.status, NEW.legal_basis, NEW.source, NEW.recorded_at)
     IS DISTINCT FROM (OLD.id, OLD.purpose, OLD.channel, OLD.status, OLD.legal_basis, OLD.source, OLD.recorded_at)
  THEN RAISE EXCEPTION 'consent_records is append-only'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consent_records_append_only BEFORE UPDATE OR DELETE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION plaza_consent_append_only();

-- Data-subject requests, each with its statutory deadline.
CREATE TABLE privacy_requests (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  kind text NOT NULL CHECK (kind IN ('export', 'restrict', 'lift_restriction', 'erase')),
  status text NOT NULL CHECK (status IN ('received', 'completed', 'rejected')),
  source text NOT NULL CHECK (source IN ('customer', 'admin')),
  channel_id text REFERENCES channels (id),
  note text,
  received_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  completed_at timestamptz,
  processed_by text,
  rejection_reason text,
  result jsonb,
  CHECK (due_at = received_at + interval '30 days')
);
CREATE UNIQUE INDEX privacy_requests_one_open ON privacy_requests (customer_id, kind) WHERE status = 'received';
CREATE INDEX privacy_requests_due ON privacy_requests (status, due_at);

-- Keyed hashes (HMAC-SHA-256 with a server-side pepper) of the emails and phones of erased customers.
CREATE TABLE privacy_suppressions (
  hash text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('email', 'phone')),
  created_at timestamptz NOT NULL
);

-- Loyalty: one account per enrolled customer; the balance is updated with every ledger row.
CREATE TABLE loyalty_accounts (
  customer_id text PRIMARY KEY REFERENCES customers (id),
  card_number text UNIQUE,
  balance integer NOT NULL DEFAULT 0 CHECK (balance >= 0),
  enrolled_at timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE loyalty_ledger (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES loyalty_accounts (customer_id),
  kind text NOT NULL CHECK (kind IN ('earn', 'redeem', 'release', 'reverse', 'expire', 'adjust')),
  points integer NOT NULL,
  -- Qualifying spend (minor units) behind an earn (+) or a return (−), for tiers.
  spend bigint NOT NULL DEFAULT 0,
  currency char(3),
  order_id text,
  reference text,
  note text,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  CHECK ((kind IN ('earn', 'release') AND points >= 0) OR (kind IN ('redeem', 'reverse', 'expire') AND points <= 0)
         OR kind = 'adjust')
);
CREATE UNIQUE INDEX loyalty_ledger_earn_once ON loyalty_ledger (order_id) WHERE kind = 'earn';
CREATE UNIQUE INDEX loyalty_ledger_redeem_ref ON loyalty_ledger (reference) WHERE kind = 'redeem';
CREATE UNIQUE INDEX loyalty_ledger_release_ref ON loyalty_ledger (reference) WHERE kind = 'release';
CREATE UNIQUE INDEX loyalty_ledger_reverse_ref ON loyalty_ledger (reference) WHERE kind = 'reverse';
CREATE INDEX loyalty_ledger_customer ON loyalty_ledger (customer_id, created_at, id);
CREATE INDEX loyalty_ledger_order ON loyalty_ledger (order_id) WHERE order_id IS NOT NULL;

-- Points rows are never changed or deleted; only their owner moves (merge and its undo).
CREATE FUNCTION plaza_loyalty_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'loyalty_ledger is append-only'; END IF;
  IF (NEW.id, NEW.kind, NEW.points, NEW.spend, NEW.order_id, NEW.reference, NEW.created_at)
     IS DISTINCT FROM (OLD.id, OLD.kind, OLD.points, OLD.spend, OLD.order_id, OLD.reference, OLD.created_at)
  THEN RAISE EXCEPTION 'loyalty_ledger is append-only'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER loyalty_ledger_append_only BEFORE UPDATE OR DELETE ON loyalty_ledger
  FOR EACH ROW EXECUTE FUNCTION plaza_loyalty_append_only();
