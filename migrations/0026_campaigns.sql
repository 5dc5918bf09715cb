-- Campaigns and journeys over every medium (issue 12, docs/campaigns.md).

-- Two more contact channels for consent: advertising audiences (customer lists sent to ad platforms)
-- and offers shown by staff at the store counter.
ALTER TABLE consent_records DROP CONSTRAINT consent_records_channel_check;
ALTER TABLE consent_records ADD CONSTRAINT consent_records_channel_check
  CHECK (channel IN ('email', 'sms', 'push', 'mail', 'phone', 'in_app', 'ads', 'in_store'));

-- ── Messaging (src/modules/messaging) ──────────────────────────────────────────────────────────

-- The send ledger: one row per (source, recipient, medium), written before any provider is called.
-- source_key: the campaign id, `<enrollment id>:<step key>` for a journey step, or
-- `txn:<kind>:<subject id>` for a transactional message (so it is never sent twice).
CREATE TABLE message_sends (
  id text PRIMARY KEY,                                   -- msg_…
  source_kind text NOT NULL CHECK (source_kind IN ('campaign', 'journey', 'transactional')),
  source_key text NOT NULL,
  campaign_id text,
  journey_id text,
  journey_version integer,
  step_key text,
  customer_id text NOT NULL REFERENCES customers (id),
  medium text NOT NULL CHECK (medium IN ('email', 'sms', 'push', 'web_push', 'banner', 'in_app', 'print', 'ads', 'pos')),
  marketing boolean NOT NULL,
  variant text,
  status text NOT NULL CHECK (status IN ('planned', 'sending', 'sent', 'failed', 'skipped', 'holdout', 'cancelled')),
  -- why nothing was sent (status skipped/failed): no_consent, capped, holdout, out_of_stock,
  -- bounced_before, no_address, suppressed, restricted, erased, segment_deleted, template_error,
  -- provider_failed, no_provider, cancelled
  skip_reason text,
  -- why a planned send waits past its first due time (quiet_hours, throttled, paused)
  delay_reason text,
  due_at timestamptz NOT NULL,
  lease_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  provider text,
  provider_message_id text,
  -- the address the message went to (e-mail, E.164 phone, endpoint id), kept for bounces; erased with the person
  address text,
  last_error text,
  -- journey and transactional sends: { content: { <medium>: template fields }, data: { … } } rendered at
  -- send time; campaign sends read their content from the campaign's variant instead (no copy per row)
  payload jsonb,
  delivery text CHECK (delivery IN ('delivered', 'bounced', 'complained', 'failed')),
  delivered_at timestamptz,
  opened_at timestamptz,
  clicked_at timestamptz,
  converted_at timestamptz,
  converted_order_id text,
  unsubscribed_at timestamptz,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  updated_at timestamptz NOT NULL,
  UNIQUE (source_key, customer_id, medium)
);
-- the sender's queue: due planned rows, and sends whose lease ran out (a worker died mid-send)
CREATE INDEX message_sends_due ON message_sends (due_at) WHERE status = 'planned';
CREATE INDEX message_sends_leased ON message_sends (lease_until) WHERE status = 'sending';
-- the frequency cap: a customer's marketing touches by time
CREATE INDEX message_sends_touches ON message_sends (customer_id, sent_at) WHERE marketing AND status = 'sent';
CREATE INDEX message_sends_campaign ON message_sends (campaign_id, status) WHERE campaign_id IS NOT NULL;
CREATE INDEX message_sends_journey ON message_sends (journey_id) WHERE journey_id IS NOT NULL;
CREATE INDEX message_sends_provider_id ON message_sends (provider, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX message_sends_customer ON message_sends (customer_id, created_at DESC);

-- Addresses that hard-bounced or complained: never sent marketing again (keyed hash like privacy_suppressions).
CREATE TABLE message_suppressions (
  hash text PRIMARY KEY,
  medium text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'manual')),
  send_id text,
  created_at timestamptz NOT NULL
);

-- Devices a customer can be reached on by push: FCM registration tokens (app) and Web Push
-- subscriptions (browser, with their keys).
CREATE TABLE message_endpoints (
  id text PRIMARY KEY,                                   -- mep_…
  customer_id text REFERENCES customers (id),
  anonymous_id text,
  kind text NOT NULL CHECK (kind IN ('fcm', 'web_push')),
  -- FCM: the registration token; Web Push: the subscription endpoint URL
  address text NOT NULL,
  p256dh text,
  auth text,
  user_agent text,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  revoked_at timestamptz,
  UNIQUE (kind, address)
);
CREATE INDEX message_endpoints_customer ON message_endpoints (customer_id) WHERE revoked_at IS NULL;

