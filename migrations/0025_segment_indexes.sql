-- Segment rules (issue 11.10): a trait condition (customer_traits.key = $k AND value …) finds its
-- customers by key and value in one index-only scan instead of reading every row of the key.
CREATE INDEX customer_traits_key_value ON customer_traits (key, value) INCLUDE (customer_id);
