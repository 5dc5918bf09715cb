/**
 * The analytics benchmark's event store and campaigns, generated in SQL (analytics-data.ts runs it).
 * Event k (1…E) is received in the k-th slot of the 365 days before `t0`, 400 ms after its timestamp
 * (both in whole milliseconds, as ingestion writes them from JavaScript dates);
 * 85 % by known customers (the same skew as the orders), 35 % from the app (screens), the rest from
 * the web shop (pages). Of every 1,000 events:
 *   - 25 `Email Link Clicked` (source src_plaza, origin plaza, by known customers only) with
 *     properties {medium: 'email', campaign_id} of the campaign running at the time: touches;
 *   - 5 `Promotion Clicked` from Plaza (medium banner, the same campaign): touches;
 *   - 30 pages or screens that arrived from a link with UTM parameters (context.campaign): cpc
 *     "spring" 50 %, social "summer" 30 % (touches when the visitor is known), e-mail "newsletter"
 *     20 % (Plaza's own medium: not a touch, the click is Plaza's own);
 *   - 270 other pages or screens, 20 identify calls, the rest track events (Product Viewed most).
 * So about 5 % of the events are touches. Campaigns: 8 e-mail campaigns over the year (one every
 * 45 days, 4 of them with a 10 % holdout), their rollups in campaign_stats (sent, delivered, opened,
 * clicked, converted and revenue, and for the holdout its size, conversions and revenue) and costs
 * (messages per campaign, monthly ad spend for utm:spring and utm:summer).
 */

export const CAMPAIGNS = 8;
/** Campaign i's id (1…8). */
export const campaignId = (i: number) => `cmp_BENCHANALYTICS${String(i).padStart(12, '0')}`;

/**
 * $1–$2 event range, $3 events in all, $4 customers, $5 web source, $6 web channel, $7 app source,
 * $8 app channel, $9 campaign ids, $10 t0.
 */
export const EVENTS_SQL = `
INSERT INTO events (source_id, channel_id, origin, message_id, type, event, user_id, anonymous_id, customer_id,
  properties, context, "timestamp", received_at, retention_months)
SELECT CASE WHEN n.plaza THEN 'src_plaza' WHEN g.app THEN $7 ELSE $5 END,
  CASE WHEN n.plaza THEN NULL WHEN g.app THEN $8 ELSE $6 END,
  CASE WHEN n.plaza THEN 'plaza' ELSE 'client' END,
  'gen-' || g.k, n.type, n.event,
  CASE WHEN g.c IS NOT NULL AND g.k % 3 = 0 AND NOT n.plaza THEN 'user-' || g.c END,
  CASE WHEN NOT n.plaza THEN 'anon-' || coalesce(g.c, $4::int + g.k % 300000) END,
  CASE WHEN g.c IS NOT NULL THEN 'cus_' || lpad(g.c::text, 26, '0') END,
  CASE n.kind
    WHEN 'email' THEN jsonb_build_object('medium', 'email', 'campaign_id', g.campaign,
      'send_id', 'msg_' || lpad(g.k::text, 26, '0'), 'url', 'https://shop.example.com/spring')
    WHEN 'banner' THEN jsonb_build_object('medium', 'banner', 'campaign_id', g.campaign, 'placement', 'home_hero')
    WHEN 'track' THEN jsonb_build_object('product_id', 'prod_' || (g.k % 400), 'price', 20 + g.k % 200, 'currency', 'USD')
    WHEN 'identify' THEN '{}'::jsonb
    ELSE jsonb_build_object('path', '/' || lower(n.event), 'title', n.event) END,
  CASE WHEN n.plaza THEN '{}'::jsonb
    WHEN n.kind = 'utm' THEN $11::jsonb || jsonb_build_object('campaign', CASE
      WHEN g.r2 < 0.5 THEN '{"medium":"cpc","name":"spring","source":"google"}'::jsonb
      WHEN g.r2 < 0.8 THEN '{"medium":"social","name":"summer","source":"instagram"}'::jsonb
      ELSE '{"medium":"email","name":"newsletter","source":"plaza"}'::jsonb END)
    ELSE $11::jsonb END,
  g.ts, g.ts + interval '400 milliseconds', 0
FROM (SELECT k, random() AS r1, random() AS r2, random() < 0.35 AS app,
        CASE WHEN random() < 0.85 THEN 1 + floor($4::int * power(random(), 1.5))::int END AS c,
        ($9::text[])[1 + (k::bigint * ${CAMPAIGNS} / ($3::int + 1))::int] AS campaign,
        date_trunc('milliseconds', $10::timestamptz - interval '365 days' + (k - random()) * (interval '365 days' / $3::int)) AS ts
      FROM generate_series($1::int, $2::int) AS k) g
CROSS JOIN LATERAL (
  SELECT kind, kind IN ('email', 'banner') AS plaza,
    CASE WHEN kind IN ('identify') THEN 'identify' WHEN kind IN ('email', 'banner', 'track') THEN 'track'
      WHEN g.app THEN 'screen' ELSE 'page' END AS type,
    CASE kind WHEN 'email' THEN 'Email Link Clicked' WHEN 'banner' THEN 'Promotion Clicked' WHEN 'identify' THEN NULL
      WHEN 'track' THEN (ARRAY['Product Viewed', 'Product Viewed', 'Product Viewed', 'Product List Viewed',
        'Product Added', 'Products Searched', 'Cart Viewed', 'Checkout Started', 'Product Clicked',
        'Promotion Viewed'])[1 + floor(g.r2 * 10)::int]
      ELSE (ARRAY['Home', 'Category', 'Product', 'Search', 'Cart'])[1 + floor(g.r2 * 5)::int] END AS event
  FROM (SELECT CASE WHEN g.r1 < 0.025 AND g.c IS NOT NULL THEN 'email'
      WHEN g.r1 >= 0.025 AND g.r1 < 0.03 AND g.c IS NOT NULL THEN 'banner'
      WHEN g.r1 >= 0.03 AND g.r1 < 0.06 THEN 'utm' WHEN g.r1 < 0.33 THEN 'page' WHEN g.r1 < 0.35 THEN 'identify'
      ELSE 'track' END AS kind) x) n`;