-- The built-in mailbox: with no SMTP server configured, e-mail lands here (shown in the console).
CREATE TABLE mailbox_messages (
  id text PRIMARY KEY,                                   -- mbx_…
  send_id text,
  customer_id text REFERENCES customers (id),
  to_address text NOT NULL,
  from_address text NOT NULL,
  subject text NOT NULL,
  html text,
  text_body text NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL
);
CREATE INDEX mailbox_messages_created ON mailbox_messages (created_at DESC, id DESC);
CREATE INDEX mailbox_messages_customer ON mailbox_messages (customer_id);

-- Delivery-status callbacks as received (for the debugger and replays), whatever their outcome.
CREATE TABLE message_callbacks (
  id bigserial PRIMARY KEY,
  provider text NOT NULL,
  send_id text,
  status text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX message_callbacks_send ON message_callbacks (send_id);

-- ── Campaigns (src/flows/campaigns) ────────────────────────────────────────────────────────────

-- Uploaded customer lists (a campaign's audience from CSV), matched to customers on upload.
CREATE TABLE audience_lists (
  id text PRIMARY KEY,                                   -- aul_…
  name text NOT NULL,
  rows_total integer NOT NULL,
  rows_matched integer NOT NULL,
  -- refused or unmatched rows: [{ line, reason }] (no personal values)
  refusals jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL
);
CREATE TABLE audience_list_members (
  list_id text NOT NULL REFERENCES audience_lists (id),
  customer_id text NOT NULL REFERENCES customers (id),
  PRIMARY KEY (list_id, customer_id)
);
CREATE INDEX audience_list_members_customer ON audience_list_members (customer_id);

CREATE TABLE campaigns (
  id text PRIMARY KEY,                                   -- cmp_…
  name text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'scheduled', 'planning', 'sending', 'paused', 'completed', 'cancelled')),
  -- marketing (cap, consent for marketing) or transactional (exempt from the cap, never twice)
  kind text NOT NULL DEFAULT 'marketing' CHECK (kind IN ('marketing', 'transactional')),
  segment_id text REFERENCES segments (id),
  list_id text REFERENCES audience_lists (id),
  media text[] NOT NULL,
  -- [{ key, split, content: { email: { subject, html, text }, sms: { text }, push: { title, body, url },
  --    web_push: {…}, banner: { slot, title, body, image_url, url }, in_app: {…}, pos: { title, body },
  --    print: { title, body } } }]
  variants jsonb NOT NULL,
  -- { mode: 'now' | 'at' | 'local_time', at?: ISO, local_time?: 'HH:MM', date?: 'YYYY-MM-DD' }
  schedule jsonb NOT NULL DEFAULT '{"mode":"now"}',
  -- automatic A/B winner: { metric: 'open' | 'click' | 'conversion', test_percent, after_minutes } or null
  winner jsonb,
  winner_variant text,
  holdout_percent integer NOT NULL DEFAULT 0 CHECK (holdout_percent BETWEEN 0 AND 50),
  -- per medium, most sends per minute: { email: 600 }
  throttle jsonb NOT NULL DEFAULT '{}',
  -- an offer attached to the campaign: { discount_id, codes: 'per_recipient' | 'shared', product_ids? }
  offer jsonb,
  -- the products the message advertises (personalisation: in stock at the recipient's store)
  product_ids text[] NOT NULL DEFAULT '{}',
  require_in_stock boolean NOT NULL DEFAULT false,
  utm jsonb,
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  scheduled_at timestamptz,
  planned_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  archived_at timestamptz
);
CREATE INDEX campaigns_due ON campaigns (scheduled_at) WHERE status = 'scheduled';

-- Rollups for the campaign screens (never live scans of message_sends): counts per campaign,
-- variant, medium and metric (planned, holdout, skipped:<reason>, sent, failed, delivered, bounced,
-- complained, opened, clicked, converted, unsubscribed, redeemed, revenue_minor).
CREATE TABLE campaign_stats (
  campaign_id text NOT NULL REFERENCES campaigns (id),
  variant text NOT NULL DEFAULT '',
  medium text NOT NULL,
  metric text NOT NULL,
  n bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, variant, medium, metric)
);

