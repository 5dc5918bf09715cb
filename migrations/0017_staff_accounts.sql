-- Staff accounts (issue 10.3): people log into the console and the POS with an e-mail and a password.
-- Roles: owner and manager act as admins, staff only at their store locations (like staff tokens).
CREATE TABLE staff_users (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
  location_ids text[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
  password_hash text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  created_by text,
  last_login_at timestamptz,
  CHECK (role <> 'staff' OR cardinality(location_ids) > 0),
  CHECK (status <> 'active' OR password_hash IS NOT NULL)
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

-- Only the SHA-256 of a session token is stored; the CSRF token is derived from the token itself.
CREATE TABLE staff_sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES staff_users (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id) WHERE revoked_at IS NULL;

-- One-time links: invitations, password resets, and the first owner's set-up link (no user yet).
CREATE TABLE staff_links (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('invite', 'reset', 'owner')),
  user_id text REFERENCES staff_users (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_by text,
  CHECK ((kind = 'owner') = (user_id IS NULL))
);
CREATE INDEX staff_links_user ON staff_links (user_id, created_at) WHERE user_id IS NOT NULL;
