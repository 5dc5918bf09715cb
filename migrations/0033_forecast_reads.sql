-- Faster reads for forecasting runs.
-- A forecasting run reads the history of a chunk of SKUs by `sku = ANY($1)` alone. With the primary
-- key covering the day's figures the read is an index-only scan in (sku, location_id, day) order;
-- before, each row was fetched from a heap page of its own (a SKU's days are written over two years
-- of nightly rebuilds), and 100,000 series took minutes to read (BENCHMARKS.md, "Forecasting").
ALTER TABLE demand_days
  DROP CONSTRAINT demand_days_pkey,
  ADD CONSTRAINT demand_days_pkey PRIMARY KEY (sku, location_id, day) INCLUDE (sold, returned, stockout);

-- The nightly rebuild reads the stock movements of its last weeks by time. The ledger is append-only
-- and written in time order, so a block-range index finds them at almost no cost to writes.
CREATE INDEX inventory_movements_created_brin ON inventory_movements USING brin (created_at);
