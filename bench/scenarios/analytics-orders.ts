/**
 * The analytics benchmark's sales, generated in SQL (one INSERT … SELECT of data-modifying CTEs per
 * chunk of 100,000 orders; analytics-data.ts runs them). Order k (1…N) is placed in the k-th slot of
 * the 365 days before `t0`, so ids and numbers follow time as ULIDs and sequences do. Per order:
 *   - channel: web 45 %, app 25 % (online: 20 % of them for pickup at one of the 4 stores, the rest
 *     shipped from the warehouse), the two POS channels 15 % each (sold in store at their store);
 *   - customer: online 90 % known (drawn with a skew, customer 1 the most frequent), 10 % guests;
 *     in store 55 % known, 45 % anonymous;
 *   - 1–3 lines, 12 % with a 10 % discount, shipping 4.95 on shipped orders; 3 % cancelled;
 *   - status by age: shipped orders confirmed (< 1 day), shipped (< 3 days), then delivered; pickups
 *     made ready 0.5–3.5 h after the order (promised at 3 h), collected within 0.05–2.55 days or, for
 *     6 %, expired after the 7-day hold; a counter sale is completed;
 *   - a cart for each online order (5 % started on the other online channel), a payment (captured;
 *     authorised while a pickup waits; voided when cancelled or expired), a pickup row per pickup order.
 * Then returns (3 % of delivered, collected and counter orders, their first line; a quarter brought
 * to another store than the one that sold it, shipped orders 60 % by mail to the warehouse) with
 * their refunds, and goodwill refunds of a quarter of the total on 2.5 % more orders: about 5 % of the
 * orders refunded, every refund `succeeded`; payments and orders then say what was refunded.
 */

