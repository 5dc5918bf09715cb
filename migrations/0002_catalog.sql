-- Catalog: products and their variants, categories and collections, per-channel assortment
-- (product_channels) and per-channel prices with optional validity windows.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE products (
  id text PRIMARY KEY,
  handle text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- draft: being prepared; published: may be published to channels; archived: retired, sold nowhere.
  status text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
  image_urls text[] NOT NULL DEFAULT '{}',
  option_names text[] NOT NULL DEFAULT '{}',
  -- Set the first time the product is published to a channel: from then on it may have been sold,
  -- so DELETE archives it instead of removing it.
  first_published_at timestamptz,
  -- Maintained by the catalog service on every write: title (A), SKUs, barcodes and category
  -- names (B), description (C); 'simple' configuration over unaccent()ed text.
  search_vector tsvector NOT NULL DEFAULT ''::tsvector,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT products_handle_key UNIQUE (handle),
  CHECK (handle ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
CREATE INDEX products_search ON products USING gin (search_vector);
CREATE INDEX products_title_trgm ON products USING gin (lower(title) gin_trgm_ops);
CREATE INDEX products_status ON products (status, id);

CREATE TABLE variants (
  id text PRIMARY KEY,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  sku text NOT NULL,
  barcode text,
  title text NOT NULL,
  options jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
  position integer NOT NULL DEFAULT 0,
  weight_grams integer CHECK (weight_grams >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT variants_sku_key UNIQUE (sku),
  -- No two variants of a product with the same option combination (jsonb equality ignores key order).
  -- Checked at the end of each statement, so one bulk update may swap two variants' options.
  CONSTRAINT variants_options_key UNIQUE (product_id, options) DEFERRABLE INITIALLY IMMEDIATE,
  CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
  CHECK (barcode ~ '^([0-9]{8}|[0-9]{12,13})$')
);
-- A barcode is unique as a GTIN: UPC-A 012345678905 and EAN-13 0012345678905 are the same code.
CREATE UNIQUE INDEX variants_gtin_key ON variants (lpad(barcode, 14, '0'));
CREATE INDEX variants_product ON variants (product_id, position, id);
CREATE INDEX variants_sku_trgm ON variants USING gin (lower(sku) gin_trgm_ops);

CREATE TABLE categories (
  id text PRIMARY KEY,
  name text NOT NULL,
  handle text NOT NULL,
  parent_id text REFERENCES categories (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT categories_handle_key UNIQUE (handle),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TABLE collections (
  id text PRIMARY KEY,
  title text NOT NULL,
  handle text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT collections_handle_key UNIQUE (handle)
);

CREATE TABLE product_categories (
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  category_id text NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  PRIMARY KEY (product_id, category_id)
);
CREATE INDEX product_categories_category ON product_categories (category_id, product_id);

CREATE TABLE product_collections (
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  collection_id text NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  PRIMARY KEY (product_id, collection_id)
);
CREATE INDEX product_collections_collection ON product_collections (collection_id, product_id);

-- Per-channel assortment: a product is sold on a channel only while a row exists here.
CREATE TABLE product_channels (
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  channel_id text NOT NULL REFERENCES channels (id),
  published_at timestamptz NOT NULL,
  PRIMARY KEY (product_id, channel_id)
);
CREATE INDEX product_channels_channel ON product_channels (channel_id, product_id);

-- Prices per variant and channel. A row with no starts_at is the base price (at most one per
-- variant and channel); rows with a starts_at are scheduled prices whose windows do not overlap.
-- Current price at T: among rows whose window contains T, the one with the latest starts_at.
CREATE TABLE prices (
  id text PRIMARY KEY,
  variant_id text NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
  channel_id text NOT NULL REFERENCES channels (id),
  currency char(3) NOT NULL,
  amount int8 NOT NULL CHECK (amount >= 0),
  compare_at_amount int8 CHECK (compare_at_amount > amount),
  starts_at timestamptz,
  ends_at timestamptz,
  created_at timestamptz NOT NULL,
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
);
-- The current-price lookup walks this index: (variant, channel), latest starts_at first, base last.
CREATE INDEX prices_lookup ON prices (variant_id, channel_id, starts_at DESC NULLS LAST);
CREATE UNIQUE INDEX prices_base_key ON prices (variant_id, channel_id) WHERE starts_at IS NULL;
CREATE INDEX prices_channel ON prices (channel_id);
