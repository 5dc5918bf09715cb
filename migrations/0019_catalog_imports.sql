-- Catalog CSV imports started through the API (POST /admin/products/imports): the console shows
-- their progress and the refused rows with their line numbers. The import itself runs in the process
-- that received the file; any process answers its progress from this table.
CREATE TABLE catalog_imports (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  filename text,
  rows integer NOT NULL DEFAULT 0 CHECK (rows >= 0),
  rows_done integer NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  errors jsonb NOT NULL DEFAULT '[]'::jsonb,
  failure text,
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX catalog_imports_created ON catalog_imports (created_at DESC, id DESC);