/** $1–$2 order range, $3 orders in all, $4 customers, $5 channels [web, app, pos A, pos B], $6 stores (4), $7 t0. */
export const ORDERS_SQL = `
WITH r AS MATERIALIZED (
  SELECT k, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
    random() AS r7, random() AS r8, random() AS r9, random() AS r10, random() AS r11,
    $7::timestamptz - interval '365 days' + (k - random()) * (interval '365 days' / $3::int) AS at
  FROM generate_series($1::bigint, $2::bigint) AS k),
g AS MATERIALIZED (
  SELECT r.*, c.ch,
    CASE WHEN c.ch > 2 THEN 'in_store' WHEN r3 < 0.2 THEN 'pickup' ELSE 'shipping' END AS ftype,
    CASE WHEN (c.ch <= 2 AND r2 < 0.9) OR (c.ch > 2 AND r2 < 0.55)
      THEN 1 + floor($4::int * power(r11, 1.5))::int END AS cust,
    1 + floor(r7 * 3)::int AS nlines,
    r5 < 0.03 AS cancelled, r10 < 0.06 AS expires,
    at + (0.5 + 3 * r6) * interval '1 hour' AS ready,
    at + (0.5 + 3 * r6) * interval '1 hour' + (0.05 + 2.5 * r9 * r9) * interval '1 day' AS collected
  FROM r CROSS JOIN LATERAL (SELECT CASE WHEN r1 < 0.45 THEN 1 WHEN r1 < 0.70 THEN 2 WHEN r1 < 0.85 THEN 3 ELSE 4 END AS ch) c),
h AS MATERIALIZED (
  SELECT g.*, 'ord_' || lpad(k::text, 26, '0') AS id, 100000 + k AS number, ($5::text[])[ch] AS channel_id,
    CASE ch WHEN 3 THEN ($6::text[])[1] WHEN 4 THEN ($6::text[])[2] END AS selling,
    CASE WHEN ftype = 'pickup' THEN ($6::text[])[1 + floor(r4 * 4)::int] END AS pickup_at,
    CASE WHEN cust IS NOT NULL THEN 'cus_' || lpad(cust::text, 26, '0') END AS customer_id,
    CASE WHEN cust IS NOT NULL THEN 'customer' || cust || '@example.com'
         WHEN ch <= 2 THEN 'guest' || k || '@example.com' END AS email,
    s.subtotal, CASE WHEN r8 < 0.12 THEN s.subtotal / 10 ELSE 0 END AS discount,
    CASE WHEN ftype = 'shipping' THEN 495 ELSE 0 END AS shipping,
    CASE WHEN expires THEN ready + interval '7 days' ELSE collected END AS closes,
    CASE WHEN cancelled THEN 'cancelled'
      WHEN ftype = 'in_store' THEN 'completed'
      WHEN ftype = 'shipping' THEN CASE WHEN at > $7::timestamptz - interval '1 day' THEN 'confirmed'
        WHEN at > $7::timestamptz - interval '3 days' THEN 'shipped' ELSE 'delivered' END
      WHEN ready > $7::timestamptz THEN 'confirmed'
      WHEN (CASE WHEN expires THEN ready + interval '7 days' ELSE collected END) > $7::timestamptz THEN 'ready_for_pickup'
      WHEN expires THEN 'expired' ELSE 'picked_up' END AS status
  FROM g CROSS JOIN LATERAL (
    SELECT sum((990 + (k * 7919 + j * 104729) % 9000) * (1 + ((k + j) % 5 = 0)::int))::bigint AS subtotal
    FROM generate_series(1, g.nlines) AS j) s),
carts AS (
  INSERT INTO carts (id, customer_id, origin_channel_id, status, email, order_id, anonymous_id, created_at, updated_at)
  SELECT 'crt_' || lpad(k::text, 26, '0'), customer_id, CASE WHEN k % 20 = 0 THEN ($5::text[])[3 - ch] ELSE channel_id END,
    'checked_out', email, id, 'anon-' || k, at - interval '25 minutes', at
  FROM h WHERE ch <= 2),
orders AS (
  INSERT INTO orders (id, number, channel_id, selling_location_id, customer_id, email, cart_id, status, payment_status,
    fulfillment_type, pickup_location_id, shipping_address, currency, subtotal, discount_total, shipping_total, total,
    placed_at, cancelled_at, cancel_reason, created_at, updated_at)
  SELECT id, number, channel_id, selling, customer_id, email, CASE WHEN ch <= 2 THEN 'crt_' || lpad(k::text, 26, '0') END,
    status, CASE WHEN status IN ('cancelled', 'expired') THEN 'voided'
      WHEN status IN ('confirmed', 'ready_for_pickup') AND ftype = 'pickup' THEN 'authorized' ELSE 'captured' END,
    ftype, pickup_at,
    CASE WHEN ftype = 'shipping' THEN jsonb_build_object('line1', k || ' Main St', 'city', 'Portland',
      'postal_code', '97205', 'country', 'US') END,
    'USD', subtotal, discount, shipping, subtotal - discount + shipping,
    at, CASE WHEN cancelled THEN least(at + interval '40 minutes', $7::timestamptz) END,
    CASE WHEN cancelled THEN 'customer' END, at, CASE WHEN cancelled THEN least(at + interval '40 minutes', $7::timestamptz) ELSE at END
  FROM h),
lines AS (
  INSERT INTO order_lines (id, order_id, position, sku, title, quantity, unit_price, total, fulfilled_quantity)
  SELECT 'orl_' || lpad(k::text, 24, '0') || lpad(j::text, 2, '0'), id, j,
    'SKU-' || lpad(((k * 31 + j * 17) % 400)::text, 4, '0'), 'Product ' || ((k * 31 + j * 17) % 400),
    1 + ((k + j) % 5 = 0)::int, 990 + (k * 7919 + j * 104729) % 9000,
    (990 + (k * 7919 + j * 104729) % 9000) * (1 + ((k + j) % 5 = 0)::int),
    CASE WHEN status IN ('delivered', 'shipped', 'picked_up', 'completed') THEN 1 + ((k + j) % 5 = 0)::int ELSE 0 END
  FROM h CROSS JOIN generate_series(1, h.nlines) AS j),
payments AS (
  INSERT INTO payments (id, order_id, provider, status, amount, currency, captured_amount, created_at, updated_at)
  SELECT 'pay_' || lpad(k::text, 26, '0'), id, CASE WHEN ch > 2 THEN 'pos_card' ELSE 'sandbox' END,
    CASE WHEN status IN ('cancelled', 'expired') THEN 'voided'
      WHEN status IN ('confirmed', 'ready_for_pickup') AND ftype = 'pickup' THEN 'authorized' ELSE 'captured' END,
    subtotal - discount + shipping, 'USD',
    CASE WHEN status IN ('cancelled', 'expired') OR (status IN ('confirmed', 'ready_for_pickup') AND ftype = 'pickup')
      THEN 0 ELSE subtotal - discount + shipping END, at, at
  FROM h)
INSERT INTO pickups (order_id, order_number, location_id, channel_id, customer_id, status, code, ready_estimate_at,
  ready_at, deadline_at, closed_at, created_at, updated_at)
SELECT id, number, pickup_at, channel_id, customer_id, p.status, upper(substr(md5('pickup' || k), 1, 8)),
  at + interval '3 hours',
  CASE WHEN p.status IN ('ready', 'collected', 'expired') THEN ready END,
  CASE WHEN p.status IN ('ready', 'collected', 'expired') THEN ready + interval '7 days' END,
  CASE p.status WHEN 'collected' THEN collected WHEN 'expired' THEN ready + interval '7 days'
    WHEN 'cancelled' THEN least(at + interval '40 minutes', $7::timestamptz) END,
  at, least(coalesce(closes, ready), $7::timestamptz)
FROM h CROSS JOIN LATERAL (SELECT CASE status WHEN 'cancelled' THEN 'cancelled' WHEN 'confirmed' THEN 'to_prepare'
  WHEN 'ready_for_pickup' THEN 'ready' WHEN 'expired' THEN 'expired' ELSE 'collected' END AS status) p
WHERE ftype = 'pickup'`;

