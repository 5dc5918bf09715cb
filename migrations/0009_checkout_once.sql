-- One cart, one checkout (issue 18). Checkout looks for the cart's pending order under the cart's row
-- lock; this index is the database's backstop for any path that does not: at most one order of a cart
-- waits for its payment at a time (an online checkout, or a POS sale of the online cart).
CREATE UNIQUE INDEX orders_one_pending_per_cart ON orders (cart_id)
  WHERE status = 'pending_payment' AND cart_id IS NOT NULL;

-- The idempotency-key sweeper finds claims whose lease ran out.
CREATE INDEX idempotency_keys_lease ON idempotency_keys (locked_until) WHERE status = 'in_progress';
