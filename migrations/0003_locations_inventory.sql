-- Locations (warehouses and stores), which locations fulfil which channel, and the inventory:
-- stock levels per SKU and location, the append-only movement ledger, reservations and transfers.
-- SKUs are plain text here; the catalog's foreign key is added when the modules are merged.

CREATE TABLE locations (
  id text PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('warehouse', 'store')),
  address_line1 text NOT NULL,
  address_line2 text,
  city text NOT NULL,
  region text,
  postal_code text,
  country char(2) NOT NULL,
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  timezone text NOT NULL,
  opening_hours jsonb NOT NULL DEFAULT '{}',
  pickup boolean NOT NULL DEFAULT false,
  ship_from_store boolean NOT NULL DEFAULT false,
  sells_in_store boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE UNIQUE INDEX locations_name_key ON locations (lower(name));

-- The locations that fulfil a channel, in priority order (1 = first choice).
CREATE TABLE channel_locations (
  channel_id text NOT NULL REFERENCES channels (id),
  location_id text NOT NULL REFERENCES locations (id),
  priority integer NOT NULL CHECK (priority > 0),
  PRIMARY KEY (channel_id, location_id),
  UNIQUE (channel_id, priority)
);
CREATE INDEX channel_locations_location ON channel_locations (location_id);

-- Current stock per SKU and location. available = on_hand - reserved - safety_stock (shown as max(0, …)).
-- Changed only by single conditional statements that also append the movement (see inventory/ledger.ts).
CREATE TABLE inventory_levels (
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  safety_stock integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
  low_stock_threshold integer CHECK (low_stock_threshold >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (sku, location_id),
  CHECK (reserved <= on_hand)
);
CREATE INDEX inventory_levels_location ON inventory_levels (location_id, sku);

-- The ledger: every change of on_hand or reserved, never updated or deleted.
-- For every level, on_hand = sum(on_hand_delta) and reserved = sum(reserved_delta).
CREATE TABLE inventory_movements (
  id text PRIMARY KEY,
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  kind text NOT NULL CHECK (kind IN ('receipt', 'sale', 'reservation', 'release', 'adjustment',
    'transfer_out', 'transfer_in', 'return', 'count_correction', 'write_off')),
  on_hand_delta integer NOT NULL,
  reserved_delta integer NOT NULL,
  reason text,
  actor text NOT NULL,
  reference_type text,
  reference_id text,
  created_at timestamptz NOT NULL,
  CHECK (on_hand_delta <> 0 OR reserved_delta <> 0)
);
CREATE INDEX inventory_movements_level ON inventory_movements (sku, location_id, id);
CREATE INDEX inventory_movements_location ON inventory_movements (location_id, id);
CREATE INDEX inventory_movements_reference ON inventory_movements (reference_type, reference_id);

CREATE FUNCTION plaza_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is an append-only ledger: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER inventory_movements_append_only BEFORE UPDATE OR DELETE ON inventory_movements
  FOR EACH ROW EXECUTE FUNCTION plaza_append_only();
CREATE TRIGGER inventory_movements_no_truncate BEFORE TRUNCATE ON inventory_movements
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_append_only();

-- Holds on stock for an order, cart or POS sale. Lines are aggregated per SKU and location.
CREATE TABLE reservations (
  id text PRIMARY KEY,
  reference_type text NOT NULL,
  reference_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'released', 'committed', 'expired')),
  expires_at timestamptz,
  actor text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX reservations_reference ON reservations (reference_type, reference_id);
CREATE INDEX reservations_expiring ON reservations (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL;

CREATE TABLE reservation_lines (
  reservation_id text NOT NULL REFERENCES reservations (id),
  sku text NOT NULL,
  location_id text NOT NULL REFERENCES locations (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, sku, location_id)
);

-- Stock moving between two locations: requested -> in_transit -> (partially_received ->) received, or cancelled.
CREATE TABLE inventory_transfers (
  id text PRIMARY KEY,
  from_location_id text NOT NULL REFERENCES locations (id),
  to_location_id text NOT NULL REFERENCES locations (id),
  status text NOT NULL CHECK (status IN ('requested', 'in_transit', 'partially_received', 'received', 'cancelled')),
  note text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  shipped_at timestamptz,
  received_at timestamptz,
  cancelled_at timestamptz,
  CHECK (from_location_id <> to_location_id)
);
CREATE INDEX inventory_transfers_from ON inventory_transfers (from_location_id, id);
CREATE INDEX inventory_transfers_to ON inventory_transfers (to_location_id, id);
CREATE INDEX inventory_transfers_in_transit ON inventory_transfers (to_location_id)
  WHERE status IN ('in_transit', 'partially_received');

CREATE TABLE inventory_transfer_lines (
  transfer_id text NOT NULL REFERENCES inventory_transfers (id),
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  quantity_received integer NOT NULL DEFAULT 0 CHECK (quantity_received >= 0),
  PRIMARY KEY (transfer_id, sku),
  CHECK (quantity_received <= quantity)
);
CREATE INDEX inventory_transfer_lines_sku ON inventory_transfer_lines (sku);