/**
 * Returns of the first line, net of its share of the order's discount ($1 warehouse, $2 stores, $3 t0);
 * `h` spreads the orders into buckets of 1/1000.
 */
export const RETURNS_SQL = `
WITH x AS MATERIALIZED (
  SELECT o.*, l.id AS line_id, l.sku, l.quantity AS line_qty, (o.number * 7919) % 1000 AS h,
    l.total - l.total * o.discount_total / greatest(o.subtotal, 1) AS line_total,
    o.placed_at + (2 + o.number % 20) * interval '1 day' AS ret_at,
    CASE WHEN (o.number / 1000) % 100 < 90 THEN 'completed' WHEN (o.number / 1000) % 100 < 97 THEN 'received'
      ELSE 'cancelled' END AS ret_status
  FROM orders o JOIN order_lines l ON l.order_id = o.id AND l.position = 1
  WHERE o.status IN ('delivered', 'picked_up', 'completed') AND (o.number * 7919) % 1000 < 30
    AND o.placed_at + (2 + o.number % 20) * interval '1 day' <= $3::timestamptz),
ret AS (
  INSERT INTO returns (id, order_id, channel_id, customer_id, location_id, status, refund_method, currency, total,
    refund_total, refunded_amount, reason, created_by, created_at, received_at, updated_at)
  SELECT 'ret_' || substr(id, 5), id, channel_id, customer_id,
    CASE WHEN fulfillment_type = 'shipping' THEN CASE WHEN h % 5 < 3 THEN $1 ELSE ($2::text[])[1 + h % 4] END
      WHEN h % 4 = 0 THEN ($2::text[])[1 + (array_position($2::text[], coalesce(selling_location_id, pickup_location_id)) + h / 4 % 3) % 4]
      ELSE coalesce(selling_location_id, pickup_location_id) END,
    ret_status, CASE WHEN customer_id IS NOT NULL AND h % 10 < 3 THEN 'store_credit' ELSE 'original' END, currency,
    line_total, line_total, CASE WHEN ret_status = 'completed' THEN line_total ELSE 0 END,
    (ARRAY['too small', 'too large', 'not as pictured', 'changed mind'])[1 + h % 4], 'bench', ret_at,
    CASE WHEN ret_status <> 'cancelled' THEN ret_at END, ret_at
  FROM x),
rl AS (
  INSERT INTO return_lines (id, return_id, order_line_id, sku, quantity, amount, tax_amount, condition)
  SELECT 'rtl_' || substr(id, 5), 'ret_' || substr(id, 5), line_id, sku, line_qty, line_total, 0,
    CASE WHEN h % 7 = 0 THEN 'damaged' ELSE 'resellable' END
  FROM x),
back AS (
  UPDATE order_lines l SET returned_quantity = l.quantity FROM x
  WHERE l.id = x.line_id AND x.ret_status <> 'cancelled')
INSERT INTO refunds (id, order_id, payment_id, return_id, method, status, amount, currency, reason, created_at, updated_at)
SELECT 'ref_' || substr(id, 5), id,
  CASE WHEN customer_id IS NOT NULL AND h % 10 < 3 THEN NULL ELSE 'pay_' || substr(id, 5) END, 'ret_' || substr(id, 5),
  CASE WHEN customer_id IS NOT NULL AND h % 10 < 3 THEN 'store_credit' ELSE 'original' END, 'succeeded',
  line_total, currency, 'return', least(ret_at + interval '1 day', $3::timestamptz), least(ret_at + interval '1 day', $3::timestamptz)
FROM x WHERE ret_status = 'completed'`;