-- Offer codes of a campaign: one per recipient (or one per print batch); redeemable online and at the POS.
CREATE TABLE offer_codes (
  code text PRIMARY KEY,
  campaign_id text NOT NULL REFERENCES campaigns (id),
  discount_id text NOT NULL REFERENCES discounts (id),
  customer_id text REFERENCES customers (id),
  send_id text,
  print_run_id text,
  max_redemptions integer NOT NULL DEFAULT 1,
  redemptions integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz
);
CREATE INDEX offer_codes_campaign ON offer_codes (campaign_id);
-- one personal code per recipient of a campaign
CREATE UNIQUE INDEX offer_codes_recipient ON offer_codes (campaign_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX offer_codes_customer ON offer_codes (customer_id);
CREATE TABLE offer_redemptions (
  id text PRIMARY KEY,                                   -- ofr_…
  code text NOT NULL REFERENCES offer_codes (code),
  campaign_id text NOT NULL REFERENCES campaigns (id),
  customer_id text REFERENCES customers (id),
  order_id text,
  channel_id text,
  location_id text,
  redeemed_at timestamptz NOT NULL,
  UNIQUE (code, order_id)
);

CREATE TABLE print_runs (
  id text PRIMARY KEY,                                   -- prn_…
  campaign_id text NOT NULL REFERENCES campaigns (id),
  per text NOT NULL CHECK (per IN ('recipient', 'batch')),
  recipients integer NOT NULL,
  batch_size integer,
  created_at timestamptz NOT NULL
);

-- Banner and in-app slots on the shop and the app view.
CREATE TABLE placements (
  slot text PRIMARY KEY,
  name text NOT NULL,
  description text,
  surface text NOT NULL CHECK (surface IN ('web', 'app', 'any')),
  created_at timestamptz NOT NULL
);
INSERT INTO placements (slot, name, description, surface, created_at) VALUES
  ('home_hero', 'Home page banner', 'Above the product grid of the shop''s home page', 'any', now()),
  ('product_detail', 'Product page banner', 'Under the price on a product page', 'any', now());

-- ── Journeys (src/flows/journeys) ──────────────────────────────────────────────────────────────

CREATE TABLE journeys (
  id text PRIMARY KEY,                                   -- jrn_…
  name text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'archived')),
  kind text NOT NULL DEFAULT 'marketing' CHECK (kind IN ('marketing', 'transactional')),
  template text,                                         -- ready-made it came from (abandoned_cart …)
  current_version integer,                               -- the published version new entries get
  draft jsonb,                                           -- { trigger, steps } being edited
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE journey_versions (
  journey_id text NOT NULL REFERENCES journeys (id),
  version integer NOT NULL,
  -- { type: 'event', event } | { type: 'segment_entered', segment_id } | { type: 'date_trait', trait, offset_days }
  -- | { type: 'stock', kind: 'back_in_stock' } | { type: 'fact', outbox_type }
  trigger jsonb NOT NULL,
  -- [{ key, type: 'wait' | 'wait_until' | 'branch' | 'send' | 'update_trait' | 'exit', … }]
  steps jsonb NOT NULL,
  -- exit when the customer converts: { event: 'Order Completed' } or null
  exit_on jsonb,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (journey_id, version)
);
CREATE TABLE journey_enrollments (
  id text PRIMARY KEY,                                   -- jen_…
  journey_id text NOT NULL REFERENCES journeys (id),
  version integer NOT NULL,
  customer_id text NOT NULL REFERENCES customers (id),
  -- what made this entry unique (cart id, product:location, date): a trigger fires once per key
  trigger_key text NOT NULL,
  context jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('active', 'completed', 'exited', 'converted', 'failed')),
  step_index integer NOT NULL DEFAULT 0,
  wake_at timestamptz,
  lease_until timestamptz,
  exit_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (journey_id, customer_id, trigger_key)
);
CREATE INDEX journey_enrollments_due ON journey_enrollments (wake_at) WHERE state = 'active';
CREATE INDEX journey_enrollments_customer ON journey_enrollments (customer_id);
-- "Back in stock at your store": who asked to be told, per variant and location.
CREATE TABLE stock_watches (
  id text PRIMARY KEY,                                   -- stw_…
  customer_id text NOT NULL REFERENCES customers (id),
  variant_id text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  created_at timestamptz NOT NULL,
  notified_at timestamptz,
  UNIQUE (customer_id, variant_id, location_id)
);
CREATE INDEX stock_watches_item ON stock_watches (variant_id, location_id) WHERE notified_at IS NULL;