/** The client context of every client event (analytics.js in a browser). */
export const CLIENT_CONTEXT = {
  library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
  locale: 'en-US',
  timezone: 'America/Los_Angeles',
  ip: '203.0.113.0',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15',
};

/** $1 campaign ids, $2 t0: campaign i started 45·(i−1) days into the year and ran for a week. */
export const CAMPAIGNS_SQL = `
INSERT INTO campaigns (id, name, status, kind, media, variants, holdout_percent, created_by, created_at, updated_at,
  scheduled_at, planned_at, started_at, completed_at)
SELECT id, 'Bench: e-mail campaign ' || i, 'completed', 'marketing', '{email}',
  '[{"key":"A","split":100,"content":{"email":{"subject":"Spring","html":"<p>Spring</p>","text":"Spring"}}}]'::jsonb,
  CASE WHEN i % 2 = 0 THEN 10 ELSE 0 END, 'bench', s, s, s, s, s + interval '7 days', s + interval '7 days'
FROM unnest($1::text[]) WITH ORDINALITY AS c (id, i)
CROSS JOIN LATERAL (SELECT $2::timestamptz - interval '365 days' + (i - 1) * interval '45 days' AS s) t`;

/** The campaigns' rollups: 90,000 sent each, a 10 % holdout on the even ones (its conversion rate 0.75 of the treated). */
export const CAMPAIGN_STATS_SQL = `
INSERT INTO campaign_stats (campaign_id, variant, medium, metric, n)
SELECT id, 'A', 'email', m.metric, m.n
FROM unnest($1::text[]) WITH ORDINALITY AS c (id, i)
CROSS JOIN LATERAL (SELECT 90000 AS sent, 1800 + 40 * i AS conv, 10000 AS held, 150 + 3 * i AS held_conv) v
CROSS JOIN LATERAL (VALUES
  ('planned', v.sent + CASE WHEN i % 2 = 0 THEN v.held ELSE 0 END), ('sent', v.sent), ('delivered', v.sent - 900),
  ('opened', 31000 + 500 * i), ('clicked', 4200 + 100 * i), ('converted', v.conv), ('unsubscribed', 120),
  ('revenue_minor', v.conv * 6400::bigint), ('revenue_minor_sq', v.conv * (6400::bigint * 6400 + 2500::bigint * 2500)),
  ('holdout', CASE WHEN i % 2 = 0 THEN v.held ELSE 0 END), ('holdout_converted', CASE WHEN i % 2 = 0 THEN v.held_conv ELSE 0 END),
  ('holdout_revenue_minor', CASE WHEN i % 2 = 0 THEN v.held_conv * 6100::bigint ELSE 0 END),
  ('holdout_revenue_minor_sq', CASE WHEN i % 2 = 0 THEN v.held_conv * (6100::bigint * 6100 + 2500::bigint * 2500) ELSE 0 END)
) AS m (metric, n)
WHERE m.n > 0`;

/** Costs: the messages of each campaign on its first day, and ad spend on the 1st of each month (t0 = $2). */
export const COSTS_SQL = `
INSERT INTO analytics_campaign_costs (id, campaign_id, medium, kind, amount, currency, note, incurred_on, created_at)
SELECT 'cst_BENCH' || lpad(n::text, 21, '0'), campaign_id, medium, kind, amount, 'USD', 'bench', day, now()
FROM (
  SELECT row_number() OVER () AS n, * FROM (
    SELECT id AS campaign_id, 'email' AS medium, 'messages' AS kind, 45000 AS amount,
      ($2::timestamptz - interval '365 days' + (i - 1) * interval '45 days')::date AS day
    FROM unnest($1::text[]) WITH ORDINALITY AS c (id, i)
    UNION ALL
    SELECT u.campaign, u.medium, 'ad_spend', u.amount, (date_trunc('month', $2::timestamptz) - m * interval '1 month')::date
    FROM generate_series(0, 12) AS m
    CROSS JOIN (VALUES ('utm:spring', 'cpc', 250000), ('utm:summer', 'social', 120000)) AS u (campaign, medium, amount)
  ) x) y`;