/** Goodwill refunds (a quarter of the total) of orders in buckets 30–54 ($1 t0), then payments and orders follow. */
export const REFUNDS_SQL = `
INSERT INTO refunds (id, order_id, payment_id, method, status, amount, currency, reason, created_at, updated_at)
SELECT 'ref_G' || substr(o.id, 6), o.id, 'pay_' || substr(o.id, 5), 'original', 'succeeded', greatest(1, o.total / 4),
  o.currency, 'goodwill', o.placed_at + (1 + o.number % 10) * interval '1 day', o.placed_at + (1 + o.number % 10) * interval '1 day'
FROM orders o
WHERE o.status IN ('delivered', 'shipped', 'picked_up', 'completed') AND (o.number * 7919) % 1000 BETWEEN 30 AND 54
  AND o.placed_at + (1 + o.number % 10) * interval '1 day' <= $1::timestamptz`;

export const REFUNDED_SQL = [
  `UPDATE payments p SET refunded_amount = r.amount,
     status = CASE WHEN r.amount >= p.captured_amount THEN 'refunded' ELSE 'partially_refunded' END, updated_at = r.at
   FROM (SELECT payment_id, sum(amount) AS amount, max(created_at) AS at FROM refunds
         WHERE status = 'succeeded' AND payment_id IS NOT NULL GROUP BY 1) r
   WHERE p.id = r.payment_id`,
  `UPDATE orders o SET payment_status = p.status, updated_at = greatest(o.updated_at, p.updated_at)
   FROM payments p WHERE p.order_id = o.id AND p.status IN ('refunded', 'partially_refunded')`,
];

/** $1–$2 customer range, $3 stores, $4 channels, $5 t0. */
export const CUSTOMERS_SQL = `
INSERT INTO customers (id, email, first_name, last_name, status, preferred_location_id, source, created_channel_id,
  created_at, updated_at)
SELECT 'cus_' || lpad(i::text, 26, '0'), 'customer' || i || '@example.com', 'First' || i, 'Last' || (i % 997), 'active',
  CASE WHEN i % 10 < 3 THEN ($3::text[])[1 + i % 4] END, CASE WHEN i % 4 >= 2 THEN 'pos' ELSE 'web' END,
  ($4::text[])[1 + i % 4], $5::timestamptz - interval '400 days' + (i % 30) * interval '1 day',
  $5::timestamptz - (i % 30) * interval '1 day'
FROM generate_series($1::int, $2::int) AS i`;
