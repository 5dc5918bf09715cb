-- Reports and lists of the console (issue 10): the dashboard (GET /admin/reports/dashboard) first.
-- Sales per day read orders by placed_at (orders_placed_at); these make the rest of it cheap:
--  * a buyer is "returning" when their first sale came earlier: one index-only probe per buyer;
--  * refunds are counted on the day they were made;
--  * low stock reads only the levels that have a threshold (the low-stock rule needs one). The index
--    leaves on_hand and reserved out on purpose: stock changes stay HOT updates on the hot rows.
CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at) INCLUDE (status)
  WHERE customer_id IS NOT NULL;
CREATE INDEX refunds_created ON refunds (created_at);
CREATE INDEX inventory_levels_thresholds ON inventory_levels (location_id, sku)
  WHERE low_stock_threshold IS NOT NULL;

-- The console's lists (issue 10.4): customers found by part of a name or e-mail (GET /admin/customers?q=),
-- the expression of customers/repo.ts SEARCH_TEXT.
CREATE INDEX customers_search_trgm ON customers
  USING gin ((lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, ''))) gin_trgm_ops);
